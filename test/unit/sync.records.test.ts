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
    digestOfText,
    digestOfRecordKey,
    encodeRecord,
    EMPTY_DIGEST,
    isDigest,
    keepLocally,
    localRecordPath,
    recordKey,
    recordLocally,
    refOf,
} from "../../src/sync/records/manifestRecord";
import { deleteRecords, pruneRecords, putRecord, recordSource, RecordStore } from "../../src/sync/records/recordStore";
import { keptInFor, recordBase, RecordedState, recordSourceOf, withRecord } from "../../src/sync/records/recordPlace";
import { RecordWriter } from "../../src/sync/records/recordWriter";
import { localManifest, manifestOfReader, manifestOfRecord } from "./recordReading";

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
    // Another process (or machine) has none of the local records.
    beforeEach(() => rmSync(path.join(cache, "records"), { recursive: true, force: true }));

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
        assert.deepEqual(await manifestOfRecord(body, ref.digest), big);
        assert.equal(await manifestOfRecord(body, refOf({ x: "1:x" }).digest), undefined, "another digest: refused");
        assert.equal(await manifestOfRecord(body.subarray(0, body.length - 9), ref.digest), undefined, "truncated: refused");
        // A line split across the gunzip's output chunks and multi-byte paths come back whole.
        const wide = { ["é".repeat(40_000)]: "3:é", "b.txt": "1:b" };
        assert.deepEqual(await manifestOfRecord(await encodeRecord(wide), refOf(wide).digest), wide);
        assert.deepEqual(await recordLocally({}), { digest: EMPTY_DIGEST, files: 0, bytes: 0 });
        const kept = await recordLocally(big);
        assert.deepEqual(kept, ref);
        assert.deepEqual(await localManifest(kept.digest), big);
    });

    it("a record with the right digest but a line that is not a manifest line is an error, not a manifest", async () => {
        const text = "a.txt\t5:x\nno fingerprint here";
        await assert.rejects(manifestOfRecord(gzipSync(text), createHash("sha256").update(text).digest("hex")), /without a fingerprint/);
    });

    it("round-trip through the local cache; a record whose text is not its name is refused", async () => {
        const { text, ref } = describeManifest(manifest);
        await keepLocally(ref.digest, () => compress(text));
        assert.deepEqual(await localManifest(ref.digest), manifest);
        assert.deepEqual(await localManifest(EMPTY_DIGEST), {});
        writeFileSync(localRecordPath(ref.digest), gzipSync("a.txt\t5:tampered"));
        assert.equal(await localManifest(ref.digest), undefined);
        writeFileSync(localRecordPath(ref.digest), "not gzip");
        assert.equal(await localManifest(ref.digest), undefined);
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
        const read = async (base: string, digest: string) => {
            const source = await recordSource(bucket, base, digest);
            if (!source) return undefined;
            const manifest = await manifestOfReader(source.read());
            await source.keep();
            return manifest;
        };
        assert.deepEqual(await read("data/", ref.digest), manifest);
        assert.deepEqual(await read("data/", ref.digest), manifest);
        assert.equal(bucket.gets, 1, "later reads are local: from the local cache");
        assert.equal(await read("other/", describeManifest({ x: "1:x" }).ref.digest), undefined, "gone: undefined");
        assert.deepEqual(await read("data/", EMPTY_DIGEST), {});
    });

    it("are pruned per sync: the current and the previous stay, other syncs' records are never touched", async () => {
        const bucket = fakeBucket();
        const digests: string[] = [];
        for (let i = 0; i < 4; i++) {
            const m = { [`f${i}`]: `${i}:x` };
            const { ref } = describeManifest(m);
            digests.push(ref.digest);
            await putRecord(bucket, "b/", ref.digest, await encodeRecord(m));
            await putRecord(bucket, "b/data/", ref.digest, await encodeRecord(m));
        }
        await putRecord(bucket, "b/", EMPTY_DIGEST, await encodeRecord({}));
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
    beforeEach(() => rmSync(path.join(cache, "records"), { recursive: true, force: true }));

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
        const state = {
            target,
            bucket: "b",
            keyPrefix: "",
            manifestDigest: small.digest,
            record: small.inline,
            recordKeptIn: "state" as const,
        };
        assert.deepEqual(await manifestOfReader((await recordSourceOf(state, undefined))!.read()), manifest);
        const elsewhere = { ...state, record: undefined, recordKeptIn: "cache" as const };
        assert.equal(await recordSourceOf(elsewhere, undefined), undefined, "kept on another machine's cache: gone here");
        assert.equal(await recordSourceOf({ ...elsewhere, record: null }, undefined), undefined, "a secret undefined arrives as null");
    });

    it("written as refresh writes it (a batch at a time), is the record of the same manifest, kept where its size says", async () => {
        const writer = new RecordWriter();
        await writer.add({ paths: ["a.txt"], fingerprints: [manifest["a.txt"]] });
        await writer.add({ paths: [], fingerprints: [] });
        await writer.add({ paths: ["d/b.txt"], fingerprints: [manifest["d/b.txt"]] });
        const written = await writer.end();
        assert.deepEqual(written.ref, describeManifest(manifest).ref);
        assert.deepEqual(await manifestOfRecord(written.body, written.ref.digest), manifest);
        const location = { bucket: "records", prefix: "" };
        const old: RecordedState & { fileCount: number; totalBytes: number } = {
            target,
            bucket: "b",
            keyPrefix: "",
            manifestDigest: EMPTY_DIGEST,
            fileCount: 0,
            totalBytes: 0,
            record: "old",
        };
        const small = await withRecord({ ...old, recordsAt: location }, written, fakeBucket());
        assert.deepEqual([small.recordKeptIn, small.record, small.fileCount], ["state", written.body.toString("base64"), 2]);
        const records = fakeBucket();
        const big = new RecordWriter();
        for (let i = 0; i < 20_000; i++)
            await big.add({
                paths: [`f${String(i).padStart(5, "0")}`],
                fingerprints: [`${i}:${createHash("sha256").update(String(i)).digest("base64url").slice(0, 22)}`],
            });
        const large = await withRecord({ ...old, recordsAt: location }, await big.end(), records);
        assert.deepEqual([large.recordKeptIn, "record" in large, large.fileCount], ["records", false, 20_000]);
        assert.deepEqual(await records.list(""), [recordKey("b/", large.manifestDigest)]);
    });
});
