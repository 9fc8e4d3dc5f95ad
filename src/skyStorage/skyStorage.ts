// SkyStorage: a bucket, its credentials, and the local sources synced into it. `ref` is what
// SkyVolume (and SkyCompute) consume to mount it.
import * as pulumi from "@pulumi/pulumi";
import { throwIfIssues } from "../internal/inputError";
import { S3CompatiblePreset, Store } from "../model/enums";
import { StorageCredentials, StorageRef } from "../model/storageRef";
import { DeclaredBucket } from "../storeFamilies/declared";
import { StoreFamily } from "../storeFamilies/family";
import { BucketCopy, listSource } from "../sync/bucketCopy";
import { BucketSync } from "../sync/bucketSync";
import { scanAndRecord } from "../sync/scanRecord";
import { planSkyStorage, StoragePlan } from "./plan";
import { SkyStorageSpec } from "./spec";
import { checkSkyStorage } from "./validate";

/** An S3-compatible store: MinIO, R2, Wasabi, Backblaze B2 or any server speaking the S3 API. */
export interface S3Compatible {
    /** The S3 API URL with scheme. Optional with a preset that knows it (r2, wasabi, b2). */
    endpoint?: string;
    /** r2, wasabi, b2 or minio: fills in the endpoint only. Optional. */
    preset?: S3CompatiblePreset;
    /** Cloudflare account ID, for the r2 preset's endpoint. Optional. */
    accountId?: string;
    /** The region. Optional. Defaults to "us-east-1" ("auto" for R2, "us-west-004" for B2). */
    region?: string;
    /** Path-style requests. Optional. Defaults to true for MinIO and other self-hosted servers, false for presets. */
    pathStyle?: boolean;
    /** Access key. Kept secret. Optional. */
    accessKey?: pulumi.Input<string>;
    /** Secret key. Kept secret. Optional. */
    secretKey?: pulumi.Input<string>;
}

/** AWS S3 options. */
export interface AwsStorage {
    /** Keep every object version. Optional. Defaults to false. */
    versioning?: boolean;
    /**
     * Make IAM users with key pairs scoped to the bucket (read-write for `ref`, read-only for
     * `readOnlyRef`), for hosts outside AWS. Optional. Defaults to false: EC2 machines use roles.
     */
    hostKeys?: boolean;
}

/** Google Cloud Storage options. */
export interface GcpStorage {
    /** The project. Optional. Defaults to the provider's project. */
    project?: string;
}

/**
 * Azure Blob options. By default skymount creates a storage account for the container (one account
 * per container, so its key reaches nothing else) through Azure Resource Manager. With `accountKey`
 * it instead uses an existing account through the Blob API, creating or adopting the container.
 */
export interface AzureStorage {
    /** The resource group the storage account is created in. Optional. Defaults to a new resource group. */
    resourceGroupName?: string;
    /**
     * The storage account: created by skymount, or with `accountKey` an existing one. Optional.
     * Defaults to "sky" plus a hash of project, stack and container.
     */
    storageAccountName?: string;
    /** The Blob service URL, for an existing account outside the public cloud (Azurite, sovereign clouds). Optional. */
    endpoint?: string;
    /** A key of an existing storage account (or of the account a container URL source names). Kept secret. Optional. */
    accountKey?: pulumi.Input<string>;
}

export interface SkyStorageArgs {
    /** The bucket to create (or adopt, when it exists and the keys own it). Required with a local source. */
    name?: string;
    /** A local directory uploaded to the bucket root (or `prefix`), or an existing bucket's URI (s3://, gs://, r2://, https://<account>.blob.core.windows.net/<container>). */
    source?: string;
    /**
     * Local paths, each kept under its basename at the bucket root; basenames must be unique. With
     * `name`, also bucket URIs on the same store (s3:// for s3 and s3compatible, gs:// for gcs, r2://
     * for r2), copied server-side under the basename of their path, or their bucket name.
     */
    sources?: string[];
    /** s3, gcs, azure, r2 or s3compatible. Optional. Defaults to the URI's store, else the store block's, else s3. */
    store?: Store;
    /** Keep the bucket and its objects on `pulumi destroy`. Optional. Defaults to true. */
    persistent?: boolean;
    /** The bucket's region. Optional. Defaults per store: us-east-1 (s3, s3compatible), us-central1 (gcs), eastus (azure), auto (r2). */
    region?: string;
    /** Key prefix the sources are uploaded under. Optional. */
    prefix?: string;
    /** Extra ignore patterns (.skyignore syntax), applied on top of .skyignore or .gitignore. Optional. */
    ignore?: string[];
    /**
     * Where a sync's record (its manifest) goes when it is too large for the state (over about 5,000
     * files): a bucket URI on the same store, written with the same keys; another bucket, or a prefix
     * of this one outside `prefix`. Optional. Without it such a record stays in the local cache of the
     * machine that ran `up`, and another machine deletes nothing from the bucket (README, "Records").
     */
    records?: string;
    /** AWS S3 options (store s3). Optional. */
    aws?: AwsStorage;
    /** Google Cloud Storage options (store gcs). Optional. */
    gcp?: GcpStorage;
    /** Azure Blob options (store azure). Optional. */
    azure?: AzureStorage;
    /** The S3-compatible server or service and its keys (stores s3compatible and r2). Optional. */
    s3Compatible?: S3Compatible;
}

/** @deprecated Renamed to S3Compatible (other languages' SDKs call it S3CompatibleArgs). */
export type S3CompatibleArgs = S3Compatible;
/** @deprecated Renamed to AwsStorage (other languages' SDKs call it AwsStorageArgs). */
export type AwsStorageArgs = AwsStorage;
/** @deprecated Renamed to GcpStorage (other languages' SDKs call it GcpStorageArgs). */
export type GcpStorageArgs = GcpStorage;
/** @deprecated Renamed to AzureStorage (other languages' SDKs call it AzureStorageArgs). */
export type AzureStorageArgs = AzureStorage;

function specOf(args: SkyStorageArgs): SkyStorageSpec {
    const { s3Compatible, azure, ...rest } = args;
    return {
        ...rest,
        azure: azure && {
            resourceGroupName: azure.resourceGroupName,
            storageAccountName: azure.storageAccountName,
            endpoint: azure.endpoint,
            hasAccountKey: azure.accountKey !== undefined,
        },
        s3Compatible: s3Compatible && {
            endpoint: s3Compatible.endpoint,
            preset: s3Compatible.preset,
            accountId: s3Compatible.accountId,
            region: s3Compatible.region,
            pathStyle: s3Compatible.pathStyle,
            hasAccessKey: s3Compatible.accessKey !== undefined,
            hasSecretKey: s3Compatible.secretKey !== undefined,
        },
    };
}

/** Keys the program gave: an S3 key pair, or an Azure account name and key. */
function givenCredentials(args: SkyStorageArgs, plan: StoragePlan): pulumi.Output<StorageCredentials> | undefined {
    if (args.s3Compatible?.accessKey !== undefined) {
        return pulumi.secret(
            pulumi
                .all([args.s3Compatible.accessKey, args.s3Compatible.secretKey!])
                .apply(([accessKey, secretKey]) => ({ accessKey, secretKey })),
        );
    }
    if (args.azure?.accountKey !== undefined && plan.azure) {
        const account = plan.azure.account;
        return pulumi.secret(pulumi.output(args.azure.accountKey).apply((secretKey) => ({ accessKey: account, secretKey })));
    }
    return undefined;
}

/**
 * A bucket on S3, GCS, Azure Blob, R2 or an S3-compatible server, created or adopted, with its
 * credentials, and local directories (or other buckets) synced into it. `ref` is what volumes mount.
 */
export class SkyStorage extends pulumi.ComponentResource {
    /** The bucket's name. */
    public readonly bucket: string;
    /** What volumes need to mount the bucket; the keys in it are secret. */
    public readonly ref: StorageRef;
    /** The same bucket for volumes that only read; its keys (where the store has such) only read. */
    public readonly readOnlyRef: StorageRef;
    /** Per source: what its last sync changed. */
    public readonly syncSummaries: pulumi.Output<string[]>;
    /** Per bucket URI in `sources`: what its last server-side copy changed. */
    public readonly copySummaries: pulumi.Output<string[]>;

    constructor(name: string, args: SkyStorageArgs, opts?: pulumi.ComponentResourceOptions) {
        // Validated before super(): bad input registers nothing at all, not even this component.
        const { issues, resolved } = checkSkyStorage(specOf(args));
        const plan =
            issues.length === 0 ? planSkyStorage(resolved!, { project: pulumi.getProject(), stack: pulumi.getStack() }) : undefined;
        throwIfIssues("SkyStorage", issues);
        const planned = plan!;
        const family = resolved!.family;
        super("skymount:index:SkyStorage", name, {}, opts);

        const given = givenCredentials(args, planned);
        const declared = planned.managed
            ? family.declareBucket(name, planned, { options: { aws: args.aws, gcp: args.gcp }, given, parent: this })
            : undefined;
        const target = {
            store: planned.store as Store,
            bucket: planned.bucket,
            endpoint: planned.endpoint,
            region: planned.region,
            pathStyle: planned.pathStyle,
        };
        this.bucket = planned.bucket;
        const syncs = declared ? this.declareSyncs(name, family, planned, declared, given) : [];
        const copies = declared ? this.declareCopies(name, family, planned, declared, given) : [];
        this.syncSummaries = pulumi.all(syncs.map((r) => r.summary));
        this.copySummaries = pulumi.all(copies.map((r) => r.summary));
        // Volumes mount once the bucket is filled: a mount made while a sync still uploads lists the
        // bucket half-filled and keeps that listing for its stat-cache TTL. URNs are known at preview
        // and never change, so they order the steps without making any volume look changed.
        const fillers = [...syncs, ...copies];
        const extras = {
            ...(declared?.azureScope ? { azureScope: declared.azureScope } : {}),
            ...(fillers.length ? { filledBy: pulumi.all(fillers.map((r) => r.urn)) } : {}),
        };
        this.ref = { ...target, credentials: declared ? declared.credentials : given, ...extras };
        this.readOnlyRef = { ...target, credentials: declared ? declared.readOnlyCredentials : given, readOnly: true, ...extras };
        this.registerOutputs({
            bucket: this.bucket,
            ref: this.ref,
            readOnlyRef: this.readOnlyRef,
            syncSummaries: this.syncSummaries,
            copySummaries: this.copySummaries,
        });
    }

    /** One sync per source tree, with the target and keys the store family writes with. */
    private declareSyncs(
        name: string,
        family: StoreFamily,
        plan: StoragePlan,
        bucket: DeclaredBucket,
        given: pulumi.Output<StorageCredentials> | undefined,
    ): BucketSync[] {
        const { target, credentials } = family.writeAccess(plan, bucket, given);
        return plan.sources.map((source) => {
            const scan = scanAndRecord({ dir: source.dir, ignore: plan.ignore });
            scan.then(
                (s) => s.warnings.forEach((w) => pulumi.log.warn(w, this)),
                () => undefined,
            );
            return new BucketSync(
                `${name}-sync-${source.label}`,
                {
                    target,
                    credentials,
                    bucket: bucket.name,
                    keyPrefix: source.keyPrefix,
                    sourceDir: source.dir,
                    ignore: plan.ignore,
                    scanned: pulumi.output(scan.then((s) => s.ref)),
                    recordsAt: plan.recordsAt,
                    deleteOnDestroy: !plan.persistent,
                },
                { parent: this },
            );
        });
    }

    /**
     * One server-side copy per bucket URI in `sources`, with the keys the syncs use: they must also
     * read the source bucket. Its listing is taken here, while the program runs, so preview shows it.
     */
    private declareCopies(
        name: string,
        family: StoreFamily,
        plan: StoragePlan,
        bucket: DeclaredBucket,
        given: pulumi.Output<StorageCredentials> | undefined,
    ): BucketCopy[] {
        // Azure: Copy Blob inside the one account whose name and key the container's ref carries.
        const { target, credentials } = family.writeAccess(plan, bucket, given);
        return plan.copies.map(
            (copy) =>
                new BucketCopy(
                    `${name}-copy-${copy.label}`,
                    {
                        target,
                        credentials,
                        sourceBucket: copy.sourceBucket,
                        sourcePrefix: copy.sourcePrefix,
                        bucket: bucket.name,
                        keyPrefix: copy.keyPrefix,
                        listing: listSource(target, credentials, copy.sourceBucket, copy.sourcePrefix),
                        recordsAt: plan.recordsAt,
                        deleteOnDestroy: !plan.persistent,
                    },
                    { parent: this },
                ),
        );
    }
}
