// A sync's manifest kept out of the state: content-addressed records in the local cache and in the
// bucket (a fake bucket here), what each sync may prune or delete of them, and the keys they reserve.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, beforeEach, describe, it } from "node:test";
import { gunzipSync, gzipSync } from "node:zlib";
import { refuseReservedKeys } from "../../src/sync/bucketSync";
import { encodeManifest } from "../../src/sync/diff";
import { sizeOfFingerprint } from "../../src/sync/fingerprint";
import {
    decompressRecord,
    digestOfText,
    digestOfRecordKey,
    encodeRecord,
    EMPTY_DIGEST,
    forgetLoadedManifests,
    isDigest,
    keepLocally,
    loadLocally,
    localRecordPath,
    recordKey,
    recordLocally,
    refOf,
} from "../../src/sync/manifestRecord";
import { deleteRecords, loadRecord, pruneRecords, RecordStore, saveRecord } from "../../src/sync/recordStore";

const cache = mkdtempSync(path.join(tmpdir(), "skymount-records-"));
process.env.SKYMOUNT_CACHE = cache;
after(() => rmSync(cache, { recursive: true, force: true }));

/** A bucket in memory, counting gets. */
function fakeBucket(): RecordStore & { objects: Map<string, Buffer>; gets: number } {
    const objects = new Map<string, Buffer>();
    return {
        objects,
        gets: 0,
        async get(key) {
            this.gets++;
            return objects.get(key);
        },
        async put(key, body) {
            objects.set(key, body);
        },
        async list(prefix) {
            return [...objects.keys()].filter((key) => key.startsWith(prefix)).sort();
        },
        async deleteKeys(keys) {
            for (const key of keys) objects.delete(key);
        },
        close() {},
    };
}

/** The manifest's canonical text, whole, and the ref computed from it (refOf computes it piece by piece). */
function describeManifest(m: Record<string, string>) {
    const text = encodeManifest(m);
    const sizes = Object.values(m).map(sizeOfFingerprint);
    return { text, ref: { digest: digestOfText(text), files: sizes.length, bytes: sizes.reduce((sum, size) => sum + size, 0) } };
}

const compress = async (text: string) => gzipSync(text);

const manifest = { "a.txt": "5:aaaaaaaaaaaaaaaaaaaaaa", "d/b.txt": "7:bbbbbbbbbbbbbbbbbbbbbb" };

describe("manifest records", () => {
    // Another process (or machine) has neither the local records nor the manifests this one loaded.
    beforeEach(() => {
        rmSync(path.join(cache, "records"), { recursive: true, force: true });
        forgetLoadedManifests();
    });

    it("are named by the SHA-256 of the canonical text, with the count and bytes the state keeps", () => {
        const { text, ref } = describeManifest(manifest);
        assert.equal(text, encodeManifest(manifest));
        assert.deepEqual(ref, { digest: createHash("sha256").update(text).digest("hex"), files: 2, bytes: 12 });
        assert.equal(describeManifest({}).ref.digest, EMPTY_DIGEST);
        assert.ok(isDigest(ref.digest) && !isDigest("04da6b54-80e4-46f7-96ec-b56ff0331ba9"));
    });

    it("are hashed, compressed and read back piece by piece, the same as the whole text (25,001 lines: three pieces)", async () => {
        const big: Record<string, string> = {};
        for (let i = 0; i < 25_001; i++) big[`d${i % 7}/f\t${i}.bin`] = `${i}:${String(i).padStart(22, "x")}`;
        const { text, ref } = describeManifest(big);
        assert.deepEqual(refOf(big), ref);
        const body = await encodeRecord(big);
        assert.equal(gunzipSync(body).toString("utf8"), text, "the record's text is the canonical text");
        assert.deepEqual(await decompressRecord(body, ref.digest), big);
        assert.equal(await decompressRecord(body, refOf({ x: "1:x" }).digest), undefined, "another digest: refused");
        assert.equal(await decompressRecord(body.subarray(0, body.length - 9), ref.digest), undefined, "truncated: refused");
        // A line split across the gunzip's output chunks and multi-byte paths come back whole.
        const wide = { ["é".repeat(40_000)]: "3:é", "b.txt": "1:b" };
        assert.deepEqual(await decompressRecord(await encodeRecord(wide), refOf(wide).digest), wide);
        assert.deepEqual(await recordLocally({}), { digest: EMPTY_DIGEST, files: 0, bytes: 0 });
        const kept = await recordLocally(big);
        assert.deepEqual(kept, ref);
        assert.deepEqual(await loadLocally(kept.digest), big);
    });

    it("a record with the right digest but a line that is not a manifest line is an error, not a manifest", async () => {
        const text = "a.txt\t5:x\nno fingerprint here";
        await assert.rejects(decompressRecord(gzipSync(text), createHash("sha256").update(text).digest("hex")), /without a fingerprint/);
    });

    it("round-trip through the local cache; a record whose text is not its name is refused", async () => {
        const { text, ref } = describeManifest(manifest);
        await keepLocally(ref.digest, () => compress(text));
        assert.deepEqual(await loadLocally(ref.digest), manifest);
        assert.deepEqual(await loadLocally(EMPTY_DIGEST), {});
        // Read by a later process: this one would answer from the manifest it already checked.
        forgetLoadedManifests();
        writeFileSync(localRecordPath(ref.digest), gzipSync("a.txt\t5:tampered"));
        assert.equal(await loadLocally(ref.digest), undefined);
        writeFileSync(localRecordPath(ref.digest), "not gzip");
        assert.equal(await loadLocally(ref.digest), undefined);
    });

    it("keep the 32 most recently used locally", async () => {
        for (let i = 0; i < 34; i++) {
            const { text, ref } = describeManifest({ [`f${i}`]: `${i}:x` });
            await keepLocally(ref.digest, () => compress(text));
        }
        assert.equal(readdirSync(path.join(cache, "records")).length, 32);
    });

    it("come from the bucket when the cache lacks them (another machine), and are cached then", async () => {
        const bucket = fakeBucket();
        const { text, ref } = describeManifest(manifest);
        await bucket.put(recordKey("data/", ref.digest), await compress(text));
        assert.deepEqual(await loadRecord(bucket, "data/", ref.digest), manifest);
        const again = await loadRecord(bucket, "data/", ref.digest);
        assert.deepEqual(again, manifest);
        assert.equal(await loadRecord(bucket, "data/", ref.digest), again, "the same process gets the manifest it loaded, not a copy");
        forgetLoadedManifests();
        assert.deepEqual(await loadRecord(bucket, "data/", ref.digest), manifest);
        assert.equal(bucket.gets, 1, "later loads are local: from memory, then from the local cache");
        assert.equal(await loadRecord(bucket, "other/", describeManifest({ x: "1:x" }).ref.digest), undefined, "gone: undefined");
        assert.deepEqual(await loadRecord(bucket, "data/", EMPTY_DIGEST), {});
    });

    it("are pruned per sync: the current and the previous stay, other syncs' records are never touched", async () => {
        const bucket = fakeBucket();
        const digests: string[] = [];
        for (let i = 0; i < 4; i++) {
            const m = { [`f${i}`]: `${i}:x` };
            const { ref } = describeManifest(m);
            digests.push(ref.digest);
            await saveRecord(bucket, "", ref.digest, m);
            await saveRecord(bucket, "data/", ref.digest, m);
        }
        await saveRecord(bucket, "", EMPTY_DIGEST, {});
        assert.equal(bucket.objects.size, 8, "the empty manifest is never stored");
        await pruneRecords(bucket, "", [digests[3], digests[2]]);
        assert.deepEqual(await bucket.list(".skymount/sync/manifest-"), [recordKey("", digests[2]), recordKey("", digests[3])].sort());
        assert.equal((await bucket.list(".skymount/sync/data/")).length, 4);
        await deleteRecords(bucket, "data/");
        assert.equal((await bucket.list(".skymount/sync/data/")).length, 0);
        assert.equal((await bucket.list(".skymount/sync/manifest-")).length, 2);
        assert.equal(digestOfRecordKey("data/", recordKey("data/", digests[0])), digests[0]);
        assert.equal(digestOfRecordKey("", recordKey("data/", digests[0])), undefined);
    });
});

describe("reserved keys", () => {
    it("a sync at the bucket root refuses files under .skymount/; one under a prefix cannot collide", () => {
        assert.throws(() => refuseReservedKeys({ ".skymount/sync/x": "1:x" }, ""), /keys under \.skymount\/ are skymount's own/);
        assert.doesNotThrow(() => refuseReservedKeys({ ".skymount/sync/x": "1:x" }, "data/"));
        assert.doesNotThrow(() => refuseReservedKeys({ ".skymountain/x": "1:x", "a/.skymount/x": "1:x" }, ""));
    });
});
