// The Azure Blob API as a data path: containers of one storage account, reached with the account's
// name and key (the credentials' access key and secret key). Uploads, listings and deletes are
// azureTransfer.ts's; a server-side copy is Copy Blob pinned to the listed ETag.
import type { CredentialValues } from "../../model/storageRef";
import { BlobAccount, BlobClient, BlobError } from "../../clients/azureBlobClient";
import type { AzureSyncTarget } from "../core/target";
import { azureObjectStore, deleteBlobs, listBlobs } from "./azureTransfer";
import { keysOrNone, Protocol } from "./protocol";
import { manifestOfListing } from "./serverCopy";

function accountOf(target: AzureSyncTarget, credentials: CredentialValues | undefined, container?: string): BlobAccount {
    if (!credentials) {
        throw new Error(`${container ? `container ${container}: ` : ""}Azure Blob needs the storage account name and key`);
    }
    return { endpoint: target.endpoint, account: credentials.accessKey, key: credentials.secretKey };
}

export const azureProtocol: Protocol<AzureSyncTarget> = {
    kind: "azure",
    endpoint: (target) => target.endpoint,
    objectStore: (target, credentials, container) => azureObjectStore(accountOf(target, credentials, container), container),
    copyStore(target, credentials) {
        const client = new BlobClient(accountOf(target, credentials));
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
    },
    recordStore(target, credentials, container) {
        const client = new BlobClient(accountOf(target, credentials, container));
        return {
            get: (key) => client.getBlob(container, key),
            put: (key, body) => client.putBlob(container, key, { length: body.length, open: () => body }),
            list: (prefix) => keysOrNone(listBlobs(client, container, prefix), prefix),
            deleteKeys: (keys) => deleteBlobs(client, container, keys),
            close: () => client.destroy(),
        };
    },
};
