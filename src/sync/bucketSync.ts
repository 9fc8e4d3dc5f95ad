// BucketSync: one resource per source tree that keeps a bucket prefix equal to a local directory.
// Its state holds the manifest's digest, file count and total bytes, never the manifest itself
// (manifestRecord.ts): the program writes the scanned manifest to a local record by digest, the
// provider reads it back, and after every successful sync the manifest goes to the bucket as a
// compressed record under `.skymount/sync/`, where any machine with the stack finds it. So the state
// stays a few kilobytes whatever the number of files. `summary` counts what changes and names the
// first 100 paths of each kind, so `pulumi preview --diff` shows them. `up` uploads only what
// changed, in parallel, and deletes only objects this sync uploaded earlier (the recorded manifest's
// keys): objects others put in the bucket are never touched.
import * as pulumi from "@pulumi/pulumi";
// Imported by name: a dynamic provider's closure then requires the log module instead of carrying
// the whole `pulumi` namespace by value.
import { warn } from "@pulumi/pulumi/log";
import { ManagedCrud, managedResource } from "../resource/managedResource";
import { randomUUID } from "node:crypto";
import * as path from "node:path";
import { decodeManifest, describeActions, diffManifests, Manifest, SyncActions } from "./diff";
import { alreadyStored, describeDrift, describeWork, heldManifest } from "./drift";
import { scanTree } from "./manifest";
import { isDigest, loadLocally, ManifestRef, recordKey, recordLocally, refOf, refuseReservedKeys } from "./manifestRecord";

export { refuseReservedKeys };
import { ObjectStore, openObjectStore, SyncTarget } from "./objectStore";
import { runPool } from "./pool";
import { loadRecord, openRecordStore, pruneRecords, RecordStore, deleteRecords, saveRecord } from "./recordStore";
import { uploadFootprint, uploadPool } from "./transferWidths";
import { progressLines, tasksPerFile, withProgress } from "./progress";
import type { ResourceLog } from "../resource/engineLog";
import { isBucketNotFound, Listing } from "./storeInterfaces";

interface BucketSyncState {
    target: SyncTarget;
    credentials?: { accessKey: string; secretKey: string };
    bucket: string;
    /** Prepended to every file's path to make its key: "", "prefix/" or "prefix/basename/". */
    keyPrefix: string;
    sourceDir: string;
    /** The extra ignore patterns of the program's scan: the provider scans with them when the local record is gone. */
    ignore?: string[];
    /** SHA-256 of the manifest's text (manifestRecord.ts). The manifest itself is in the local cache and the bucket. */
    manifestDigest: string;
    fileCount: number;
    totalBytes: number;
    summary?: string;
    deleteOnDestroy: boolean;
    /** The most files in flight, when the user set it; the width adapts below it (transferWidths.ts). */
    concurrency?: number;
    /** The manifest as text, as states written before the records kept it: read (then dropped), never written. */
    files?: string;
}

/**
 * A sync's outputs are its inputs: `manifestDigest` in the outputs names what the last successful
 * sync put in the bucket (an update that fails keeps the old outputs), so its record is also the only
 * set of keys the sync will ever delete.
 */
type BucketSyncOutputs = BucketSyncState;

/** The state without the manifest text an older state kept (it is replaced by the digest). */
function withoutText<T extends BucketSyncState>(state: T): T {
    const { files: _files, ...rest } = state;
    return rest as T;
}

/**
 * The manifest the program scanned: its local record, or (record gone from the cache between the
 * program and this step) the tree scanned again here, which must give the same digest.
 */
async function scannedManifest(state: BucketSyncState): Promise<Manifest> {
    const local = await loadLocally(state.manifestDigest);
    if (local) return local;
    const scan = await scanTree(state.sourceDir, state.ignore ?? []);
    if (refOf(scan.manifest).digest !== state.manifestDigest) {
        throw new Error(`${state.sourceDir} changed between the program's scan and this step: run the command again`);
    }
    await recordLocally(scan.manifest);
    return scan.manifest;
}

/**
 * What the last successful sync recorded, by the digest in `state`: from the local cache or the
 * bucket, or the text an older state kept. Undefined when the record is gone (deleted out of band):
 * then nothing may be deleted, because nothing can be proven uploaded.
 */
async function recordedManifest(records: RecordStore, state: BucketSyncState): Promise<Manifest | undefined> {
    if (!isDigest(state.manifestDigest)) return typeof state.files === "string" ? decodeManifest(state.files) : {};
    return loadRecord(records, state.keyPrefix, state.manifestDigest);
}

/** What a sync says when the record of its last sync is gone. */
function recordGone(state: BucketSyncState): string {
    return `warning: the record of the last sync, ${state.bucket}/${recordKey(state.keyPrefix, state.manifestDigest)}, is gone (deleted out of band?): every file is compared with the bucket and nothing is deleted`;
}

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
 * differently, then deletes what that sync recorded and is no longer local, then records the new
 * manifest in the bucket. Returns what it did.
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
    const records = openRecordStore(state.target, state.credentials, state.bucket);
    try {
        const local = await scannedManifest(state);
        refuseReservedKeys(local, state.keyPrefix);
        const uploaded = previous ? await recordedManifest(records, previous) : {};
        const actions: SyncActions = diffManifests(local, uploaded ?? {});
        // Without the record, what is in the bucket may be anyone's: nothing is deleted.
        if (uploaded === undefined) actions.remove = [];
        const wanted = [...actions.add, ...actions.change];
        const present =
            wanted.length > 0
                ? await alreadyStored(
                      wanted,
                      local,
                      await storedForResume(store, state.keyPrefix, wanted, Object.keys(uploaded ?? {}).length),
                      state.sourceDir,
                  )
                : new Set();
        const puts = tasksPerFile(
            wanted.filter((file) => !present.has(file)),
            local,
            (file, size) => ({
                label: file,
                run: () => store.upload(state.keyPrefix + file, path.join(state.sourceDir, file), size),
                bytes: uploadFootprint(size),
                size,
            }),
        );
        await withProgress(puts, "uploaded", progressLines(log), (tasks) => runPool(tasks, uploadPool(state.concurrency)));
        // Deletes come last: a failed upload leaves everything that was there before.
        await store.deleteKeys(actions.remove.map((file) => state.keyPrefix + file));
        await saveRecord(records, state.keyPrefix, state.manifestDigest, local);
        // The previous record stays: if the engine cannot write the new state, the old one still names a record.
        await pruneRecords(records, state.keyPrefix, [
            state.manifestDigest,
            ...(previous && isDigest(previous.manifestDigest) ? [previous.manifestDigest] : []),
        ]);
        const work = describeWork(actions, present.size);
        return uploaded === undefined ? `${work}; ${recordGone(previous!)}` : work;
    } catch (err) {
        throw described(state, err);
    } finally {
        store.close();
        records.close();
    }
}

/**
 * What preview shows: the diff against the last sync's inputs, from the two records. Equal digests
 * are no change, known without reading anything.
 */
async function previewSummary(olds: BucketSyncState | undefined, news: BucketSyncState): Promise<string | undefined> {
    const none = describeActions({ add: [], change: [], remove: [] });
    if (!isDigest(news.manifestDigest)) return undefined;
    if (olds?.manifestDigest === news.manifestDigest) return none;
    const records = olds ? openRecordStore(olds.target, olds.credentials, olds.bucket) : undefined;
    try {
        const recorded = olds ? await recordedManifest(records!, olds) : {};
        const summary = describeActions(diffManifests(await scannedManifest(news), recorded ?? {}));
        return recorded === undefined ? `${summary}; ${recordGone(olds!)}` : summary;
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
        // differs means files to upload or delete; an older state's text has no digest: it differs.
        const filesDiffer = news.manifestDigest !== olds.manifestDigest;
        const settings = ["sourceDir", "credentials", "deleteOnDestroy", "concurrency"].some(
            (k) => JSON.stringify(olds[k as keyof BucketSyncState]) !== JSON.stringify(news[k as keyof BucketSyncState]),
        );
        return { changes: replaces.length > 0 || filesDiffer || settings, replaces };
    },

    async create(inputs: BucketSyncState, log?: ResourceLog): Promise<pulumi.dynamic.CreateResult> {
        const summary = await apply(inputs, undefined, log);
        return { id: randomUUID(), outs: { ...withoutText(inputs), summary } };
    },

    /**
     * `pulumi refresh`: the recorded manifest as the bucket holds it now (drift.ts). Objects removed
     * or overwritten out of band leave the manifest or change their fingerprint; that manifest is
     * recorded in the bucket and its digest in the state, so the next up uploads exactly those files.
     * A bucket that is gone holds nothing, so the next up (after the bucket's own read has it
     * recreated) refills it. One listing of the prefix per refresh.
     */
    async read(id: string, props: BucketSyncOutputs): Promise<pulumi.dynamic.ReadResult> {
        const store = openObjectStore(props.target, props.credentials, props.bucket);
        const records = openRecordStore(props.target, props.credentials, props.bucket);
        try {
            const recorded = await recordedManifest(records, props);
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
            const ref = refOf(held.manifest);
            await saveRecord(records, props.keyPrefix, ref.digest, held.manifest);
            return { id, props: { ...withoutText(props), ...stateOf(ref), summary: describeDrift(held) } };
        } catch (err) {
            throw described(props, err);
        } finally {
            store.close();
            records.close();
        }
    },

    async update(_id: string, olds: BucketSyncOutputs, news: BucketSyncState, log?: ResourceLog): Promise<pulumi.dynamic.UpdateResult> {
        const summary = await apply(news, olds, log);
        // What this update did, which after a refresh includes re-uploads that Check could not see.
        return { outs: { ...withoutText(news), summary } };
    },

    async delete(_id: string, props: BucketSyncOutputs): Promise<void> {
        if (!props.deleteOnDestroy) return;
        const store = openObjectStore(props.target, props.credentials, props.bucket);
        const records = openRecordStore(props.target, props.credentials, props.bucket);
        try {
            const recorded = await recordedManifest(records, props);
            if (recorded === undefined) {
                await warn(`${recordGone(props)}: destroy leaves the objects of this sync in place`);
            } else {
                await store.deleteKeys(Object.keys(recorded).map((file) => props.keyPrefix + file));
            }
            await deleteRecords(records, props.keyPrefix);
        } finally {
            store.close();
            records.close();
        }
    },
};

/** The state's fields for a manifest. */
function stateOf(ref: ManifestRef): Pick<BucketSyncState, "manifestDigest" | "fileCount" | "totalBytes"> {
    return { manifestDigest: ref.digest, fileCount: ref.files, totalBytes: ref.bytes };
}

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
     * manifest, recorded locally by digest here. Only the digest, count and bytes go to the engine.
     */
    scanned: pulumi.Input<ManifestRef> | { manifest: pulumi.Input<Manifest> };
    deleteOnDestroy: boolean;
    concurrency?: number;
}

/** In the program: the manifest recorded locally, for the provider to read by digest. */
export async function recordScanned(manifest: Manifest, keyPrefix: string): Promise<ManifestRef> {
    refuseReservedKeys(manifest, keyPrefix);
    return recordLocally(manifest);
}

export class BucketSync extends managedResource("BucketSync", bucketSyncProvider, { logs: true }) {
    /** "N added (…); N changed (…); N removed (…)" against the previous sync. */
    public readonly summary!: pulumi.Output<string>;

    constructor(name: string, args: BucketSyncArgs, opts?: pulumi.CustomResourceOptions) {
        const { scanned, ...rest } = args;
        const record =
            typeof scanned === "object" && scanned !== null && "manifest" in scanned
                ? pulumi.output(scanned.manifest).apply((manifest) => recordScanned(manifest, args.keyPrefix))
                : pulumi.output(scanned as pulumi.Input<ManifestRef>);
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
                concurrency: args.concurrency,
                summary: undefined,
            },
            { ...opts, additionalSecretOutputs: ["credentials"] },
            "skymount",
            "BucketSync",
        );
    }
}
