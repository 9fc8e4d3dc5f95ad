// AWS S3: a private bucket (public access blocked, bucket-owner-enforced ownership, server-side
// encryption, optional versioning); persistent buckets are retained on destroy. Key pairs for hosts
// outside AWS are made only when asked for: on EC2, machines use their instance role instead.
import type * as awsSdk from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { loadOptional } from "../../internal/optionalModule";
import { s3AccessPolicy } from "../../model/s3AccessPolicy";
import { CredentialValues } from "../../model/storageRef";
import type { DeclaredBucket } from "../declared";
import type { BucketPlan } from "../family";

export interface AwsBucketOptions {
    versioning: boolean;
    hostKeys: boolean;
}

/** @pulumi/aws takes most of a second to load: only programs that use AWS pay for it. */
function loadAws(): typeof awsSdk {
    return loadOptional<typeof awsSdk>("@pulumi/aws", 'store: "s3"');
}

function keyPair(name: string, bucket: pulumi.Output<string>, readOnly: boolean, parent: pulumi.Resource): pulumi.Output<CredentialValues> {
    const aws = loadAws();
    const user = new aws.iam.User(name, {}, { parent });
    new aws.iam.UserPolicy(
        name,
        { user: user.name, policy: bucket.apply((b) => JSON.stringify(s3AccessPolicy([{ bucket: b, readOnly }]))) },
        { parent },
    );
    const key = new aws.iam.AccessKey(name, { user: user.name }, { parent, additionalSecretOutputs: ["secret"] });
    return pulumi.secret(pulumi.all([key.id, key.secret]).apply(([accessKey, secretKey]) => ({ accessKey, secretKey })));
}

export function declareAwsBucket(name: string, plan: BucketPlan, options: AwsBucketOptions, parent: pulumi.Resource): DeclaredBucket {
    const aws = loadAws();
    // A persistent bucket outlives the stack: `pulumi destroy` forgets it instead of deleting it.
    const keep = { parent, retainOnDelete: plan.persistent };
    const bucket = new aws.s3.Bucket(`${name}-bucket`, { bucket: plan.bucket, region: plan.region, forceDestroy: !plan.persistent }, keep);
    new aws.s3.BucketPublicAccessBlock(
        `${name}-public-access`,
        {
            bucket: bucket.id,
            region: plan.region,
            blockPublicAcls: true,
            blockPublicPolicy: true,
            ignorePublicAcls: true,
            restrictPublicBuckets: true,
        },
        keep,
    );
    new aws.s3.BucketOwnershipControls(
        `${name}-ownership`,
        { bucket: bucket.id, region: plan.region, rule: { objectOwnership: "BucketOwnerEnforced" } },
        keep,
    );
    new aws.s3.BucketServerSideEncryptionConfiguration(
        `${name}-encryption`,
        { bucket: bucket.id, region: plan.region, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] },
        keep,
    );
    if (options.versioning) {
        new aws.s3.BucketVersioning(
            `${name}-versioning`,
            { bucket: bucket.id, region: plan.region, versioningConfiguration: { status: "Enabled" } },
            keep,
        );
    }
    const bucketName = bucket.bucket;
    return {
        name: bucketName,
        credentials: options.hostKeys ? keyPair(`${name}-host-rw`, bucketName, false, parent) : undefined,
        readOnlyCredentials: options.hostKeys ? keyPair(`${name}-host-ro`, bucketName, true, parent) : undefined,
    };
}
