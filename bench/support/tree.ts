// A tree of N files for the scale benchmarks: `perDirectory` entries per directory, nested as deep as
// N needs (1,000,000 files at 1,000 per directory: 1,000 directories of 1,000 files under one level
// of 1,000 parents), every file's content distinct. Creating a million files takes minutes, so a tree
// is made once: a marker written after the last file records what was made, and a later call asking
// for the same tree reuses it. Files are written by a bounded number of concurrent writes (libuv's
// threads), so both cores work.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import * as path from "node:path";

export interface TreeSpec {
    files: number;
    /** Bytes of file `i`; also named in the marker, so a tree with other sizes is made again. */
    sizeOf: (i: number) => number;
    /** Says what `sizeOf` is, e.g. "1-8 KiB": part of the marker. */
    sizes: string;
    perDirectory?: number;
}

export interface Tree {
    /** The directory holding the files (the marker lives next to it, not in it). */
    dir: string;
    files: number;
    bytes: number;
    /** Whether this call created the files (false: an earlier run's tree was reused). */
    created: boolean;
    seconds: number;
}

const MARKER = "tree.json";
const WRITES_IN_FLIGHT = 64;

/** The relative path of file `i`: "f0042" at one level, "d001/f0042" at two, and so on. */
export function treePath(i: number, files: number, perDirectory: number): string {
    const parts: string[] = [];
    let levels = 0;
    for (let capacity = perDirectory; capacity < files; capacity *= perDirectory) levels++;
    const width = String(perDirectory - 1).length;
    let rest = i;
    const digits: number[] = [];
    for (let level = 0; level <= levels; level++) {
        digits.unshift(rest % perDirectory);
        rest = Math.floor(rest / perDirectory);
    }
    digits.forEach((d, level) => parts.push(`${level === levels ? "f" : "d"}${String(d).padStart(width, "0")}`));
    return parts.join("/");
}

/**
 * Makes (or reuses) the tree under `root`: files in `root/files`, the marker in `root/tree.json`. A
 * `root` holding anything else than an earlier tree is refused rather than deleted.
 */
export async function ensureTree(root: string, spec: TreeSpec): Promise<Tree> {
    const perDirectory = spec.perDirectory ?? 1000;
    const dir = path.join(root, "files");
    const marker = path.join(root, MARKER);
    let bytes = 0;
    for (let i = 0; i < spec.files; i++) bytes += spec.sizeOf(i);
    const wanted = JSON.stringify({ version: 1, files: spec.files, perDirectory, sizes: spec.sizes, bytes });
    if (existsSync(marker) && readFileSync(marker, "utf8") === wanted) return { dir, files: spec.files, bytes, created: false, seconds: 0 };
    if (existsSync(root)) {
        const foreign = readdirSync(root).filter((name) => name !== MARKER && name !== "files");
        if (foreign.length > 0) throw new Error(`${root}: holds ${foreign.join(", ")}, not a benchmark tree; not deleting it`);
    }
    rmSync(marker, { force: true });
    rmSync(dir, { recursive: true, force: true });
    const started = process.hrtime.bigint();
    // Content: the file's number, then bytes of one random pool from an offset that moves with the
    // number, so no two files are alike and nothing is generated per file.
    const pool = randomBytes(1024 * 1024 + 64 * 1024);
    const made = new Set<string>();
    let next = 0;
    const writer = async () => {
        while (next < spec.files) {
            const i = next++;
            const rel = treePath(i, spec.files, perDirectory);
            const parent = path.dirname(rel);
            if (!made.has(parent)) {
                mkdirSync(path.join(dir, parent), { recursive: true });
                made.add(parent);
            }
            const size = spec.sizeOf(i);
            const content = Buffer.allocUnsafe(size);
            const header = Buffer.from(`${i}\n`);
            header.copy(content, 0, 0, Math.min(size, header.length));
            for (let at = header.length, from = (i * 61) % (64 * 1024); at < size; at += pool.length - from, from = 0)
                pool.copy(content, at, from, from + Math.min(size - at, pool.length - from));
            await writeFile(path.join(dir, rel), content);
        }
    };
    await Promise.all(Array.from({ length: WRITES_IN_FLIGHT }, writer));
    writeFileSync(marker, wanted);
    return { dir, files: spec.files, bytes, created: true, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

/** Removes a tree made by ensureTree. */
export function removeTree(root: string): void {
    rmSync(path.join(root, MARKER), { force: true });
    rmSync(path.join(root, "files"), { recursive: true, force: true });
    rmSync(root, { recursive: true, force: true });
}
