// S3-compatible servers (MinIO, Wasabi, Backblaze B2, any server speaking the S3 API): configured by
// the `s3Compatible` block (which this family owns; R2 is its "r2" preset), buckets created or
// adopted through the S3 API (s3compatible/bucket.ts), syncs with the given keys. s3:// sources are
// buckets on the same endpoint, reached with the same keys.
import type { StoreFamily } from "./family";
import { givenKeysWriteAccess, s3Geesefs, s3BucketNameRules } from "./s3Api";
import { declareS3CompatibleBucket } from "./s3compatible/bucket";
import { s3CompatibleBlockEndpoint, s3CompatibleBlockIssues, s3CompatibleBlockRegion } from "./s3compatible/block";

function presetEndpoint(preset: string | undefined, region: string): string {
    if (preset === "wasabi") return `https://s3.${region}.wasabisys.com`;
    if (preset === "b2") return `https://s3.${region}.backblazeb2.com`;
    return "";
}

export const s3CompatibleFamily: StoreFamily = {
    name: "s3compatible",
    argsBlock: "s3Compatible",
    blockIssues: s3CompatibleBlockIssues,
    blockRequiredFor: "its endpoint and keys",
    bucketNameRules: s3BucketNameRules,
    copiesFrom: ["s3"],
    defaultRegion: "us-east-1",
    blockRegion: s3CompatibleBlockRegion,
    planBucket: ({ spec, region }) => {
        const preset = spec.s3Compatible?.preset;
        // Self-hosted servers rarely have wildcard DNS for virtual-host addressing.
        const selfHosted = preset === undefined || preset === "minio";
        return {
            endpoint: s3CompatibleBlockEndpoint(spec) || presetEndpoint(preset, region),
            pathStyle: spec.s3Compatible?.pathStyle ?? selfHosted,
        };
    },
    declareBucket: (name, plan, { given, parent }) => declareS3CompatibleBucket(name, plan, given, parent),
    writeAccess: (plan, _bucket, given) => givenKeysWriteAccess(plan, given),
    geesefs: s3Geesefs({ speaksV4: false }),
};
