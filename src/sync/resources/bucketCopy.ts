// BucketCopy: one resource per bucket URI in `sources`, keeping a prefix of the managed bucket equal
// to a prefix of another bucket on the same store (for Azure Blob, in the same storage account). The
// source's listing is taken by the program (so at preview too) and kept like a sync's manifest
// (records/): a local record by digest for the provider, the record in the state when small, else in
// the records location or the local cache; never in the bucket it fills. `summary` counts what
// changes and names the first 100 keys of each kind. What a copy does is the transfer engine's
// (engine/): `up` copies only what changed, server-side (the bytes never pass through the machine
// running Pulumi), in parallel, and deletes only objects this copy made earlier; objects others put
// in the bucket, and the source bucket itself, are never touched.
import * as pulumi from "@pulumi/pulumi";
import type { CredentialValues } from "../../model/storageRef";
import type { Manifest } from "../core/diff";
import type { TransferState } from "../core/state";
import { CopyStore, isBucketNotFound } from "../core/storeInterfaces";
import type { SyncTarget } from "../core/target";
import { copyPool } from "../pool/transferWidths";
import { endpointOf, openCopyStore } from "../protocols/registry";
import { LocalRecordRef, recordLocally } from "../records/manifestRecord";
import { noteCacheOnly, TransferArgs, transferInputs, transferOptions } from "../records/recordPlace";
import { transferCrud } from "../engine/crud";
import { alreadyCopied, heldCopies } from "../engine/drift";
import type { Transfer } from "../engine/transfer";
import { managedResource } from "../../resource/managedResource";

interface BucketCopyState extends TransferState {
    sourceBucket: string;
    /** "" or "some/dir/": the keys copied are those under it; `keyPrefix` is "<prefix><basename>/". */
    sourcePrefix: string;
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

const copyTransfer: Transfer<BucketCopyState> = {
    what: "copy",
    moved: "copied",
    settings: ["sourceBucket", "sourcePrefix"],
    describe: (state) =>
        `copy of ${state.sourceBucket}/${state.sourcePrefix} to ${state.bucket}/${state.keyPrefix} at ${endpointOf(state.target)}`,
    async manifestAgain(state) {
        const store = openCopyStore(state.target, state.credentials);
        try {
            return await store.list(state.sourceBucket, state.sourcePrefix);
        } finally {
            store.close();
        }
    },
    changedSince: (state) => `${state.sourceBucket}/${state.sourcePrefix} changed since the program listed it: run the command again`,
    open(state) {
        const store = openCopyStore(state.target, state.credentials);
        let copies: Promise<Manifest> | undefined;
        return {
            /**
             * Those whose copy is already in the destination with the source's size and MD5 ETag. The
             * destination is walked a page at a time: only the matches are kept, never the whole listing.
             */
            async alreadyThere(wanted) {
                const source: Manifest = {};
                wanted.paths.forEach((file, i) => (source[file] = wanted.fingerprints[i]));
                const present = new Set<string>();
                try {
                    for await (const page of store.listPages(state.bucket, state.keyPrefix)) {
                        const candidates = Object.keys(page).filter((key) => key in source);
                        for (const key of alreadyCopied(candidates, source, page)) present.add(key);
                    }
                } catch (err) {
                    if (!isBucketNotFound(err)) throw err;
                }
                return present;
            },
            move: (file, fingerprint, key) =>
                store.copy({ bucket: state.sourceBucket, key: state.sourcePrefix + file, fingerprint }, state.bucket, key),
            footprint: (size) => size,
            pool: () => copyPool(state.concurrency),
            deleteKeys: (keys) => store.deleteKeys(state.bucket, keys),
            held: async (recorded) => heldCopies(recorded, await (copies ??= listOrNothing(store, state.bucket, state.keyPrefix))),
            close: () => store.close(),
        };
    },
};

export const bucketCopyProvider = transferCrud(copyTransfer);

/**
 * The listing of `sourceBucket/sourcePrefix` for a BucketCopy, taken while the program runs (so at
 * preview too) and recorded locally by digest (records/manifestRecord.ts): only its digest, count and
 * bytes reach the engine. It is derived from the secret keys but holds none, so it is not kept secret.
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

export interface BucketCopyArgs extends TransferArgs {
    target: pulumi.Input<SyncTarget>;
    sourceBucket: string;
    sourcePrefix: string;
    bucket: pulumi.Input<string>;
    keyPrefix: string;
    /** The source listing as listSource recorded it. */
    listing: pulumi.Input<LocalRecordRef>;
    deleteOnDestroy: boolean;
}

export class BucketCopy extends managedResource("BucketCopy", bucketCopyProvider, { logs: true }) {
    /** "N added (…); N changed (…); N removed (…)" against the previous copy. */
    public readonly summary!: pulumi.Output<string>;

    constructor(name: string, args: BucketCopyArgs, opts?: pulumi.CustomResourceOptions) {
        const { listing, ...rest } = args;
        const ref = pulumi.output(listing);
        super(bucketCopyProvider, name, { ...rest, ...transferInputs(ref, args) }, transferOptions(opts), "skymount", "BucketCopy");
        noteCacheOnly(ref, args.recordsAt, `copy of ${args.sourceBucket}/${args.sourcePrefix}`, this);
    }
}
