// SkyStorage's arguments as a program gives them: the one definition of their shape. The schema is
// inferred from these interfaces (their doc comments are the descriptions, `@secret` and `@integer`
// tags annotate properties), the type check of the arguments is derived from the schema
// (internal/inputShape.ts), and the plain spec validation reads is derived from the types
// (storageSpec.ts). They live in model/ because the store families read that spec too. What decides
// which resources exist (the store, the sources, the bucket's name, whether it is kept) is plain; the
// rest are Inputs: known at preview they are validated there, unknown they go on to the resources that
// use them (skyStorage/givenArgs.ts).
import type * as pulumi from "@pulumi/pulumi";
import type { S3CompatiblePreset, Store } from "./enums";

/** An S3-compatible store: MinIO, R2, Wasabi, Backblaze B2 or any server speaking the S3 API. */
export interface S3Compatible {
    /** The S3 API URL with scheme. Optional with a preset that knows it (r2, wasabi, b2). */
    endpoint?: pulumi.Input<string>;
    /** r2, wasabi, b2 or minio: fills in the endpoint only. Optional. Must be known at preview. */
    preset?: pulumi.Input<S3CompatiblePreset>;
    /** Cloudflare account ID, for the r2 preset's endpoint. Optional. */
    accountId?: pulumi.Input<string>;
    /** The region. Optional. Defaults to "us-east-1" ("auto" for R2, "us-west-004" for B2). */
    region?: pulumi.Input<string>;
    /** Path-style requests. Optional. Defaults to true for MinIO and other self-hosted servers, false for presets. Must be known at preview. */
    pathStyle?: pulumi.Input<boolean>;
    /** Access key. Kept secret. Optional. @secret */
    accessKey?: pulumi.Input<string>;
    /** Secret key. Kept secret. Optional. @secret */
    secretKey?: pulumi.Input<string>;
}

/** AWS S3 options. */
export interface AwsStorage {
    /** Keep every object version. Optional. Defaults to false. Must be known at preview. */
    versioning?: pulumi.Input<boolean>;
    /**
     * Make IAM users with key pairs scoped to the bucket (read-write for `ref`, read-only for
     * `readOnlyRef`), for hosts outside AWS. Optional. Defaults to false: EC2 machines use roles. Must be known at preview.
     */
    hostKeys?: pulumi.Input<boolean>;
}

/** Google Cloud Storage options. */
export interface GcpStorage {
    /** The project. Optional. Defaults to the provider's project. */
    project?: pulumi.Input<string>;
}

/**
 * Azure Blob options. By default skymount creates a storage account for the container (one account
 * per container, so its key reaches nothing else) through Azure Resource Manager. With `accountKey`
 * it instead uses an existing account through the Blob API, creating or adopting the container.
 */
export interface AzureStorage {
    /** The resource group the storage account is created in. Optional. Defaults to a new resource group. */
    resourceGroupName?: pulumi.Input<string>;
    /**
     * The storage account: created by skymount, or with `accountKey` an existing one. Optional.
     * Defaults to "sky" plus a hash of project, stack and container. Must be known at preview.
     */
    storageAccountName?: pulumi.Input<string>;
    /** The Blob service URL, for an existing account outside the public cloud (Azurite, sovereign clouds). Optional. */
    endpoint?: pulumi.Input<string>;
    /**
     * A key of an existing storage account (or of the account a container URL source names). Kept secret. Optional.
     * @secret
     */
    accountKey?: pulumi.Input<string>;
}

export interface SkyStorageArgs {
    /** The bucket to create (or adopt, when it exists and the keys own it). Required with a local source. */
    name?: string;
    /** A local directory uploaded to the bucket root (or `prefix`), or an existing bucket's URI (s3://, gs://, r2://, https://<account>.blob.core.windows.net/<container>). A relative path is resolved against the Pulumi program's directory. */
    source?: string;
    /**
     * Local paths, each kept under its basename at the bucket root; basenames must be unique. With
     * `name`, also bucket URIs on the same store (s3:// for s3 and s3compatible, gs:// for gcs, r2://
     * for r2), copied server-side under the basename of their path, or their bucket name. Relative
     * paths are resolved against the Pulumi program's directory.
     */
    sources?: string[];
    /** s3, gcs, azure, r2 or s3compatible. Optional. Defaults to the URI's store, else the store block's, else s3. Must be known at preview. */
    store?: pulumi.Input<Store>;
    /** Keep the bucket and its objects on `pulumi destroy`. Optional. Defaults to true. Must be known at preview. */
    persistent?: pulumi.Input<boolean>;
    /** The bucket's region. Optional. Defaults per store: us-east-1 (s3, s3compatible), us-central1 (gcs), eastus (azure), auto (r2). */
    region?: pulumi.Input<string>;
    /** Key prefix the sources are uploaded under. Optional. Must be known at preview. */
    prefix?: pulumi.Input<string>;
    /** Extra ignore patterns (.skyignore syntax), applied on top of .skyignore or .gitignore. Optional. Must be known at preview. */
    ignore?: pulumi.Input<pulumi.Input<string>[]>;
    /**
     * Where a sync's record (its manifest) goes when it is too large for the state (over about 5,000
     * files): a bucket URI on the same store, written with the same keys; another bucket, or a prefix
     * of this one outside `prefix`. Optional. Without it such a record stays in the local cache of the
     * machine that ran `up`, and another machine deletes nothing from the bucket (README, "Records").
     * Must be known at preview.
     */
    records?: pulumi.Input<string>;
    /** AWS S3 options (store s3). Optional. */
    aws?: pulumi.Input<AwsStorage>;
    /** Google Cloud Storage options (store gcs). Optional. */
    gcp?: pulumi.Input<GcpStorage>;
    /** Azure Blob options (store azure). Optional. */
    azure?: pulumi.Input<AzureStorage>;
    /** The S3-compatible server or service and its keys (stores s3compatible and r2). Optional. */
    s3Compatible?: pulumi.Input<S3Compatible>;
}

/** The arguments with each options block a plain object (givenArgs.ts lifts one given as an Output). */
export type GivenStorageArgs = Omit<SkyStorageArgs, "aws" | "gcp" | "azure" | "s3Compatible"> & {
    aws?: AwsStorage;
    gcp?: GcpStorage;
    azure?: AzureStorage;
    s3Compatible?: S3Compatible;
};
