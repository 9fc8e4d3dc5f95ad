// The workdir travels to nodes as a deterministic tar.gz (sorted names, fixed times and owners), so
// it changes, and the nodes are updated, only when a file does. Ignore rules are a source sync's.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { scanTree } from "../sync/manifest";

/** The archive rides in a command's stdin and in state: bulk data belongs in a SkyStorage. */
export const MAX_WORKDIR_ARCHIVE_BYTES = 8 * 1024 * 1024;

export interface WorkdirArchive {
    base64: string;
    sha256: string;
    files: number;
    warnings: string[];
}

export async function archiveWorkdir(dir: string): Promise<WorkdirArchive> {
    const scan = await scanTree(dir);
    const names = Object.keys(scan.manifest).sort();
    const tar = execFileSync(
        "tar",
        ["--create", "--use-compress-program=gzip -n", "--sort=name", "--mtime=@0", "--owner=0", "--group=0", "--numeric-owner", "--mode=u+rw,go+r", "-C", dir, "--null", "--files-from=-"],
        { input: names.join("\0"), maxBuffer: 4 * MAX_WORKDIR_ARCHIVE_BYTES },
    );
    if (tar.length > MAX_WORKDIR_ARCHIVE_BYTES) {
        throw new Error(`workdir: "${dir}": ${tar.length} bytes compressed, more than ${MAX_WORKDIR_ARCHIVE_BYTES}: put data in a SkyStorage and mount it, or ignore it in .skyignore`);
    }
    // The archive's own bytes carry gzip's header; hash the manifest, which is what matters.
    const sha256 = createHash("sha256").update(JSON.stringify(scan.manifest)).digest("hex");
    return { base64: tar.toString("base64"), sha256, files: names.length, warnings: scan.warnings };
}
