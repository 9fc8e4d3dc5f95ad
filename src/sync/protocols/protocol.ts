// One data-path protocol: how skymount writes to, copies inside and keeps records on a store that
// speaks it (the S3 API, the Azure Blob API). The engine never asks which store it has: it looks the
// target's `kind` up in registry.ts and uses what the protocol opens. A store family
// (src/storeFamilies/) says which protocol its buckets speak by the `kind` of the target it builds.
import type { CredentialValues } from "../../model/storageRef";
import { CopyStore, isBucketNotFound, Listing, ObjectStore, RecordStore } from "../core/storeInterfaces";

export interface Protocol<T extends { kind: string }> {
    /** The target `kind` it serves. */
    kind: T["kind"];
    /** Where the store answers, for messages. */
    endpoint(target: T): string;
    /** What a sync writes through: uploads and deletes in `bucket`. */
    objectStore(target: T, credentials: CredentialValues | undefined, bucket: string): ObjectStore;
    /** What a server-side copy uses: lists, copies and deletes between buckets of the one endpoint. */
    copyStore(target: T, credentials: CredentialValues | undefined): CopyStore;
    /** Where records too large for the state are kept, in `bucket`. */
    recordStore(target: T, credentials: CredentialValues | undefined, bucket: string): RecordStore;
}

/** The full keys of a listing of `prefix` (keyed relative to it); none when the bucket does not exist: RecordStore.list. */
export async function keysOrNone(listing: Promise<Listing>, prefix: string): Promise<string[]> {
    try {
        return [...(await listing).keys()].map((key) => prefix + key);
    } catch (err) {
        if (isBucketNotFound(err)) return [];
        throw err;
    }
}
