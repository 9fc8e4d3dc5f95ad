// The bucket settings skymount declares beside each S3 bucket, with ids as @pulumi/aws v7 gives them
// (the bucket's name) and a new resource when the bucket changes. Each needs its bucket to exist, as
// on S3, and is gone when its bucket is (a refresh after the bucket was deleted drops them, so the
// next `up` makes them again). Versioning is applied on the data plane (objects keep versions; deleting the resource
// suspends it, as the real provider does); the public access block, ownership controls and default
// encryption are kept as state only: MinIO has no public ACLs or object ownership to switch off, and
// its SSE-S3 needs a KMS the testbed does not run.
import { GetBucketVersioningCommand, PutBucketVersioningCommand } from "@aws-sdk/client-s3";
import type { Props, ResourceModel } from "../resourceModel";
import { stateOnlyModel } from "../resourceModel";
import { bucketExists, dataPlaneS3, requireBucket } from "./dataPlane";

const regionOf = (inputs: Props) => String(inputs.region ?? "us-east-1");
const bucketSetting = (what: string) =>
    stateOnlyModel({
        replaceOn: ["bucket", "region", "expectedBucketOwner"],
        id: (inputs) => String(inputs.bucket),
        computed: (inputs) => ({ region: regionOf(inputs) }),
        precondition: async (inputs) => await requireBucket(String(inputs.bucket), what),
        exists: async (state) => await bucketExists(String(state.bucket)),
    });

async function putVersioning(inputs: Props, status: string): Promise<void> {
    await dataPlaneS3().send(
        new PutBucketVersioningCommand({
            Bucket: String(inputs.bucket),
            VersioningConfiguration: { Status: status as "Enabled" | "Suspended" },
        }),
    );
}

const statusOf = (inputs: Props) => String((inputs.versioningConfiguration as { status?: string } | undefined)?.status ?? "Enabled");

const versioningModel: ResourceModel = {
    replaceOn: ["bucket", "region", "expectedBucketOwner"],
    async create(inputs) {
        await requireBucket(String(inputs.bucket), "S3 Bucket Versioning");
        await putVersioning(inputs, statusOf(inputs));
        return { id: String(inputs.bucket), outs: { ...inputs, region: regionOf(inputs) } };
    },
    // The server's status, so that a refresh sees versioning switched out of band.
    async read(_id, state) {
        if (!(await bucketExists(String(state.bucket)))) return undefined;
        const now = await dataPlaneS3().send(new GetBucketVersioningCommand({ Bucket: String(state.bucket) }));
        return { ...state, versioningConfiguration: { ...(state.versioningConfiguration as object), status: now.Status ?? "Disabled" } };
    },
    async update(_id, _olds, news) {
        await putVersioning(news, statusOf(news));
        return { ...news, region: regionOf(news) };
    },
    async delete(_id, state) {
        if (statusOf(state) === "Enabled") await putVersioning(state, "Suspended");
    },
};

export const s3BucketSettingModels: Record<string, ResourceModel> = {
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": bucketSetting("S3 Bucket Public Access Block"),
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": bucketSetting("S3 Bucket Ownership Controls"),
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": bucketSetting(
        "S3 Bucket Server-side Encryption Configuration",
    ),
    "aws:s3/bucketVersioning:BucketVersioning": versioningModel,
};
