// From validated, resolved SkyStorage arguments to what exists: which store and bucket, whether this
// stack manages it, where its API answers, which local trees are synced and which bucket prefixes
// are copied under which keys. The store family decides region defaults, endpoint and addressing.
import * as path from "node:path";
import type { BucketPlan, PlanScope } from "../storeFamilies/family";
import type { RecordsLocation } from "../sync/records/recordPlace";
import { BucketCopyPlan, planBucketCopy } from "./bucketCopies";
import { planRecordsLocation } from "./recordsLocation";
import { isBucketUri, ResolvedStorageSpec } from "./resolve";

export interface SourcePlan {
    /** Absolute path of the local tree. */
    dir: string;
    /** Key prefix its files go under: `<prefix>/` for `source`, `<prefix>/<basename>/` for `sources`. */
    keyPrefix: string;
    /** Stable name for the sync resource. */
    label: string;
}

export interface StoragePlan extends BucketPlan {
    sources: SourcePlan[];
    /** Bucket URIs in `sources`: copied server-side from another bucket on the same store. */
    copies: BucketCopyPlan[];
    ignore: string[];
    /** Where the syncs and copies keep a record too large for the state; without it, the local cache. */
    recordsAt?: RecordsLocation;
}

/** Assumes the arguments were validated (`checkSkyStorage` returned no issues). */
export function planSkyStorage(resolved: ResolvedStorageSpec, scope: PlanScope): StoragePlan {
    const { spec, family, external, rootPrefix } = resolved;
    const region = spec.region ?? family.blockRegion?.(spec) ?? family.defaultRegion;
    const sources: SourcePlan[] =
        resolved.source?.parsed === "local"
            ? [{ dir: path.resolve(resolved.source.value), keyPrefix: rootPrefix, label: "source" }]
            : resolved.sources
                  .filter((s) => s.parsed === "local")
                  .map(({ value }) => {
                      const base = path.basename(path.resolve(value));
                      return { dir: path.resolve(value), keyPrefix: `${rootPrefix}${base}/`, label: base };
                  });
    const { endpoint, pathStyle, azure } = family.planBucket({ spec, region, external, scope });
    return {
        store: family.name,
        bucket: external ? external.bucket : spec.name!,
        managed: !external,
        persistent: spec.persistent ?? true,
        region,
        endpoint,
        pathStyle,
        sources,
        copies: resolved.sources.flatMap(({ parsed }) => (isBucketUri(parsed) ? [planBucketCopy(parsed, rootPrefix)] : [])),
        ignore: spec.ignore ?? [],
        recordsAt: planRecordsLocation(resolved),
        azure,
    };
}
