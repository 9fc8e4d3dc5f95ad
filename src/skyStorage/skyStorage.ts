// SkyStorage: a bucket, its credentials, and the local sources synced into it. `ref` is what
// SkyVolume (and SkyCompute) consume to mount it.
import * as pulumi from "@pulumi/pulumi";
import { Store } from "../model/enums";
import { CredentialValues, StorageRef } from "../model/storageRef";
import { argsShapeIssues, typeFields } from "../internal/committedSchema";
import { throwIfIssues } from "../internal/inputError";
import { settle } from "../internal/settle";
import { DeclaredBucket } from "../storeFamilies/declared";
import type { WriteAccess } from "../storeFamilies/family";
import { parseSource } from "../storeFamilies/registry";
import { BucketCopy, listSource } from "../sync/resources/bucketCopy";
import { BucketSync } from "../sync/resources/bucketSync";
import { scanAndRecord } from "../sync/records/scanRecord";
import { GivenStorageArgs, SkyStorageArgs } from "../model/storageArgs";

export type { AwsStorage, AzureStorage, GcpStorage, S3Compatible, SkyStorageArgs } from "../model/storageArgs";
import { holdsPendingArgs, liftedStorageArgs, PlannedStorage, plannedStorage } from "./givenArgs";
import { StoragePlan } from "./plan";
import { isBucketUri } from "./resolve";

/** Keys the program gave: an S3 key pair, or an Azure account name and key. */
function givenCredentials(args: GivenStorageArgs, { plan, givenKeys }: PlannedStorage): pulumi.Output<CredentialValues> | undefined {
    if (givenKeys.s3 && args.s3Compatible?.accessKey !== undefined) {
        return pulumi.secret(
            pulumi
                .all([args.s3Compatible.accessKey, args.s3Compatible.secretKey!])
                .apply(([accessKey, secretKey]) => ({ accessKey, secretKey })),
        );
    }
    if (givenKeys.azure && args.azure?.accountKey !== undefined && plan.azure) {
        const account = plan.azure.account;
        return pulumi.secret(pulumi.output(args.azure.accountKey).apply((secretKey) => ({ accessKey: account, secretKey })));
    }
    return undefined;
}

interface StorageOutputs {
    bucket: string;
    ref: StorageRef;
    readOnlyRef: StorageRef;
    syncSummaries: pulumi.Output<string[]>;
    copySummaries: pulumi.Output<string[]>;
}

/** A ref declared later, field by field: each keeps its own secrecy (only the keys are secret). */
function laterRef(ref: Promise<StorageRef>): StorageRef {
    return Object.fromEntries(
        typeFields<StorageRef>("StorageRef").map((key) => [key, pulumi.output(ref.then((r) => r[key]))]),
    ) as unknown as StorageRef;
}

/** The outputs of a SkyStorage declared once its Inputs settle. */
function laterOutputs(later: Promise<StorageOutputs>, bucket: string): StorageOutputs {
    return {
        bucket,
        ref: laterRef(later.then((d) => d.ref)),
        readOnlyRef: laterRef(later.then((d) => d.readOnlyRef)),
        syncSummaries: pulumi.output(later.then((d) => d.syncSummaries)),
        copySummaries: pulumi.output(later.then((d) => d.copySummaries)),
    };
}

/** The bucket's name, from the plain arguments that decide it: `name`, or the bucket `source` names. */
function bucketNameOf(args: SkyStorageArgs): string {
    const parsed = args.source === undefined ? undefined : parseSource(args.source);
    return isBucketUri(parsed) ? parsed.bucket : (args.name ?? "");
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
        // The constructor's parameter must be called `args`: the schema is inferred from it.
        // Types first: every later stage may then read a field as what its type says.
        throwIfIssues("SkyStorage", argsShapeIssues("SkyStorage", args));
        const lifted = liftedStorageArgs(args);
        const scope = { project: pulumi.getProject(), stack: pulumi.getStack() };
        let declared: StorageOutputs;
        if (!holdsPendingArgs(lifted)) {
            // Validated before super(): bad input registers nothing at all, not even this component.
            const planned = plannedStorage(lifted, lifted, scope);
            super("skymount:index:SkyStorage", name, {}, opts);
            declared = this.declare(name, lifted, planned);
        } else {
            // Some field is an Output: validated once they settle, before any child is declared.
            super("skymount:index:SkyStorage", name, {}, opts);
            const later = settle(lifted).then((settled) => this.declare(name, lifted, plannedStorage(lifted, settled, scope)));
            declared = laterOutputs(later, bucketNameOf(lifted));
        }
        this.bucket = declared.bucket;
        this.ref = declared.ref;
        this.readOnlyRef = declared.readOnlyRef;
        this.syncSummaries = declared.syncSummaries;
        this.copySummaries = declared.copySummaries;
        this.registerOutputs({ ...declared });
    }

    /** The bucket's resources, its syncs and copies, and the refs volumes mount. */
    private declare(name: string, args: GivenStorageArgs, planned: PlannedStorage): StorageOutputs {
        const { plan, family, options } = planned;
        const given = givenCredentials(args, planned);
        const declared = plan.managed ? family.declareBucket(name, plan, { options, given, parent: this }) : undefined;
        const target = {
            store: plan.store as Store,
            bucket: plan.bucket,
            endpoint: plan.endpoint,
            region: plan.region,
            pathStyle: plan.pathStyle,
        };
        // Syncs and copies write with the same keys: a copy's must also read the source bucket.
        const access = declared && family.writeAccess(plan, declared, given);
        const syncs = declared ? this.declareSyncs(name, plan, declared, access!) : [];
        const copies = declared ? this.declareCopies(name, plan, declared, access!) : [];
        // Volumes mount once the bucket is filled: a mount made while a sync still uploads lists the
        // bucket half-filled and keeps that listing for its stat-cache TTL. URNs are known at preview
        // and never change, so they order the steps without making any volume look changed.
        const fillers = [...syncs, ...copies];
        const extras = {
            ...(declared?.azureScope ? { azureScope: declared.azureScope } : {}),
            ...(fillers.length ? { filledBy: pulumi.all(fillers.map((r) => r.urn)) } : {}),
        };
        return {
            bucket: plan.bucket,
            ref: { ...target, credentials: declared ? declared.credentials : given, ...extras },
            readOnlyRef: { ...target, credentials: declared ? declared.readOnlyCredentials : given, readOnly: true, ...extras },
            syncSummaries: pulumi.all(syncs.map((r) => r.summary)),
            copySummaries: pulumi.all(copies.map((r) => r.summary)),
        };
    }

    /** One sync per source tree, with the target and keys the store family writes with. */
    private declareSyncs(name: string, plan: StoragePlan, bucket: DeclaredBucket, { target, credentials }: WriteAccess): BucketSync[] {
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
     * One server-side copy per bucket URI in `sources`. Its listing is taken here, while the program
     * runs, so preview shows it. Azure: Copy Blob inside the one account whose name and key the
     * container's ref carries.
     */
    private declareCopies(name: string, plan: StoragePlan, bucket: DeclaredBucket, { target, credentials }: WriteAccess): BucketCopy[] {
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
