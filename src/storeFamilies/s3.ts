// AWS S3: s3:// URIs, S3's bucket-name rules, the regional endpoint, a private bucket declared with
// @pulumi/aws (s3/bucket.ts), and syncs that write with the credentials `pulumi up` runs with.
import { parseSchemeUri } from "../internal/uri";
import type { StoreFamily } from "./family";
import { declareAwsBucket } from "./s3/bucket";
import { s3Geesefs, s3BucketNameRules, s3WriteTarget } from "./s3Api";

export const s3Family: StoreFamily = {
    name: "s3",
    argsBlock: "aws",
    uriForm: "s3://",
    parseUri: (source) => parseSchemeUri(source, "s3", "s3"),
    bucketNameRules: s3BucketNameRules,
    copiesFrom: ["s3"],
    defaultRegion: "us-east-1",
    planBucket: ({ region }) => ({ endpoint: `https://s3.${region}.amazonaws.com`, pathStyle: false }),
    declareBucket: (name, plan, { options, parent }) =>
        declareAwsBucket(name, plan, { versioning: options.aws?.versioning ?? false, hostKeys: options.aws?.hostKeys ?? false }, parent),
    // The program's own AWS credentials (the SDK's chain picks the endpoint from the region).
    writeAccess: (plan, _bucket, given) => ({ target: s3WriteTarget(plan, undefined), credentials: given }),
    geesefs: s3Geesefs({ speaksV4: true }),
};
