// SkyStorage's arguments at the edge: reduced to the plain spec, validated on what is known at
// preview, planned. A field given as an Output goes on to the resources as an Output of the same plan
// made again once it is known (internal/lateValues.ts), so its dependencies and secrecy are kept and
// a rule it breaks fails there with the same text; the fields in DECIDERS must be known at preview.
import * as pulumi from "@pulumi/pulumi";
import { argsShapeIssues, typeFields } from "../internal/committedSchema";
import { throwIfIssues } from "../internal/inputError";
import { Issue } from "../internal/issues";
import {
    issuesOnKnown,
    liftedBlock,
    markedLate,
    pendingPaths,
    previewValue,
    unknownDeciderIssues,
    withLateFields,
} from "../internal/lateValues";
import { notKnownPaths } from "../internal/notKnown";
import type { PlanScope, StoreFamily, StoreOptions } from "../storeFamilies/family";
import type { Known } from "../model/known";
import { AwsStorage, AzureStorage, GcpStorage, GivenStorageArgs, S3Compatible, SkyStorageArgs } from "../model/storageArgs";
import type { AzureSpec, S3CompatibleSpec } from "../model/storageSpec";
import { planSkyStorage, StoragePlan } from "./plan";
import { resolveSkyStorage, ResolvedStorageSpec } from "./resolve";
import { SkyStorageSpec } from "./spec";
import { pathKind } from "../internal/pathKind";
import { checkSkyStorage } from "./validate";

/** Inputs that must be known at preview, and what each decides (said when one is not). */
export const STORAGE_DECIDERS: Record<string, string> = {
    store: "the store family: which resources hold the bucket",
    persistent: "whether the bucket is retained on destroy (a resource option)",
    prefix: "the keys the sources are recorded under, which the preview already scans",
    ignore: "which local files are uploaded, which the preview already scans",
    records: "where the syncs keep a record too large for the state, which the preview reads",
    "s3Compatible.preset": "the store and its endpoint",
    "s3Compatible.pathStyle": "how volumes address the bucket (their mount options)",
    "aws.versioning": "whether the bucket gets a versioning resource",
    "aws.hostKeys": "whether IAM users and keys are declared",
    "azure.storageAccountName": "the storage account's name, endpoint and keys",
};

/** `args` with each options block a plain object: one given as an Output is lifted field by field. */
export function liftedStorageArgs(args: SkyStorageArgs): GivenStorageArgs {
    return {
        ...args,
        aws: liftedBlock(args.aws, typeFields<AwsStorage>("AwsStorage")),
        gcp: liftedBlock(args.gcp, typeFields<GcpStorage>("GcpStorage")),
        azure: liftedBlock(args.azure, typeFields<AzureStorage>("AzureStorage")),
        s3Compatible: liftedBlock(args.s3Compatible, typeFields<S3Compatible>("S3Compatible")),
    };
}

/** The plain view of settled arguments (NOT_KNOWN where unknown at preview): keys reduced to whether they were given. */
export function specOf(args: GivenStorageArgs): SkyStorageSpec {
    const { s3Compatible, azure, ...rest } = args as Known<GivenStorageArgs>;
    const s3Spec = ({ accessKey, secretKey, ...fields }: Known<S3Compatible>): S3CompatibleSpec => ({
        ...fields,
        hasAccessKey: accessKey !== undefined,
        hasSecretKey: secretKey !== undefined,
    });
    const azureSpec = ({ accountKey, ...fields }: Known<AzureStorage>): AzureSpec => ({
        ...fields,
        hasAccountKey: accountKey !== undefined,
    });
    return { ...rest, azure: azure && azureSpec(azure), s3Compatible: s3Compatible && s3Spec(s3Compatible) };
}

/** A key reduced to whether it was given ("" if so): nothing secret, nothing pending when it was plain. */
function presence(key: pulumi.Input<string> | undefined): pulumi.Input<string> | undefined {
    if (key === undefined || typeof key === "string") return key === undefined ? undefined : "";
    return pulumi.unsecret(pulumi.output(key).apply((k) => (k === undefined ? undefined : ""))) as pulumi.Output<string>;
}

/** The arguments with their keys reduced to presence: the keys go on as given (secret), only whether they were given is planned. */
export function withoutKeys(args: GivenStorageArgs): GivenStorageArgs {
    const { s3Compatible, azure } = args;
    return {
        ...args,
        ...(s3Compatible
            ? {
                  s3Compatible: {
                      ...s3Compatible,
                      accessKey: presence(s3Compatible.accessKey),
                      secretKey: presence(s3Compatible.secretKey),
                  },
              }
            : {}),
        ...(azure ? { azure: { ...azure, accountKey: presence(azure.accountKey) } } : {}),
    };
}

function checkedPlan(spec: SkyStorageSpec, scope: PlanScope): { issues: Issue[]; plan?: StoragePlan; resolved?: ResolvedStorageSpec } {
    const { issues, resolved } = checkSkyStorage(spec, pathKind);
    return { issues, resolved, plan: issues.length === 0 ? planSkyStorage(resolved!, scope) : undefined };
}

export interface PlannedStorage {
    plan: StoragePlan;
    /** Which keys the program gave: the S3 pair (s3Compatible), an Azure account key. */
    givenKeys: { s3: boolean; azure: boolean };
    family: StoreFamily;
    options: StoreOptions;
}

/**
 * Validated and planned: `settled` is `args` with its Outputs settled (internal/settle.ts), or `args`
 * itself when nothing in it is pending. Throws every issue on known values at once.
 */
export function plannedStorage(args: GivenStorageArgs, settled: unknown, scope: PlanScope): PlannedStorage {
    // Keys count only as given or not (specOf): one unknown at preview still is given.
    const settledArgs = previewValue(settled) as GivenStorageArgs;
    const known = specOf(settledArgs);
    const unknown = notKnownPaths(known);
    // The values of Outputs, where known, have the types the schema says before any rule reads them.
    if (settled !== args) throwIfIssues("SkyStorage", issuesOnKnown(argsShapeIssues("SkyStorage", settledArgs), unknown));
    const checked = checkedPlan(known, scope);
    throwIfIssues("SkyStorage", [...unknownDeciderIssues(unknown, STORAGE_DECIDERS), ...issuesOnKnown(checked.issues, unknown)]);
    const given = withoutKeys(args);
    const late = pendingFields(given).filter((p) => !Object.keys(STORAGE_DECIDERS).some((d) => p === d || p.startsWith(`${d}[`)));
    // The families read aws's flags (known) and gcp's project (a resource input) when they declare.
    const options: StoreOptions = { aws: known.aws as StoreOptions["aws"], gcp: { project: args.gcp?.project } };
    const givenKeys = { s3: known.s3Compatible?.hasAccessKey ?? false, azure: known.azure?.hasAccountKey ?? false };
    if (late.length === 0) return { plan: checked.plan!, family: checked.resolved!.family, options, givenKeys };
    // Each field given as an Output is taken from the later plan, which carries its dependencies.
    const resolved = resolveSkyStorage(markedLate(known, late) as SkyStorageSpec);
    const planned = planSkyStorage(resolved, scope);
    const plan = withLateFields("SkyStorage", planned, given, (plain: GivenStorageArgs) => checkedPlan(specOf(plain), scope));
    return { plan, family: resolved.family, options, givenKeys };
}

/** The keys go on as given; only whether they were given is planned. */
const KEY_PATHS = ["s3Compatible.accessKey", "s3Compatible.secretKey", "azure.accountKey"];

/** Paths of the fields but the keys given as Outputs or Promises. */
function pendingFields(args: GivenStorageArgs): string[] {
    return pendingPaths(args).filter((p) => !KEY_PATHS.includes(p));
}

/** Whether anything in `args` but the keys is an Output or a Promise. */
export function holdsPendingArgs(args: GivenStorageArgs): boolean {
    return pendingFields(args).length > 0;
}
