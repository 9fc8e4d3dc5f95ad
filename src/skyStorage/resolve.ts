// SkyStorage's arguments parsed and resolved once: which store family, what `source` and each of
// `sources` are, the key prefix. Validation reads this, and planning consumes it, so nothing is
// parsed twice. Pure.
import type { BucketUri, ParsedSource } from "../internal/uri";
import type { SkyStorageSpec } from "../model/storageSpec";
import type { StoreFamily } from "../storeFamilies/family";
import { familyOfBlocks, parseSource, storeFamily } from "../storeFamilies/registry";

export interface ResolvedSource {
    /** As the user wrote it. */
    value: string;
    parsed: ParsedSource;
}

export interface ResolvedStorageSpec {
    spec: SkyStorageSpec;
    /** The store: explicit, else the source URI's, else the store block's, else s3. */
    family: StoreFamily;
    /** `source`, parsed. */
    source?: ResolvedSource;
    /** The existing bucket `source` names, when it names one. */
    external?: BucketUri;
    /** `sources`, each parsed, in order. */
    sources: ResolvedSource[];
    /** `prefix` as a key prefix: "" or "a/b/". */
    rootPrefix: string;
}

/** `prefix` made into a key prefix: "" or "a/b/". */
export function rootPrefix(prefix: string | undefined): string {
    const trimmed = (prefix ?? "").replace(/^\/+|\/+$/g, "");
    return trimmed ? `${trimmed}/` : "";
}

export function isBucketUri(parsed: ParsedSource | undefined): parsed is BucketUri {
    return parsed !== undefined && parsed !== "local" && parsed !== "unknown";
}

/** Assumes `spec.store`, when given, names a registered family (the shape check comes first). */
export function resolveSkyStorage(spec: SkyStorageSpec): ResolvedStorageSpec {
    const source = spec.source !== undefined ? { value: spec.source, parsed: parseSource(spec.source) } : undefined;
    const external = isBucketUri(source?.parsed) ? source.parsed : undefined;
    const family = spec.store ? storeFamily(spec.store) : external ? storeFamily(external.store) : familyOfBlocks(spec);
    return {
        spec,
        family,
        source,
        external,
        sources: (spec.sources ?? []).map((value) => ({ value, parsed: parseSource(value) })),
        rootPrefix: rootPrefix(spec.prefix),
    };
}
