// The hash cache of a source tree: for every file its path, size, mtime and fingerprint, kept so that
// scanning an unchanged tree reads metadata only. One binary file per tree, in the scan's path order,
// so a scan matches it by walking both lists side by side, with no map to build:
//
//     "SKYHASH1"  count:u32  pathBytes:u32  fingerprintBytes:u32  0:u32  sha256 of the body (32 bytes)
//     body: sizes f64 × count, mtimes (ms) f64 × count, paths (UTF-8) and then fingerprints, each joined by "\0"
//
// A million files make about 50 MB that load in a fraction of a second, and a hit costs no string but
// the fingerprint read here; the JSON object it replaces was 100 MB and took seconds and gigabytes
// to parse. Both directions go part by part: the file is never in memory whole. Anything unreadable (missing, truncated, another version, a checksum that does not
// match) is an empty cache: every file is hashed again.
import { createHash } from "node:crypto";
import { closeSync, fstatSync, mkdirSync, openSync, readSync, renameSync, rmSync, writeSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** What a scan found: relative paths in scan order, each with its size, mtime and fingerprint. */
export interface HashedFiles {
    paths: string[];
    sizes: Float64Array;
    mtimes: Float64Array;
    /** "<size>:<hash>", as fingerprint.ts makes them. */
    fingerprints: string[];
}

/**
 * A cache as read: the same, but paths and fingerprints left joined by "\0", as in the file. A scan
 * walks them once (matchHashCache), and a million strings it would split them into are never made.
 */
export interface HashCache {
    count: number;
    paths: string;
    sizes: Float64Array;
    mtimes: Float64Array;
    fingerprints: string;
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
    return { count: 0, paths: "", sizes: new Float64Array(0), mtimes: new Float64Array(0), fingerprints: "" };
}

/** How many "\0"-separated entries `joined` holds (none when empty). */
function entriesIn(joined: string): number {
    if (joined === "") return 0;
    let count = 1;
    for (let at = joined.indexOf("\0"); at >= 0; at = joined.indexOf("\0", at + 1)) count++;
    return count;
}

/** Reads exactly `into.length` bytes at `position`, or throws. */
function readExactly(fd: number, into: Uint8Array, position: number): void {
    for (let at = 0; at < into.length;) {
        const n = readSync(fd, into, at, into.length - at, position + at);
        if (n === 0) throw new Error("hash cache: truncated");
        at += n;
    }
}

function writeFully(fd: number, bytes: Uint8Array, position: number): number {
    for (let at = 0; at < bytes.length;) at += writeSync(fd, bytes, at, bytes.length - at, position + at);
    return position + bytes.length;
}

function bytesOf(array: Float64Array): Uint8Array {
    return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}

/**
 * The cache in `file`, or an empty one when there is none or it cannot be trusted. Read part by part
 * straight into the arrays it returns: no copy of the whole file is held.
 */
export function readHashCache(file: string): HashCache {
    let fd: number;
    try {
        fd = openSync(file, "r");
    } catch {
        return emptyHashCache();
    }
    try {
        const header = Buffer.alloc(HEADER_BYTES);
        readExactly(fd, header, 0);
        if (header.toString("latin1", 0, 8) !== MAGIC) return emptyHashCache();
        const count = header.readUInt32LE(8);
        const pathBytes = header.readUInt32LE(12);
        const fingerprintBytes = header.readUInt32LE(16);
        if (fstatSync(fd).size !== HEADER_BYTES + count * 16 + pathBytes + fingerprintBytes) return emptyHashCache();
        const checksum = createHash("sha256");
        const sizes = new Float64Array(count);
        const mtimes = new Float64Array(count);
        readExactly(fd, bytesOf(sizes), HEADER_BYTES);
        readExactly(fd, bytesOf(mtimes), HEADER_BYTES + count * 8);
        checksum.update(bytesOf(sizes)).update(bytesOf(mtimes));
        const text = (at: number, length: number, encoding: "utf8" | "latin1") => {
            const bytes = Buffer.allocUnsafe(length);
            readExactly(fd, bytes, at);
            checksum.update(bytes);
            return bytes.toString(encoding);
        };
        const paths = text(HEADER_BYTES + count * 16, pathBytes, "utf8");
        const fingerprints = text(HEADER_BYTES + count * 16 + pathBytes, fingerprintBytes, "latin1");
        if (!checksum.digest().equals(header.subarray(CHECKSUM_AT))) return emptyHashCache();
        if (entriesIn(paths) !== count || entriesIn(fingerprints) !== count) return emptyHashCache();
        return { count, paths, sizes, mtimes, fingerprints };
    } catch {
        return emptyHashCache();
    } finally {
        closeSync(fd);
    }
}

/** Paths joined by "\0" per this many entries: the file is written in parts, never as one big string. */
const WRITE_PART = 65_536;

/**
 * The fingerprints `cache` holds for `files` at the same size and mtime (undefined for the others),
 * and the indices of the others. Both are in path order, so one pass over each matches them.
 */
export function matchHashCache(cache: HashCache, files: Omit<HashedFiles, "fingerprints">): { fingerprints: string[]; misses: number[] } {
    const count = files.paths.length;
    const fingerprints = new Array<string>(count);
    const misses: number[] = [];
    // The cache entry at hand: its index, where its path and its fingerprint start and end.
    let c = 0;
    let pathAt = 0;
    let pathEnd = cache.count > 0 ? endOf(cache.paths, 0) : 0;
    let fingerprintAt = 0;
    const next = () => {
        c++;
        pathAt = pathEnd + 1;
        pathEnd = endOf(cache.paths, pathAt);
        fingerprintAt = endOf(cache.fingerprints, fingerprintAt) + 1;
    };
    for (let i = 0; i < count; i++) {
        const rel = files.paths[i];
        while (c < cache.count && comparePathAt(cache.paths, pathAt, pathEnd, rel) < 0) next();
        const same = c < cache.count && pathEnd - pathAt === rel.length && cache.paths.startsWith(rel, pathAt);
        if (same && cache.sizes[c] === files.sizes[i] && cache.mtimes[c] === files.mtimes[i]) {
            fingerprints[i] = cache.fingerprints.slice(fingerprintAt, endOf(cache.fingerprints, fingerprintAt));
        } else misses.push(i);
        if (same) next();
    }
    return { fingerprints, misses };
}

/** Where the entry starting at `at` ends: the next "\0", or the end of the text. */
function endOf(joined: string, at: number): number {
    const end = joined.indexOf("\0", at);
    return end < 0 ? joined.length : end;
}

/** `joined.slice(at, end)` compared with `rel` as `<` compares strings, without making the slice. */
function comparePathAt(joined: string, at: number, end: number, rel: string): number {
    const length = Math.min(end - at, rel.length);
    for (let k = 0; k < length; k++) {
        const difference = joined.charCodeAt(at + k) - rel.charCodeAt(k);
        if (difference !== 0) return difference;
    }
    return end - at - rel.length;
}

/** Writes `files` to `file` whole or not at all (a new file renamed over the old one). */
export function writeHashCache(file: string, cache: HashedFiles): void {
    const count = cache.paths.length;
    mkdirSync(path.dirname(file), { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    try {
        const fd = openSync(temporary, "w");
        try {
            const checksum = createHash("sha256");
            let at = HEADER_BYTES;
            for (const numbers of [bytesOf(cache.sizes.subarray(0, count)), bytesOf(cache.mtimes.subarray(0, count))]) {
                checksum.update(numbers);
                at = writeFully(fd, numbers, at);
            }
            const lengths = [cache.paths, cache.fingerprints].map((list, i) => {
                const started = at;
                for (let from = 0; from < count; from += WRITE_PART) {
                    const last = from + WRITE_PART >= count;
                    const part = Buffer.from(
                        list.slice(from, from + WRITE_PART).join("\0") + (last ? "" : "\0"),
                        i === 0 ? "utf8" : "latin1",
                    );
                    checksum.update(part);
                    at = writeFully(fd, part, at);
                }
                return at - started;
            });
            // The header has 32 bits for each length; a tree whose paths need more keeps no cache.
            if (lengths.some((length) => length > 0xffffffff)) return;
            const header = Buffer.alloc(HEADER_BYTES);
            header.write(MAGIC, 0, "latin1");
            header.writeUInt32LE(count, 8);
            header.writeUInt32LE(lengths[0], 12);
            header.writeUInt32LE(lengths[1], 16);
            checksum.digest().copy(header, CHECKSUM_AT);
            writeFully(fd, header, 0);
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
