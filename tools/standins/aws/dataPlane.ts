// Where the AWS stand-in keeps its buckets: an S3-compatible server (the testbed's MinIO), named by
// the environment the engine starts the plugin with. Without it the stand-in refuses to serve
// buckets rather than pretend to have made one.
import { HeadBucketCommand, S3Client } from "@aws-sdk/client-s3";

export const S3_ENDPOINT_ENV = "SKYMOUNT_STANDIN_AWS_S3_ENDPOINT";
export const ACCESS_KEY_ENV = "SKYMOUNT_STANDIN_AWS_ACCESS_KEY";
export const SECRET_KEY_ENV = "SKYMOUNT_STANDIN_AWS_SECRET_KEY";

const clients = new Map<string, S3Client>();

/** The data plane's S3 client for a region (MinIO ignores the region; signatures carry it). */
export function s3For(region: string): S3Client {
    const endpoint = process.env[S3_ENDPOINT_ENV];
    const accessKeyId = process.env[ACCESS_KEY_ENV];
    const secretAccessKey = process.env[SECRET_KEY_ENV];
    if (!endpoint || !accessKeyId || !secretAccessKey)
        throw new Error(`aws stand-in: ${S3_ENDPOINT_ENV}, ${ACCESS_KEY_ENV} and ${SECRET_KEY_ENV} must name the S3 server behind it`);
    let client = clients.get(region);
    if (!client) {
        client = new S3Client({
            endpoint,
            region,
            forcePathStyle: true,
            credentials: { accessKeyId, secretAccessKey },
            requestChecksumCalculation: "WHEN_REQUIRED",
            responseChecksumValidation: "WHEN_REQUIRED",
        });
        clients.set(region, client);
    }
    return client;
}

export function isNotFound(err: unknown): boolean {
    const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
    return e.name === "NotFound" || e.name === "NoSuchBucket" || e.$metadata?.httpStatusCode === 404;
}

/** The bucket exists, as the real provider finds when it configures one (else NoSuchBucket). */
export async function requireBucket(bucket: string, region: string, what: string): Promise<void> {
    try {
        await s3For(region).send(new HeadBucketCommand({ Bucket: bucket }));
    } catch (err) {
        if (isNotFound(err))
            throw new Error(`creating ${what} (${bucket}): NoSuchBucket: The specified bucket does not exist`, { cause: err });
        throw err;
    }
}
