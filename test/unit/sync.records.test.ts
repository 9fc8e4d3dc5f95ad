// A sync's manifest as a record: content-addressed records in the local cache, in the state when
// small, and in a records location (a fake bucket here); what each sync may prune or delete of them.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, beforeEach, describe, it } from "node:test";
import { gunzipSync, gzipSync } from "node:zlib";
import { encodeManifest } from "../../src/sync/core/diff";
import { sizeOfFingerprint } from "../../src/sync/core/fingerprint";
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
} from "../../src/sync/records/manifestRecord";
import { deleteRecords, loadRecord, pruneRecords, RecordStore, saveRecord } from "../../src/sync/records/recordStore";
import { keptInFor, loadRecordOf, recordBase, recordSourceOf } from "../../src/sync/records/recordPlace";
import { forEachBatch } from "../../src/sync/core/recordDiff";

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

    it("come from the records location when the cache lacks them (another machine), and are cached then", async () => {
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
            await saveRecord(bucket, "b/", ref.digest, m);
            await saveRecord(bucket, "b/data/", ref.digest, m);
        }
        await saveRecord(bucket, "b/", EMPTY_DIGEST, {});
        assert.equal(bucket.objects.size, 8, "the empty manifest is never stored");
        await pruneRecords(bucket, "b/", [digests[3], digests[2]]);
        assert.deepEqual(await bucket.list("b/manifest-"), [recordKey("b/", digests[2]), recordKey("b/", digests[3])].sort());
        assert.equal((await bucket.list("b/data/")).length, 4);
        await deleteRecords(bucket, "b/data/");
        assert.equal((await bucket.list("b/data/")).length, 0);
        assert.equal((await bucket.list("b/manifest-")).length, 2);
        assert.equal(digestOfRecordKey("b/data/", recordKey("b/data/", digests[0])), digests[0]);
        assert.equal(digestOfRecordKey("b/", recordKey("b/data/", digests[0])), undefined);
    });
});

describe("where a record is kept", () => {
    const target = { kind: "s3" as const, endpoint: "http://127.0.0.1:1", region: "us-east-1", pathStyle: true };
    beforeEach(() => {
        rmSync(path.join(cache, "records"), { recursive: true, force: true });
        forgetLoadedManifests();
    });

    it("a small record rides in the state; a large one goes to the records location, else the local cache only", async () => {
        const small = await recordLocally(manifest);
        assert.ok(small.inline !== undefined && small.inline.length < 200, "a two-file record is inline");
        assert.deepEqual(gunzipSync(Buffer.from(small.inline!, "base64")).toString("utf8"), encodeManifest(manifest));
        const big: Record<string, string> = {};
        for (let i = 0; i < 20_000; i++)
            big[`d${i % 100}/f${i}.bin`] = `${i}:${createHash("sha256").update(String(i)).digest("base64url").slice(0, 22)}`;
        const large = await recordLocally(big);
        assert.equal(large.inline, undefined, "20,000 files: over 128 KiB compressed");
        const location = { bucket: "records", prefix: "skymount/" };
        assert.equal(keptInFor(small, location), "state");
        assert.equal(keptInFor(large, location), "records");
        assert.equal(keptInFor(large, undefined), "cache");
        assert.equal(keptInFor(await recordLocally({}), undefined), "state", "the empty manifest needs no record");
        assert.equal(recordBase({ recordsAt: location, bucket: "data", keyPrefix: "set/" }), "skymount/data/set/");
    });

    it("are read from the state on a machine without the cache, and nothing else is asked", async () => {
        const small = await recordLocally(manifest);
        rmSync(path.join(cache, "records"), { recursive: true, force: true });
        forgetLoadedManifests();
        const state = {
            target,
            bucket: "b",
            keyPrefix: "",
            manifestDigest: small.digest,
            record: small.inline,
            recordKeptIn: "state" as const,
        };
        assert.deepEqual(await loadRecordOf(state, undefined), manifest);
        const read: Record<string, string> = {};
        await forEachBatch((await recordSourceOf(state, undefined))!.read(), (b) =>
            b.paths.forEach((p, i) => (read[p] = b.fingerprints[i])),
        );
        assert.deepEqual(read, manifest);
        forgetLoadedManifests();
        const elsewhere = { ...state, record: undefined, recordKeptIn: "cache" as const };
        assert.equal(await loadRecordOf(elsewhere, undefined), undefined, "kept on another machine's cache: gone here");
        assert.equal(await loadRecordOf({ ...elsewhere, record: null }, undefined), undefined, "a secret undefined arrives as null");
    });
});
