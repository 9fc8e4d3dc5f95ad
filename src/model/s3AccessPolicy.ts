// The IAM policy document that grants exactly some buckets (or prefixes of them), read-only or
// read-write: what an EC2 instance role (computeDrivers/aws.ts) and a key pair for off-AWS hosts (storeFamilies/s3/bucket.ts) hold.
// Pure, and below both, since a store and a compute driver share it. test/unit/leastPrivilege.aws.test.ts
// runs these documents through an IAM policy evaluator: what they must allow and what they must deny.
import { BucketGrant } from "./grant";

const READ_OBJECT = ["s3:GetObject"];
const WRITE_OBJECT = ["s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"];
const READ_BUCKET = ["s3:ListBucket", "s3:GetBucketLocation"];
const WRITE_BUCKET = ["s3:ListBucketMultipartUploads"];

export function s3AccessPolicy(grants: BucketGrant[]): object {
    const statements = grants.flatMap((g): object[] => {
        const prefix = (g.prefix ?? "").replace(/^\/+|\/+$/g, "");
        const bucket = `arn:aws:s3:::${g.bucket}`;
        const objects = {
            Effect: "Allow",
            Action: g.readOnly ? READ_OBJECT : [...READ_OBJECT, ...WRITE_OBJECT],
            Resource: `${bucket}/${prefix ? `${prefix}/` : ""}*`,
        };
        if (!prefix)
            return [{ Effect: "Allow", Action: g.readOnly ? READ_BUCKET : [...READ_BUCKET, ...WRITE_BUCKET], Resource: bucket }, objects];
        // On a prefix, only listing can be limited by a condition: s3:prefix is a key of the listing actions alone, and a
        // condition on a key an action lacks never matches. So GetBucketLocation (the region, nothing more) is a
        // statement of its own, and ListBucketMultipartUploads, which would show every prefix's uploads, is left out.
        // The listing is limited to "<prefix>/*" ("*" matches nothing too, so "<prefix>/" is in, and geesefs always
        // lists "<dir>/"); a bare "<prefix>" would list its siblings' keys as well ("data" lists "data2/…").
        return [
            { Effect: "Allow", Action: ["s3:ListBucket"], Resource: bucket, Condition: { StringLike: { "s3:prefix": [`${prefix}/*`] } } },
            { Effect: "Allow", Action: ["s3:GetBucketLocation"], Resource: bucket },
            objects,
        ];
    });
    return { Version: "2012-10-17", Statement: statements };
}
