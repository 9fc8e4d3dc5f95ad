// One multipart upload with its parts in parallel, completed in part order, and aborted if any part
// fails, so no parts are left stored (and billed) after a failure. What a part is (bytes from a
// file, or a range copied from another object) is the caller's, and so are its retries; creating,
// completing and aborting the upload are retried here (s3Retry.ts). Parts in flight are a fixed
// number or an adaptive width (adaptiveWidth.ts), which throttled parts narrow.
import type { S3Client } from "@aws-sdk/client-s3";
import { s3Sdk } from "../../clients/s3Sdk";
import { DEFAULT_RETRY_POLICY } from "../../internal/retry";
import type { AdaptiveWidth } from "../pool/adaptiveWidth";
import { runPool } from "../pool/pool";
import { sendWithRetries } from "./s3Retry";

/** Sends part `index` (0-based) of the upload and returns its ETag. */
export type SendPart = (uploadId: string, index: number) => Promise<string>;

export async function multipartUpload(
    s3: S3Client,
    bucket: string,
    key: string,
    partCount: number,
    partsInFlight: number | AdaptiveWidth,
    sendPart: SendPart,
): Promise<void> {
    const what = `multipart upload of ${bucket}/${key}`;
    const { UploadId } = await sendWithRetries(`${what}: create`, () =>
        s3.send(new (s3Sdk().CreateMultipartUploadCommand)({ Bucket: bucket, Key: key })),
    );
    const etags: string[] = [];
    try {
        await runPool(
            Array.from({ length: partCount }, (_, i) => ({
                label: `${key} part ${i + 1}/${partCount}`,
                run: async () => {
                    etags[i] = await sendPart(UploadId!, i);
                },
            })),
            { width: partsInFlight },
        );
        await sendWithRetries(`${what}: complete`, () =>
            s3.send(
                new (s3Sdk().CompleteMultipartUploadCommand)({
                    Bucket: bucket,
                    Key: key,
                    UploadId,
                    MultipartUpload: { Parts: etags.map((ETag, i) => ({ ETag, PartNumber: i + 1 })) },
                }),
            ),
        );
    } catch (err) {
        await sendWithRetries(
            `${what}: abort`,
            () => s3.send(new (s3Sdk().AbortMultipartUploadCommand)({ Bucket: bucket, Key: key, UploadId })),
            // Fewer tries: the upload has failed already, and a server that is gone should not hold the error back long.
            { policy: { ...DEFAULT_RETRY_POLICY, attempts: 3 } },
        ).catch(() => undefined);
        throw err;
    }
}
