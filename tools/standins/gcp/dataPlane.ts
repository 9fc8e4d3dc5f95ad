// Where the GCP stand-in keeps its buckets and HMAC keys: an S3-compatible server (the testbed's
// MinIO), named by the environment the engine starts the plugin with, and the project resources
// land in when the program names none (the real provider's GOOGLE_PROJECT). Without a server the
// stand-in refuses to serve buckets rather than pretend to have made one.
import { HeadBucketCommand, S3Client } from "@aws-sdk/client-s3";
import type { MinioRoot } from "../../testbed/minioAdmin";
import { isNotFound } from "../aws/dataPlane";

export const GCS_S3_ENDPOINT_ENV = "SKYMOUNT_STANDIN_GCP_S3_ENDPOINT";
export const GCS_ACCESS_KEY_ENV = "SKYMOUNT_STANDIN_GCP_ACCESS_KEY";
export const GCS_SECRET_KEY_ENV = "SKYMOUNT_STANDIN_GCP_SECRET_KEY";

/** The provider's default project, from the variables the real provider reads, in its order. */
export function defaultProject(): string {
    const project = process.env.GOOGLE_PROJECT ?? process.env.GOOGLE_CLOUD_PROJECT ?? process.env.CLOUDSDK_CORE_PROJECT;
    if (!project) throw new Error("project: required: give the resource's project, or set GOOGLE_PROJECT as for the real provider");
    return project;
}

/** The server behind the stand-in and its root keys. */
export function gcsRoot(): MinioRoot {
    const endpoint = process.env[GCS_S3_ENDPOINT_ENV];
    const accessKey = process.env[GCS_ACCESS_KEY_ENV];
    const secretKey = process.env[GCS_SECRET_KEY_ENV];
    if (!endpoint || !accessKey || !secretKey)
        throw new Error(
            `gcp stand-in: ${GCS_S3_ENDPOINT_ENV}, ${GCS_ACCESS_KEY_ENV} and ${GCS_SECRET_KEY_ENV} must name the S3 server behind it`,
        );
    return { endpoint, accessKey, secretKey, region: "us-east-1" };
}

let client: S3Client | undefined;

/** The data plane's S3 client (every GCS location's buckets on one server, signed in its region). */
export function gcsS3(): S3Client {
    const root = gcsRoot();
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

export async function gcsBucketExists(bucket: string): Promise<boolean> {
    try {
        await gcsS3().send(new HeadBucketCommand({ Bucket: bucket }));
        return true;
    } catch (err) {
        if (isNotFound(err)) return false;
        throw err;
    }
}
