// What a server-side copy needs from a store: list a prefix as a manifest ("size:etag" per key),
// copy one object inside the store pinned to the version listed, delete keys. One implementation
// per store API (S3 and everything that speaks it; Azure Blob inside one account), chosen by the
// copy target's `kind` (a sync's target: an S3 endpoint, or an Azure Blob service whose one account
// holds source and destination containers), so BucketCopy's manifests and diffs stay the same
// whatever the store.
import { BlobClient, BlobError } from "../../clients/azureBlobClient";
import { clientForTarget } from "../../clients/s3Client";
import type { CredentialValues } from "../../model/storageRef";
import { deleteBlobs, listBlobs } from "./azureTransfer";
import { deleteKeys } from "./s3Transfer";
import { copyObject, listObjectPages, listPrefix, manifestOfListing } from "./serverCopy";
import type { CopyStore } from "../core/storeInterfaces";
import type { SyncTarget } from "../core/target";

export type { CopyStore } from "../core/storeInterfaces";

export function openCopyStore(target: SyncTarget, credentials: CredentialValues | undefined): CopyStore {
    if (target.kind === "azure") {
        if (!credentials) throw new Error("an Azure copy needs the storage account name and key");
        return azureCopyStore(new BlobClient({ endpoint: target.endpoint, account: credentials.accessKey, key: credentials.secretKey }));
    }
    const s3 = clientForTarget(target, credentials);
    return {
        list: (bucket, prefix) => listPrefix(s3, bucket, prefix),
        async *listPages(bucket, prefix) {
            for await (const page of listObjectPages(s3, bucket, prefix)) yield manifestOfListing(page);
        },
        copy: (source, bucket, key) => copyObject(s3, source, bucket, key),
        deleteKeys: (bucket, keys) => deleteKeys(s3, bucket, keys, target.singleDeletes),
        close: () => s3.destroy(),
    };
}

function azureCopyStore(client: BlobClient): CopyStore {
    return {
        list: async (container, prefix) => manifestOfListing(await listBlobs(client, container, prefix)),
        // The Blob client lists a prefix whole: one page.
        async *listPages(container, prefix) {
            yield manifestOfListing(await listBlobs(client, container, prefix));
        },
        async copy(source, container, blob) {
            const etag = source.fingerprint.slice(source.fingerprint.indexOf(":") + 1);
            try {
                await client.copyBlob(container, blob, { container: source.bucket, blob: source.key, etag });
            } catch (err) {
                if (err instanceof BlobError && err.status === 412)
                    throw new Error(`${source.bucket}/${source.key} changed since it was listed; run up again`, { cause: err });
                throw err;
            }
        },
        deleteKeys: (container, keys) => deleteBlobs(client, container, keys),
        close: () => client.destroy(),
    };
}
