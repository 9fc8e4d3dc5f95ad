// BucketSync: one resource per source tree that keeps a bucket prefix equal to a local directory.
// Its `files` input is the local manifest as text (one line per file), so `pulumi preview --diff`
// shows the lines of the files that changed, and `summary` counts them. `up` uploads only what
// changed, in parallel, and deletes only objects this sync uploaded earlier: objects others put in
// the bucket are never touched.
import * as pulumi from "@pulumi/pulumi";
import { ManagedCrud, managedResource } from "../resource/managedResource";
import { randomUUID } from "node:crypto";
import * as path from "node:path";
import { decodeManifest, describeActions, diffManifests, encodeManifest, Manifest } from "./diff";
import { alreadyStored, describeDrift, describeWork, heldManifest } from "./drift";
import { sizeOfFingerprint } from "./fingerprint";
import { ObjectStore, openObjectStore, SyncTarget } from "./objectStore";
import { runPool } from "./pool";
import { progressLines, withProgress } from "./progress";
import type { ResourceLog } from "../resource/engineLog";
import { isBucketNotFound, Listing } from "./storeInterfaces";

/** Files uploaded at once: a width at which small-file uploads stop being latency-bound. */
export const DEFAULT_SYNC_CONCURRENCY = 16;

interface BucketSyncState {
    target: SyncTarget;
    credentials?: { accessKey: string; secretKey: string };
    bucket: string;
    /** Prepended to every file's path to make its key: "", "prefix/" or "prefix/basename/". */
    keyPrefix: string;
    sourceDir: string;
    /** The manifest as text (encodeManifest). */
    files: string;
    summary?: string;
    deleteOnDestroy: boolean;
    concurrency: number;
}

/**
 * A sync's outputs are its inputs: `files` in the outputs is what the last successful sync put in
 * the bucket (an update that fails keeps the old outputs), so it is also the only set of keys the
 * sync will ever delete. Keeping no second copy halves what a 10,000-file tree costs the engine.
 */
type BucketSyncOutputs = BucketSyncState;

/** The manifest of inputs or state; none before the first sync. */
function manifestOf(files: string | undefined): Manifest {
    return decodeManifest(files ?? "");
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
 * Uploads what the local manifest has and `uploaded` (what the last successful sync recorded) lacks
 * or holds differently, then deletes what was recorded and is no longer local. Returns what it did.
 *
 * Resume: before uploading, the prefix is listed once and files whose object already holds exactly
 * this content are skipped. That is what makes a sync interrupted at 90% (server unreachable, `up`
 * killed) cost only the missing 10% on the next `up`. Listing the target was chosen over recording
 * per-file progress in the state: a killed `up` writes no state at all, so progress recorded by the
 * provider would be lost in exactly the case that matters, while the bucket always knows what it
 * holds; and the listing is the same one `read` makes, one request per 1,000 objects.
 */
async function apply(state: BucketSyncState, uploaded: Manifest, log?: ResourceLog): Promise<string> {
    const store = openObjectStore(state.target, state.credentials, state.bucket);
    const local = manifestOf(state.files);
    const actions = diffManifests(local, uploaded);
    try {
        const wanted = [...actions.add, ...actions.change];
        const present =
            wanted.length > 0
                ? await alreadyStored(wanted, local, await listForResume(store, state.keyPrefix), state.sourceDir)
                : new Set();
        const puts = wanted
            .filter((file) => !present.has(file))
            .map((file) => ({
                label: file,
                bytes: sizeOfFingerprint(local[file]),
                run: () => store.upload(state.keyPrefix + file, path.join(state.sourceDir, file), sizeOfFingerprint(local[file])),
            }));
        await withProgress(puts, "uploaded", progressLines(log), (tasks) => runPool(tasks, state.concurrency));
        // Deletes come last: a failed upload leaves everything that was there before.
        await store.deleteKeys(actions.remove.map((file) => state.keyPrefix + file));
        return describeWork(actions, present.size);
    } catch (err) {
        throw described(state, err);
    } finally {
        store.close();
    }
}

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
        return { inputs: { ...news, summary: describeActions(diffManifests(manifestOf(news.files), manifestOf(olds?.files))) } };
    },

    async diff(_id: string, olds: BucketSyncOutputs, news: BucketSyncState): Promise<pulumi.dynamic.DiffResult> {
        const replaces = ["bucket", "keyPrefix", "target"].filter(
            (k) => JSON.stringify(olds[k as keyof BucketSyncState]) !== JSON.stringify(news[k as keyof BucketSyncState]),
        );
        // The manifest text is canonical (sorted, one form of fingerprint), so a text that differs
        // means files to upload or delete.
        const filesDiffer = news.files !== olds.files;
        const settings = ["sourceDir", "credentials", "deleteOnDestroy", "concurrency"].some(
            (k) => JSON.stringify(olds[k as keyof BucketSyncState]) !== JSON.stringify(news[k as keyof BucketSyncState]),
        );
        return { changes: replaces.length > 0 || filesDiffer || settings, replaces };
    },

    async create(inputs: BucketSyncState, log?: ResourceLog): Promise<pulumi.dynamic.CreateResult> {
        const summary = await apply(inputs, {}, log);
        return { id: randomUUID(), outs: { ...inputs, summary } };
    },

    /**
     * `pulumi refresh`: the recorded manifest as the bucket holds it now (drift.ts). Objects removed
     * or overwritten out of band leave or change their lines, so refresh shows them and the next
     * up uploads exactly those; a bucket that is gone holds nothing, so the next up (after the
     * bucket's own read has it recreated) refills it. One listing of the prefix per refresh.
     */
    async read(id: string, props: BucketSyncOutputs): Promise<pulumi.dynamic.ReadResult> {
        const store = openObjectStore(props.target, props.credentials, props.bucket);
        try {
            let listing: Listing;
            try {
                listing = await store.list(props.keyPrefix);
            } catch (err) {
                if (!isBucketNotFound(err)) throw err;
                listing = new Map();
            }
            const held = await heldManifest(manifestOf(props.files), listing, props.sourceDir);
            if (held.missing.length === 0 && held.changed.length === 0) return { id, props };
            return { id, props: { ...props, files: encodeManifest(held.manifest), summary: describeDrift(held) } };
        } catch (err) {
            throw described(props, err);
        } finally {
            store.close();
        }
    },

    async update(_id: string, olds: BucketSyncOutputs, news: BucketSyncState, log?: ResourceLog): Promise<pulumi.dynamic.UpdateResult> {
        const summary = await apply(news, manifestOf(olds.files), log);
        // What this update did, which after a refresh includes re-uploads that Check could not see.
        return { outs: { ...news, summary } };
    },

    async delete(_id: string, props: BucketSyncOutputs): Promise<void> {
        if (!props.deleteOnDestroy) return;
        const store = openObjectStore(props.target, props.credentials, props.bucket);
        try {
            await store.deleteKeys(Object.keys(manifestOf(props.files)).map((file) => props.keyPrefix + file));
        } finally {
            store.close();
        }
    },
};

export interface BucketSyncArgs {
    /** Where the bucket lives: an S3 API endpoint, or (kind "azure") an Azure Blob service. */
    target: pulumi.Input<SyncTarget>;
    credentials?: pulumi.Input<{ accessKey: string; secretKey: string }>;
    bucket: pulumi.Input<string>;
    keyPrefix: string;
    sourceDir: string;
    files: pulumi.Input<Manifest>;
    deleteOnDestroy: boolean;
    concurrency?: number;
}

export class BucketSync extends managedResource("BucketSync", bucketSyncProvider, { logs: true }) {
    /** "N added (…); N changed (…); N removed (…)" against the previous sync. */
    public readonly summary!: pulumi.Output<string>;

    constructor(name: string, args: BucketSyncArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            bucketSyncProvider,
            name,
            {
                ...args,
                credentials: args.credentials === undefined ? undefined : pulumi.secret(args.credentials),
                files: pulumi.output(args.files).apply(encodeManifest),
                concurrency: args.concurrency ?? DEFAULT_SYNC_CONCURRENCY,
                summary: undefined,
            },
            { ...opts, additionalSecretOutputs: ["credentials"] },
            "skymount",
            "BucketSync",
        );
    }
}
