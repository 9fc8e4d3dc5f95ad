// BucketCopy: one resource per bucket URI in `sources`, keeping a prefix of the managed bucket equal
// to a prefix of another bucket on the same store (for Azure Blob, in the same storage account). Its `files` input is the source's listing, taken
// at preview, so `pulumi preview --diff` lists the objects that changed and `summary` counts them,
// exactly like BucketSync. `up` copies only what changed, server-side (the bytes never pass through
// the machine running Pulumi), and deletes only objects this copy made earlier: objects others put in
// the bucket, and the source bucket itself, are never touched.
import * as pulumi from "@pulumi/pulumi";
import { managedResource } from "../resource/managedResource";
import { randomUUID } from "node:crypto";
import type { StorageCredentials } from "../model/storageRef";
import { openCopyStore } from "./copyStore";
import { describeActions, diffManifests, Manifest } from "./diff";
import { runPool } from "./pool";
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

async function apply(state: BucketCopyState, copied: Manifest): Promise<void> {
    const store = openCopyStore(state.target, state.credentials);
    const actions = diffManifests(state.files, copied);
    const copies = [...actions.add, ...actions.change].map((file) => ({
        label: file,
        run: () =>
            store.copy(
                { bucket: state.sourceBucket, key: state.sourcePrefix + file, fingerprint: state.files[file] },
                state.bucket,
                state.keyPrefix + file,
            ),
    }));
    try {
        await runPool(copies, state.concurrency);
        // Deletes come last: a failed copy leaves everything that was there before.
        await store.deleteKeys(
            state.bucket,
            actions.remove.map((file) => state.keyPrefix + file),
        );
    } catch (err) {
        throw new Error(
            `copy of ${state.sourceBucket}/${state.sourcePrefix} to ${state.bucket}/${state.keyPrefix}: ${(err as Error).message}`,
            { cause: err },
        );
    } finally {
        store.close();
    }
}

const bucketCopyProvider: pulumi.dynamic.ResourceProvider = {
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

    async create(inputs: BucketCopyState): Promise<pulumi.dynamic.CreateResult> {
        await apply(inputs, {});
        return { id: randomUUID(), outs: inputs };
    },

    async update(_id: string, olds: BucketCopyOutputs, news: BucketCopyState): Promise<pulumi.dynamic.UpdateResult> {
        await apply(news, olds.files);
        return { outs: news };
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

export class BucketCopy extends managedResource("BucketCopy", bucketCopyProvider) {
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
