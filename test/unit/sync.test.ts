import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { describe, it } from "node:test";
import { decodeManifest, describeActions, encodeManifest } from "../../src/sync/core/diff";
import { patternsIgnore } from "../../src/sync/scan/ignore";
import { hashCachePath, readHashCache, writeHashCache } from "../../src/sync/scan/hashCache";
import { scanTree } from "../../src/sync/scan/manifest";
import { PoolError, runPool } from "../../src/sync/pool/pool";

describe("describeActions", () => {
    it("summarises with counts and the first 100 names of each list", () => {
        const add = Array.from({ length: 107 }, (_, i) => `f${String(i).padStart(3, "0")}`);
        const names = add.slice(0, 100).join(", ");
        assert.equal(describeActions({ add, change: [], remove: ["x"] }), `107 added (${names}, … (+7)); 0 changed; 1 removed (x)`);
    });

    it("keeps the summary small whatever the length of the names", () => {
        const long = Array.from({ length: 100 }, (_, i) => `${"d/".repeat(400)}f${i}`);
        const summary = describeActions({ add: long, change: long, remove: long });
        assert.ok(summary.length < 30_000, `${summary.length} characters`);
        assert.match(summary, /^100 added \(d\/.*, … \(\+\d+\)\); 100 changed/);
    });
});

describe("manifest text", () => {
    it("is one sorted line per file and decodes to the same manifest, odd names included", () => {
        const manifest = { "b.csv": "2:bb", "a/x.txt": "1:aa", "tab\there": "3:cc", "new\nline\\back": "4:dd", "crlf\r": "5:ee" };
        const text = encodeManifest(manifest);
        assert.equal(text, "a/x.txt\t1:aa\nb.csv\t2:bb\ncrlf\\r\t5:ee\nnew\\nline\\\\back\t4:dd\ntab\\there\t3:cc");
        assert.deepEqual(decodeManifest(text), manifest);
        assert.deepEqual(decodeManifest(encodeManifest({})), {});
    });

    it("refuses a damaged text instead of guessing", () => {
        assert.throws(() => decodeManifest("no-fingerprint"), /manifest line without a fingerprint: "no-fingerprint"/);
        assert.throws(() => decodeManifest("bad\\q\t1:aa"), /unknown escape/);
    });
});

describe("patternsIgnore", () => {
    const test = patternsIgnore(["# comment", "*.tmp", "/build/", "logs/", "data/**/*.bak"]);
    for (const [p, dir, expected] of [
        ["x.tmp", false, true],
        ["deep/x.tmp", false, true],
        ["build", true, true],
        ["src/build", true, false],
        ["logs", true, true],
        ["a/logs", true, true],
        ["logs", false, false],
        ["data/a/b/c.bak", false, true],
        ["keep.txt", false, false],
    ] as Array<[string, boolean, boolean]>) {
        it(`${expected ? "ignores" : "keeps"} ${p}${dir ? "/" : ""}`, () => assert.equal(test(p, dir), expected));
    }
});

describe("scanTree", () => {
    it("honours .gitignore through git, skips .git and symlinks with a warning", async () => {
        const dir = mkdtempSync(path.join(tmpdir(), "skymount-scan-"));
        try {
            mkdirSync(path.join(dir, "sub"));
            writeFileSync(path.join(dir, "keep.txt"), "k");
            writeFileSync(path.join(dir, "sub", "also.txt"), "a");
            writeFileSync(path.join(dir, "drop.log"), "d");
            writeFileSync(path.join(dir, ".gitignore"), "*.log\n");
            symlinkSync("keep.txt", path.join(dir, "link"));
            execFileSync("git", ["init", "-q", dir]);
            const scan = await scanTree(dir);
            assert.deepEqual(Object.keys(scan.manifest), [".gitignore", "keep.txt", "sub/also.txt"]);
            // sha256("k") = 8254c329…, of which the fingerprint keeps the first 128 bits.
            assert.equal(scan.manifest["keep.txt"], `1:${Buffer.from("8254c329a92850f6d539dd376f4816ee", "hex").toString("base64url")}`);
            assert.deepEqual(scan.warnings, [`skipped symlink ${path.join(dir, "link")}: links inside a source are not uploaded`]);
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    });

    it("hashes only files whose size or mtime changed, and leaves the cache alone when nothing did", async () => {
        const dir = mkdtempSync(path.join(tmpdir(), "skymount-scan-"));
        const cacheRoot = mkdtempSync(path.join(tmpdir(), "skymount-cache-"));
        const saved = process.env.SKYMOUNT_CACHE;
        process.env.SKYMOUNT_CACHE = cacheRoot;
        try {
            for (let i = 0; i < 1200; i++) writeFileSync(path.join(dir, `f${i}.txt`), `file ${i}`);
            const first = await scanTree(dir);
            assert.equal(Object.keys(first.manifest).length, 1200);
            const cacheFile = hashCachePath(dir);
            // The cache's fingerprint is trusted while size and mtime match: a planted one shows it was used.
            const cache = readHashCache(cacheFile);
            const paths = cache.paths.split("\0");
            const fingerprints = cache.fingerprints.split("\0");
            fingerprints[paths.indexOf("f1.txt")] = `6:${Buffer.alloc(16).toString("base64url")}`;
            writeHashCache(cacheFile, { paths, sizes: cache.sizes, mtimes: cache.mtimes, fingerprints });
            // A round mtime, to tell whether the next scan writes the file.
            const written = 1_000_000_000_000;
            utimesSync(cacheFile, written / 1000, written / 1000);
            const second = await scanTree(dir);
            assert.equal(second.manifest["f1.txt"], `6:${Buffer.alloc(16).toString("base64url")}`);
            assert.equal(statSync(cacheFile).mtimeMs, written, "an unchanged tree rewrote the cache");
            // A changed file is hashed again.
            writeFileSync(path.join(dir, "f1.txt"), "changed!");
            const third = await scanTree(dir);
            assert.equal(
                third.manifest["f1.txt"],
                `8:${createHash("sha256").update("changed!").digest().subarray(0, 16).toString("base64url")}`,
            );
            assert.notEqual(statSync(cacheFile).mtimeMs, written);
        } finally {
            if (saved === undefined) delete process.env.SKYMOUNT_CACHE;
            else process.env.SKYMOUNT_CACHE = saved;
            rmSync(dir, { recursive: true, force: true });
            rmSync(cacheRoot, { recursive: true, force: true });
        }
    });
});

describe("runPool", () => {
    it("never runs more than its width at once", async () => {
        let running = 0;
        let peak = 0;
        const tasks = Array.from({ length: 20 }, (_, i) => ({
            label: `t${i}`,
            run: async () => {
                peak = Math.max(peak, ++running);
                await new Promise((r) => setTimeout(r, 5));
                running--;
            },
        }));
        await runPool(tasks, 4);
        assert.equal(peak, 4);
    });

    it("reports counts and the first failure", async () => {
        const tasks = [
            { label: "ok", run: async () => undefined },
            { label: "bad", run: async () => Promise.reject(new Error("boom")) },
        ];
        await assert.rejects(runPool(tasks, 1), (err: PoolError) => err.message === "1/2 done; 1 failed; first: bad: boom");
    });

    it("refuses a width that is not a whole number", async () => {
        await assert.rejects(runPool([], 0), /concurrency: 0: must be a whole number >= 1/);
    });
});
