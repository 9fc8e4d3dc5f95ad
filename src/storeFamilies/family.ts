// A store family: everything skymount knows about one kind of store (AWS S3, S3-compatible servers,
// Cloudflare R2, Google Cloud Storage, Azure Blob), behind one interface. SkyStorage, SkyVolume and
// the validators look a family up in the registry (registry.ts) instead of comparing store names;
// adding a store is a module implementing this interface plus one line in the registry.
import type * as pulumi from "@pulumi/pulumi";
import type { Issue } from "../internal/issues";
import type { BucketUri } from "../internal/uri";
import type { CredentialValues } from "../model/storageRef";
import type { SkyStorageSpec, StoreBlock } from "../model/storageSpec";
import type { MountWrapperPlan } from "../hostScripts/plan";
import type { SyncTarget } from "../sync/core/target";
import type { AzurePlan } from "../model/azureAccountPlan";
import type { DeclaredBucket } from "./declared";

/** Where a stack runs: makes derived names (Azure storage accounts) unique per stack. */
export interface PlanScope {
    project: string;
    stack: string;
}

/** The bucket as SkyStorage planned it: what a family declares and writes to. */
export interface BucketPlan {
    store: string;
    bucket: string;
    /** True when `name` was given: this stack creates the bucket, or adopts it if it exists. */
    managed: boolean;
    persistent: boolean;
    region: string;
    /** The API endpoint volumes mount through (S3 API; for Azure, the Blob service). */
    endpoint: string;
    pathStyle: boolean;
    /** Azure only: the storage account holding the container, and how the container is made. */
    azure?: AzurePlan;
}

/** What a family's planning adds to the region: where the bucket answers and how it is addressed. */
export interface BucketAddressing {
    endpoint: string;
    pathStyle: boolean;
    azure?: AzurePlan;
}

export interface PlanInput {
    spec: SkyStorageSpec;
    region: string;
    /** The existing bucket `source` names, when it names one. */
    external?: BucketUri;
    scope: PlanScope;
}

/** The options blocks of SkyStorage's arguments a family may read when declaring its bucket. */
export interface StoreOptions {
    aws?: { versioning?: boolean; hostKeys?: boolean };
    gcp?: { project?: pulumi.Input<string> };
}

export interface DeclareContext {
    options: StoreOptions;
    /** Keys the program gave (an S3 key pair, an Azure account name and key). */
    given?: pulumi.Output<CredentialValues>;
    parent: pulumi.Resource;
}

/** Where and with which keys SkyStorage's syncs and server-side copies write. */
export interface WriteAccess {
    target: SyncTarget;
    credentials?: pulumi.Input<CredentialValues>;
}

/** The facts about a FUSE mount a family's geesefs flags depend on. */
export interface GeesefsMountFacts {
    bucket: string;
    region: string;
    pathStyle: boolean;
    hasCredentials: boolean;
    credentialsFile: string;
}

/** How geesefs mounts a bucket of the family: resolved by the volume plan into plain plan data. */
export interface GeesefsProfile {
    /** The API geesefs speaks ("s3", "azure"): the volume plan's `api`. */
    api: string;
    /** What geesefs is told to mount: the bucket's root (`prefix` empty) or one prefix of it, as the
     *  bucket name (`bucket:prefix/`) or a URL. */
    source(bucket: string, prefix: string): string;
    /** Where a mount's keys go on the host (`name` is unique per mount), and the directory of the
     *  mount's own holding them, if the family needs one. */
    keyFile(name: string): { file: string; dir?: string };
    /** The key file's text: built inside an apply, so it stays secret; it reaches hosts on stdin. */
    keyFileText(credentials: CredentialValues): string;
    /** The family's own geesefs flags: after --endpoint, and after the log file. */
    flags(mount: GeesefsMountFacts): { protocolFlags: string[]; accessFlags: string[] };
    /** The wrapper mount(8) must run instead of the mount helper, if geesefs needs an environment. */
    wrapper?(mount: { bucket: string; keyDir?: string }): MountWrapperPlan;
    /** When volumes on this store cannot mount without keys: the rule said to the user. */
    credentialsRequired?: string;
}

export interface StoreFamily {
    /** The `store` value: "s3", "gcs", "azure", "r2", "s3compatible". */
    readonly name: string;

    /** The block of SkyStorage's arguments that configures the family; absent: the family is chosen
     *  only by `store` or by its URIs. */
    readonly argsBlock?: StoreBlock;
    /** For a family sharing its block with another (r2 in s3Compatible): whether the block's
     *  values select it. The family without one owns the block. */
    selectedByBlock?(spec: SkyStorageSpec): boolean;
    /** The owned block's rules (run when the block is given). `external`: `source` names a bucket. */
    blockIssues?(spec: SkyStorageSpec, external: boolean): Issue[];
    /** When `store` names this family, its block is required, for this reason. */
    readonly blockRequiredFor?: string;

    /** How a bucket URI on this store is written, for messages ("s3://"); absent: no URIs. */
    readonly uriForm?: string;
    /** `source` as a bucket URI on this store, or undefined when it is not one. */
    parseUri?(source: string): BucketUri | undefined;
    /** The rules `name` breaks as a bucket name on this store, each said as a rule ("must …"). */
    bucketNameRules(name: string): string[];
    /** The stores whose buckets a server-side copy into this store can read. */
    readonly copiesFrom: readonly string[];
    /** A rule a copy source on an allowed store still breaks (Azure: another storage account). */
    copySourceRule?(uri: BucketUri, spec: SkyStorageSpec): string | undefined;

    /** Where a bucket lives when no region is given (SkyPilot's defaults). */
    readonly defaultRegion: string;
    /** A region the family's block gives (its own field, or a preset's), before the default. */
    blockRegion?(spec: SkyStorageSpec): string | undefined;
    /** Endpoint, addressing and family-specific plan parts. */
    planBucket(input: PlanInput): BucketAddressing;

    /** Declares a bucket this stack manages, and the keys volumes use. */
    declareBucket(name: string, plan: BucketPlan, context: DeclareContext): DeclaredBucket;
    /** The target and keys syncs and copies write with. */
    writeAccess(plan: BucketPlan, bucket: DeclaredBucket, given: pulumi.Output<CredentialValues> | undefined): WriteAccess;

    readonly geesefs: GeesefsProfile;
}
