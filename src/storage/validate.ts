// Every rule a SkyStorage's arguments must satisfy (SkyPilot's name/source matrix, each store's
// bucket-name rules, exclusive store blocks), checked before anything is registered.
import { statSync } from "node:fs";
import { z } from "zod";
import { Issue, issue } from "../internal/issues";
import { zodIssues } from "../internal/zodIssues";
import { copySourceIssues, rootPrefix, sourceBasename } from "./copySource";
import { bucketNameRules } from "./names";
import { S3_COMPATIBLE_PRESETS, SkyStorageSpec, Store, STORES } from "./spec";

export type PathKind = "directory" | "file" | "missing";

export function pathKind(p: string): PathKind {
    try {
        return statSync(p).isDirectory() ? "directory" : "file";
    } catch {
        return "missing";
    }
}

const shape = z.object({
    name: z.string().optional(),
    source: z.string().optional(),
    sources: z.array(z.string()).optional(),
    store: z.enum(STORES).optional(),
    persistent: z.boolean().optional(),
    region: z.string().optional(),
    prefix: z.string().optional(),
    ignore: z.array(z.string()).optional(),
    aws: z.object({}).passthrough().optional(),
    gcp: z.object({}).passthrough().optional(),
    azure: z
        .object({
            resourceGroupName: z.string().optional(),
            storageAccountName: z.string().optional(),
            endpoint: z.string().optional(),
            hasAccountKey: z.boolean(),
        })
        .optional(),
    s3Compatible: z
        .object({
            endpoint: z.string().optional(),
            preset: z.enum(S3_COMPATIBLE_PRESETS).optional(),
            accountId: z.string().optional(),
            region: z.string().optional(),
            pathStyle: z.boolean().optional(),
            hasAccessKey: z.boolean(),
            hasSecretKey: z.boolean(),
        })
        .optional(),
});

export interface BucketUri {
    store: Store;
    bucket: string;
    /** Anything after the bucket: a sub-path. */
    subPath: string;
    /** Azure: the storage account the URL names. */
    account?: string;
}

const SCHEMES: Record<string, Store> = { "s3:": "s3", "gs:": "gcs", "r2:": "r2" };
const AZURE_URL = /^https:\/\/([a-z0-9]{3,24})\.blob\.core\.windows\.net\/([^/]+)(\/.*)?$/;
const SCHEME = /^([a-z][a-z0-9+.-]*):\/\//i;

/** A bucket URI, "local" for a path, or "unknown" for a scheme skymount does not know. */
export function parseSource(source: string): BucketUri | "local" | "unknown" {
    const azure = AZURE_URL.exec(source);
    if (azure) return { store: "azure", account: azure[1], bucket: azure[2], subPath: (azure[3] ?? "").replace(/^\/+|\/+$/g, "") };
    const scheme = SCHEME.exec(source);
    if (!scheme) return "local";
    const store = SCHEMES[`${scheme[1].toLowerCase()}:`];
    if (!store) return "unknown";
    const [bucket, ...rest] = source.slice(scheme[0].length).split("/");
    return { store, bucket, subPath: rest.join("/").replace(/\/+$/, "") };
}

const BLOCK_STORES: Record<string, Store[]> = { aws: ["s3"], gcp: ["gcs"], azure: ["azure"], s3Compatible: ["s3compatible", "r2"] };

export function validateSkyStorage(spec: SkyStorageSpec, kindOf: (p: string) => PathKind = pathKind): Issue[] {
    const parsed = shape.safeParse(spec);
    if (!parsed.success) return zodIssues(parsed.error, spec);
    const issues: Issue[] = [];

    const blocks = Object.keys(BLOCK_STORES).filter((b) => spec[b as keyof SkyStorageSpec] !== undefined);
    if (blocks.length > 1) issues.push(issue(blocks.join(", "), "both set", "set at most one store block"));
    if (spec.store && blocks.length === 1 && !BLOCK_STORES[blocks[0]].includes(spec.store as Store)) {
        issues.push(issue("store", spec.store, `contradicts the ${blocks[0]} block (which is for ${BLOCK_STORES[blocks[0]].join(" or ")})`));
    }

    if (spec.source !== undefined && spec.sources !== undefined) issues.push(issue("sources", spec.sources, "give either source or sources, not both"));
    const uri = spec.source !== undefined ? parseSource(spec.source) : undefined;
    if (spec.name === undefined && spec.source === undefined && spec.sources === undefined) {
        issues.push(issue("name", undefined, "give a bucket name, a source, or both"));
    }
    if (uri === "unknown") {
        issues.push(issue("source", spec.source, "unknown scheme: use a local path, s3://, gs://, r2:// or https://<account>.blob.core.windows.net/<container>"));
    } else if (uri && uri !== "local") {
        if (spec.name !== undefined) issues.push(issue("name", spec.name, "must not be given with a bucket URI source: the URI names the bucket"));
        if (uri.subPath) issues.push(issue("source", spec.source, "must name a whole bucket, not a path inside one; use a volume's prefix for a sub-path"));
        if (spec.store && spec.store !== uri.store) issues.push(issue("store", spec.store, `contradicts the source URI, which is on ${uri.store}`));
        if (blocks.length === 1 && !BLOCK_STORES[blocks[0]].includes(uri.store)) issues.push(issue(blocks[0], "set", `contradicts the source URI, which is on ${uri.store}`));
    }

    const localSources = uri === "local" ? [spec.source!] : (spec.sources ?? []).filter((s) => parseSource(s) === "local");
    if (localSources.length > 0 && spec.name === undefined) {
        issues.push(issue("name", undefined, "required when the source is local: the bucket to upload into"));
    }
    if (uri === "local") {
        const kind = kindOf(spec.source!);
        if (kind === "missing") issues.push(issue("source", spec.source, "local path does not exist"));
        else if (kind === "file") issues.push(issue("source", spec.source, "must be a directory; to upload single files, list them in sources"));
    }
    const basenames = new Map<string, number>();
    const destination = { name: spec.name, store: resolveStore(spec), rootPrefix: rootPrefix(spec.prefix), azureAccount: spec.azure?.hasAccountKey ? spec.azure.storageAccountName : undefined };
    (spec.sources ?? []).forEach((s, i) => {
        const entry = parseSource(s);
        if (entry !== "local") issues.push(...copySourceIssues(`sources[${i}]`, s, entry, destination));
        else if (kindOf(s) === "missing") issues.push(issue(`sources[${i}]`, s, "local path does not exist"));
        const base = sourceBasename(s, entry);
        const first = basenames.get(base);
        if (first !== undefined) issues.push(issue(`sources[${i}]`, s, `has the same basename "${base}" as sources[${first}]; each keeps its basename at the bucket root, so basenames must be unique`));
        else basenames.set(base, i);
    });

    if (spec.name !== undefined) {
        if (SCHEME.test(spec.name)) {
            issues.push(issue("name", spec.name, "must be a bucket name without a scheme; to use an existing bucket, give its URI as source"));
        } else {
            const store = resolveStore(spec);
            for (const rule of bucketNameRules(store, spec.name)) issues.push(issue("name", spec.name, `${rule} (${store} bucket names)`));
        }
    }
    if (spec.prefix !== undefined && !/^[A-Za-z0-9._\-/]+$/.test(spec.prefix)) {
        issues.push(issue("prefix", spec.prefix, "may contain only letters, digits, '.', '_', '-' and '/'"));
    }

    const s3c = spec.s3Compatible;
    if (s3c) {
        if (s3c.endpoint !== undefined && !/^https?:\/\/[^\s]+$/.test(s3c.endpoint)) issues.push(issue("s3Compatible.endpoint", s3c.endpoint, "must be a URL with scheme http:// or https://"));
        if (s3c.endpoint === undefined && (s3c.preset === undefined || s3c.preset === "minio")) {
            issues.push(issue("s3Compatible.endpoint", undefined, s3c.preset === "minio" ? "required for MinIO: the server's URL" : "required unless a preset (r2, wasabi, b2) supplies it"));
        }
        if (s3c.preset === "r2" && s3c.endpoint === undefined && !s3c.accountId) issues.push(issue("s3Compatible.accountId", undefined, "required by the r2 preset: it names the endpoint"));
        if (s3c.hasAccessKey !== s3c.hasSecretKey) issues.push(issue(s3c.hasAccessKey ? "s3Compatible.secretKey" : "s3Compatible.accessKey", undefined, "accessKey and secretKey go together"));
    }
    issues.push(...azureIssues(spec, uri));
    if ((spec.store === "s3compatible" || spec.store === "r2") && !s3c) {
        issues.push(issue("s3Compatible", undefined, `required for store ${spec.store}: its endpoint and keys`));
    }
    return issues;
}

/** Azure storage account names: 3-24 lowercase letters and digits, unique across Azure. */
export const AZURE_ACCOUNT_NAME = /^[a-z0-9]{3,24}$/;

function azureIssues(spec: SkyStorageSpec, uri: BucketUri | "local" | "unknown" | undefined): Issue[] {
    const az = spec.azure;
    if (!az) return [];
    const issues: Issue[] = [];
    if (az.storageAccountName !== undefined && !AZURE_ACCOUNT_NAME.test(az.storageAccountName)) {
        issues.push(issue("azure.storageAccountName", az.storageAccountName, "must be 3 to 24 lowercase letters and digits"));
    }
    if (az.endpoint !== undefined && !/^https?:\/\/[^\s/]+(\/[^\s]*)?$/.test(az.endpoint)) {
        issues.push(issue("azure.endpoint", az.endpoint, "must be the blob service URL with scheme, such as https://myaccount.blob.core.windows.net"));
    }
    const external = uri !== undefined && uri !== "local" && uri !== "unknown";
    if (az.hasAccountKey && !external && az.storageAccountName === undefined) {
        issues.push(issue("azure.storageAccountName", undefined, "required with azure.accountKey: the existing storage account the key belongs to"));
    }
    if (az.hasAccountKey && az.resourceGroupName !== undefined) {
        issues.push(issue("azure.resourceGroupName", az.resourceGroupName, "not used with azure.accountKey: the container is made through the Blob API in the existing account, not through Azure Resource Manager"));
    }
    if (!az.hasAccountKey && az.endpoint !== undefined && !external) {
        issues.push(issue("azure.endpoint", az.endpoint, "only goes with azure.accountKey (an existing account) or a container URL source; accounts skymount creates use their own endpoint"));
    }
    return issues;
}

/** The store: explicit, else from the source URI, else from the store block, else s3. */
export function resolveStore(spec: SkyStorageSpec): Store {
    if (spec.store) return spec.store as Store;
    const uri = spec.source !== undefined ? parseSource(spec.source) : undefined;
    if (uri && uri !== "local" && uri !== "unknown") return uri.store;
    if (spec.s3Compatible) return spec.s3Compatible.preset === "r2" ? "r2" : "s3compatible";
    if (spec.gcp) return "gcs";
    if (spec.azure) return "azure";
    return "s3";
}
