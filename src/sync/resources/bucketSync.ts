// BucketSync: one resource per source tree that keeps a bucket prefix equal to a local directory.
// Its state holds the manifest's digest, file count and total bytes, and the manifest itself only
// as a small compressed record (records/): the program writes the scanned manifest to a local record
// by digest, the provider reads it back, and a record too large for the state goes to the records
// location the user named, or stays in the local cache. Nothing of skymount's own goes to the bucket
// the sync fills, so the state stays bounded whatever the tree. `summary` counts what changes and
// names the first 100 paths of each kind, so `pulumi preview --diff` shows them. What a sync does is
// the transfer engine's (engine/); this module says where its files come from (a local tree) and how
// one goes up.
import * as pulumi from "@pulumi/pulumi";
import * as path from "node:path";
import type { Manifest } from "../core/diff";
import { sizeOfFingerprint } from "../core/fingerprint";
import type { EntryBatch } from "../core/recordDiff";
import type { TransferState } from "../core/state";
import { isBucketNotFound, Listing, ObjectStore } from "../core/storeInterfaces";
import type { SyncTarget } from "../core/target";
import { uploadFootprint, uploadPool } from "../pool/transferWidths";
import { endpointOf, openObjectStore } from "../protocols/registry";
import { LocalRecordRef, recordLocally } from "../records/manifestRecord";
import { noteCacheOnly, TransferArgs, transferInputs, transferOptions } from "../records/recordPlace";
import { scanTree } from "../scan/manifest";
import { transferCrud } from "../engine/crud";
import { alreadyStored, heldFiles } from "../engine/drift";
import type { Transfer } from "../engine/transfer";
import { managedResource } from "../../resource/managedResource";

interface BucketSyncState extends TransferState {
    sourceDir: string;
    /** The extra ignore patterns of the program's scan: the provider scans with them when the local record is gone. */
    ignore?: string[];
}

/**
 * What the bucket holds of `wanted` (paths under `prefix`), for the resume check: the prefix's
 * listing, or, when few files changed against what the last sync recorded (`recordedFiles`), those
 * files asked for one by one. Listing a prefix of a million objects is a thousand pages in a row,
 * minutes, to learn about the one file that changed.
 */
export async function storedForResume(store: ObjectStore, prefix: string, wanted: string[], recordedFiles: number): Promise<Listing> {
    if (wanted.length > STAT_AT_MOST || wanted.length * 100 > recordedFiles) return listOrNothing(store, prefix);
    const stated = await store.stat(wanted.map((file) => prefix + file));
    return new Map([...stated].map(([key, object]) => [key.slice(prefix.length), object]));
}

/** Files changed at most for asking key by key (ObjectStore.stat) instead of listing. */
const STAT_AT_MOST = 10_000;

/** The prefix's listing; none when the bucket is not there (yet: its creation failed, or is someone else's business). */
async function listOrNothing(store: ObjectStore, prefix: string): Promise<Listing> {
    try {
        return await store.list(prefix);
    } catch (err) {
        if (isBucketNotFound(err)) return new Map();
        throw err;
    }
}

const syncTransfer: Transfer<BucketSyncState> = {
    what: "sync",
    moved: "uploaded",
    settings: ["sourceDir"],
    describe: (state) => `sync of ${state.sourceDir} to ${state.bucket}/${state.keyPrefix} at ${endpointOf(state.target)}`,
    manifestAgain: async (state) => (await scanTree(state.sourceDir, state.ignore ?? [])).manifest,
    changedSince: (state) => `${state.sourceDir} changed between the program's scan and this step: run the command again`,
    open(state) {
        const store = openObjectStore(state.target, state.credentials, state.bucket);
        let listing: Promise<Listing> | undefined;
        return {
            alreadyThere: async (wanted: EntryBatch, recordedFiles: number) =>
                alreadyStored(wanted, await storedForResume(store, state.keyPrefix, wanted.paths, recordedFiles), state.sourceDir),
            move: (file, fingerprint, key) => store.upload(key, path.join(state.sourceDir, file), sizeOfFingerprint(fingerprint)),
            footprint: uploadFootprint,
            pool: () => uploadPool(state.concurrency),
            deleteKeys: (keys) => store.deleteKeys(keys),
            held: async (recorded) => heldFiles(recorded, await (listing ??= listOrNothing(store, state.keyPrefix)), state.sourceDir),
            close: () => store.close(),
        };
    },
};

export const bucketSyncProvider = transferCrud(syncTransfer);

export interface BucketSyncArgs extends TransferArgs {
    /** Where the bucket lives: an S3 API endpoint, or (kind "azure") an Azure Blob service. */
    target: pulumi.Input<SyncTarget>;
    bucket: pulumi.Input<string>;
    keyPrefix: string;
    sourceDir: string;
    /** The extra ignore patterns the tree was scanned with. */
    ignore?: string[];
    /**
     * The scanned tree, as its local record's ref (records/scanRecord.ts: what SkyStorage passes), or
     * as the manifest, recorded locally by digest here. The digest, count and bytes go to the engine,
     * and the record itself when it is small enough for the state (records/recordPlace.ts).
     */
    scanned: pulumi.Input<LocalRecordRef> | { manifest: pulumi.Input<Manifest> };
    deleteOnDestroy: boolean;
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
            { ...rest, ignore: args.ignore ?? [], ...transferInputs(record, args) },
            transferOptions(opts),
            "skymount",
            "BucketSync",
        );
        noteCacheOnly(record, args.recordsAt, `sync of ${args.sourceDir}`, this);
    }
}
