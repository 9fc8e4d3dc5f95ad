// BucketSync: one resource per source tree that keeps a bucket prefix equal to a local directory.
// Its `files` input is the local manifest as text (one line per file), so `pulumi preview --diff`
// shows the lines of the files that changed, and `summary` counts them. `up` uploads only what
// changed, in parallel, and deletes only objects this sync uploaded earlier: objects others put in
// the bucket are never touched.
import * as pulumi from "@pulumi/pulumi";
import { managedResource } from "../resource/managedResource";
import { randomUUID } from "node:crypto";
import * as path from "node:path";
import { decodeManifest, describeActions, diffManifests, encodeManifest, Manifest } from "./diff";
import { sizeOfFingerprint } from "./fingerprint";
import { openObjectStore, SyncTarget } from "./objectStore";
import { runPool } from "./pool";

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

async function apply(state: BucketSyncState, uploaded: Manifest): Promise<void> {
    const store = openObjectStore(state.target, state.credentials, state.bucket);
    const local = manifestOf(state.files);
    const actions = diffManifests(local, uploaded);
    const puts = [...actions.add, ...actions.change].map((file) => ({
        label: file,
        run: () => store.upload(state.keyPrefix + file, path.join(state.sourceDir, file), sizeOfFingerprint(local[file])),
    }));
    try {
        await runPool(puts, state.concurrency);
        // Deletes come last: a failed upload leaves everything that was there before.
        await store.deleteKeys(actions.remove.map((file) => state.keyPrefix + file));
    } catch (err) {
        throw new Error(`sync of ${state.sourceDir} to ${state.bucket}/${state.keyPrefix}: ${(err as Error).message}`, { cause: err });
    } finally {
        store.close();
    }
}

export const bucketSyncProvider: pulumi.dynamic.ResourceProvider = {
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

    async create(inputs: BucketSyncState): Promise<pulumi.dynamic.CreateResult> {
        await apply(inputs, {});
        return { id: randomUUID(), outs: inputs };
    },

    async update(_id: string, olds: BucketSyncOutputs, news: BucketSyncState): Promise<pulumi.dynamic.UpdateResult> {
        await apply(news, manifestOf(olds.files));
        return { outs: news };
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

export class BucketSync extends managedResource("BucketSync", bucketSyncProvider) {
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
