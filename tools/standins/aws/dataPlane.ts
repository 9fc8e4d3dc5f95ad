// Where the AWS stand-in keeps its buckets: an S3-compatible server (the testbed's MinIO), named by
// the environment the engine starts the plugin with. Without it the stand-in refuses to serve
// buckets rather than pretend to have made one.
import { HeadBucketCommand, S3Client } from "@aws-sdk/client-s3";
import type { MinioRoot } from "../../testbed/minioAdmin";

export const S3_ENDPOINT_ENV = "SKYMOUNT_STANDIN_AWS_S3_ENDPOINT";
export const ACCESS_KEY_ENV = "SKYMOUNT_STANDIN_AWS_ACCESS_KEY";
export const SECRET_KEY_ENV = "SKYMOUNT_STANDIN_AWS_SECRET_KEY";

/** The region the server signs in (the testbed's MinIO: us-east-1), whatever region a bucket names. */
export const S3_REGION_ENV = "SKYMOUNT_STANDIN_AWS_S3_REGION";

/** The server behind the stand-in and its root keys. */
export function dataPlaneRoot(): MinioRoot {
    const endpoint = process.env[S3_ENDPOINT_ENV];
    const accessKey = process.env[ACCESS_KEY_ENV];
    const secretKey = process.env[SECRET_KEY_ENV];
    if (!endpoint || !accessKey || !secretKey)
        throw new Error(`aws stand-in: ${S3_ENDPOINT_ENV}, ${ACCESS_KEY_ENV} and ${SECRET_KEY_ENV} must name the S3 server behind it`);
    return { endpoint, accessKey, secretKey, region: process.env[S3_REGION_ENV] ?? "us-east-1" };
}

let client: S3Client | undefined;

/** The data plane's S3 client. One server holds every "region"'s buckets, so requests are signed in its own. */
export function dataPlaneS3(): S3Client {
    const root = dataPlaneRoot();
    client ??= new S3Client({
        endpoint: root.endpoint,
        region: root.region,
        forcePathStyle: true,
        credentials: { accessKeyId: root.accessKey, secretAccessKey: root.secretKey },
        requestChecksumCalculation: "WHEN_REQUIRED",
        responseChecksumValidation: "WHEN_REQUIRED",
    });
    return client;
}

export function isNotFound(err: unknown): boolean {
    const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
    return e.name === "NotFound" || e.name === "NoSuchBucket" || e.$metadata?.httpStatusCode === 404;
}

export async function bucketExists(bucket: string): Promise<boolean> {
    try {
        await dataPlaneS3().send(new HeadBucketCommand({ Bucket: bucket }));
        return true;
    } catch (err) {
        if (isNotFound(err)) return false;
        throw err;
    }
}

/** The bucket exists, as the real provider finds when it configures one (else NoSuchBucket). */
export async function requireBucket(bucket: string, what: string): Promise<void> {
    try {
        await dataPlaneS3().send(new HeadBucketCommand({ Bucket: bucket }));
    } catch (err) {
        if (isNotFound(err))
            throw new Error(`creating ${what} (${bucket}): NoSuchBucket: The specified bucket does not exist`, { cause: err });
        throw err;
    }
}
