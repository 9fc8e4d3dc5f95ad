// The workdir travels to nodes as a deterministic tar.gz (sorted names, fixed times and owners), so
// it changes, and the nodes are updated, only when a file does. Ignore rules are a source sync's.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { WORKDIR_ARCHIVE_MAX_BYTES } from "../internal/limits";
import { scanTree } from "../sync/manifest";

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
        [
            "--create",
            "--use-compress-program=gzip -n",
            "--sort=name",
            "--mtime=@0",
            "--owner=0",
            "--group=0",
            "--numeric-owner",
            "--mode=u+rw,go+r",
            "-C",
            dir,
            "--null",
            "--files-from=-",
        ],
        { input: names.join("\0"), maxBuffer: 4 * WORKDIR_ARCHIVE_MAX_BYTES },
    );
    if (tar.length > WORKDIR_ARCHIVE_MAX_BYTES) {
        throw new Error(
            `workdir: "${dir}": ${tar.length} bytes compressed, more than ${WORKDIR_ARCHIVE_MAX_BYTES}: put data in a SkyStorage and mount it, or ignore it in .skyignore`,
        );
    }
    // The archive's own bytes carry gzip's header; hash the manifest, which is what matters.
    const sha256 = createHash("sha256").update(JSON.stringify(scan.manifest)).digest("hex");
    return { base64: tar.toString("base64"), sha256, files: names.length, warnings: scan.warnings };
}
