// The streamed diff of two records (src/sync/core/recordDiff.ts): the same answer as the diff of the two
// manifests as objects, whatever the paths and however the records split into pieces; a record is
// trusted only once it is read to its end with the digest it was named by.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { gzipSync } from "node:zlib";
import { describeActions, describeSummary, Manifest, SUMMARY_NAMES, SyncActions } from "../../src/sync/core/diff";
import { encodeRecord, localRecordPath, recordKey, refOf } from "../../src/sync/records/manifestRecord";
import {
    diffRecords,
    emptyReader,
    EntryBatch,
    forEachBatch,
    isRecordMismatch,
    RecordReader,
    recordReader,
} from "../../src/sync/core/recordDiff";
import { recordSource, RecordStore } from "../../src/sync/records/recordStore";

const cache = mkdtempSync(path.join(tmpdir(), "skymount-record-diff-"));
process.env.SKYMOUNT_CACHE = cache;
after(() => rmSync(cache, { recursive: true, force: true }));

async function readerOf(manifest: Manifest): Promise<RecordReader> {
    return recordReader(await encodeRecord(manifest), refOf(manifest).digest);
}

/** Every entry a reader gives, to its end. */
async function entriesOf(reader: RecordReader): Promise<Manifest> {
    const manifest: Manifest = {};
    await forEachBatch(reader, (batch: EntryBatch) => batch.paths.forEach((file, i) => (manifest[file] = batch.fingerprints[i])));
    return manifest;
}

/** A deterministic pseudo-random sequence, so a failure can be reproduced. */
function random(seed: number): () => number {
    let state = seed;
    return () => {
        state = (state * 1103515245 + 12345) % 2 ** 31;
        return state / 2 ** 31;
    };
}

/** Paths that sort in surprising ways: escapes, a directory's "/" against ".", and beyond ASCII. */
const ODD_NAMES = ["a\tb", "a\\n", "new\nline", "d/x", "d.txt", "d0", "é.txt", "z/\r", "Ω", "10", "9", "😀/f"];

function manifestOf(rand: () => number, files: number, version = 0): Manifest {
    const manifest: Manifest = {};
    for (let i = 0; i < files; i++) {
        const name = i < ODD_NAMES.length ? ODD_NAMES[i] : `dir${Math.floor(rand() * 50)}/f${Math.floor(rand() * 100_000)}.bin`;
        manifest[name] = `${Math.floor(rand() * 9000)}:h${version}${Math.floor(rand() * 3)}`;
    }
    return manifest;
}

/** The diff of two manifests held whole: what the streamed diff must find. */
function diffWhole(local: Manifest, uploaded: Manifest): SyncActions {
    const add = Object.keys(local).filter((file) => !(file in uploaded));
    const change = Object.keys(local).filter((file) => file in uploaded && uploaded[file] !== local[file]);
    const remove = Object.keys(uploaded).filter((file) => !(file in local));
    return { add: add.sort(), change: change.sort(), remove: remove.sort() };
}

describe("diffRecords", () => {
    it("adds, changes and removes by fingerprint, and removes only what was uploaded", async () => {
        const local = { a: "1:x", b: "2:y", c: "3:z" };
        const diff = await diffRecords(await readerOf(local), await readerOf({ a: "1:x", b: "2:old", gone: "4:w" }), { collect: true });
        assert.deepEqual({ wanted: diff.wanted.paths, removed: diff.removed }, { wanted: ["b", "c"], removed: ["gone"] });
        assert.deepEqual([diff.add.first, diff.change.first, diff.remove.first], [["c"], ["b"], ["gone"]]);
    });

    it("finds exactly what the diff of the whole manifests finds, in the same order, across many pieces", async () => {
        const rand = random(7);
        for (const [mine, theirs] of [
            [3000, 2800],
            [0, 500],
            [500, 0],
            [40, 40],
        ]) {
            const local = manifestOf(rand, mine, 1);
            const uploaded = manifestOf(rand, theirs, 2);
            // Some shared with the same fingerprint, so nothing changes for them.
            for (const file of Object.keys(uploaded).slice(0, theirs / 2)) local[file] = uploaded[file];
            const expected = diffWhole(local, uploaded);
            const diff = await diffRecords(await readerOf(local), await readerOf(uploaded), { collect: true });
            assert.deepEqual(diff.wanted.paths, [...expected.add, ...expected.change].sort());
            assert.deepEqual(
                diff.wanted.fingerprints,
                diff.wanted.paths.map((file) => local[file]),
            );
            assert.deepEqual(diff.removed, expected.remove);
            assert.equal(describeSummary(diff), describeActions(expected));
        }
    });

    it("without collecting, keeps only counts and the first names", async () => {
        const local: Manifest = {};
        for (let i = 0; i < 5000; i++) local[`f${String(i).padStart(5, "0")}`] = `1:${i}`;
        const diff = await diffRecords(await readerOf(local), emptyReader(), { collect: false });
        assert.equal(diff.add.count, 5000);
        assert.equal(diff.add.first.length, SUMMARY_NAMES);
        assert.deepEqual(diff.wanted.paths, []);
        assert.match(describeSummary(diff), /^5000 added \(f00000, f00001, .*, … \(\+4900\)\); 0 changed; 0 removed$/);
    });

    it("reads back every entry of a record", async () => {
        const manifest = manifestOf(random(3), 300);
        assert.deepEqual(await entriesOf(await readerOf(manifest)), manifest);
    });
});

describe("recordReader", () => {
    const manifest = manifestOf(random(11), 2000);

    it("a damaged, truncated or other record is a mismatch, said at its end", async () => {
        const body = await encodeRecord(manifest);
        const digest = refOf(manifest).digest;
        const other = manifestOf(random(12), 2000);
        for (const [what, reader] of [
            ["another text", recordReader(await encodeRecord(other), digest)],
            ["truncated", recordReader(body.subarray(0, body.length - 9), digest)],
            ["not gzip", recordReader(Buffer.from("plain text"), digest)],
        ] as const) {
            await assert.rejects(entriesOf(reader), (err) => isRecordMismatch(err) && err.mismatchedDigest === digest, what);
        }
    });

    it("a record with its digest but out of order, or without fingerprints, is refused as not skymount's", async () => {
        const unsorted = "b\t1:x\na\t1:y";
        await assert.rejects(entriesOf(recordReader(gzipSync(unsorted), sha256(unsorted))), /out of order: "a" after "b"/);
        const bare = "a\t1:x\nno-fingerprint";
        await assert.rejects(entriesOf(recordReader(gzipSync(bare), sha256(bare))), /without a fingerprint/);
    });

    it("a diff against a damaged record fails instead of answering", async () => {
        const body = await encodeRecord(manifest);
        const damaged = Buffer.from(body);
        damaged[damaged.length - 12] ^= 0xff;
        await assert.rejects(
            diffRecords(await readerOf({}), recordReader(damaged, refOf(manifest).digest), { collect: true }),
            isRecordMismatch,
        );
    });
});

describe("recordSource", () => {
    it("reads the local cache first, and after a damaged local copy, the records location's (then keeps it)", async () => {
        const manifest = manifestOf(random(5), 100);
        const { digest } = refOf(manifest);
        const body = await encodeRecord(manifest);
        let gets = 0;
        const bucket: RecordStore = {
            get: async (key) => (gets++, key === recordKey("p/", digest) ? body : undefined),
            put: async () => undefined,
            list: async () => [],
            deleteKeys: async () => undefined,
            close: () => undefined,
        };
        mkdirSync(path.dirname(localRecordPath(digest)), { recursive: true });
        writeFileSync(localRecordPath(digest), gzipSync("damaged"));
        const local = (await recordSource(bucket, "p/", digest))!;
        assert.equal(gets, 0, "the local copy is read first");
        await assert.rejects(entriesOf(local.read()), isRecordMismatch);
        const fromBucket = (await local.fallback())!;
        assert.deepEqual(await entriesOf(fromBucket.read()), manifest);
        assert.equal(gets, 1);
        await fromBucket.keep();
        assert.deepEqual(await entriesOf((await recordSource(bucket, "p/", digest))!.read()), manifest);
        assert.equal(gets, 1, "kept locally once proven");
        assert.equal(await (await recordSource(bucket, "other/", digest))!.fallback(), undefined);
        assert.equal(await recordSource(bucket, "q/", sha256("nowhere")), undefined, "in neither place: gone");
        assert.equal(await recordSource(undefined, "p/", sha256("nowhere")), undefined, "no records location: the local cache only");
    });
});

function sha256(text: string): string {
    return createHash("sha256").update(text).digest("hex");
}
