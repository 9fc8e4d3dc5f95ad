// The compact fingerprint a sync records per file, half the size of a hex SHA-256, and what a
// sync's preview makes of two manifests.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, it } from "node:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { bucketSyncProvider, recordScanned } from "../../src/sync/resources/bucketSync";
import { encodeManifest } from "../../src/sync/core/diff";
import { scanTree } from "../../src/sync/scan/manifest";
import { localRecordPath } from "../../src/sync/records/manifestRecord";
import { fileFingerprint, sizeOfFingerprint } from "../../src/sync/core/fingerprint";

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

describe("file fingerprints", () => {
    it("are the size and the first 128 bits of the SHA-256, base64url", () => {
        const fingerprint = fileFingerprint(5, sha256("hello"));
        assert.equal(fingerprint, `5:${createHash("sha256").update("hello").digest().subarray(0, 16).toString("base64url")}`);
        assert.match(fingerprint, /^5:[A-Za-z0-9_-]{22}$/);
        assert.equal(sizeOfFingerprint(fingerprint), 5);
    });

    it("halve a 10,000-file manifest", () => {
        const files = (fingerprint: (i: number) => string) =>
            Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`d${i % 100}/f${i}.bin`, fingerprint(i)]));
        const hex = encodeManifest(files((i) => `${1024 * (1 + (i % 8))}:${sha256(String(i))}`)).length;
        const compact = encodeManifest(files((i) => fileFingerprint(1024 * (1 + (i % 8)), sha256(String(i))))).length;
        assert.ok(compact < hex / 1.8, `${compact} bytes against ${hex}`);
    });
});

describe("a sync's preview of its manifest", () => {
    process.env.SKYMOUNT_CACHE = mkdtempSync(path.join(tmpdir(), "skymount-cache-"));
    const files = { "a.txt": fileFingerprint(5, sha256("hello")), "b.txt": fileFingerprint(5, sha256("world")) };
    const state = (manifestDigest: string) => ({
        // Nothing listens here: any request the sync made would fail the test.
        target: { kind: "s3", endpoint: "http://127.0.0.1:1", region: "us-east-1", pathStyle: true },
        credentials: { accessKey: "AK", secretKey: "SK" },
        bucket: "b",
        keyPrefix: "",
        sourceDir: "/nonexistent",
        manifestDigest,
        fileCount: 2,
        totalBytes: 10,
        deleteOnDestroy: false,
        concurrency: 4,
        recordKeptIn: "cache",
    });

    it("finds no change when the digest is the same, without reading any record", async () => {
        const digest = "0".repeat(64);
        const checked = await bucketSyncProvider.check!(state(digest), state(digest));
        assert.equal(checked.inputs.summary, "0 added; 0 changed; 0 removed");
        assert.equal((await bucketSyncProvider.diff!("id", state(digest), state(digest))).changes, false);
    });

    it("a state from when records were kept in the bucket (no recordKeptIn) is an update, which moves them out", async () => {
        const digest = "0".repeat(64);
        const { recordKeptIn: _kept, ...older } = state(digest);
        assert.equal((await bucketSyncProvider.diff!("id", older, state(digest))).changes, true);
    });

    it("names a file whose content changed, from the two local records", async () => {
        const before = await recordScanned(files);
        const after = await recordScanned({ ...files, "a.txt": fileFingerprint(5, sha256("HELLO")) });
        const checked = await bucketSyncProvider.check!(state(before.digest), state(after.digest));
        assert.equal(checked.inputs.summary, "0 added; 1 changed (a.txt); 0 removed");
        assert.equal((await bucketSyncProvider.diff!("id", state(before.digest), state(after.digest))).changes, true);
    });

    it("a damaged local record of the scanned tree: the tree is scanned again, and must not have changed", async () => {
        const dir = mkdtempSync(path.join(tmpdir(), "skymount-tree-"));
        writeFileSync(path.join(dir, "a.txt"), "hello");
        writeFileSync(path.join(dir, "b.txt"), "world");
        const scanned = await recordScanned((await scanTree(dir)).manifest);
        const fresh = { ...state(scanned.digest), sourceDir: dir, ignore: [] };
        writeFileSync(localRecordPath(scanned.digest), gzipSync("damaged"));
        const checked = await bucketSyncProvider.check!({}, fresh);
        assert.equal(checked.inputs.summary, "2 added (a.txt, b.txt); 0 changed; 0 removed");
        writeFileSync(localRecordPath(scanned.digest), gzipSync("damaged"));
        writeFileSync(path.join(dir, "b.txt"), "WORLD");
        await assert.rejects(bucketSyncProvider.check!({}, fresh), /changed between the program's scan and this step/);
    });
});
