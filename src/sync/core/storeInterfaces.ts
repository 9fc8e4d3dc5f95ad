// What the data path needs from a store, whatever its API: a sync puts files and deletes keys
// (ObjectStore), a server-side copy lists, copies and deletes (CopyStore), the records location keeps
// whole small objects (RecordStore). One implementation of each per protocol (protocols/), looked up
// by the target's `kind` in protocols/registry.ts.
import type { Manifest } from "./diff";

/** An object as a listing shows it: what a sync's read and resume compare with the local files. */
export interface StoredObject {
    size: number;
    /** Unquoted. S3: the MD5 in hex for a single-part upload, "<md5 of part md5s>-<parts>" for a multipart one. */
    etag: string;
    /** Azure: the blob's Content-MD5 (base64), which Put Blob records; absent after Put Block List. */
    contentMd5?: string;
}

/** Every object under a prefix: key relative to the prefix → what the listing says of it. */
export type Listing = Map<string, StoredObject>;

/** The bucket (or container) itself is gone. */
export class BucketNotFoundError extends Error {
    constructor(readonly bucket: string) {
        super(`bucket ${bucket} does not exist`);
    }
}

export function isBucketNotFound(err: unknown): err is BucketNotFoundError {
    return err instanceof BucketNotFoundError;
}

export interface ObjectStore {
    /** Every object under `prefix`; rejects with a BucketNotFoundError when the bucket is gone. */
    list(prefix: string): Promise<Listing>;
    /**
     * What the listing would say of each of `keys` that exists (full keys; the result is keyed by
     * them), asked key by key: cheaper than listing a big prefix when few keys matter.
     */
    stat(keys: string[]): Promise<Listing>;
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
    /** The same, a page at a time (S3: 1,000 objects), each requested when the previous one is consumed. */
    listPages(bucket: string, prefix: string): AsyncIterable<Manifest>;
    /** Copies one listed object to `bucket/key`; fails if the source changed since it was listed. */
    copy(source: SourceObject, bucket: string, key: string): Promise<void>;
    /** Deletes keys; keys that are already gone are not an error. */
    deleteKeys(bucket: string, keys: string[]): Promise<void>;
    /** Releases connections. */
    close(): void;
}

/**
 * A records location's objects (records/recordStore.ts): whole small objects read back into memory,
 * not files streamed from disk, and one that is not there is an answer (undefined), not an error.
 */
export interface RecordStore {
    /** The object's content; undefined when it (or the bucket) does not exist. */
    get(key: string): Promise<Buffer | undefined>;
    put(key: string, body: Buffer): Promise<void>;
    /** Every key under `prefix` (full keys); none when the bucket does not exist. */
    list(prefix: string): Promise<string[]>;
    deleteKeys(keys: string[]): Promise<void>;
    close(): void;
}
