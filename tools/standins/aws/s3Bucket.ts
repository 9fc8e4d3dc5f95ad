// aws:s3/bucket:Bucket as @pulumi/aws v7 serves it, where skymount depends on it: the name (given,
// or autonamed `<name>-<7 hex>` and kept across updates), a new bucket when the name, prefix, region
// or object lock changes, ids and ARNs in AWS's formats, and a bucket that still holds objects
// refused deletion unless forceDestroy is set (then its objects and versions go first). The bucket
// itself is made on the data plane (dataPlane.ts).
import { CreateBucketCommand, DeleteBucketCommand, DeleteObjectsCommand, ListObjectVersionsCommand } from "@aws-sdk/client-s3";
import { randomBytes } from "node:crypto";
import type { Props, ResourceModel } from "../resourceModel";
import { bucketExists, dataPlaneS3, isNotFound } from "./dataPlane";

/** Route 53 hosted zones of S3's website endpoints, per region (the bucket's hostedZoneId output). */
const HOSTED_ZONES: Record<string, string> = {
    "us-east-1": "Z3AQBSTGFYJSTF",
    "us-east-2": "Z2O1EMRO9K5GLX",
    "us-west-1": "Z2F56UZL2M1ACD",
    "us-west-2": "Z3BJ6K6RIION7M",
    "eu-west-1": "Z1BKCTXD74EZPE",
    "eu-central-1": "Z21DNDUVLTQW6Q",
};

const DEFAULT_REGION = "us-east-1";

function bucketOutputs(inputs: Props): Props {
    const bucket = String(inputs.bucket);
    const region = String(inputs.region ?? DEFAULT_REGION);
    const hostedZoneId = HOSTED_ZONES[region];
    if (!hostedZoneId) throw new Error(`aws stand-in: region ${region} is not modelled (tools/standins/aws/s3Bucket.ts)`);
    return {
        ...inputs,
        region,
        forceDestroy: inputs.forceDestroy ?? false,
        objectLockEnabled: inputs.objectLockEnabled ?? false,
        arn: `arn:aws:s3:::${bucket}`,
        bucketDomainName: `${bucket}.s3.amazonaws.com`,
        bucketRegionalDomainName: `${bucket}.s3.${region}.amazonaws.com`,
        hostedZoneId,
        requestPayer: "BucketOwner",
        tags: inputs.tags ?? {},
        tagsAll: inputs.tags ?? {},
    };
}

async function emptyBucket(bucket: string): Promise<void> {
    const s3 = dataPlaneS3();
    for (;;) {
        const listed = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket }));
        const objects = [...(listed.Versions ?? []), ...(listed.DeleteMarkers ?? [])].map((v) => ({ Key: v.Key!, VersionId: v.VersionId }));
        if (objects.length === 0) return;
        await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: objects, Quiet: true } }));
    }
}

export const s3BucketModel: ResourceModel = {
    replaceOn: ["bucket", "bucketPrefix", "region", "objectLockEnabled"],
    defaults(inputs, name, olds) {
        if (inputs.bucket !== undefined) return {};
        // An autoname is made once and kept: a new one at every Check would replace the bucket.
        if (olds?.bucket !== undefined && olds.bucketPrefix === inputs.bucketPrefix) return { bucket: olds.bucket };
        const prefix = typeof inputs.bucketPrefix === "string" ? inputs.bucketPrefix : `${name}-`;
        return { bucket: `${prefix}${randomBytes(4).toString("hex").slice(0, 7)}` };
    },
    async create(inputs) {
        const outs = bucketOutputs(inputs);
        const bucket = String(outs.bucket);
        try {
            await dataPlaneS3().send(new CreateBucketCommand({ Bucket: bucket }));
        } catch (err) {
            throw new Error(`creating S3 Bucket (${bucket}): ${(err as Error).name}: ${(err as Error).message}`, { cause: err });
        }
        return { id: bucket, outs };
    },
    read: async (id, state) => ((await bucketExists(id)) ? bucketOutputs({ ...state, bucket: id }) : undefined),
    update: async (_id, olds, news) => bucketOutputs({ ...news, bucket: news.bucket ?? olds.bucket }),
    async delete(id, state) {
        const s3 = dataPlaneS3();
        if (state.forceDestroy === true) await emptyBucket(id);
        else {
            // Older versions and delete markers count too, as on S3.
            const listed = await s3.send(new ListObjectVersionsCommand({ Bucket: id, MaxKeys: 1 }));
            if ((listed.Versions?.length ?? 0) + (listed.DeleteMarkers?.length ?? 0) > 0)
                throw new Error(
                    `deleting S3 Bucket (${id}): BucketNotEmpty: The bucket you tried to delete is not empty. ` +
                        "You must delete all versions in the bucket.",
                );
        }
        try {
            await s3.send(new DeleteBucketCommand({ Bucket: id }));
        } catch (err) {
            if (!isNotFound(err)) throw err;
        }
    },
};
