// BucketCopy: one resource per bucket URI in `sources`, keeping a prefix of the managed bucket equal
// to a prefix of another bucket on the same store (for Azure Blob, in the same storage account). Its `files` input is the source's listing, taken
// at preview, so `pulumi preview --diff` lists the objects that changed and `summary` counts them,
// exactly like BucketSync. `up` copies only what changed, server-side (the bytes never pass through
// the machine running Pulumi), and deletes only objects this copy made earlier: objects others put in
// the bucket, and the source bucket itself, are never touched.
import * as pulumi from "@pulumi/pulumi";
import { ManagedCrud, managedResource } from "../resource/managedResource";
import { randomUUID } from "node:crypto";
import type { StorageCredentials } from "../model/storageRef";
import { CopyStore, openCopyStore } from "./copyStore";
import { describeActions, diffManifests, Manifest } from "./diff";
import { alreadyCopied, describeDrift, describeWork, heldCopies } from "./drift";
import { isBucketNotFound } from "./storeInterfaces";
import { runPool } from "./pool";
import { progressLines, withProgress } from "./progress";
import { sizeOfFingerprint } from "./fingerprint";
import type { ResourceLog } from "../resource/engineLog";
import type { SyncTarget } from "./target";

/** Objects copied at once: each is one request the store works on, so wider than uploads is fine. */
export const DEFAULT_COPY_CONCURRENCY = 16;

interface BucketCopyState {
    /** Where both buckets answer: a server-side copy stays inside one endpoint. */
    target: SyncTarget;
    credentials?: StorageCredentials;
    sourceBucket: string;
    /** "" or "some/dir/": the keys copied are those under it. */
    sourcePrefix: string;
    bucket: string;
    /** Prepended to every key relative to `sourcePrefix`: "<prefix><basename>/". */
    keyPrefix: string;
    /** The source listing: key relative to `sourcePrefix` → "size:etag". */
    files: Manifest;
    summary?: string;
    deleteOnDestroy: boolean;
    concurrency: number;
}

/** As for BucketSync: `files` in the outputs is what the last successful copy made, the only keys it may delete. */
type BucketCopyOutputs = BucketCopyState;

/** At preview a listing made with keys that do not exist yet (a new GCS HMAC key) is unknown. */
function isManifest(files: unknown): files is Manifest {
    return typeof files === "object" && files !== null && !Array.isArray(files);
}

/**
 * Copies what the source listing has and `copied` (the last successful copy's record) lacks or holds
 * differently, then deletes what was copied before and is gone from the source. Like a sync it
 * resumes: the destination prefix is listed once, and objects an interrupted run already copied
 * (same size and MD5 ETag as the source) are not copied again.
 */
async function apply(state: BucketCopyState, copied: Manifest, log?: ResourceLog): Promise<string> {
    const store = openCopyStore(state.target, state.credentials);
    const actions = diffManifests(state.files, copied);
    const wanted = [...actions.add, ...actions.change];
    const copies = wanted.map((file) => ({
        label: file,
        bytes: sizeOfFingerprint(state.files[file]),
        run: () =>
            store.copy(
                { bucket: state.sourceBucket, key: state.sourcePrefix + file, fingerprint: state.files[file] },
                state.bucket,
                state.keyPrefix + file,
            ),
    }));
    try {
        const present =
            wanted.length > 0 ? alreadyCopied(wanted, state.files, await listOrNothing(store, state.bucket, state.keyPrefix)) : new Set();
        await withProgress(
            copies.filter((copy) => !present.has(copy.label)),
            "copied",
            progressLines(log),
            (tasks) => runPool(tasks, state.concurrency),
        );
        // Deletes come last: a failed copy leaves everything that was there before.
        await store.deleteKeys(
            state.bucket,
            actions.remove.map((file) => state.keyPrefix + file),
        );
        return describeWork(actions, present.size);
    } catch (err) {
        throw new Error(
            `copy of ${state.sourceBucket}/${state.sourcePrefix} to ${state.bucket}/${state.keyPrefix}: ${(err as Error).message}`,
            { cause: err },
        );
    } finally {
        store.close();
    }
}

/** A prefix's listing; none when the bucket is not there (yet). */
async function listOrNothing(store: CopyStore, bucket: string, prefix: string): Promise<Manifest> {
    try {
        return await store.list(bucket, prefix);
    } catch (err) {
        if (isBucketNotFound(err)) return {};
        throw err;
    }
}

const bucketCopyProvider: ManagedCrud = {
    async check(olds: BucketCopyState | undefined, news: BucketCopyState): Promise<pulumi.dynamic.CheckResult> {
        const summary = isManifest(news.files)
            ? describeActions(diffManifests(news.files, isManifest(olds?.files) ? olds.files : {}))
            : undefined;
        return { inputs: { ...news, summary } };
    },

    async diff(_id: string, olds: BucketCopyOutputs, news: BucketCopyState): Promise<pulumi.dynamic.DiffResult> {
        // A new source (bucket or prefix) is an update: what it lists is diffed against what was copied.
        const replaces = ["bucket", "keyPrefix", "target"].filter(
            (k) => JSON.stringify(olds[k as keyof BucketCopyState]) !== JSON.stringify(news[k as keyof BucketCopyState]),
        );
        const pending =
            !isManifest(news.files) ||
            JSON.stringify(diffManifests(news.files, olds.files)) !== JSON.stringify({ add: [], change: [], remove: [] });
        const settings = ["sourceBucket", "sourcePrefix", "credentials", "deleteOnDestroy", "concurrency"].some(
            (k) => JSON.stringify(olds[k as keyof BucketCopyState]) !== JSON.stringify(news[k as keyof BucketCopyState]),
        );
        return { changes: replaces.length > 0 || pending || settings, replaces };
    },

    async create(inputs: BucketCopyState, log?: ResourceLog): Promise<pulumi.dynamic.CreateResult> {
        const summary = await apply(inputs, {}, log);
        return { id: randomUUID(), outs: { ...inputs, summary } };
    },

    /**
     * `pulumi refresh`: the recorded listing as the destination holds it now (drift.ts), so copies
     * removed or overwritten out of band show as drift and the next up copies exactly those again.
     */
    async read(id: string, props: BucketCopyOutputs): Promise<pulumi.dynamic.ReadResult> {
        const store = openCopyStore(props.target, props.credentials);
        try {
            const held = heldCopies(props.files, await listOrNothing(store, props.bucket, props.keyPrefix));
            if (held.missing.length === 0 && held.changed.length === 0) return { id, props };
            return { id, props: { ...props, files: held.manifest, summary: describeDrift(held) } };
        } catch (err) {
            throw new Error(
                `reading the copy of ${props.sourceBucket}/${props.sourcePrefix} in ${props.bucket}/${props.keyPrefix}: ${(err as Error).message}`,
                {
                    cause: err,
                },
            );
        } finally {
            store.close();
        }
    },

    async update(_id: string, olds: BucketCopyOutputs, news: BucketCopyState, log?: ResourceLog): Promise<pulumi.dynamic.UpdateResult> {
        const summary = await apply(news, olds.files, log);
        return { outs: { ...news, summary } };
    },

    async delete(_id: string, props: BucketCopyOutputs): Promise<void> {
        if (!props.deleteOnDestroy) return;
        const store = openCopyStore(props.target, props.credentials);
        try {
            await store.deleteKeys(
                props.bucket,
                Object.keys(props.files).map((file) => props.keyPrefix + file),
            );
        } finally {
            store.close();
        }
    },
};

/**
 * The listing of `sourceBucket/sourcePrefix` for a BucketCopy's `files`, taken while the program runs
 * (so at preview too). It is derived from the secret keys but holds none, so it is not kept secret:
 * preview shows the object names.
 */
export function listSource(
    target: pulumi.Input<SyncTarget>,
    credentials: pulumi.Input<StorageCredentials> | undefined,
    sourceBucket: string,
    sourcePrefix: string,
): pulumi.Output<Manifest> {
    const listing = pulumi.all([target, credentials]).apply(async ([t, c]) => {
        const store = openCopyStore(t, c);
        try {
            return await store.list(sourceBucket, sourcePrefix);
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
    });
    return pulumi.unsecret(listing);
}

export interface BucketCopyArgs {
    target: pulumi.Input<SyncTarget>;
    credentials?: pulumi.Input<StorageCredentials>;
    sourceBucket: string;
    sourcePrefix: string;
    bucket: pulumi.Input<string>;
    keyPrefix: string;
    files: pulumi.Input<Manifest>;
    deleteOnDestroy: boolean;
    concurrency?: number;
}

export class BucketCopy extends managedResource("BucketCopy", bucketCopyProvider, { logs: true }) {
    /** "N added (…); N changed (…); N removed (…)" against the previous copy. */
    public readonly summary!: pulumi.Output<string>;

    constructor(name: string, args: BucketCopyArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            bucketCopyProvider,
            name,
            {
                ...args,
                credentials: args.credentials === undefined ? undefined : pulumi.secret(args.credentials),
                concurrency: args.concurrency ?? DEFAULT_COPY_CONCURRENCY,
                summary: undefined,
            },
            { ...opts, additionalSecretOutputs: ["credentials"] },
            "skymount",
            "BucketCopy",
        );
    }
}
