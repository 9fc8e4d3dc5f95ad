// The workdir travels to nodes as a deterministic tar.gz (sorted names, fixed times, no owners, modes
// 0644 or 0755), so it changes, and the nodes are updated, only when a file does. Ignore rules are a
// source sync's. node-tar writes it, not the system's tar: macOS's bsdtar has none of GNU tar's
// --sort/--mtime/--owner flags, and the archive must be the same bytes wherever `pulumi up` runs.
import { createHash } from "node:crypto";
import * as tar from "tar";
import { WORKDIR_ARCHIVE_MAX_BYTES } from "../internal/limits";
import { scanTree } from "../sync/scan/manifest";

export interface WorkdirArchive {
    base64: string;
    sha256: string;
    files: number;
    warnings: string[];
}

/**
 * The files `names` (relative to `dir`) as a tar.gz that depends only on their paths, contents and
 * whether they are executable: `portable` leaves out owners (GNU tar reads them as 0/0), atime and
 * ctime, and writes gzip's header without a time and with the same OS byte everywhere; `mtime` fixes
 * every time at 0; modes are normalized here (directories and executables 0755, other files 0644).
 * A directory in `names` is one entry, without its contents (the workdir lists files only: tar -x
 * makes their directories).
 */
export function deterministicTarGz(dir: string, names: string[]): Buffer {
    const chunks: Buffer[] = [];
    const pack = tar.create(
        {
            sync: true,
            gzip: true,
            portable: true,
            cwd: dir,
            mtime: new Date(0),
            noDirRecurse: true,
            onWriteEntry: (entry) => {
                if (entry.stat) entry.stat.mode = entry.stat.isDirectory() || entry.stat.mode & 0o111 ? 0o755 : 0o644;
            },
        },
        [...names].sort(),
    );
    pack.on("data", (chunk: Buffer) => chunks.push(chunk));
    return Buffer.concat(chunks);
}

export async function archiveWorkdir(dir: string): Promise<WorkdirArchive> {
    const scan = await scanTree(dir);
    const names = Object.keys(scan.manifest).sort();
    const tar = deterministicTarGz(dir, names);
    if (tar.length > WORKDIR_ARCHIVE_MAX_BYTES) {
        throw new Error(
            `workdir: "${dir}": ${tar.length} bytes compressed, more than ${WORKDIR_ARCHIVE_MAX_BYTES}: put data in a SkyStorage and mount it, or ignore it in .skyignore`,
        );
    }
    // The archive's own bytes carry gzip's header; hash the manifest, which is what matters.
    const sha256 = createHash("sha256").update(JSON.stringify(scan.manifest)).digest("hex");
    return { base64: tar.toString("base64"), sha256, files: names.length, warnings: scan.warnings };
}
