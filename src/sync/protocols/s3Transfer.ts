// Moving files into a bucket over the S3 API: one PUT for small files, a multipart upload with
// parallel parts for large ones (aborted on failure so no parts are left billed), and batched
// deletes. Every upload request is retried with backoff on throttling and transient failures
// (s3Retry.ts). (Azure Blob: azureTransfer.ts.)
import type { S3Client } from "@aws-sdk/client-s3";
import { s3Sdk } from "../../clients/s3Sdk";
import { createReadStream, ReadStream } from "node:fs";
import { readFile } from "node:fs/promises";
import { createS3Client } from "../../clients/s3Client";
import { BUFFERED_UPLOAD_BYTES, MULTIPART_THRESHOLD_BYTES, PART_SIZE_BYTES, UPLOAD_READ_CHUNK_BYTES } from "../../internal/limits";
import type { CredentialValues } from "../../model/storageRef";
import { multipartUpload } from "./multipart";
import { PoolTask, runPool } from "../pool/pool";
import { sendWithRetries } from "./s3Retry";
import { listObjects } from "./serverCopy";
import { SignedPutter, UnhandledPutError } from "./signedPut";
import type { Listing, ObjectStore } from "../core/storeInterfaces";
import type { S3SyncTarget } from "../core/target";
import { partWidth } from "../pool/transferWidths";
/** S3's limit on keys per DeleteObjects call. */
const DELETE_BATCH = 1000;
/** Single deletes in flight at once. */
const PARALLEL_DELETES = 16;

/**
 * Uploads one file: one PUT (the file read whole below BUFFERED_UPLOAD_BYTES, streamed below
 * MULTIPART_THRESHOLD_BYTES), else a multipart upload whose parts in flight adapt. Each attempt
 * opens its own stream (s3Retry.ts), read in UPLOAD_READ_CHUNK_BYTES chunks.
 */
export async function uploadFile(s3: S3Client, bucket: string, key: string, file: string, size: number): Promise<void> {
    const what = `PUT ${bucket}/${key}`;
    if (size < BUFFERED_UPLOAD_BYTES) {
        const body = await readFile(file);
        await sendWithRetries(what, () => s3.send(new (s3Sdk().PutObjectCommand)({ Bucket: bucket, Key: key, Body: body })));
        return;
    }
    if (size < MULTIPART_THRESHOLD_BYTES) {
        await sendWithRetries(what, () =>
            s3.send(new (s3Sdk().PutObjectCommand)({ Bucket: bucket, Key: key, Body: fileRange(file, 0, size), ContentLength: size })),
        );
        return;
    }
    const partCount = Math.ceil(size / PART_SIZE_BYTES);
    await multipartUpload(s3, bucket, key, partCount, partWidth(), async (UploadId, i) => {
        const start = i * PART_SIZE_BYTES;
        const end = Math.min(size, start + PART_SIZE_BYTES);
        const part = await sendWithRetries(`${what} part ${i + 1}/${partCount}`, () =>
            s3.send(
                new (s3Sdk().UploadPartCommand)({
                    Bucket: bucket,
                    Key: key,
                    UploadId,
                    PartNumber: i + 1,
                    Body: fileRange(file, start, end),
                    ContentLength: end - start,
                }),
            ),
        );
        return part.ETag!;
    });
}

/** Bytes [start, end) of a file as a stream read in large chunks. */
export function fileRange(file: string, start: number, end: number): ReadStream {
    return createReadStream(file, { start, end: end - 1, highWaterMark: UPLOAD_READ_CHUNK_BYTES });
}

/** Deletes keys in batches; `oneByOne` for stores without multi-object delete (GCS's XML API). */
export async function deleteKeys(s3: S3Client, bucket: string, keys: string[], oneByOne = false): Promise<void> {
    if (oneByOne) {
        await runPool(
            keys.map((Key) => ({
                label: Key,
                run: async () => void (await s3.send(new (s3Sdk().DeleteObjectCommand)({ Bucket: bucket, Key }))),
            })),
            PARALLEL_DELETES,
        );
        return;
    }
    const requests: PoolTask[] = [];
    for (let i = 0; i < keys.length; i += DELETE_BATCH) {
        const batch = keys.slice(i, i + DELETE_BATCH);
        requests.push({
            label: `${batch.length} keys from ${batch[0]}`,
            run: async () => {
                const result = await s3.send(
                    new (s3Sdk().DeleteObjectsCommand)({ Bucket: bucket, Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true } }),
                );
                if (result.Errors?.length) {
                    const first = result.Errors[0];
                    throw new Error(
                        `deleting ${result.Errors.length} of ${batch.length} objects failed; first: ${first.Key}: ${first.Code} ${first.Message}`,
                    );
                }
            },
        });
    }
    // A few requests at once: a million keys are a thousand requests, minutes one after the other.
    if (requests.length === 1) return requests[0].run();
    await runPool(requests, PARALLEL_DELETE_REQUESTS);
}

/** DeleteObjects requests (1,000 keys each) in flight at once. */
const PARALLEL_DELETE_REQUESTS = 4;

/** HEADs at once when asking key by key (ObjectStore.stat). */
const PARALLEL_STATS = 32;

/** What a listing would say of each key that exists, by HEAD requests. */
export async function statObjects(s3: S3Client, bucket: string, keys: string[]): Promise<Listing> {
    const found: Listing = new Map();
    await runPool(
        keys.map((Key) => ({
            label: Key,
            run: async () => {
                try {
                    const head = await s3.send(new (s3Sdk().HeadObjectCommand)({ Bucket: bucket, Key }));
                    found.set(Key, { size: head.ContentLength ?? 0, etag: (head.ETag ?? "").replace(/^"|"$/g, "") });
                } catch (err) {
                    const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
                    if ((err as { name?: string }).name === "NotFound" || status === 404) return;
                    throw err;
                }
            },
        })),
        PARALLEL_STATS,
    );
    return found;
}

export function s3ObjectStore(target: S3SyncTarget, credentials: CredentialValues | undefined, bucket: string): ObjectStore {
    const s3 = createS3Client({ ...target, ...credentials });
    // Uploads retry themselves, each attempt with a fresh stream (s3Retry.ts): the SDK's own retries are off for them.
    const uploads = createS3Client({ ...target, ...credentials }, { maxAttempts: 1 });
    // Small files with static keys go through one signed request each (signedPut.ts); without keys
    // the SDK's credential chain is needed, and after the first request the fast path cannot
    // handle, the SDK takes every file.
    const putter = credentials ? new SignedPutter({ ...target, ...credentials }) : undefined;
    let fastPath = putter !== undefined;
    const upload = async (key: string, file: string, size: number): Promise<void> => {
        if (fastPath && size < BUFFERED_UPLOAD_BYTES) {
            try {
                return await putter!.put(bucket, key, await readFile(file));
            } catch (err) {
                if (!(err instanceof UnhandledPutError)) throw err;
                fastPath = false;
            }
        }
        await uploadFile(uploads, bucket, key, file, size);
    };
    return {
        list: (prefix) => listObjects(s3, bucket, prefix),
        stat: (keys) => statObjects(s3, bucket, keys),
        upload,
        deleteKeys: (keys) => deleteKeys(s3, bucket, keys, target.singleDeletes),
        close: () => {
            putter?.close();
            s3.destroy();
            uploads.destroy();
        },
    };
}
