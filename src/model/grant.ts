// A bucket (or a prefix of one) a machine identity is granted, read-only or read-write: what compute
// drivers turn into IAM policies, GCS bindings and Azure role assignments.

export interface BucketGrant {
    bucket: string;
    /** Limit object access to this key prefix. Optional. */
    prefix?: string;
    readOnly: boolean;
}

/** One grant per bucket and prefix, sorted: writable if any volume there writes. */
export function mergeGrants(grants: BucketGrant[]): BucketGrant[] {
    const merged = new Map<string, BucketGrant>();
    for (const g of grants) {
        const key = `${g.bucket}\n${g.prefix ?? ""}`;
        const seen = merged.get(key);
        merged.set(key, seen ? { ...seen, readOnly: seen.readOnly && g.readOnly } : { ...g });
    }
    return [...merged.values()].sort((a, b) => `${a.bucket}/${a.prefix ?? ""}`.localeCompare(`${b.bucket}/${b.prefix ?? ""}`));
}
