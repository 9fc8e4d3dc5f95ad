// What a volume needs to know about a bucket: SkyStorage's `ref` output, or written by hand for a
// bucket managed elsewhere. Every field may be an Input (another resource's output), even one made in
// the same `up`: the mount scripts are built once it is known (src/skyVolume/givenVolumes.ts). The keys are kept secret. Shared by
// storage (which makes refs), volume and compute (which consume them).
import type * as pulumi from "@pulumi/pulumi";
import type { Store } from "./enums";

/** A bucket as a volume mounts it: SkyStorage's `ref` (or `readOnlyRef`), or written for a bucket managed elsewhere. */
export interface StorageRef {
    // A string in the schema, not the Store enum: Pulumi YAML 1.25 cannot assign an output's enum to an
    // input of the same enum, so `storage: ${data.ref}` was refused ("Cannot assign 'skymount:index:Store'
    // to 'skymount:index:Store'"). Validation still checks the value.
    /** The store family: s3, gcs, azure, r2 or s3compatible (see `Store`). Optional. Defaults to s3compatible. */
    store?: pulumi.Input<Store | string>;
    /** The bucket name. */
    bucket: pulumi.Input<string>;
    /**
     * The S3 API endpoint, with scheme: "https://s3.us-east-1.amazonaws.com", "http://10.0.0.1:9000";
     * for Azure, the Blob service endpoint: "https://myaccount.blob.core.windows.net".
     */
    endpoint: pulumi.Input<string>;
    /** The bucket's region. Optional. Defaults to "us-east-1". */
    region?: pulumi.Input<string>;
    /** Path-style requests (endpoint/bucket) instead of virtual-host style. Optional. Defaults to false. */
    pathStyle?: pulumi.Input<boolean>;
    /**
     * Static keys for the bucket, kept secret. Optional: without them the machine's own identity (an EC2 instance
     * role, a GCP service account) is used.
     * @secret
     */
    credentials?: pulumi.Input<StorageCredentials>;
    /** Whether the keys may only read, so writable volumes on them are refused. Optional. Defaults to false. */
    readOnly?: pulumi.Input<boolean>;
    /**
     * Azure: the container's resource ID. SkyCompute on Azure grants its VMs' managed identity Storage
     * Blob Data Reader (or Contributor, for writable volumes) there. Optional.
     */
    azureScope?: pulumi.Input<string>;
    /**
     * URNs of the resources that fill the bucket (SkyStorage's syncs and copies). SkyVolume mounts
     * after they finished, so a mount never starts on a half-filled bucket. Optional.
     */
    filledBy?: pulumi.Input<string[]>;
}

/** An S3 key pair; for Azure Blob, the storage account name (accessKey) and one of its keys (secretKey). */
export interface StorageCredentials {
    /** The access key ID (for Azure Blob, the storage account name). Kept secret. @secret */
    accessKey: pulumi.Input<string>;
    /** The secret access key (for Azure Blob, the account key). Kept secret. @secret */
    secretKey: pulumi.Input<string>;
}

/** StorageCredentials as the clients, the syncs' CRUD and the host scripts read them: resolved. */
export interface CredentialValues {
    accessKey: string;
    secretKey: string;
}
