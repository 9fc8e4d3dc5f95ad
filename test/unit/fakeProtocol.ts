// A data-path protocol that exists only in tests: buckets held in memory, registered through the
// protocol registry alone (src/sync/protocols/registry.ts). It shows that a store speaking a new
// protocol needs no change to the engine or the resources: BucketSync and BucketCopy run on it as
// they run on S3 and Azure Blob.
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { CopyStore, Listing, ObjectStore, RecordStore, StoredObject } from "../../src/sync/core/storeInterfaces";
import { BucketNotFoundError } from "../../src/sync/core/storeInterfaces";
import type { SyncTarget } from "../../src/sync/core/target";
import type { Protocol } from "../../src/sync/protocols/protocol";

export interface FakeTarget {
    kind: "fake";
}

/** The fake target, as the resources' states carry a target. */
export const FAKE_TARGET = { kind: "fake" } as unknown as SyncTarget;

/** Every bucket of the fake store: bucket → key → content. */
export const fakeBuckets = new Map<string, Map<string, Buffer>>();

function bucketOf(name: string): Map<string, Buffer> {
    const bucket = fakeBuckets.get(name);
    if (!bucket) throw new BucketNotFoundError(name);
    return bucket;
}

const described = (body: Buffer): StoredObject => ({ size: body.length, etag: createHash("md5").update(body).digest("hex") });

function listing(bucket: string, prefix: string): Listing {
    const found: Listing = new Map();
    for (const [key, body] of bucketOf(bucket))
        if (key.startsWith(prefix) && key !== prefix) found.set(key.slice(prefix.length), described(body));
    return found;
}

const asManifest = (found: Listing) => Object.fromEntries([...found].map(([key, object]) => [key, `${object.size}:${object.etag}`]));

function objectStore(bucket: string): ObjectStore {
    return {
        list: async (prefix) => listing(bucket, prefix),
        stat: async (keys) =>
            new Map(keys.filter((key) => bucketOf(bucket).has(key)).map((key) => [key, described(bucketOf(bucket).get(key)!)])),
        upload: async (key, file) => void bucketOf(bucket).set(key, await readFile(file)),
        deleteKeys: async (keys) => keys.forEach((key) => bucketOf(bucket).delete(key)),
        close: () => undefined,
    };
}

function copyStore(): CopyStore {
    return {
        list: async (bucket, prefix) => asManifest(listing(bucket, prefix)),
        async *listPages(bucket, prefix) {
            yield asManifest(listing(bucket, prefix));
        },
        async copy(source, bucket, key) {
            const body = bucketOf(source.bucket).get(source.key);
            if (!body || `${described(body).size}:${described(body).etag}` !== source.fingerprint) throw new Error(`${source.key} changed`);
            bucketOf(bucket).set(key, body);
        },
        deleteKeys: async (bucket, keys) => keys.forEach((key) => bucketOf(bucket).delete(key)),
        close: () => undefined,
    };
}

function recordStore(bucket: string): RecordStore {
    return {
        get: async (key) => fakeBuckets.get(bucket)?.get(key),
        put: async (key, body) => void bucketOf(bucket).set(key, body),
        list: async (prefix) => [...(fakeBuckets.get(bucket)?.keys() ?? [])].filter((key) => key.startsWith(prefix)),
        deleteKeys: async (keys) => keys.forEach((key) => bucketOf(bucket).delete(key)),
        close: () => undefined,
    };
}

export const fakeProtocol: Protocol<FakeTarget> = {
    kind: "fake",
    endpoint: () => "memory://fake",
    objectStore: (_target, _credentials, bucket) => objectStore(bucket),
    copyStore: () => copyStore(),
    recordStore: (_target, _credentials, bucket) => recordStore(bucket),
};
