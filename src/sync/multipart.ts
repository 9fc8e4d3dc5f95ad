// One multipart upload with its parts in parallel, completed in part order, and aborted if any part
// fails, so no parts are left stored (and billed) after a failure. What a part is (bytes from a
// file, or a range copied from another object) is the caller's.
import type { S3Client } from "@aws-sdk/client-s3";
import { s3Sdk } from "../clients/s3Sdk";
import { runPool } from "./pool";

/** Sends part `index` (0-based) of the upload and returns its ETag. */
export type SendPart = (uploadId: string, index: number) => Promise<string>;

export async function multipartUpload(
    s3: S3Client,
    bucket: string,
    key: string,
    partCount: number,
    partsInFlight: number,
    sendPart: SendPart,
): Promise<void> {
    const { UploadId } = await s3.send(new (s3Sdk().CreateMultipartUploadCommand)({ Bucket: bucket, Key: key }));
    const etags: string[] = [];
    try {
        await runPool(
            Array.from({ length: partCount }, (_, i) => ({
                label: `${key} part ${i + 1}/${partCount}`,
                run: async () => {
                    etags[i] = await sendPart(UploadId!, i);
                },
            })),
            partsInFlight,
        );
        await s3.send(
            new (s3Sdk().CompleteMultipartUploadCommand)({
                Bucket: bucket,
                Key: key,
                UploadId,
                MultipartUpload: { Parts: etags.map((ETag, i) => ({ ETag, PartNumber: i + 1 })) },
            }),
        );
    } catch (err) {
        await s3.send(new (s3Sdk().AbortMultipartUploadCommand)({ Bucket: bucket, Key: key, UploadId })).catch(() => undefined);
        throw err;
    }
}
