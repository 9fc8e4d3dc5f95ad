// The scan's hash cache (one binary file per tree, matched in path order) and its work on worker
// threads: what is cached is what is read back, a damaged or old cache is ignored, a touched file is
// hashed again, an unchanged tree does not rewrite the cache, and the workers list, stat and hash
// exactly as the scan's own thread does.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { describe, it } from "node:test";
import { fileFingerprint } from "../../src/sync/core/fingerprint";
import { HashedFiles, hashCachePath, matchHashCache, readHashCache, writeHashCache } from "../../src/sync/scan/hashCache";
import { scanLimits, scanTree } from "../../src/sync/scan/manifest";
import { ENTRY, inlineWork, workerPool } from "../../src/sync/scan/treeWork";

const fingerprintOf = (content: string | Buffer) => fileFingerprint(content.length, createHash("sha256").update(content).digest("hex"));

function withTemporary<T>(fn: (dir: string) => Promise<T>): Promise<T> {
    const dir = mkdtempSync(path.join(tmpdir(), "skymount-hashcache-"));
    return fn(dir).finally(() => rmSync(dir, { recursive: true, force: true }));
}

/** Runs `fn` with SKYMOUNT_CACHE pointing at a fresh directory. */
async function withCacheRoot<T>(fn: (cacheRoot: string) => Promise<T>): Promise<T> {
    const saved = process.env.SKYMOUNT_CACHE;
    return withTemporary(async (cacheRoot) => {
        process.env.SKYMOUNT_CACHE = cacheRoot;
        try {
            return await fn(cacheRoot);
        } finally {
            if (saved === undefined) delete process.env.SKYMOUNT_CACHE;
            else process.env.SKYMOUNT_CACHE = saved;
        }
    });
}

const SAMPLE: HashedFiles = {
    // In scan order: "a.txt" < "a/…" < "é/…" (UTF-16 code units), with names that need escaping elsewhere.
    paths: ["a.txt", "a/b c.txt", "a/new\nline", "é/ü.bin"],
    sizes: Float64Array.from([1, 0, 12_345_678_901, 7]),
    mtimes: Float64Array.from([1_700_000_000_123.375, 0, 1, 1_800_000_000_000.25]),
    fingerprints: [
        "1:AAAAAAAAAAAAAAAAAAAAAA",
        "0:47DEQpj8HBSa-_TImW-5JA",
        "12345678901:BBBBBBBBBBBBBBBBBBBBBB",
        "7:CCCCCCCCCCCCCCCCCCCCCC",
    ],
};

describe("hash cache file", () => {
    it("reads back what was written, exact mtimes and non-ASCII paths included", () =>
        withTemporary(async (dir) => {
            const file = path.join(dir, "manifests", "tree.bin");
            writeHashCache(file, SAMPLE);
            const cache = readHashCache(file);
            assert.equal(cache.count, 4);
            assert.deepEqual(cache.paths.split("\0"), SAMPLE.paths);
            assert.deepEqual(cache.fingerprints.split("\0"), SAMPLE.fingerprints);
            assert.deepEqual([...cache.sizes], [...SAMPLE.sizes]);
            assert.deepEqual([...cache.mtimes], [...SAMPLE.mtimes]);
            // No temporary file is left next to it.
            assert.deepEqual(readdirSync(path.dirname(file)), ["tree.bin"]);
        }));

    it("reads an empty tree's cache as empty", () =>
        withTemporary(async (dir) => {
            const file = path.join(dir, "empty.bin");
            writeHashCache(file, { paths: [], sizes: new Float64Array(0), mtimes: new Float64Array(0), fingerprints: [] });
            assert.equal(readHashCache(file).count, 0);
        }));

    it("ignores a missing, truncated, corrupted, lengthened or JSON (earlier format) cache", () =>
        withTemporary(async (dir) => {
            const file = path.join(dir, "tree.bin");
            assert.equal(readHashCache(file).count, 0, "missing");
            writeHashCache(file, SAMPLE);
            const good = readFileSync(file);
            const damaged: Array<[string, Buffer]> = [
                ["truncated", good.subarray(0, good.length - 3)],
                ["header only", good.subarray(0, 20)],
                ["empty", Buffer.alloc(0)],
                ["one byte of a fingerprint changed", Buffer.from(good).fill("Z", good.length - 5, good.length - 4)],
                ["one byte of a size changed", Buffer.from(good).fill(9, 60, 61)],
                ["bytes appended", Buffer.concat([good, Buffer.from("x")])],
                ["another version", Buffer.concat([Buffer.from("SKYHASH9"), good.subarray(8)])],
                ["the JSON of earlier versions", Buffer.from(JSON.stringify({ "a.txt": [1, 1, "0".repeat(64)] }))],
            ];
            for (const [what, bytes] of damaged) {
                writeFileSync(file, bytes);
                assert.equal(readHashCache(file).count, 0, what);
            }
        }));

    it("matches files by path, size and mtime in one pass, whatever the cache lacks or holds besides", () =>
        withTemporary(async (dir) => {
            const file = path.join(dir, "tree.bin");
            writeHashCache(file, SAMPLE);
            const files = {
                // "a.txt" unchanged; "a/b c.txt" gone; "a/c" new; "a/new\nline" with another mtime; "é/ü.bin" unchanged; "z" new.
                paths: ["a.txt", "a/c", "a/new\nline", "é/ü.bin", "z"],
                sizes: Float64Array.from([1, 5, 12_345_678_901, 7, 3]),
                mtimes: Float64Array.from([1_700_000_000_123.375, 9, 2, 1_800_000_000_000.25, 4]),
            };
            const { fingerprints, misses } = matchHashCache(readHashCache(file), files);
            assert.deepEqual(misses, [1, 2, 4]);
            assert.equal(fingerprints[0], SAMPLE.fingerprints[0]);
            assert.equal(fingerprints[3], SAMPLE.fingerprints[3]);
        }));

    it("drops the JSON cache of earlier versions when it writes its own", () =>
        withTemporary(async (dir) => {
            const file = path.join(dir, "tree.bin");
            writeFileSync(path.join(dir, "tree.json"), "{}");
            writeHashCache(file, SAMPLE);
            assert.deepEqual(readdirSync(dir), ["tree.bin"]);
        }));
});

describe("scanTree and its cache", () => {
    it("hashes a touched file again (same size, new mtime) and rewrites the cache only then", () =>
        withCacheRoot(() =>
            withTemporary(async (dir) => {
                for (let i = 0; i < 10; i++) writeFileSync(path.join(dir, `f${i}.txt`), `content ${i}`);
                await scanTree(dir);
                const cacheFile = hashCachePath(dir);
                // Plant a wrong fingerprint for f3: trusted while its size and mtime match.
                const cache = readHashCache(cacheFile);
                const paths = cache.paths.split("\0");
                const fingerprints = cache.fingerprints.split("\0");
                fingerprints[paths.indexOf("f3.txt")] = "9:planted";
                writeHashCache(cacheFile, { paths, sizes: cache.sizes, mtimes: cache.mtimes, fingerprints });
                const written = new Date(1_000_000_000_000);
                utimesSync(cacheFile, written, written);
                assert.equal((await scanTree(dir)).manifest["f3.txt"], "9:planted");
                assert.equal(statSync(cacheFile).mtimeMs, written.getTime(), "an unchanged tree rewrote the cache");
                // touch: the content and size stay, the mtime moves.
                const later = new Date(Date.now() + 5000);
                utimesSync(path.join(dir, "f3.txt"), later, later);
                assert.equal((await scanTree(dir)).manifest["f3.txt"], fingerprintOf("content 3"));
                assert.notEqual(statSync(cacheFile).mtimeMs, written.getTime());
                assert.equal(readHashCache(cacheFile).fingerprints.split("\0")[paths.indexOf("f3.txt")], fingerprintOf("content 3"));
            }),
        ));

    it("rewrites the cache when a file is removed, though nothing is hashed", () =>
        withCacheRoot(() =>
            withTemporary(async (dir) => {
                for (let i = 0; i < 3; i++) writeFileSync(path.join(dir, `f${i}.txt`), `content ${i}`);
                await scanTree(dir);
                rmSync(path.join(dir, "f1.txt"));
                await scanTree(dir);
                assert.deepEqual(readHashCache(hashCachePath(dir)).paths.split("\0"), ["f0.txt", "f2.txt"]);
            }),
        ));

    it("scans a corrupt cache's tree as a cold one", () =>
        withCacheRoot(() =>
            withTemporary(async (dir) => {
                writeFileSync(path.join(dir, "a.txt"), "a");
                mkdirSync(path.dirname(hashCachePath(dir)), { recursive: true });
                writeFileSync(hashCachePath(dir), "SKYHASH1 and then nonsense");
                assert.deepEqual((await scanTree(dir)).manifest, { "a.txt": fingerprintOf("a") });
                assert.equal(readHashCache(hashCachePath(dir)).count, 1);
            }),
        ));

    it("walks and hashes on worker threads in path order, with ignore rules, symlinks and a file bigger than a read", () =>
        withCacheRoot(() =>
            withTemporary(async (dir) => {
                // Limits lowered so that this small tree goes to the workers, in several batches.
                const saved = { ...scanLimits };
                Object.assign(scanLimits, { inlineEntries: 5, inlineHashFiles: 3, batchFiles: 7, hashBatchBytes: 1024 * 1024 });
                try {
                    const expected: Record<string, string> = {};
                    for (let d = 0; d < 12; d++) {
                        const sub = path.join(dir, `d${d}`);
                        mkdirSync(sub);
                        for (let f = 0; f < 20; f++) {
                            const content = `${d}/${f}`;
                            writeFileSync(path.join(sub, `f${f}.txt`), content);
                            expected[`d${d}/f${f}.txt`] = fingerprintOf(content);
                        }
                    }
                    // A name that sorts between "d1" and "d1/…" as whole paths do, and one past "d1/".
                    writeFileSync(path.join(dir, "d1.txt"), "dot");
                    expected["d1.txt"] = fingerprintOf("dot");
                    writeFileSync(path.join(dir, "d10", "f0.txt0"), "after");
                    expected["d10/f0.txt0"] = fingerprintOf("after");
                    const big = Buffer.alloc(3 * 1024 * 1024 + 17, 7);
                    writeFileSync(path.join(dir, "d3", "big.bin"), big);
                    expected["d3/big.bin"] = fingerprintOf(big);
                    writeFileSync(path.join(dir, "d5", "skip.log"), "x");
                    writeFileSync(path.join(dir, "a.txt"), "");
                    expected["a.txt"] = fingerprintOf("");
                    symlinkSync("a.txt", path.join(dir, "d7", "link"));
                    const sorted = Object.keys(expected).sort();
                    const scan = await scanTree(dir, ["*.log"]);
                    assert.deepEqual(Object.keys(scan.manifest), sorted);
                    assert.deepEqual(scan.manifest, expected);
                    assert.deepEqual(scan.warnings, [
                        `skipped symlink ${path.join(dir, "d7", "link")}: links inside a source are not uploaded`,
                    ]);
                    // The cache is in the same order, and a warm scan gives the same manifest from it alone.
                    assert.deepEqual(readHashCache(hashCachePath(dir)).paths.split("\0"), sorted);
                    const mtime = statSync(hashCachePath(dir)).mtimeMs;
                    assert.deepEqual((await scanTree(dir, ["*.log"])).manifest, expected);
                    assert.equal(statSync(hashCachePath(dir)).mtimeMs, mtime);
                } finally {
                    Object.assign(scanLimits, saved);
                }
            }),
        ));
});

describe("tree work on worker threads", () => {
    it("lists, stats and fingerprints as the inline work does, with jobs in flight at once", () =>
        withTemporary(async (dir) => {
            mkdirSync(path.join(dir, "sub"));
            const names = Array.from({ length: 50 }, (_, i) => `f${i}`);
            names.forEach((name, i) => writeFileSync(path.join(dir, "sub", name), "x".repeat(i)));
            symlinkSync("f1", path.join(dir, "sub", "link"));
            const pool = workerPool(dir, 2);
            try {
                const inline = inlineWork(dir);
                const listing = await pool.list("sub");
                assert.deepEqual(listing, await inline.list("sub"));
                assert.equal(listing.kinds[listing.keys.indexOf("sub/link")], ENTRY.symlink);
                assert.deepEqual(await pool.list(""), { keys: ["sub/"], kinds: Uint8Array.of(ENTRY.directory) });
                const rels = names.map((name) => `sub/${name}`);
                const stats = await pool.stat(rels);
                assert.deepEqual([...stats], [...(await inline.stat(rels))]);
                assert.deepEqual(
                    names.map((_, i) => stats[2 * i]),
                    names.map((_, i) => i),
                );
                const sizes = Float64Array.from(names, (_, i) => i);
                // Five jobs in flight on two workers: each answer goes to its own job.
                const batches = await Promise.all(
                    [0, 10, 20, 30, 40].map((from) => pool.fingerprint(rels.slice(from, from + 10), sizes.subarray(from, from + 10))),
                );
                assert.deepEqual(
                    batches.flat(),
                    names.map((_, i) => fingerprintOf("x".repeat(i))),
                );
                assert.deepEqual(await inline.fingerprint(rels, sizes), batches.flat());
            } finally {
                await pool.close();
            }
        }));

    it("fails a job whose file is missing with the file system's error, and keeps serving others", () =>
        withTemporary(async (dir) => {
            writeFileSync(path.join(dir, "here"), "h");
            const pool = workerPool(dir, 1);
            try {
                await assert.rejects(pool.fingerprint(["gone"], Float64Array.of(1)), (err: NodeJS.ErrnoException) => err.code === "ENOENT");
                await assert.rejects(pool.stat(["here", "gone"]), /ENOENT/);
                assert.deepEqual(await pool.fingerprint(["here"], Float64Array.of(1)), [fingerprintOf("h")]);
            } finally {
                await pool.close();
            }
        }));
});
