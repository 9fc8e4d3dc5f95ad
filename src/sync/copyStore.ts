// What a server-side copy needs from a store: list a prefix as a manifest ("size:etag" per key),
// copy one object inside the store pinned to the version listed, delete keys. One implementation
// per store API (S3 and everything that speaks it; Azure Blob inside one account), chosen by the
// copy target's `kind`, so BucketCopy's manifests and diffs stay the same whatever the store.
import { BlobClient, BlobError } from "../clients/azureBlobClient";
import { clientForTarget } from "../clients/s3Client";
import { deleteBlobs } from "./azureTransfer";
import { Manifest } from "./diff";
import type { SyncCredentials, SyncTarget } from "./objectStore";
import { copyObject, listPrefix, SourceObject } from "./serverCopy";
import { deleteKeys } from "./transfer";

/** Where both buckets are: a sync's target (S3 endpoint, or an Azure Blob service whose one account
 *  holds source and destination containers). `kind` is absent in copies made before Azure. */
export type CopyTarget = SyncTarget;
export type CopyCredentials = SyncCredentials;

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

export function openCopyStore(target: CopyTarget, credentials: CopyCredentials | undefined): CopyStore {
    if (target.kind === "azure") {
        if (!credentials) throw new Error("an Azure copy needs the storage account name and key");
        return azureCopyStore(new BlobClient({ endpoint: target.endpoint, account: credentials.accessKey, key: credentials.secretKey }));
    }
    const s3 = clientForTarget(target, credentials);
    return {
        list: (bucket, prefix) => listPrefix(s3, bucket, prefix),
        copy: (source, bucket, key) => copyObject(s3, source, bucket, key),
        deleteKeys: (bucket, keys) => deleteKeys(s3, bucket, keys, target.singleDeletes),
        close: () => s3.destroy(),
    };
}

function azureCopyStore(client: BlobClient): CopyStore {
    return {
        async list(container, prefix) {
            const manifest: Manifest = {};
            for (const blob of await client.listBlobDetails(container, prefix)) {
                const relative = blob.name.slice(prefix.length);
                if (relative !== "") manifest[relative] = `${blob.size}:${blob.etag}`;
            }
            return manifest;
        },
        async copy(source, container, blob) {
            const etag = source.fingerprint.slice(source.fingerprint.indexOf(":") + 1);
            try {
                await client.copyBlob(container, blob, { container: source.bucket, blob: source.key, etag });
            } catch (err) {
                if (err instanceof BlobError && err.status === 412) throw new Error(`${source.bucket}/${source.key} changed since it was listed; run up again`);
                throw err;
            }
        },
        deleteKeys: (container, keys) => deleteBlobs(client, container, keys),
        close: () => client.destroy(),
    };
}
