// Cloudflare R2: r2:// URIs, S3's bucket-name rules, the account's endpoint; configured by the
// `s3Compatible` block with preset "r2", and created like any S3-compatible bucket.
import { parseSchemeUri } from "../internal/uri";
import type { StoreFamily } from "./family";
import { givenKeysWriteAccess, s3Geesefs, s3BucketNameRules } from "./s3Api";
import { declareS3CompatibleBucket } from "./s3compatible/bucket";
import { s3CompatibleBlockEndpoint, s3CompatibleBlockRegion } from "./s3compatible/block";

export const r2Family: StoreFamily = {
    name: "r2",
    argsBlock: "s3Compatible",
    selectedByBlock: (spec) => spec.s3Compatible?.preset === "r2",
    blockRequiredFor: "its endpoint and keys",
    uriForm: "r2://",
    parseUri: (source) => parseSchemeUri(source, "r2", "r2"),
    bucketNameRules: s3BucketNameRules,
    copiesFrom: ["r2"],
    defaultRegion: "auto",
    blockRegion: s3CompatibleBlockRegion,
    planBucket: ({ spec }) => ({
        endpoint: s3CompatibleBlockEndpoint(spec) || `https://${spec.s3Compatible?.accountId}.r2.cloudflarestorage.com`,
        pathStyle: spec.s3Compatible?.pathStyle ?? false,
    }),
    declareBucket: (name, plan, { given, parent }) => declareS3CompatibleBucket(name, plan, given, parent),
    writeAccess: (plan, _bucket, given) => givenKeysWriteAccess(plan, given),
    geesefs: s3Geesefs({ speaksV4: true }),
};
