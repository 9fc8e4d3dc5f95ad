// A sync's files against a listing of its bucket: what refresh reports as drift (objects removed or
// overwritten out of band) and what a resumed sync skips (objects an interrupted run already put),
// from sizes and the digests stores list (S3's MD5 and multipart ETags, Azure's Content-MD5).
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import {
    alreadyCopied,
    alreadyStored,
    CHANGED_IN_BUCKET,
    describeDrift,
    describeWork,
    heldCopies,
    heldFiles,
} from "../../src/sync/engine/drift";
import type { EntryBatch } from "../../src/sync/core/recordDiff";
import { describeActions } from "../../src/sync/core/diff";
import { fileFingerprint } from "../../src/sync/core/fingerprint";
import { compareStored, digestFile } from "../../src/sync/engine/objectMatch";
import type { Listing } from "../../src/sync/core/storeInterfaces";

const md5 = (content: string | Buffer) => createHash("md5").update(content).digest("hex");
const fingerprintOf = (content: string) => fileFingerprint(content.length, createHash("sha256").update(content).digest("hex"));

const dir = mkdtempSync(path.join(tmpdir(), "skymount-drift-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const write = (name: string, content: string) => writeFileSync(path.join(dir, name), content);
/** A manifest as a batch of its record: paths in order. */
const batchOf = (manifest: Record<string, string>): EntryBatch => {
    const paths = Object.keys(manifest).sort();
    return { paths, fingerprints: paths.map((file) => manifest[file]) };
};
const manifestOf = (batch: EntryBatch) => Object.fromEntries(batch.paths.map((file, i) => [file, batch.fingerprints[i]]));
const counted = (list: string[]) => ({ count: list.length, first: list });

describe("digestFile", () => {
    it("reads once for the fingerprint, the MD5 and S3's multipart ETag", async () => {
        write("parts.bin", "abcdefghij");
        const digest = await digestFile(path.join(dir, "parts.bin"), 4);
        assert.equal(digest.fingerprint, fingerprintOf("abcdefghij"));
        assert.equal(digest.md5Hex, md5("abcdefghij"));
        const parts = Buffer.concat(["abcd", "efgh", "ij"].map((p) => createHash("md5").update(p).digest()));
        assert.equal(digest.multipartEtag, `${md5(parts)}-3`);
    });

    it("gives an empty file one (empty) part", async () => {
        write("empty", "");
        assert.equal((await digestFile(path.join(dir, "empty"), 4)).multipartEtag, `${md5(Buffer.concat([createHash("md5").digest()]))}-1`);
    });
});

describe("compareStored", () => {
    const digest = { fingerprint: "3:x", md5Hex: md5("abc"), multipartEtag: `${"f".repeat(32)}-2` };
    it("tells by size first, then by the digest the store lists", () => {
        assert.equal(compareStored({ size: 4, etag: md5("abc") }, 3, digest), "different");
        assert.equal(compareStored({ size: 3, etag: md5("abc") }, 3, digest), "same");
        assert.equal(compareStored({ size: 3, etag: md5("abd") }, 3, digest), "different");
        assert.equal(compareStored({ size: 3, etag: `${"f".repeat(32)}-2` }, 3, digest), "same");
        assert.equal(compareStored({ size: 3, etag: `${"e".repeat(32)}-2` }, 3, digest), "different");
        const base64 = Buffer.from(md5("abc"), "hex").toString("base64");
        assert.equal(compareStored({ size: 3, etag: "0x8DC", contentMd5: base64 }, 3, digest), "same");
    });

    it("says unknown when the listing has no digest of the content (Azure block blobs, SSE-KMS)", () => {
        assert.equal(compareStored({ size: 3, etag: "0x8DCBFF45D8A29A1" }, 3, digest), "unknown");
    });
});

describe("heldFiles (refresh)", () => {
    write("same.txt", "same");
    write("gone.txt", "gone");
    write("resized.txt", "resized");
    write("overwritten.txt", "original");
    write("opaque.txt", "opaque");
    write("edited.txt", "edited locally");
    const recorded = {
        "same.txt": fingerprintOf("same"),
        "gone.txt": fingerprintOf("gone"),
        "resized.txt": fingerprintOf("resized"),
        "overwritten.txt": fingerprintOf("original"),
        "opaque.txt": fingerprintOf("opaque"),
        // Recorded as "edited", changed locally since: only its size can speak.
        "edited.txt": fingerprintOf("edited!!!!!!!!"),
    };
    const listing: Listing = new Map([
        ["same.txt", { size: 4, etag: md5("same") }],
        ["resized.txt", { size: 3, etag: md5("res") }],
        ["overwritten.txt", { size: 8, etag: md5("OVERWRIT") }],
        ["opaque.txt", { size: 6, etag: "0x1" }],
        ["edited.txt", { size: 14, etag: md5("edited!!!!!!!!") }],
        ["foreign.txt", { size: 1, etag: md5("f") }],
    ]);

    it("drops what is gone, marks what changed, keeps the rest, and ignores foreign objects", async () => {
        const held = await heldFiles(batchOf(recorded), listing, dir);
        assert.deepEqual(held.missing, ["gone.txt"]);
        assert.deepEqual(held.changed, ["overwritten.txt", "resized.txt"]);
        assert.deepEqual(manifestOf(held.held), {
            "same.txt": recorded["same.txt"],
            "resized.txt": `3:${CHANGED_IN_BUCKET}`,
            "overwritten.txt": `8:${CHANGED_IN_BUCKET}`,
            "opaque.txt": recorded["opaque.txt"],
            "edited.txt": recorded["edited.txt"],
        });
        assert.equal(
            describeDrift({ missing: counted(held.missing), changed: counted(held.changed) }),
            "drift: 1 gone from the bucket (gone.txt); 2 changed in the bucket (overwritten.txt, resized.txt)",
        );
    });

    it("finds nothing held in a bucket that is gone", async () => {
        const held = await heldFiles(batchOf(recorded), new Map(), dir);
        assert.deepEqual(held.held, { paths: [], fingerprints: [] });
        assert.equal(held.missing.length, 6);
    });
});

describe("alreadyStored (resume)", () => {
    it("skips only objects whose listed digest proves they hold the local file", async () => {
        write("done.txt", "done");
        write("old.txt", "new!");
        write("absent.txt", "absent");
        write("opaque2.txt", "opaque");
        const local = {
            "done.txt": fingerprintOf("done"),
            "old.txt": fingerprintOf("new!"),
            "absent.txt": fingerprintOf("absent"),
            "opaque2.txt": fingerprintOf("opaque"),
        };
        const listing: Listing = new Map([
            ["done.txt", { size: 4, etag: md5("done") }],
            // The previous version, same size: uploaded again.
            ["old.txt", { size: 4, etag: md5("old!") }],
            // Same size, no digest: cannot be proven, uploaded again.
            ["opaque2.txt", { size: 6, etag: "0x2" }],
        ]);
        const skipped = await alreadyStored({ paths: Object.keys(local), fingerprints: Object.values(local) }, listing, dir);
        assert.deepEqual([...skipped], ["done.txt"]);
    });

    it("says in the summary how many files were already there, and nothing when none were", () => {
        const actions = describeActions({ add: ["a", "b"], change: [], remove: [] });
        assert.equal(describeWork(actions, 1), "2 added (a, b); 0 changed; 0 removed; 1 already in the bucket");
        assert.equal(describeWork(actions, 0), "2 added (a, b); 0 changed; 0 removed");
    });
});

describe("copies", () => {
    const a = md5("a");
    const b = md5("b");
    it("refresh: drops what is gone, marks what differs by size or MD5 ETag, trusts the size for other ETags", () => {
        const held = heldCopies(batchOf({ x: `1:${a}`, y: `1:${a}`, z: "2:0x1", w: `1:${a}`, v: `5:${a}` }), {
            x: `1:${a}`,
            y: `1:${b}`,
            z: "2:0x9",
            v: `6:${a}`,
        });
        assert.deepEqual(held.missing, ["w"]);
        assert.deepEqual(held.changed, ["v", "y"]);
        assert.deepEqual(manifestOf(held.held), { x: `1:${a}`, y: `1:${CHANGED_IN_BUCKET}`, z: "2:0x1", v: `6:${CHANGED_IN_BUCKET}` });
    });

    it("resume: skips copies whose MD5 ETag matches the source's", () => {
        assert.deepEqual(
            [...alreadyCopied(["x", "y", "z"], { x: `1:${a}`, y: `1:${a}`, z: "2:0x1" }, { x: `1:${a}`, y: `1:${b}`, z: "2:0x1" })],
            ["x"],
        );
    });
});
