// Moving files into an Azure Blob container: one Put Blob for small files; for large ones, blocks
// put in parallel (as many as an adaptive width finds worth it) and committed with one Put Block
// List. Every request is retried with backoff by the client (clients/azureBlobClient.ts), which
// opens the file again for each attempt. A failed upload leaves only uncommitted
// blocks, which Azure discards on its own after a week and which never show in the container, so
// there is nothing to abort. Azure has no multi-blob delete in its REST API outside batch
// requests: deletes go key by key, in parallel.
import { createReadStream } from "node:fs";
import { readFile } from "node:fs/promises";
import { BlobAccount, BlobClient, BlobError } from "../../clients/azureBlobClient";
import type { ListedBlob } from "../../clients/azureBlobXml";
import { BUFFERED_UPLOAD_BYTES, MULTIPART_THRESHOLD_BYTES, PART_SIZE_BYTES, UPLOAD_READ_CHUNK_BYTES } from "../../internal/limits";
import { runPool } from "../pool/pool";
import { partWidth } from "../pool/transferWidths";
import { BucketNotFoundError, Listing, ObjectStore } from "../core/storeInterfaces";

/** Single deletes in flight at once. */
const PARALLEL_DELETES = 16;

/** Block ids must be base64 of equal length within a blob: a zero-padded counter. */
export function blockId(index: number): string {
    return Buffer.from(`skymount-block-${String(index).padStart(6, "0")}`).toString("base64");
}

export async function uploadBlob(client: BlobClient, container: string, blob: string, file: string, size: number): Promise<void> {
    if (size < BUFFERED_UPLOAD_BYTES) {
        const content = await readFile(file);
        await client.putBlob(container, blob, { length: content.length, open: () => content });
        return;
    }
    if (size < MULTIPART_THRESHOLD_BYTES) {
        await client.putBlob(container, blob, {
            length: size,
            open: () => createReadStream(file, { highWaterMark: UPLOAD_READ_CHUNK_BYTES }),
        });
        return;
    }
    const blockCount = Math.ceil(size / PART_SIZE_BYTES);
    const ids = Array.from({ length: blockCount }, (_, i) => blockId(i));
    await runPool(
        ids.map((id, i) => ({
            label: `${blob} block ${i + 1}/${blockCount}`,
            run: async () => {
                const start = i * PART_SIZE_BYTES;
                const end = Math.min(size, start + PART_SIZE_BYTES);
                await client.putBlock(container, blob, id, {
                    length: end - start,
                    open: () => createReadStream(file, { start, end: end - 1, highWaterMark: UPLOAD_READ_CHUNK_BYTES }),
                });
            },
        })),
        { width: partWidth() },
    );
    await client.putBlockList(container, blob, ids);
}

/** Deletes blobs (absent ones are not an error): one request each, in parallel. */
export function deleteBlobs(client: BlobClient, container: string, blobs: string[]): Promise<void> {
    return runPool(
        blobs.map((blob) => ({ label: blob, run: () => client.deleteBlob(container, blob) })),
        PARALLEL_DELETES,
    );
}

/** Every blob under `prefix`, keyed relative to it; a container that does not exist rejects with a BucketNotFoundError. */
export async function listBlobs(client: BlobClient, container: string, prefix: string): Promise<Listing> {
    const listing: Listing = new Map();
    let blobs: ListedBlob[];
    try {
        blobs = await client.listBlobDetails(container, prefix);
    } catch (err) {
        if (err instanceof BlobError && err.status === 404) throw new BucketNotFoundError(container);
        throw err;
    }
    for (const blob of blobs) {
        const relative = blob.name.slice(prefix.length);
        if (relative !== "") listing.set(relative, { size: blob.size, etag: blob.etag, contentMd5: blob.contentMd5 });
    }
    return listing;
}

export function azureObjectStore(account: BlobAccount, container: string): ObjectStore {
    const client = new BlobClient(account);
    return {
        list: (prefix) => listBlobs(client, container, prefix),
        stat: async (keys) => {
            const found: Listing = new Map();
            await runPool(
                keys.map((key) => ({
                    label: key,
                    run: async () => {
                        const blob = await client.blobDetails(container, key);
                        if (blob) found.set(key, { size: blob.size, etag: blob.etag, contentMd5: blob.contentMd5 });
                    },
                })),
                32,
            );
            return found;
        },
        upload: (key, file, size) => uploadBlob(client, container, key, file, size),
        deleteKeys: (keys) => deleteBlobs(client, container, keys),
        close: () => client.destroy(),
    };
}
