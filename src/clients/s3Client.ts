// One way to build an S3 client for any S3-compatible endpoint, used by the Storage client, the
// bucket resource and the sync engine (which pass a stored target with its keys spread in).
import type { S3Client } from "@aws-sdk/client-s3";
import { s3Sdk } from "./s3Sdk";

export interface S3Endpoint {
    /** The S3 API endpoint with scheme; undefined for AWS S3 itself (the SDK picks it from the region). */
    endpoint?: string;
    region: string;
    pathStyle: boolean;
    accessKey?: string;
    secretKey?: string;
}

/** `maxAttempts: 1` for callers that retry themselves (uploads of streamed bodies: sync/protocols/s3Retry.ts). */
export function createS3Client(target: S3Endpoint, options: { maxAttempts?: number } = {}): S3Client {
    return new (s3Sdk().S3Client)({
        endpoint: target.endpoint,
        region: target.region,
        forcePathStyle: target.pathStyle,
        credentials:
            target.accessKey && target.secretKey ? { accessKeyId: target.accessKey, secretAccessKey: target.secretKey } : undefined,
        // Checksums only where S3 requires them: several S3-compatible servers store the
        // aws-chunked framing of streamed uploads inside the object otherwise.
        requestChecksumCalculation: "WHEN_REQUIRED",
        responseChecksumValidation: "WHEN_REQUIRED",
        maxAttempts: options.maxAttempts ?? 5,
        // A bucket in another AWS region than the client's (a copy's source) answers with a redirect.
        followRegionRedirects: true,
    });
}
