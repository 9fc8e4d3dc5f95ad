// The IAM policy document that grants exactly some buckets (or prefixes of them), read-only or
// read-write: what an EC2 instance role (clouds/aws.ts) and a key pair for off-AWS hosts (stores/aws.ts) hold.
// Pure, and below both, since a store and a compute driver share it.
import { BucketGrant } from "./grant";

const READ_OBJECT = ["s3:GetObject"];
const WRITE_OBJECT = ["s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"];
const READ_BUCKET = ["s3:ListBucket", "s3:GetBucketLocation"];
const WRITE_BUCKET = ["s3:ListBucketMultipartUploads"];

export function s3AccessPolicy(grants: BucketGrant[]): object {
    const statements = grants.flatMap((g) => {
        const prefix = (g.prefix ?? "").replace(/^\/+|\/+$/g, "");
        const objects = `arn:aws:s3:::${g.bucket}/${prefix ? `${prefix}/` : ""}*`;
        const list: Record<string, unknown> = {
            Effect: "Allow",
            Action: g.readOnly ? READ_BUCKET : [...READ_BUCKET, ...WRITE_BUCKET],
            Resource: `arn:aws:s3:::${g.bucket}`,
        };
        // Listing is limited to the prefix too, so a volume on a prefix cannot see its neighbours.
        if (prefix) list.Condition = { StringLike: { "s3:prefix": [prefix, `${prefix}/*`] } };
        return [list, { Effect: "Allow", Action: g.readOnly ? READ_OBJECT : [...READ_OBJECT, ...WRITE_OBJECT], Resource: objects }];
    });
    return { Version: "2012-10-17", Statement: statements };
}
