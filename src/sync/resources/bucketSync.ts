// BucketSync: one resource per source tree that keeps a bucket prefix equal to a local directory.
// Its state holds the manifest's digest, file count and total bytes, and the manifest itself only
// as a small compressed record (manifestRecord.ts, recordPlace.ts): the program writes the scanned
// manifest to a local record by digest, the provider reads it back, and a record too large for the
// state goes to the records location the user named, or stays in the local cache. Nothing of
// skymount's own goes to the bucket the sync fills. So the state stays bounded whatever the tree. `summary` counts what changes and names the
// first 100 paths of each kind, so `pulumi preview --diff` shows them. `up` uploads only what
// changed, in parallel, and deletes only objects this sync uploaded earlier (the recorded manifest's
// keys): objects others put in the bucket are never touched.
import * as pulumi from "@pulumi/pulumi";
// Imported by name: a dynamic provider's closure then requires the log module instead of carrying
// the whole `pulumi` namespace by value.
import { warn } from "@pulumi/pulumi/log";
import { ManagedCrud, managedResource } from "../../resource/managedResource";
import { randomUUID } from "node:crypto";
import * as path from "node:path";
import { describeActions, describeSummary, Manifest } from "../core/diff";
import { alreadyStored, describeDrift, describeWork, heldManifest } from "../engine/drift";
import { scanTree } from "../scan/manifest";
import {
    EMPTY_DIGEST,
    forgetLocally,
    isDigest,
    localRecordPath,
    LocalRecordRef,
    readLocally,
    recordLocally,
} from "../records/manifestRecord";
import { diffRecords, emptyReader, EntryBatch, forEachBatch, isRecordMismatch, RecordDiff, recordReader } from "../core/recordDiff";
import { ObjectStore, openObjectStore, SyncTarget } from "../protocols/objectStore";
import { runPool } from "../pool/pool";
import { removeBucketRecords } from "../records/legacyRecords";
import {
    cacheOnlyNote,
    keepRecord,
    keptInFor,
    loadRecordOf,
    openRecordsAt,
    recordInState,
    withManifest,
    recordBase,
    RecordedState,
    recordInputs,
    recordGoneNote,
    RecordsLocation,
    recordSourceOf,
} from "../records/recordPlace";
import { deleteRecords, fixedSource, RecordSource, RecordStore } from "../records/recordStore";
import { uploadFootprint, uploadPool } from "../pool/transferWidths";
import { progressLines, ProgressReporter, tasksPerFile, withProgress } from "../pool/progress";
import { sizeOfFingerprint } from "../core/fingerprint";
import type { ResourceLog } from "../../resource/engineLog";
import { isBucketNotFound, Listing } from "../core/storeInterfaces";

interface BucketSyncState extends RecordedState {
    target: SyncTarget;
    credentials?: { accessKey: string; secretKey: string };
    bucket: string;
    /** Prepended to every file's path to make its key: "", "prefix/" or "prefix/basename/". */
    keyPrefix: string;
    sourceDir: string;
    /** The extra ignore patterns of the program's scan: the provider scans with them when the local record is gone. */
    ignore?: string[];
    /** SHA-256 of the manifest's text (manifestRecord.ts). The record itself is where `recordKeptIn` says (recordPlace.ts). */
    manifestDigest: string;
    fileCount: number;
    totalBytes: number;
    summary?: string;
    deleteOnDestroy: boolean;
    /** The most files in flight, when the user set it; the width adapts below it (transferWidths.ts). */
    concurrency?: number;
}

/**
 * A sync's outputs are its inputs: `manifestDigest` in the outputs names what the last successful
 * sync put in the bucket (an update that fails keeps the old outputs), so its record is also the only
 * set of keys the sync will ever delete.
 */
type BucketSyncOutputs = BucketSyncState;

/** The record of the manifest the program scanned, its body (none for the empty manifest), and where to read it. */
interface ScannedRecord {
    body: Buffer | undefined;
    source: RecordSource;
}

/**
 * The manifest the program scanned: the record it passed in the inputs, else its local record, or
 * (record gone from the cache between the program and this step, or found damaged) the tree scanned
 * again here, which must give the same digest.
 */
async function scannedRecord(state: BucketSyncState, rescan = false): Promise<ScannedRecord> {
    const digest = state.manifestDigest;
    if (digest === EMPTY_DIGEST) return { body: undefined, source: fixedSource(emptyReader) };
    const given = recordInState(state);
    let body = rescan ? undefined : (given ?? (await readLocally(digest)));
    if (!body) {
        await forgetLocally(digest);
        const scan = await scanTree(state.sourceDir, state.ignore ?? []);
        if ((await recordLocally(scan.manifest)).digest !== digest) {
            throw new Error(`${state.sourceDir} changed between the program's scan and this step: run the command again`);
        }
        body = await readLocally(digest);
        if (!body) throw new Error(`the local record of ${state.sourceDir} (${localRecordPath(digest)}) could not be written`);
    }
    const proven = body;
    return { body: proven, source: fixedSource(() => recordReader(proven, digest)) };
}

/** The diff of a sync, and whether the last sync's record was gone (then nothing is to be removed). */
interface SyncPlan {
    diff: RecordDiff;
    recordGone: boolean;
    /** The scanned record's body, for the bucket once the sync is done. */
    scanned: ScannedRecord;
}

/**
 * Diffs the scanned manifest against the last sync's record (`previous`; none for a first sync), as
 * streams (recordDiff.ts). A record that proves damaged at the end of the merge is read again from
 * its next place (the bucket after the local cache; the tree scanned again for the program's), and
 * the merge runs again. `collect` keeps the files to upload and delete (create and update).
 */
async function planSync(
    state: BucketSyncState,
    previous: BucketSyncState | undefined,
    records: RecordStore | undefined,
    collect: boolean,
): Promise<SyncPlan> {
    let scanned = await scannedRecord(state);
    let rescanned = false;
    let recorded = previous ? await recordSourceOf(previous, records) : fixedSource(emptyReader);
    for (;;) {
        try {
            const diff = await diffRecords(scanned.source.read(), (recorded ?? fixedSource(emptyReader)).read(), { collect });
            await recorded?.keep();
            return { diff, recordGone: recorded === undefined, scanned };
        } catch (err) {
            if (!isRecordMismatch(err)) throw err;
            if (err.mismatchedDigest === state.manifestDigest && !rescanned) {
                scanned = await scannedRecord(state, true);
                rescanned = true;
            } else if (recorded !== undefined && err.mismatchedDigest === previous?.manifestDigest) {
                recorded = await recorded.fallback();
            } else throw err;
        }
    }
}

/** What a sync says when the record of its last sync is gone. */
const recordGone = (state: BucketSyncState) => recordGoneNote(state, "sync");

/** Where the store answers, for messages: the endpoint, or AWS S3's regional one. */
export function endpointOf(target: SyncTarget): string {
    if (target.kind === "azure") return target.endpoint;
    return target.endpoint ?? `https://s3.${target.region}.amazonaws.com`;
}

/** "sync of <dir> to <bucket>/<prefix> at <endpoint>": every failure of a sync says what and where. */
function described(state: BucketSyncState, err: unknown): Error {
    const what = `sync of ${state.sourceDir} to ${state.bucket}/${state.keyPrefix} at ${endpointOf(state.target)}`;
    return new Error(`${what}: ${(err as Error).message}`, { cause: err });
}

/**
 * Uploads what the local manifest has and the last successful sync (`previous`) lacks or holds
 * differently, then deletes what that sync recorded and is no longer local, then keeps the new
 * record where its state says (recordPlace.ts). Returns what it did.
 *
 * Resume: before uploading, the prefix is listed once and files whose object already holds exactly
 * this content are skipped. That is what makes a sync interrupted at 90% (server unreachable, `up`
 * killed) cost only the missing 10% on the next `up`. Listing the target was chosen over recording
 * per-file progress in the state: a killed `up` writes no state at all, so progress recorded by the
 * provider would be lost in exactly the case that matters, while the bucket always knows what it
 * holds; and the listing is the same one `read` makes, one request per 1,000 objects.
 */
async function apply(state: BucketSyncState, previous: BucketSyncState | undefined, log?: ResourceLog): Promise<string> {
    const store = openObjectStore(state.target, state.credentials, state.bucket);
    const records = openRecordsAt(state);
    const previousRecords = previous && openRecordsAt(previous);
    try {
        const { diff, recordGone: gone, scanned } = await planSync(state, previous, previousRecords, true);
        // Without the record (gone), what is in the bucket may be anyone's: the diff was against
        // nothing, so nothing is deleted and every file is compared with the bucket.
        const wanted = diff.wanted;
        const present =
            wanted.paths.length > 0
                ? await alreadyStored(
                      wanted,
                      await storedForResume(store, state.keyPrefix, wanted.paths, gone || !previous ? 0 : (previous.fileCount ?? 0)),
                      state.sourceDir,
                  )
                : new Set<string>();
        const toUpload = present.size === 0 ? wanted : withoutFiles(wanted, present);
        const puts = tasksPerFile(
            toUpload.paths,
            (_file, i) => toUpload.fingerprints[i],
            (file, size) => ({
                label: file,
                run: () => store.upload(state.keyPrefix + file, path.join(state.sourceDir, file), size),
                bytes: uploadFootprint(size),
                size,
            }),
        );
        await withProgress(puts, "uploaded", progressLines(log), (tasks) => runPool(tasks, uploadPool(state.concurrency)));
        // Deletes come last: a failed upload leaves everything that was there before.
        await store.deleteKeys(diff.removed.map((file) => state.keyPrefix + file));
        if (scanned.body) await keepRecord(state, previous, async () => scanned.body!, records);
        if (previous) await removeBucketRecords(previous);
        const work = describeWork(describeSummary(diff), present.size);
        return gone ? `${work}; ${recordGone(previous!)}` : work;
    } catch (err) {
        throw described(state, err);
    } finally {
        store.close();
        records?.close();
        previousRecords?.close();
    }
}

/** `wanted` without the files in `skip`. */
function withoutFiles(wanted: EntryBatch, skip: Set<string>): EntryBatch {
    const kept: EntryBatch = { paths: [], fingerprints: [] };
    wanted.paths.forEach((file, i) => {
        if (skip.has(file)) return;
        kept.paths.push(file);
        kept.fingerprints.push(wanted.fingerprints[i]);
    });
    return kept;
}

/**
 * What preview shows: the diff against the last sync's inputs, from the two records, streamed (only
 * counts and the first names are kept). Equal digests are no change, known without reading anything.
 */
async function previewSummary(olds: BucketSyncState | undefined, news: BucketSyncState): Promise<string | undefined> {
    const none = describeActions({ add: [], change: [], remove: [] });
    if (!isDigest(news.manifestDigest)) return undefined;
    if (olds?.manifestDigest === news.manifestDigest) return none;
    const records = olds && openRecordsAt(olds);
    try {
        const { diff, recordGone: gone } = await planSync(news, olds, records, false);
        return gone ? `${describeSummary(diff)}; ${recordGone(olds!)}` : describeSummary(diff);
    } finally {
        records?.close();
    }
}

/**
 * What the bucket holds of `wanted` (paths under `prefix`), for the resume check: the prefix's
 * listing, or, when few files changed against what the last sync recorded (`recordedFiles`), those
 * files asked for one by one. Listing a prefix of a million objects is a thousand pages in a row,
 * minutes, to learn about the one file that changed.
 */
export async function storedForResume(store: ObjectStore, prefix: string, wanted: string[], recordedFiles: number): Promise<Listing> {
    if (wanted.length > STAT_AT_MOST || wanted.length * 100 > recordedFiles) return listForResume(store, prefix);
    const stated = await store.stat(wanted.map((file) => prefix + file));
    return new Map([...stated].map(([key, object]) => [key.slice(prefix.length), object]));
}

/** Files changed at most for asking key by key (ObjectStore.stat) instead of listing. */
const STAT_AT_MOST = 10_000;

/** The prefix's listing; none when the bucket is not there yet (its creation failed, or is someone else's business). */
async function listForResume(store: ObjectStore, prefix: string): Promise<Listing> {
    try {
        return await store.list(prefix);
    } catch (err) {
        if (isBucketNotFound(err)) return new Map();
        throw err;
    }
}

export const bucketSyncProvider: ManagedCrud = {
    async check(olds: BucketSyncState | undefined, news: BucketSyncState): Promise<pulumi.dynamic.CheckResult> {
        // Before the first sync the engine passes no inputs, or an empty set.
        return { inputs: { ...news, summary: await previewSummary(olds?.target ? olds : undefined, news) } };
    },

    async diff(_id: string, olds: BucketSyncOutputs, news: BucketSyncState): Promise<pulumi.dynamic.DiffResult> {
        const replaces = ["bucket", "keyPrefix", "target"].filter(
            (k) => JSON.stringify(olds[k as keyof BucketSyncState]) !== JSON.stringify(news[k as keyof BucketSyncState]),
        );
        // The digest is of the canonical text (sorted, one form of fingerprint), so a digest that
        // differs means files to upload or delete. A state from before the records left the bucket
        // (no recordKeptIn) is an update: it moves them (legacyRecords.ts).
        const filesDiffer = news.manifestDigest !== olds.manifestDigest || olds.recordKeptIn === undefined;
        const settings = ["sourceDir", "credentials", "deleteOnDestroy", "concurrency", "recordsAt"].some(
            (k) => JSON.stringify(olds[k as keyof BucketSyncState]) !== JSON.stringify(news[k as keyof BucketSyncState]),
        );
        return { changes: replaces.length > 0 || filesDiffer || settings, replaces };
    },

    async create(inputs: BucketSyncState, log?: ResourceLog): Promise<pulumi.dynamic.CreateResult> {
        const summary = await apply(inputs, undefined, log);
        return { id: randomUUID(), outs: { ...inputs, summary } };
    },

    /**
     * `pulumi refresh`: the recorded manifest as the bucket holds it now (drift.ts). Objects removed
     * or overwritten out of band leave the manifest or change their fingerprint; that manifest is
     * recorded (recordPlace.ts) and its digest put in the state, so the next up uploads exactly those files.
     * A bucket that is gone holds nothing, so the next up (after the bucket's own read has it
     * recreated) refills it. One listing of the prefix per refresh.
     */
    async read(id: string, props: BucketSyncOutputs): Promise<pulumi.dynamic.ReadResult> {
        const store = openObjectStore(props.target, props.credentials, props.bucket);
        const records = openRecordsAt(props);
        try {
            const recorded = await loadRecordOf(props, records);
            if (recorded === undefined) return { id, props: { ...props, summary: recordGone(props) } };
            let listing: Listing;
            try {
                listing = await store.list(props.keyPrefix);
            } catch (err) {
                if (!isBucketNotFound(err)) throw err;
                listing = new Map();
            }
            const held = await heldManifest(recorded, listing, props.sourceDir);
            if (held.missing.length === 0 && held.changed.length === 0) return { id, props };
            return { id, props: { ...(await withManifest(props, held.manifest, records)), summary: describeDrift(held) } };
        } catch (err) {
            throw described(props, err);
        } finally {
            store.close();
            records?.close();
        }
    },

    async update(_id: string, olds: BucketSyncOutputs, news: BucketSyncState, log?: ResourceLog): Promise<pulumi.dynamic.UpdateResult> {
        const summary = await apply(news, olds, log);
        // What this update did, which after a refresh includes re-uploads that Check could not see.
        return { outs: { ...news, summary } };
    },

    async delete(_id: string, props: BucketSyncOutputs, log?: ResourceLog): Promise<void> {
        if (!props.deleteOnDestroy) return;
        const store = openObjectStore(props.target, props.credentials, props.bucket);
        const records = openRecordsAt(props);
        try {
            if (!(await deleteRecorded(store, records, props, log))) {
                await warn(`${recordGone(props)}: destroy leaves the objects of this sync in place`);
            }
            if (records) await deleteRecords(records, recordBase(props));
            await removeBucketRecords(props);
        } finally {
            store.close();
            records?.close();
        }
    },
};

/**
 * Deletes the objects the last sync recorded, a batch of the record at a time; false when the record
 * is gone. The record is read whole once before anything is deleted: a reader proves its text only
 * at its end, and a damaged record must not have deleted a single key.
 */
async function deleteRecorded(
    store: ObjectStore,
    records: RecordStore | undefined,
    state: BucketSyncState,
    log?: ResourceLog,
): Promise<boolean> {
    let recorded = await recordSourceOf(state, records);
    while (recorded !== undefined) {
        try {
            await forEachBatch(recorded.read(), () => undefined);
            break;
        } catch (err) {
            if (!isRecordMismatch(err)) throw err;
            recorded = await recorded.fallback();
        }
    }
    if (recorded === undefined) return false;
    const reporter = new ProgressReporter({ files: state.fileCount, bytes: state.totalBytes }, "deleted", progressLines(log));
    let keys: string[] = [];
    let bytes = 0;
    const deleteBatch = async () => {
        await store.deleteKeys(keys);
        reporter.filesDone(keys.length, bytes);
        keys = [];
        bytes = 0;
    };
    try {
        await forEachBatch(recorded.read(), async (batch) => {
            batch.paths.forEach((file, i) => {
                keys.push(state.keyPrefix + file);
                bytes += sizeOfFingerprint(batch.fingerprints[i]);
            });
            if (keys.length >= DELETES_AT_ONCE) await deleteBatch();
        });
        await deleteBatch();
    } finally {
        // Said only when there was something to delete: the final line, or where a failure stopped it.
        if (state.fileCount > 0) reporter.finish();
    }
    return true;
}

/** Keys handed to one deleteKeys call at destroy: enough for several requests in flight (1,000 keys each on S3). */
const DELETES_AT_ONCE = 10_000;

export interface BucketSyncArgs {
    /** Where the bucket lives: an S3 API endpoint, or (kind "azure") an Azure Blob service. */
    target: pulumi.Input<SyncTarget>;
    credentials?: pulumi.Input<{ accessKey: string; secretKey: string }>;
    bucket: pulumi.Input<string>;
    keyPrefix: string;
    sourceDir: string;
    /** The extra ignore patterns the tree was scanned with. */
    ignore?: string[];
    /**
     * The scanned tree, as its local record's ref (scanRecord.ts: what SkyStorage passes), or as the
     * manifest, recorded locally by digest here. The digest, count and bytes go to the engine, and
     * the record itself when it is small enough for the state (recordPlace.ts).
     */
    scanned: pulumi.Input<LocalRecordRef> | { manifest: pulumi.Input<Manifest> };
    /** Where records too large for the state are kept; without it, in the local cache only. */
    recordsAt?: RecordsLocation;
    deleteOnDestroy: boolean;
    concurrency?: number;
}

/** In the program: the manifest recorded locally, for the provider to read by digest. */
export async function recordScanned(manifest: Manifest): Promise<LocalRecordRef> {
    return recordLocally(manifest);
}

export class BucketSync extends managedResource("BucketSync", bucketSyncProvider, { logs: true }) {
    /** "N added (…); N changed (…); N removed (…)" against the previous sync. */
    public readonly summary!: pulumi.Output<string>;

    constructor(name: string, args: BucketSyncArgs, opts?: pulumi.CustomResourceOptions) {
        const { scanned, ...rest } = args;
        const record =
            typeof scanned === "object" && scanned !== null && "manifest" in scanned
                ? pulumi.output(scanned.manifest).apply((manifest) => recordScanned(manifest))
                : pulumi.output(scanned as pulumi.Input<LocalRecordRef>);
        super(
            bucketSyncProvider,
            name,
            {
                ...rest,
                ignore: args.ignore ?? [],
                credentials: args.credentials === undefined ? undefined : pulumi.secret(args.credentials),
                manifestDigest: record.apply((r) => r.digest),
                fileCount: record.apply((r) => r.files),
                totalBytes: record.apply((r) => r.bytes),
                ...recordInputs(record, args.recordsAt),
                concurrency: args.concurrency,
                summary: undefined,
            },
            { ...opts, additionalSecretOutputs: ["credentials", "record"] },
            "skymount",
            "BucketSync",
        );
        record.apply((r) => {
            if (keptInFor(r, args.recordsAt) === "cache") void pulumi.log.warn(cacheOnlyNote(`sync of ${args.sourceDir}`, r), this);
        });
    }
}
