// `records`: where the syncs and copies of this SkyStorage keep a record too large for the state
// (src/sync/records/recordPlace.ts). A bucket URI on the bucket's own store, reached with the same keys (for
// Azure, a container of the same account): another bucket, or a prefix of this one outside the keys
// the sources fill, so that no volume of the sources and no listing of them shows a record. Its
// rules and its plan. Pure.
import { Issue, issue } from "../internal/issues";
import { uriSegments } from "../internal/uri";
import { parseSource, sourceUriForms } from "../storeFamilies/registry";
import type { RecordsLocation } from "../sync/records/recordPlace";
import { isBucketUri, ResolvedStorageSpec } from "./resolve";

/** The records location `records` names; undefined without one (or when it breaks a rule). */
export function planRecordsLocation(resolved: ResolvedStorageSpec): RecordsLocation | undefined {
    if (resolved.spec.records === undefined) return undefined;
    const uri = parseSource(resolved.spec.records);
    if (!isBucketUri(uri)) return undefined;
    const segments = uriSegments(uri);
    return { bucket: uri.bucket, prefix: segments.length ? `${segments.join("/")}/` : "" };
}

/** The rules `records` breaks. */
export function recordsLocationIssues(resolved: ResolvedStorageSpec): Issue[] {
    const { spec, family, rootPrefix } = resolved;
    const value = spec.records;
    if (value === undefined) return [];
    const broken = (rule: string): Issue[] => [issue("records", value, rule)];
    const uri = parseSource(value);
    if (!isBucketUri(uri))
        return broken(`must be a bucket URI on the bucket's own store (${family.uriForm ?? sourceUriForms().join(", ")})`);
    if (spec.name === undefined) return broken("keeps the records of the syncs and copies into the bucket named by name: give name");
    if (!uri.bucket) return broken("must name a bucket: <scheme>://<bucket>[/<path>]");
    if (uriSegments(uri).some((s) => s === "." || s === "..")) return broken("must not contain '.' or '..' path segments");
    if (!family.copiesFrom.includes(uri.store))
        return broken(`is on ${uri.store} but the bucket is on ${family.name}: the records are written with the bucket's own keys`);
    const familyRule = family.copySourceRule?.(uri, spec);
    if (familyRule !== undefined) return broken(familyRule);
    const prefix = planRecordsLocation(resolved)!.prefix;
    if (uri.bucket === spec.name && (prefix.startsWith(rootPrefix) || rootPrefix.startsWith(prefix))) {
        return broken(
            `is inside the keys the sources fill ("${rootPrefix}"), where every volume and listing of them would show the records: use another bucket, or a prefix of this one outside "prefix"`,
        );
    }
    return [];
}
