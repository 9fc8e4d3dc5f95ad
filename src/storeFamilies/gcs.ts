// Google Cloud Storage through its S3-compatible XML API: gs:// URIs, GCS's bucket-name rules, a
// bucket with reader and writer HMAC keys (gcs/bucket.ts), syncs with the writer's key.
import { parseSchemeUri } from "../internal/uri";
import type { StoreFamily } from "./family";
import { declareGcsBucket } from "./gcs/bucket";
import { IPV4, s3Geesefs, s3WriteTarget } from "./s3Api";

/** GCS's bucket-name rules, as SkyPilot enforces them. */
export function gcsBucketNameRules(name: string): string[] {
    const broken: string[] = [];
    if (name.length < 3 || name.length > 222) broken.push("must be 3 to 222 characters long");
    if (!/^[a-z0-9][-a-z0-9._]*[a-z0-9]$/.test(name))
        broken.push("may contain only lowercase letters, digits, '.', '_' and '-', and must begin and end with a letter or digit");
    if (name.split(".").some((part) => part.length > 63)) broken.push("each dot-separated part must be at most 63 characters long");
    if (/\.\.|\.-|-\./.test(name)) broken.push("must not contain '..', '.-' or '-.'");
    if (IPV4.test(name)) broken.push("must not be formatted as an IP address");
    if (name.startsWith("goog") || /google|g00gle|go0gle|g0ogle/.test(name))
        broken.push('must not start with "goog" or contain "google" or a look-alike');
    return broken;
}

export const gcsFamily: StoreFamily = {
    name: "gcs",
    argsBlock: "gcp",
    uriForm: "gs://",
    parseUri: (source) => parseSchemeUri(source, "gs", "gcs"),
    bucketNameRules: gcsBucketNameRules,
    copiesFrom: ["gcs"],
    defaultRegion: "us-central1",
    planBucket: () => ({ endpoint: "https://storage.googleapis.com", pathStyle: false }),
    declareBucket: (name, plan, { options, parent }) => declareGcsBucket(name, plan, { project: options.gcp?.project }, parent),
    // The writer's HMAC key; GCS's XML API has no multi-object delete.
    writeAccess: (plan, bucket) => ({ target: s3WriteTarget(plan, plan.endpoint, true), credentials: bucket.credentials }),
    geesefs: s3Geesefs({ speaksV4: true }),
};
