// What the data path needs from a store, whatever its API: a sync puts files and deletes keys
// (ObjectStore), a server-side copy lists, copies and deletes (CopyStore). One implementation of each
// per protocol (s3Transfer.ts and serverCopy.ts; azureTransfer.ts), chosen by the target's `kind`.
import type { Manifest } from "./diff";

export interface ObjectStore {
    /** Uploads a local file of `size` bytes to `key`, replacing what is there. */
    upload(key: string, file: string, size: number): Promise<void>;
    /** Deletes keys; keys that are already gone are not an error. */
    deleteKeys(keys: string[]): Promise<void>;
    /** Releases connections. */
    close(): void;
}

/** One object of a copy's source listing. */
export interface SourceObject {
    bucket: string;
    key: string;
    /** The manifest's "size:etag" for it: the copy fails rather than copy any other version. */
    fingerprint: string;
}

export interface CopyStore {
    /** Every object under `prefix` in `bucket`: key relative to the prefix → "size:etag". */
    list(bucket: string, prefix: string): Promise<Manifest>;
    /** Copies one listed object to `bucket/key`; fails if the source changed since it was listed. */
    copy(source: SourceObject, bucket: string, key: string): Promise<void>;
    /** Deletes keys; keys that are already gone are not an error. */
    deleteKeys(bucket: string, keys: string[]): Promise<void>;
    /** Releases connections. */
    close(): void;
}
