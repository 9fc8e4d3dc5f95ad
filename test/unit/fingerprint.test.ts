// The compact fingerprint a sync records per file, and states written with the older, longer one:
// they are read as equal, so upgrading skymount uploads nothing, and rewritten once.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, it } from "node:test";
import { bucketSyncProvider } from "../../src/sync/bucketSync";
import { encodeManifest } from "../../src/sync/diff";
import { currentFingerprint, fileFingerprint, sizeOfFingerprint } from "../../src/sync/fingerprint";

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

describe("file fingerprints", () => {
    it("are the size and the first 128 bits of the SHA-256, base64url", () => {
        const fingerprint = fileFingerprint(5, sha256("hello"));
        assert.equal(fingerprint, `5:${createHash("sha256").update("hello").digest().subarray(0, 16).toString("base64url")}`);
        assert.match(fingerprint, /^5:[A-Za-z0-9_-]{22}$/);
        assert.equal(sizeOfFingerprint(fingerprint), 5);
    });

    it("read a legacy <size>:<sha256 hex> as the compact form, and leave others alone", () => {
        assert.equal(currentFingerprint(`5:${sha256("hello")}`), fileFingerprint(5, sha256("hello")));
        assert.equal(currentFingerprint(fileFingerprint(5, sha256("hello"))), fileFingerprint(5, sha256("hello")));
        // A copy's fingerprint is the source object's ETag: not a file hash, never rewritten.
        assert.equal(currentFingerprint('7:"0123456789abcdef0123456789abcdef-2"'), '7:"0123456789abcdef0123456789abcdef-2"');
    });

    it("halve a 10,000-file manifest", () => {
        const files = (fingerprint: (i: number) => string) => Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`d${i % 100}/f${i}.bin`, fingerprint(i)]));
        const legacy = encodeManifest(files((i) => `${1024 * (1 + (i % 8))}:${sha256(String(i))}`)).length;
        const compact = encodeManifest(files((i) => fileFingerprint(1024 * (1 + (i % 8)), sha256(String(i))))).length;
        assert.ok(compact < legacy / 1.8, `${compact} bytes against ${legacy}`);
    });
});

describe("a sync whose state holds legacy fingerprints", () => {
    const legacyFiles = encodeManifest({ "a.txt": `5:${sha256("hello")}`, "b.txt": `5:${sha256("world")}` });
    const currentFiles = encodeManifest({ "a.txt": fileFingerprint(5, sha256("hello")), "b.txt": fileFingerprint(5, sha256("world")) });
    const state = (files: string) => ({
        // Nothing listens here: any request the sync made would fail the test.
        target: { kind: "s3", endpoint: "http://127.0.0.1:1", region: "us-east-1", pathStyle: true },
        credentials: { accessKey: "AK", secretKey: "SK" },
        bucket: "b",
        keyPrefix: "",
        sourceDir: "/nonexistent",
        files,
        deleteOnDestroy: false,
        concurrency: 4,
    });

    it("previews no file as changed", async () => {
        const checked = await bucketSyncProvider.check!(state(legacyFiles), state(currentFiles));
        assert.equal(checked.inputs.summary, "0 added; 0 changed; 0 removed");
    });

    it("updates once, uploading nothing, to store the compact form", async () => {
        assert.equal((await bucketSyncProvider.diff!("id", state(legacyFiles), state(currentFiles))).changes, true);
        const updated = await bucketSyncProvider.update!("id", state(legacyFiles), state(currentFiles));
        assert.equal(updated.outs.files, currentFiles);
        assert.equal((await bucketSyncProvider.diff!("id", updated.outs, state(currentFiles))).changes, false);
    });

    it("still uploads a file whose content changed", async () => {
        const changed = encodeManifest({ "a.txt": fileFingerprint(5, sha256("HELLO")), "b.txt": fileFingerprint(5, sha256("world")) });
        const checked = await bucketSyncProvider.check!(state(legacyFiles), state(changed));
        assert.equal(checked.inputs.summary, "0 added; 1 changed (a.txt); 0 removed");
    });
});
