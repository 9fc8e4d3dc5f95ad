// Bucket URIs in `sources`: objects copied server-side (BucketCopy) from another bucket on the same
// store into the managed bucket, each under `<prefix><basename>/` like a local source. Their rules
// and their plan. Pure.
import * as path from "node:path";
import { Issue, issue } from "../internal/issues";
import { BucketUri, ParsedSource, uriSegments } from "../internal/uri";
import type { SkyStorageSpec } from "../model/storageSpec";
import type { StoreFamily } from "../storeFamilies/family";
import { sourceUriForms } from "../storeFamilies/registry";

/** One BucketCopy: which source prefix lands under which key prefix. */
export interface BucketCopyPlan {
    sourceBucket: string;
    /** Keys copied are those under this prefix ("" for the whole bucket, else "some/dir/"). */
    sourcePrefix: string;
    /** Where they land: `<prefix><basename>/`. */
    keyPrefix: string;
    /** Stable name for the copy resource: the basename. */
    label: string;
}

/** The destination as far as copies care: its name (absent for an existing bucket), family and key prefix. */
export interface BucketCopyDestination {
    name?: string;
    family: StoreFamily;
    /** "" or "prefix/". */
    rootPrefix: string;
    /** The arguments, for a family's own copy rule (Azure: the account of azure.accountKey). */
    spec: SkyStorageSpec;
}

/** The name a source keeps at the bucket root: a local path's basename, a URI's last segment or bucket. */
export function sourceBasename(source: string, parsed: ParsedSource): string {
    if (parsed === "local" || parsed === "unknown") return path.basename(path.resolve(source));
    return uriSegments(parsed).at(-1) ?? parsed.bucket;
}

export function planBucketCopy(uri: BucketUri, rootPrefix: string): BucketCopyPlan {
    const sub = uriSegments(uri);
    const base = sourceBasename("", uri);
    return {
        sourceBucket: uri.bucket,
        sourcePrefix: sub.length ? `${sub.join("/")}/` : "",
        keyPrefix: `${rootPrefix}${base}/`,
        label: base,
    };
}

/** The rules a URI entry of `sources` (at `field`) breaks. */
export function bucketCopyIssues(field: string, value: string, uri: BucketUri | "unknown", destination: BucketCopyDestination): Issue[] {
    const broken = (rule: string) => issue(field, value, rule);
    if (uri === "unknown")
        return [broken(`unknown scheme: use a local path, or a bucket URI on the bucket's own store (${sourceUriForms().join(", ")})`)];
    if (destination.name === undefined) {
        return [
            broken(
                "a bucket URI in sources is copied into the bucket named by name: give name (without it this SkyStorage is an existing bucket, which skymount never writes to)",
            ),
        ];
    }
    const issues: Issue[] = [];
    const family = destination.family;
    if (!uri.bucket) issues.push(broken("must name a bucket: <scheme>://<bucket>[/<path>]"));
    if (uriSegments(uri).some((s) => s === "." || s === "..")) issues.push(broken("must not contain '.' or '..' path segments"));
    if (!family.copiesFrom.includes(uri.store)) {
        issues.push(
            broken(
                `is on ${uri.store} but the bucket is on ${family.name}: server-side copy needs source and destination on the same store; download it and use a local source instead`,
            ),
        );
    }
    const familyRule = issues.length === 0 ? family.copySourceRule?.(uri, destination.spec) : undefined;
    if (familyRule !== undefined) issues.push(broken(familyRule));
    if (issues.length === 0 && uri.bucket === destination.name) {
        const plan = planBucketCopy(uri, destination.rootPrefix);
        if (plan.keyPrefix.startsWith(plan.sourcePrefix) || plan.sourcePrefix.startsWith(plan.keyPrefix)) {
            issues.push(
                broken(
                    `copies into the same bucket under "${plan.keyPrefix}", which overlaps the keys it copies from: choose a prefix outside them`,
                ),
            );
        }
    }
    return issues;
}
