// Google Cloud Storage: a bucket with uniform bucket-level access and public access prevention,
// retained when persistent; two service accounts (objectViewer, objectUser on this bucket only)
// with HMAC keys, which geesefs and the sync use through GCS's S3-compatible XML API.
import type * as gcpSdk from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "node:crypto";
import { loadOptional } from "../../internal/optionalModule";
import { CredentialValues } from "../../model/storageRef";
import type { DeclaredBucket } from "../declared";
import type { BucketPlan } from "../family";

export interface GcsBucketOptions {
    project?: pulumi.Input<string>;
}

/** A service-account ID (6-30 of [a-z0-9-], starting with a letter) unique to bucket and role. */
export function serviceAccountId(bucket: string, role: "ro" | "rw"): string {
    return `sky-${createHash("sha256").update(bucket).digest("hex").slice(0, 12)}-${role}`;
}

export function declareGcsBucket(name: string, plan: BucketPlan, options: GcsBucketOptions, parent: pulumi.Resource): DeclaredBucket {
    // @pulumi/gcp is large: only programs that use GCS load it.
    const gcp = loadOptional<typeof gcpSdk>("@pulumi/gcp", 'store: "gcs"');
    const bucket = new gcp.storage.Bucket(
        `${name}-bucket`,
        {
            name: plan.bucket,
            project: options.project,
            location: plan.region.toUpperCase(),
            storageClass: "STANDARD",
            uniformBucketLevelAccess: true,
            publicAccessPrevention: "enforced",
            forceDestroy: !plan.persistent,
        },
        { parent, retainOnDelete: plan.persistent },
    );
    const hmac = (role: "ro" | "rw"): pulumi.Output<CredentialValues> => {
        const account = new gcp.serviceaccount.Account(
            `${name}-${role}`,
            {
                accountId: serviceAccountId(plan.bucket, role),
                project: options.project,
                displayName: `skymount ${role === "ro" ? "reader" : "writer"} of ${plan.bucket}`,
            },
            { parent },
        );
        const member = new gcp.storage.BucketIAMMember(
            `${name}-${role}`,
            {
                bucket: bucket.name,
                role: role === "ro" ? "roles/storage.objectViewer" : "roles/storage.objectUser",
                member: pulumi.interpolate`serviceAccount:${account.email}`,
            },
            { parent },
        );
        const key = new gcp.storage.HmacKey(
            `${name}-${role}`,
            { serviceAccountEmail: account.email, project: options.project },
            { parent, additionalSecretOutputs: ["secret"], dependsOn: [member] },
        );
        return pulumi.secret(pulumi.all([key.accessId, key.secret]).apply(([accessKey, secretKey]) => ({ accessKey, secretKey })));
    };
    return { name: bucket.name, credentials: hmac("rw"), readOnlyCredentials: hmac("ro") };
}
