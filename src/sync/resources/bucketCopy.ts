// BucketCopy: one resource per bucket URI in `sources`, keeping a prefix of the managed bucket equal
// to a prefix of another bucket on the same store (for Azure Blob, in the same storage account). The
// source's listing is taken by the program (so at preview too) and kept like a sync's manifest
// (manifestRecord.ts, recordPlace.ts): a local record by digest for the provider, the record in the
// state when small, else in the records location or the local cache; never in the bucket it fills. `summary` counts what changes and names
// the first 100 keys of each kind. `up` copies only what changed, server-side (the bytes never pass
// through the machine running Pulumi), in parallel, and deletes only objects this copy made earlier:
// objects others put in the bucket, and the source bucket itself, are never touched.
import * as pulumi from "@pulumi/pulumi";
// Imported by name: a dynamic provider's closure then requires the log module instead of carrying
// the whole `pulumi` namespace by value.
import { warn } from "@pulumi/pulumi/log";
import { ManagedCrud, managedResource } from "../../resource/managedResource";
import { randomUUID } from "node:crypto";
import type { CredentialValues } from "../../model/storageRef";
import { CopyStore, openCopyStore } from "../protocols/copyStore";
import { describeActions, diffManifests, Manifest, SyncActions } from "../core/diff";
import { alreadyCopied, describeDrift, describeWork, heldCopies } from "../engine/drift";
import { encodeRecord, isDigest, LocalRecordRef, recordLocally, refOf } from "../records/manifestRecord";
import { isBucketNotFound } from "../core/storeInterfaces";
import { runPool } from "../pool/pool";
import { removeBucketRecords } from "../records/legacyRecords";
import {
    cacheOnlyNote,
    keepRecord,
    keptInFor,
    loadRecordOf,
    openRecordsAt,
    withManifest,
    recordBase,
    RecordedState,
    recordGoneNote,
    recordInputs,
    RecordsLocation,
} from "../records/recordPlace";
import { deleteRecords, RecordStore } from "../records/recordStore";
import { copyPool } from "../pool/transferWidths";
import { progressLines, tasksPerFile, withProgress } from "../pool/progress";
import type { ResourceLog } from "../../resource/engineLog";
import type { SyncTarget } from "../core/target";

interface BucketCopyState extends RecordedState {
    /** Where both buckets answer: a server-side copy stays inside one endpoint. */
    target: SyncTarget;
    credentials?: CredentialValues;
    sourceBucket: string;
    /** "" or "some/dir/": the keys copied are those under it. */
    sourcePrefix: string;
    bucket: string;
    /** Prepended to every key relative to `sourcePrefix`: "<prefix><basename>/". */
    keyPrefix: string;
    /** SHA-256 of the source listing's text (key relative to `sourcePrefix` → "size:etag"), recorded like a sync's manifest. */
    manifestDigest: string;
    fileCount: number;
    totalBytes: number;
    summary?: string;
    deleteOnDestroy: boolean;
    /** The most copies in flight, when the user set it; the width adapts below it (transferWidths.ts). */
    concurrency?: number;
}

/** As for BucketSync: `manifestDigest` in the outputs names what the last successful copy made, the only keys it may delete. */
type BucketCopyOutputs = BucketCopyState;

/** The listing the program took: its record in the inputs or the local cache, or the source listed again here, which must give the same digest. */
async function sourceListing(store: CopyStore, state: BucketCopyState): Promise<Manifest> {
    const local = await loadRecordOf({ ...state, recordsAt: undefined }, undefined);
    if (local) return local;
    const listed = await store.list(state.sourceBucket, state.sourcePrefix);
    if (refOf(listed).digest !== state.manifestDigest) {
        throw new Error(`${state.sourceBucket}/${state.sourcePrefix} changed since the program listed it: run the command again`);
    }
    await recordLocally(listed);
    return listed;
}

/** What the last successful copy recorded; undefined when its record is gone (then nothing is deleted). */
const recordedListing = (records: RecordStore | undefined, state: BucketCopyState) => loadRecordOf(state, records);

const recordGone = (state: BucketCopyState) => recordGoneNote(state, "copy");

function described(state: BucketCopyState, err: unknown): Error {
    return new Error(
        `copy of ${state.sourceBucket}/${state.sourcePrefix} to ${state.bucket}/${state.keyPrefix}: ${(err as Error).message}`,
        {
            cause: err,
        },
    );
}

/**
 * Of `wanted` (keys to copy), those whose copy is already in the destination with the source's size
 * and MD5 ETag (an interrupted run made it). The destination is walked a page at a time: only the
 * matches are kept, never the whole listing.
 */
async function copiedAlready(store: CopyStore, state: BucketCopyState, wanted: Set<string>, source: Manifest): Promise<Set<string>> {
    const present = new Set<string>();
    try {
        for await (const page of store.listPages(state.bucket, state.keyPrefix)) {
            const candidates = Object.keys(page).filter((key) => wanted.has(key));
            for (const key of alreadyCopied(candidates, source, page)) present.add(key);
        }
    } catch (err) {
        if (!isBucketNotFound(err)) throw err;
    }
    return present;
}

/**
 * Copies what the source listing has and the last successful copy (`previous`) lacks or holds
 * differently, `concurrency` at a time, then deletes what was copied before and is gone from the
 * source, then keeps the listing's record (recordPlace.ts). Like a sync it resumes: objects an interrupted run
 * already copied (same size and MD5 ETag as the source) are not copied again.
 */
async function apply(state: BucketCopyState, previous: BucketCopyState | undefined, log?: ResourceLog): Promise<string> {
    const store = openCopyStore(state.target, state.credentials);
    const records = openRecordsAt(state);
    const previousRecords = previous && openRecordsAt(previous);
    try {
        const source = await sourceListing(store, state);
        const copied = previous ? await recordedListing(previousRecords, previous) : {};
        const actions: SyncActions = diffManifests(source, copied ?? {});
        if (copied === undefined) actions.remove = [];
        const wanted = [...actions.add, ...actions.change];
        const present = wanted.length > 0 ? await copiedAlready(store, state, new Set(wanted), source) : new Set<string>();
        const copies = tasksPerFile(
            wanted.filter((file) => !present.has(file)),
            (file) => source[file],
            (file, size) => ({
                label: file,
                bytes: size,
                run: () =>
                    store.copy(
                        { bucket: state.sourceBucket, key: state.sourcePrefix + file, fingerprint: source[file] },
                        state.bucket,
                        state.keyPrefix + file,
                    ),
            }),
        );
        await withProgress(copies, "copied", progressLines(log), (tasks) => runPool(tasks, copyPool(state.concurrency)));
        // Deletes come last: a failed copy leaves everything that was there before.
        await store.deleteKeys(
            state.bucket,
            actions.remove.map((file) => state.keyPrefix + file),
        );
        await keepRecord(state, previous, () => encodeRecord(source), records);
        if (previous) await removeBucketRecords(previous);
        const work = describeWork(describeActions(actions), present.size);
        return copied === undefined ? `${work}; ${recordGone(previous!)}` : work;
    } catch (err) {
        throw described(state, err);
    } finally {
        store.close();
        records?.close();
        previousRecords?.close();
    }
}

/** What preview shows; equal digests are no change, known without reading anything. */
async function previewSummary(olds: BucketCopyState | undefined, news: BucketCopyState): Promise<string | undefined> {
    // A listing made with keys that do not exist yet (a new GCS HMAC key) is unknown at preview.
    if (!isDigest(news.manifestDigest)) return undefined;
    if (olds?.manifestDigest === news.manifestDigest) return describeActions({ add: [], change: [], remove: [] });
    const source = await loadRecordOf({ ...news, recordsAt: undefined }, undefined);
    if (!source) return undefined;
    const records = olds && openRecordsAt(olds);
    try {
        const recorded = olds ? await recordedListing(records!, olds) : {};
        const summary = describeActions(diffManifests(source, recorded ?? {}));
        return recorded === undefined ? `${summary}; ${recordGone(olds!)}` : summary;
    } finally {
        records?.close();
    }
}

export const bucketCopyProvider: ManagedCrud = {
    async check(olds: BucketCopyState | undefined, news: BucketCopyState): Promise<pulumi.dynamic.CheckResult> {
        // Before the first copy the engine passes no inputs, or an empty set.
        return { inputs: { ...news, summary: await previewSummary(olds?.target ? olds : undefined, news) } };
    },

    async diff(_id: string, olds: BucketCopyOutputs, news: BucketCopyState): Promise<pulumi.dynamic.DiffResult> {
        // A new source (bucket or prefix) is an update: what it lists is diffed against what was copied.
        const replaces = ["bucket", "keyPrefix", "target"].filter(
            (k) => JSON.stringify(olds[k as keyof BucketCopyState]) !== JSON.stringify(news[k as keyof BucketCopyState]),
        );
        // A state from before the records left the bucket (no recordKeptIn) is an update: it moves them (legacyRecords.ts).
        const pending = news.manifestDigest !== olds.manifestDigest || olds.recordKeptIn === undefined;
        const settings = ["sourceBucket", "sourcePrefix", "credentials", "deleteOnDestroy", "concurrency", "recordsAt"].some(
            (k) => JSON.stringify(olds[k as keyof BucketCopyState]) !== JSON.stringify(news[k as keyof BucketCopyState]),
        );
        return { changes: replaces.length > 0 || pending || settings, replaces };
    },

    async create(inputs: BucketCopyState, log?: ResourceLog): Promise<pulumi.dynamic.CreateResult> {
        const summary = await apply(inputs, undefined, log);
        return { id: randomUUID(), outs: { ...inputs, summary } };
    },

    /**
     * `pulumi refresh`: the recorded listing as the destination holds it now (drift.ts), so copies
     * removed or overwritten out of band show as drift, recorded by digest (recordPlace.ts), and the
     * next up copies exactly those again.
     */
    async read(id: string, props: BucketCopyOutputs): Promise<pulumi.dynamic.ReadResult> {
        const store = openCopyStore(props.target, props.credentials);
        const records = openRecordsAt(props);
        try {
            const recorded = await recordedListing(records, props);
            if (recorded === undefined) return { id, props: { ...props, summary: recordGone(props) } };
            const held = heldCopies(recorded, await listOrNothing(store, props.bucket, props.keyPrefix));
            if (held.missing.length === 0 && held.changed.length === 0) return { id, props };
            return { id, props: { ...(await withManifest(props, held.manifest, records)), summary: describeDrift(held) } };
        } catch (err) {
            throw new Error(
                `reading the copy of ${props.sourceBucket}/${props.sourcePrefix} in ${props.bucket}/${props.keyPrefix}: ${(err as Error).message}`,
                { cause: err },
            );
        } finally {
            store.close();
            records?.close();
        }
    },

    async update(_id: string, olds: BucketCopyOutputs, news: BucketCopyState, log?: ResourceLog): Promise<pulumi.dynamic.UpdateResult> {
        const summary = await apply(news, olds, log);
        return { outs: { ...news, summary } };
    },

    async delete(_id: string, props: BucketCopyOutputs): Promise<void> {
        if (!props.deleteOnDestroy) return;
        const store = openCopyStore(props.target, props.credentials);
        const records = openRecordsAt(props);
        try {
            const recorded = await recordedListing(records, props);
            if (recorded === undefined) {
                await warn(`${recordGone(props)}: destroy leaves the copies in place`);
            } else {
                await store.deleteKeys(
                    props.bucket,
                    Object.keys(recorded).map((file) => props.keyPrefix + file),
                );
            }
            if (records) await deleteRecords(records, recordBase(props));
            await removeBucketRecords(props);
        } finally {
            store.close();
            records?.close();
        }
    },
};

/** A prefix's listing; none when the bucket is not there (yet). */
async function listOrNothing(store: CopyStore, bucket: string, prefix: string): Promise<Manifest> {
    try {
        return await store.list(bucket, prefix);
    } catch (err) {
        if (isBucketNotFound(err)) return {};
        throw err;
    }
}

/**
 * The listing of `sourceBucket/sourcePrefix` for a BucketCopy, taken while the program runs (so at
 * preview too) and recorded locally by digest (manifestRecord.ts): only its digest, count and bytes
 * reach the engine. It is derived from the secret keys but holds none, so it is not kept secret.
 */
export function listSource(
    target: pulumi.Input<SyncTarget>,
    credentials: pulumi.Input<CredentialValues> | undefined,
    sourceBucket: string,
    sourcePrefix: string,
): pulumi.Output<LocalRecordRef> {
    const listing = pulumi.all([target, credentials]).apply(async ([t, c]) => {
        const store = openCopyStore(t, c);
        let manifest: Manifest;
        try {
            manifest = await store.list(sourceBucket, sourcePrefix);
        } catch (err) {
            if (isBucketNotFound(err)) {
                throw new Error(
                    `bucket ${sourceBucket}, a source of this copy, does not exist (deleted out of band?): skymount does not manage it, so restore it, or remove it from sources`,
                    { cause: err },
                );
            }
            throw new Error(`listing ${sourceBucket}/${sourcePrefix} to copy it: ${(err as Error).message}`, { cause: err });
        } finally {
            store.close();
        }
        return recordLocally(manifest);
    });
    return pulumi.unsecret(listing);
}

export interface BucketCopyArgs {
    target: pulumi.Input<SyncTarget>;
    credentials?: pulumi.Input<CredentialValues>;
    sourceBucket: string;
    sourcePrefix: string;
    bucket: pulumi.Input<string>;
    keyPrefix: string;
    /** The source listing as listSource recorded it. */
    listing: pulumi.Input<LocalRecordRef>;
    /** Where records too large for the state are kept; without it, in the local cache only. */
    recordsAt?: RecordsLocation;
    deleteOnDestroy: boolean;
    concurrency?: number;
}

export class BucketCopy extends managedResource("BucketCopy", bucketCopyProvider, { logs: true }) {
    /** "N added (…); N changed (…); N removed (…)" against the previous copy. */
    public readonly summary!: pulumi.Output<string>;

    constructor(name: string, args: BucketCopyArgs, opts?: pulumi.CustomResourceOptions) {
        const { listing, ...rest } = args;
        const ref = pulumi.output(listing);
        super(
            bucketCopyProvider,
            name,
            {
                ...rest,
                credentials: args.credentials === undefined ? undefined : pulumi.secret(args.credentials),
                manifestDigest: ref.apply((r) => r.digest),
                fileCount: ref.apply((r) => r.files),
                totalBytes: ref.apply((r) => r.bytes),
                ...recordInputs(ref, args.recordsAt),
                concurrency: args.concurrency,
                summary: undefined,
            },
            { ...opts, additionalSecretOutputs: ["credentials", "record"] },
            "skymount",
            "BucketCopy",
        );
        ref.apply((r) => {
            if (keptInFor(r, args.recordsAt) === "cache")
                void pulumi.log.warn(cacheOnlyNote(`copy of ${args.sourceBucket}/${args.sourcePrefix}`, r), this);
        });
    }
}
