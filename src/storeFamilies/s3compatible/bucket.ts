// S3CompatibleBucket: a bucket on an S3-compatible store (MinIO, R2, Wasabi, B2), created and
// deleted through the S3 API. A bucket that already exists and that the given keys can reach is
// adopted, never deleted. With `persistent` the bucket and its objects survive `pulumi destroy`;
// without it, destroy empties and deletes a bucket this stack created.
import type { S3Client } from "@aws-sdk/client-s3";
import { s3Sdk } from "../../clients/s3Sdk";
import * as pulumi from "@pulumi/pulumi";
import { managedResource } from "../../resource/managedResource";
import { createS3Client } from "../../clients/s3Client";
import type { CredentialValues } from "../../model/storageRef";
import { deleteKeys } from "../../sync/protocols/s3Transfer";
import type { DeclaredBucket } from "../declared";
import { goneAdoptedMessage } from "../goneAdopted";
import type { BucketPlan } from "../family";

interface BucketState {
    target: { endpoint?: string; region: string; pathStyle: boolean };
    credentials?: CredentialValues;
    bucket: string;
    persistent: boolean;
}

interface BucketOutputs extends BucketState {
    /** True when the bucket existed before this stack: it is then never deleted. */
    adopted: boolean;
}

async function bucketExists(s3: S3Client, bucket: string): Promise<boolean> {
    try {
        await s3.send(new (s3Sdk().HeadBucketCommand)({ Bucket: bucket }));
        return true;
    } catch (err) {
        const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
        if (status === 404) return false;
        if (status === 403) {
            throw new Error(
                `bucket "${bucket}" exists but these credentials cannot reach it: choose another name, or use credentials that own it`,
                { cause: err },
            );
        }
        throw err;
    }
}

async function emptyBucket(s3: S3Client, bucket: string): Promise<void> {
    for (let token: string | undefined; ;) {
        const page = await s3.send(new (s3Sdk().ListObjectsV2Command)({ Bucket: bucket, ContinuationToken: token }));
        await deleteKeys(
            s3,
            bucket,
            (page.Contents ?? []).map((o) => o.Key!),
        );
        if (!page.IsTruncated) return;
        token = page.NextContinuationToken;
    }
}

function endpointOf(target: BucketState["target"]): string {
    return target.endpoint ?? `https://s3.${target.region}.amazonaws.com`;
}

export const bucketProvider: pulumi.dynamic.ResourceProvider = {
    async diff(_id: string, olds: BucketOutputs, news: BucketState): Promise<pulumi.dynamic.DiffResult> {
        const replaces = ["bucket", "target"].filter(
            (k) => JSON.stringify(olds[k as keyof BucketState]) !== JSON.stringify(news[k as keyof BucketState]),
        );
        const changes =
            replaces.length > 0 ||
            olds.persistent !== news.persistent ||
            JSON.stringify(olds.credentials) !== JSON.stringify(news.credentials);
        return { changes, replaces };
    },

    async create(inputs: BucketState): Promise<pulumi.dynamic.CreateResult> {
        const s3 = createS3Client({ ...inputs.target, ...inputs.credentials });
        try {
            const adopted = await bucketExists(s3, inputs.bucket);
            if (!adopted) {
                const location =
                    inputs.target.region && inputs.target.region !== "us-east-1" ? { LocationConstraint: inputs.target.region } : undefined;
                await s3.send(new (s3Sdk().CreateBucketCommand)({ Bucket: inputs.bucket, CreateBucketConfiguration: location as never }));
            }
            return { id: inputs.bucket, outs: { ...inputs, adopted } };
        } finally {
            s3.destroy();
        }
    },

    /**
     * `pulumi refresh`: a bucket this stack created and someone deleted is reported gone (no id), so
     * the engine drops it from the state and the next up creates it again, and the syncs into it,
     * whose own read finds nothing there, fill it again. A bucket that existed before the stack is not
     * skymount's to recreate: that fails, naming it.
     */
    async read(id: string, props: BucketOutputs): Promise<pulumi.dynamic.ReadResult> {
        const s3 = createS3Client({ ...props.target, ...props.credentials });
        try {
            if (await bucketExists(s3, props.bucket)) return { id, props };
        } catch (err) {
            throw new Error(`bucket ${props.bucket} at ${endpointOf(props.target)}: ${(err as Error).message}`, { cause: err });
        } finally {
            s3.destroy();
        }
        if (props.adopted) throw new Error(goneAdoptedMessage("bucket", props.bucket, endpointOf(props.target)));
        return {};
    },

    async update(_id: string, olds: BucketOutputs, news: BucketState): Promise<pulumi.dynamic.UpdateResult> {
        return { outs: { ...news, adopted: olds.adopted } };
    },

    async delete(_id: string, props: BucketOutputs): Promise<void> {
        if (props.persistent || props.adopted) return;
        const s3 = createS3Client({ ...props.target, ...props.credentials });
        try {
            if (!(await bucketExists(s3, props.bucket))) return;
            await emptyBucket(s3, props.bucket);
            await s3.send(new (s3Sdk().DeleteBucketCommand)({ Bucket: props.bucket }));
        } finally {
            s3.destroy();
        }
    },
};

export interface S3CompatibleBucketArgs {
    target: pulumi.Input<{ endpoint?: string; region: string; pathStyle: boolean }>;
    credentials?: pulumi.Input<CredentialValues>;
    bucket: string;
    persistent: boolean;
}

export class S3CompatibleBucket extends managedResource("S3CompatibleBucket", bucketProvider) {
    /** Whether the bucket existed before this stack (then it is never deleted). */
    public readonly adopted!: pulumi.Output<boolean>;

    constructor(name: string, args: S3CompatibleBucketArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            bucketProvider,
            name,
            { ...args, credentials: args.credentials === undefined ? undefined : pulumi.secret(args.credentials), adopted: undefined },
            { ...opts, additionalSecretOutputs: ["credentials"] },
            "skymount",
            "S3CompatibleBucket",
        );
    }
}

/** The bucket of an S3-compatible store (R2 included), reached with the given keys. */
export function declareS3CompatibleBucket(
    name: string,
    plan: BucketPlan,
    given: pulumi.Output<CredentialValues> | undefined,
    parent: pulumi.Resource,
): DeclaredBucket {
    const target = { endpoint: plan.endpoint, region: plan.region, pathStyle: plan.pathStyle };
    const bucket = new S3CompatibleBucket(
        `${name}-bucket`,
        { target, credentials: given, bucket: plan.bucket, persistent: plan.persistent },
        { parent },
    );
    return { name: bucket.id, credentials: given, readOnlyCredentials: given };
}
