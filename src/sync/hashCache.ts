// The hash cache of a source tree: for every file its path, size, mtime and fingerprint, kept so that
// scanning an unchanged tree reads metadata only. One binary file per tree, in the scan's path order,
// so a scan matches it by walking both lists side by side, with no map to build:
//
//     "SKYHASH1"  count:u32  pathBytes:u32  fingerprintBytes:u32  0:u32  sha256 of the body (32 bytes)
//     body: sizes f64 × count, mtimes (ms) f64 × count, paths (UTF-8) and then fingerprints, each joined by "\0"
//
// A million files make about 50 MB that load in a fraction of a second, and a hit costs no string but
// the fingerprint read here; the JSON object it replaces was 100 MB and took seconds and gigabytes
// to parse. Anything unreadable (missing, truncated, another version, a checksum that does not
// match) is an empty cache: every file is hashed again.
import { createHash } from "node:crypto";
import { closeSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export interface HashCache {
    /** Relative paths, in scan order. */
    paths: string[];
    sizes: Float64Array;
    mtimes: Float64Array;
    /** "<size>:<hash>", as fingerprint.ts makes them. */
    fingerprints: string[];
}

const MAGIC = "SKYHASH1";
const HEADER_BYTES = 8 + 4 + 4 + 4 + 4 + 32;
const CHECKSUM_AT = HEADER_BYTES - 32;

/** Where the cache of `dir` lives: one file per absolute path, under SKYMOUNT_CACHE or ~/.cache/skymount. */
export function hashCachePath(dir: string): string {
    const root = process.env.SKYMOUNT_CACHE ?? path.join(os.homedir(), ".cache", "skymount");
    return path.join(root, "manifests", `${createHash("sha256").update(path.resolve(dir)).digest("hex").slice(0, 16)}.bin`);
}

export function emptyHashCache(): HashCache {
    return { paths: [], sizes: new Float64Array(0), mtimes: new Float64Array(0), fingerprints: [] };
}

function split(joined: string, count: number): string[] {
    return count === 0 ? [] : joined.split("\0");
}

/** The cache in `file`, or an empty one when there is none or it cannot be trusted. */
export function readHashCache(file: string): HashCache {
    let bytes: Buffer;
    try {
        bytes = readFileSync(file);
    } catch {
        return emptyHashCache();
    }
    if (bytes.length < HEADER_BYTES || bytes.toString("latin1", 0, 8) !== MAGIC) return emptyHashCache();
    const count = bytes.readUInt32LE(8);
    const pathBytes = bytes.readUInt32LE(12);
    const fingerprintBytes = bytes.readUInt32LE(16);
    const body = bytes.subarray(HEADER_BYTES);
    if (body.length !== count * 16 + pathBytes + fingerprintBytes) return emptyHashCache();
    if (!createHash("sha256").update(body).digest().equals(bytes.subarray(CHECKSUM_AT, HEADER_BYTES))) return emptyHashCache();
    const paths = split(body.toString("utf8", count * 16, count * 16 + pathBytes), count);
    const fingerprints = split(body.toString("latin1", count * 16 + pathBytes), count);
    if (paths.length !== count || fingerprints.length !== count) return emptyHashCache();
    // Copies, not views: the file's bytes need not be 8-byte aligned for a Float64Array.
    const sizes = new Float64Array(count);
    const mtimes = new Float64Array(count);
    Buffer.from(sizes.buffer).set(body.subarray(0, count * 8));
    Buffer.from(mtimes.buffer).set(body.subarray(count * 8, count * 16));
    return { paths, sizes, mtimes, fingerprints };
}

/** Writes `cache` to `file` whole or not at all (a new file renamed over the old one). */
export function writeHashCache(file: string, cache: HashCache): void {
    const count = cache.paths.length;
    const paths = Buffer.from(cache.paths.join("\0"), "utf8");
    const fingerprints = Buffer.from(cache.fingerprints.join("\0"), "latin1");
    // The header has 32 bits for each length; a tree whose paths need more keeps no cache.
    if (paths.length > 0xffffffff || fingerprints.length > 0xffffffff) return;
    const numbers = Buffer.allocUnsafe(count * 16);
    numbers.set(new Uint8Array(cache.sizes.buffer, cache.sizes.byteOffset, count * 8), 0);
    numbers.set(new Uint8Array(cache.mtimes.buffer, cache.mtimes.byteOffset, count * 8), count * 8);
    const header = Buffer.alloc(HEADER_BYTES);
    header.write(MAGIC, 0, "latin1");
    header.writeUInt32LE(count, 8);
    header.writeUInt32LE(paths.length, 12);
    header.writeUInt32LE(fingerprints.length, 16);
    createHash("sha256").update(numbers).update(paths).update(fingerprints).digest().copy(header, CHECKSUM_AT);
    mkdirSync(path.dirname(file), { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    try {
        const fd = openSync(temporary, "w");
        try {
            for (const part of [header, numbers, paths, fingerprints]) for (let at = 0; at < part.length;) at += writeSync(fd, part, at);
        } finally {
            closeSync(fd);
        }
        renameSync(temporary, file);
    } finally {
        rmSync(temporary, { force: true });
    }
    // The JSON cache of earlier versions, up to 100 MB for a big tree, is no longer read.
    rmSync(file.replace(/\.bin$/, ".json"), { force: true });
}
