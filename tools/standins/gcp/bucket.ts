// gcp:storage/bucket:Bucket as @pulumi/gcp v9 serves it, where skymount depends on it: the given
// name as the id, a new bucket when the name, location or project changes (the location compared
// as GCS stores it, upper case), GCS's self link and gs:// URL, and a bucket that still holds objects
// refused deletion unless forceDestroy is set. The bucket itself is a bucket on the data plane's
// MinIO (dataPlane.ts); labels, storage class, uniform access and public access prevention are state
// only (MinIO has no ACLs to switch off).
import { CreateBucketCommand, DeleteBucketCommand, DeleteObjectsCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import type { Props, ResourceModel } from "../resourceModel";
import { defaultProject, gcsBucketExists, gcsS3 } from "./dataPlane";
import { isNotFound } from "../aws/dataPlane";

/** The project number the stand-in reports for every project (GCP's are 12 digits). */
export const PROJECT_NUMBER = 123456789012;

function bucketOutputs(inputs: Props, created: string): Props {
    const name = String(inputs.name);
    const labels = (inputs.labels as Record<string, string> | undefined) ?? {};
    return {
        ...inputs,
        project: inputs.project ?? defaultProject(),
        projectNumber: PROJECT_NUMBER,
        location: String(inputs.location).toUpperCase(),
        forceDestroy: inputs.forceDestroy ?? false,
        storageClass: inputs.storageClass ?? "STANDARD",
        uniformBucketLevelAccess: inputs.uniformBucketLevelAccess ?? false,
        publicAccessPrevention: inputs.publicAccessPrevention ?? "inherited",
        labels,
        effectiveLabels: { ...labels, "goog-pulumi-provisioned": "true" },
        pulumiLabels: { ...labels, "goog-pulumi-provisioned": "true" },
        selfLink: `https://www.googleapis.com/storage/v1/b/${name}`,
        url: `gs://${name}`,
        rpo: "DEFAULT",
        softDeletePolicy: { retentionDurationSeconds: 604800, effectiveTime: created },
        versioning: { enabled: false },
        timeCreated: created,
        updated: new Date().toISOString(),
    };
}

async function deleteAllObjects(bucket: string): Promise<void> {
    const s3 = gcsS3();
    for (;;) {
        const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
        const objects = (listed.Contents ?? []).map((o) => ({ Key: o.Key! }));
        if (objects.length === 0) return;
        await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: objects, Quiet: true } }));
    }
}

export const gcsBucketModel: ResourceModel = {
    replaceOn: ["name", "location", "project", "customPlacementConfig", "enableObjectRetention", "hierarchicalNamespace"],
    // GCS stores the location upper case: "us-central1" and "US-CENTRAL1" are the same bucket (the provider's DiffSuppress).
    defaults: (inputs) => (typeof inputs.location === "string" ? { location: inputs.location.toUpperCase() } : {}),
    validate(inputs) {
        const failures: Array<{ property: string; reason: string }> = [];
        if (inputs.name === undefined) failures.push({ property: "name", reason: "Missing required property 'name'" });
        if (inputs.location === undefined) failures.push({ property: "location", reason: "Missing required property 'location'" });
        return failures;
    },
    async create(inputs) {
        const name = String(inputs.name);
        const outs = bucketOutputs(inputs, new Date().toISOString());
        try {
            await gcsS3().send(new CreateBucketCommand({ Bucket: name }));
        } catch (err) {
            throw new Error(`googleapi: creating bucket ${name}: ${(err as Error).name}: ${(err as Error).message}`, { cause: err });
        }
        return { id: name, outs };
    },
    read: async (id, state) => ((await gcsBucketExists(id)) ? { ...state, name: id } : undefined),
    update: async (_id, olds, news) => bucketOutputs({ ...news, name: news.name ?? olds.name }, String(olds.timeCreated)),
    async delete(id, state) {
        const s3 = gcsS3();
        if (state.forceDestroy === true) await deleteAllObjects(id);
        else {
            const listed = await s3.send(new ListObjectsV2Command({ Bucket: id, MaxKeys: 1 }));
            if ((listed.KeyCount ?? 0) > 0)
                throw new Error(`Error trying to delete bucket ${id} containing objects without \`force_destroy\` set to true`);
        }
        try {
            await s3.send(new DeleteBucketCommand({ Bucket: id }));
        } catch (err) {
            if (!isNotFound(err)) throw err;
        }
    },
};
