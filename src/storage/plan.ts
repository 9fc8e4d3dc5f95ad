// From validated SkyStorage arguments to what exists: which store and bucket, whether this stack
// manages it, where its S3 API answers, which local trees are synced and which bucket prefixes are
// copied under which keys.
import { createHash } from "node:crypto";
import * as path from "node:path";
import { CopyPlan, copyPlan, rootPrefix } from "./copySource";
import { BucketUri, parseSource, resolveStore } from "./validate";
import { SkyStorageSpec, Store } from "./spec";

/** Where a bucket lives when no region is given (SkyPilot's defaults). */
export const DEFAULT_REGIONS: Record<Store, string> = {
    s3: "us-east-1",
    gcs: "us-central1",
    azure: "eastus",
    r2: "auto",
    s3compatible: "us-east-1",
};

const PRESET_REGIONS: Record<string, string> = { wasabi: "us-east-1", b2: "us-west-004" };

export interface SourcePlan {
    /** Absolute path of the local tree. */
    dir: string;
    /** Key prefix its files go under: `<prefix>/` for `source`, `<prefix>/<basename>/` for `sources`. */
    keyPrefix: string;
    /** Stable name for the sync resource. */
    label: string;
}

export interface StoragePlan {
    store: Store;
    bucket: string;
    /** True when `name` was given: this stack creates the bucket, or adopts it if it exists. */
    managed: boolean;
    persistent: boolean;
    region: string;
    /** The S3-compatible API endpoint volumes mount through. */
    endpoint: string;
    pathStyle: boolean;
    sources: SourcePlan[];
    /** Bucket URIs in `sources`: copied server-side from another bucket on the same store. */
    copies: CopyPlan[];
    ignore: string[];
    /** Azure only: the storage account holding the container, and how the container is made. */
    azure?: AzurePlan;
}

export interface AzurePlan {
    account: string;
    /**
     * "arm": skymount creates a storage account for this container (through Azure Resource Manager),
     * so the account's key reaches this container and nothing else. "keyed": an existing account
     * whose key was given; the container is made through the Blob API. "external": a container URL.
     */
    mode: "arm" | "keyed" | "external";
    /** The resource group to create the account in; when absent, one is created. */
    resourceGroupName?: string;
}

/** Where a stack runs: makes derived names (Azure storage accounts) unique per stack. */
export interface PlanScope {
    project: string;
    stack: string;
}

/** A storage account name (3-24 of [a-z0-9], unique across Azure) derived from stack and container. */
export function defaultAzureAccountName(scope: PlanScope, container: string): string {
    return `sky${createHash("sha256").update(`${scope.project}/${scope.stack}/${container}`).digest("hex").slice(0, 21)}`;
}

function endpointFor(store: Store, region: string, spec: SkyStorageSpec, azure: AzurePlan | undefined): string {
    const s3c = spec.s3Compatible;
    if (s3c?.endpoint) return s3c.endpoint.replace(/\/+$/, "");
    switch (store) {
        case "s3":
            return `https://s3.${region}.amazonaws.com`;
        case "gcs":
            return "https://storage.googleapis.com";
        case "r2":
            return `https://${s3c?.accountId}.r2.cloudflarestorage.com`;
        case "azure":
            // The Blob service endpoint: geesefs takes the account from its first DNS label.
            return (spec.azure?.endpoint ?? `https://${azure!.account}.blob.core.windows.net`).replace(/\/+$/, "");
        case "s3compatible":
            if (s3c?.preset === "wasabi") return `https://s3.${region}.wasabisys.com`;
            if (s3c?.preset === "b2") return `https://s3.${region}.backblazeb2.com`;
            return "";
    }
}

/** Assumes `validateSkyStorage(spec)` returned no issues. */
export function planSkyStorage(spec: SkyStorageSpec, scope: PlanScope): StoragePlan {
    const store = resolveStore(spec);
    const uri = spec.source !== undefined ? parseSource(spec.source) : undefined;
    const external = uri !== undefined && uri !== "local" && uri !== "unknown" ? uri : undefined;
    const region = spec.region ?? spec.s3Compatible?.region ?? PRESET_REGIONS[spec.s3Compatible?.preset ?? ""] ?? DEFAULT_REGIONS[store];
    const prefix = rootPrefix(spec.prefix);
    const sources: SourcePlan[] =
        uri === "local"
            ? [{ dir: path.resolve(spec.source!), keyPrefix: prefix, label: "source" }]
            : (spec.sources ?? []).filter((s) => parseSource(s) === "local").map((s) => {
                  const base = path.basename(path.resolve(s));
                  return { dir: path.resolve(s), keyPrefix: `${prefix}${base}/`, label: base };
              });
    const azure = store === "azure" ? azurePlan(spec, scope, external) : undefined;
    const selfHosted = store === "s3compatible" && (spec.s3Compatible?.preset === undefined || spec.s3Compatible.preset === "minio");
    return {
        store,
        bucket: external ? external.bucket : spec.name!,
        managed: !external,
        persistent: spec.persistent ?? true,
        region,
        endpoint: endpointFor(store, region, spec, azure),
        // Self-hosted servers rarely have wildcard DNS for virtual-host addressing.
        pathStyle: spec.s3Compatible?.pathStyle ?? selfHosted,
        sources,
        copies: (spec.sources ?? []).flatMap((s) => {
            const entry = parseSource(s);
            return entry === "local" || entry === "unknown" ? [] : [copyPlan(entry, { name: spec.name, store, rootPrefix: prefix })];
        }),
        ignore: spec.ignore ?? [],
        azure,
    };
}

function azurePlan(spec: SkyStorageSpec, scope: PlanScope, external: BucketUri | undefined): AzurePlan {
    if (external) return { account: external.account!, mode: "external" };
    if (spec.azure?.hasAccountKey) return { account: spec.azure.storageAccountName!, mode: "keyed" };
    return {
        account: spec.azure?.storageAccountName ?? defaultAzureAccountName(scope, spec.name!),
        mode: "arm",
        resourceGroupName: spec.azure?.resourceGroupName,
    };
}
