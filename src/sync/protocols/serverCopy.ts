// Copying objects inside one store, server-side: the store reads and writes the bytes, the machine
// running Pulumi only sends requests. A source prefix is listed as a manifest (relative key →
// "size:etag"); an object is copied with CopyObject, or past S3's 5 GiB CopyObject limit in parts
// with UploadPartCopy (aborted on failure so no parts are left billed). Copies carry no body, so the
// SDK's own retry strategy retries them on throttling and transient failures (s3Retry.ts).
import type { ListObjectsV2CommandOutput, S3Client } from "@aws-sdk/client-s3";
import { s3Sdk } from "../../clients/s3Sdk";
import { COPY_PART_SIZE_BYTES, COPY_PARTS_IN_FLIGHT, MAX_PARTS, SINGLE_COPY_MAX_BYTES } from "../../internal/limits";
import { Manifest } from "../core/diff";
import { multipartUpload } from "./multipart";
import { PoolError } from "../pool/pool";
import { sendRetriedBySdk } from "./s3Retry";
import { BucketNotFoundError, Listing, SourceObject } from "../core/storeInterfaces";

export type { SourceObject } from "../core/storeInterfaces";

export interface CopyLimits {
    /** Objects up to this size are copied with one CopyObject. */
    singleCopyBytes: number;
    /** Smallest part of a part copy; grown when the object would need more than 10,000 parts. */
    partBytes: number;
    /** Parts of one object copied at once. */
    partsInFlight: number;
}

export const DEFAULT_COPY_LIMITS: CopyLimits = {
    singleCopyBytes: SINGLE_COPY_MAX_BYTES,
    partBytes: COPY_PART_SIZE_BYTES,
    partsInFlight: COPY_PARTS_IN_FLIGHT,
};

/**
 * Every object under `prefix` in `bucket`, keyed relative to the prefix: what a copy lists as its
 * source, and what a sync's read and resume compare with the local files. A bucket that does not
 * exist rejects with a BucketNotFoundError.
 */
export async function listObjects(s3: S3Client, bucket: string, prefix: string): Promise<Listing> {
    const listing: Listing = new Map();
    for await (const page of listObjectPages(s3, bucket, prefix)) for (const [key, object] of page) listing.set(key, object);
    return listing;
}

/**
 * The same listing one page (up to 1,000 objects) at a time, the next page requested only when the
 * caller asks for it: a 100,000-object prefix is walked without holding it all.
 */
export async function* listObjectPages(s3: S3Client, bucket: string, prefix: string): AsyncGenerator<Listing> {
    for (let token: string | undefined; ;) {
        let page: ListObjectsV2CommandOutput;
        try {
            page = await s3.send(new (s3Sdk().ListObjectsV2Command)({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
        } catch (err) {
            if ((err as { name?: string }).name === "NoSuchBucket") throw new BucketNotFoundError(bucket);
            throw err;
        }
        const listing: Listing = new Map();
        for (const object of page.Contents ?? []) {
            const relative = object.Key!.slice(prefix.length);
            // The prefix's own "folder" marker would land on the destination's prefix itself.
            if (relative === "") continue;
            listing.set(relative, { size: object.Size ?? 0, etag: unquote(object.ETag ?? "") });
        }
        yield listing;
        if (!page.IsTruncated) return;
        token = page.NextContinuationToken;
    }
}

/** Every object under `prefix` in `bucket`: key relative to the prefix → "size:etag". */
export async function listPrefix(s3: S3Client, bucket: string, prefix: string): Promise<Manifest> {
    return manifestOfListing(await listObjects(s3, bucket, prefix));
}

/** A listing as a copy's manifest: "size:etag" per key. */
export function manifestOfListing(listing: Listing): Manifest {
    const manifest: Manifest = {};
    for (const [key, object] of listing) manifest[key] = `${object.size}:${object.etag}`;
    return manifest;
}

function unquote(etag: string): string {
    return etag.replace(/^"|"$/g, "");
}

/** The x-amz-copy-source value: the SDK sends it as given, so the key is URL-encoded here. */
function copySourceHeader(source: SourceObject): string {
    return `${source.bucket}/${encodeURIComponent(source.key).replace(/%2F/g, "/")}`;
}

function parseFingerprint(fingerprint: string): { size: number; etag: string } {
    const colon = fingerprint.indexOf(":");
    return { size: Number(fingerprint.slice(0, colon)), etag: `"${fingerprint.slice(colon + 1)}"` };
}

/**
 * Copies one object server-side. `CopySourceIfMatch` pins the version that was listed: an object
 * changed since then fails the copy instead of landing under a fingerprint it does not have.
 */
export async function copyObject(
    s3: S3Client,
    source: SourceObject,
    bucket: string,
    key: string,
    limits: CopyLimits = DEFAULT_COPY_LIMITS,
): Promise<void> {
    const { size, etag } = parseFingerprint(source.fingerprint);
    try {
        if (size <= limits.singleCopyBytes) {
            await sendRetriedBySdk(() =>
                s3.send(
                    new (s3Sdk().CopyObjectCommand)({
                        Bucket: bucket,
                        Key: key,
                        CopySource: copySourceHeader(source),
                        CopySourceIfMatch: etag,
                    }),
                ),
            );
            return;
        }
        await copyInParts(s3, source, size, etag, bucket, key, limits);
    } catch (err) {
        if (preconditionFailed(err))
            throw new Error(`${source.bucket}/${source.key} changed since it was listed; run up again`, { cause: err });
        throw err;
    }
}

function preconditionFailed(err: unknown): boolean {
    if (err instanceof PoolError) return err.failures.some((f) => preconditionFailed(f.error));
    return (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 412;
}

async function copyInParts(
    s3: S3Client,
    source: SourceObject,
    size: number,
    etag: string,
    bucket: string,
    key: string,
    limits: CopyLimits,
): Promise<void> {
    const partBytes = Math.max(limits.partBytes, Math.ceil(size / MAX_PARTS));
    const partCount = Math.ceil(size / partBytes);
    await multipartUpload(s3, bucket, key, partCount, limits.partsInFlight, async (UploadId, i) => {
        const start = i * partBytes;
        const end = Math.min(size, start + partBytes) - 1;
        const part = await sendRetriedBySdk(() =>
            s3.send(
                new (s3Sdk().UploadPartCopyCommand)({
                    Bucket: bucket,
                    Key: key,
                    UploadId,
                    PartNumber: i + 1,
                    CopySource: copySourceHeader(source),
                    CopySourceIfMatch: etag,
                    CopySourceRange: `bytes=${start}-${end}`,
                }),
            ),
        );
        return part.CopyPartResult!.ETag!;
    });
}
