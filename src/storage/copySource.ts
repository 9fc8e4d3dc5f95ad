// Bucket URIs in `sources`: objects copied server-side from another bucket on the same store into the
// managed bucket, each under `<prefix><basename>/` like a local source. Their rules and their plan. Pure.
import * as path from "node:path";
import { Issue, issue } from "../internal/issues";
import type { Store } from "./spec";
import type { BucketUri } from "./validate";

/** A source bucket's store → the destination stores a server-side copy can reach from it. */
const COPYABLE_INTO: Partial<Record<Store, Store[]>> = {
    // s3:// on an S3-compatible store means a bucket on the same endpoint, reached with the same keys.
    s3: ["s3", "s3compatible"],
    gcs: ["gcs"],
    r2: ["r2"],
    azure: ["azure"],
};

export interface CopyPlan {
    sourceBucket: string;
    /** Keys copied are those under this prefix ("" for the whole bucket, else "some/dir/"). */
    sourcePrefix: string;
    /** Where they land: `<prefix><basename>/`. */
    keyPrefix: string;
    /** Stable name for the copy resource: the basename. */
    label: string;
}

/** The destination as far as copies care: its name (absent for an existing bucket), store and key prefix. */
export interface CopyDestination {
    name?: string;
    store: Store;
    /** "" or "prefix/". */
    rootPrefix: string;
    /** Azure: the existing storage account the container is in (absent when skymount creates one). */
    azureAccount?: string;
}

/** `prefix` made into a key prefix: "" or "a/b/". */
export function rootPrefix(prefix: string | undefined): string {
    const trimmed = (prefix ?? "").replace(/^\/+|\/+$/g, "");
    return trimmed ? `${trimmed}/` : "";
}

function segments(uri: BucketUri): string[] {
    return uri.subPath.split("/").filter((s) => s !== "");
}

/** The name a source keeps at the bucket root: a local path's basename, a URI's last segment or bucket. */
export function sourceBasename(source: string, uri: BucketUri | "local" | "unknown"): string {
    if (uri === "local" || uri === "unknown") return path.basename(path.resolve(source));
    return segments(uri).at(-1) ?? uri.bucket;
}

export function copyPlan(uri: BucketUri, destination: CopyDestination): CopyPlan {
    const sub = segments(uri);
    const base = sourceBasename("", uri);
    return { sourceBucket: uri.bucket, sourcePrefix: sub.length ? `${sub.join("/")}/` : "", keyPrefix: `${destination.rootPrefix}${base}/`, label: base };
}

/** The rules a URI entry of `sources` (at `field`) breaks. */
export function copySourceIssues(field: string, value: string, uri: BucketUri | "unknown", destination: CopyDestination): Issue[] {
    if (uri === "unknown") return [issue(field, value, "unknown scheme: use a local path, or a bucket URI on the bucket's own store (s3://, gs://, r2://, https://<account>.blob.core.windows.net/<container>)")];
    if (destination.name === undefined) {
        return [issue(field, value, "a bucket URI in sources is copied into the bucket named by name: give name (without it this SkyStorage is an existing bucket, which skymount never writes to)")];
    }
    const issues: Issue[] = [];
    if (!uri.bucket) issues.push(issue(field, value, "must name a bucket: <scheme>://<bucket>[/<path>]"));
    if (segments(uri).some((s) => s === "." || s === "..")) issues.push(issue(field, value, "must not contain '.' or '..' path segments"));
    if (!COPYABLE_INTO[uri.store]?.includes(destination.store)) {
        issues.push(issue(field, value, `is on ${uri.store} but the bucket is on ${destination.store}: server-side copy needs source and destination on the same store; download it and use a local source instead`));
    }
    // Copy Blob reaches a source without a SAS only inside the account whose key signs the request.
    if (issues.length === 0 && uri.store === "azure" && uri.account !== destination.azureAccount) {
        const where = destination.azureAccount === undefined ? "a storage account skymount creates" : `storage account ${destination.azureAccount}`;
        issues.push(issue(field, value, `is in storage account ${uri.account} but the container is in ${where}: a server-side copy from Azure Blob stays inside one account (give azure.storageAccountName "${uri.account}" and its accountKey), or download it and use a local source instead`));
    }
    if (issues.length === 0 && uri.bucket === destination.name) {
        const plan = copyPlan(uri, destination);
        if (plan.keyPrefix.startsWith(plan.sourcePrefix) || plan.sourcePrefix.startsWith(plan.keyPrefix)) {
            issues.push(issue(field, value, `copies into the same bucket under "${plan.keyPrefix}", which overlaps the keys it copies from: choose a prefix outside them`));
        }
    }
    return issues;
}
