// Bucket URIs as SkyStorage's `source` and `sources` take them. The generic part lives here: whether
// a string has a scheme, and `<scheme>://<bucket>[/<path>]` split into bucket and sub-path. Which
// schemes exist is each store family's business (src/storeFamilies/registry.ts asks them in turn).

/** A bucket named by URI: its store family, the bucket, and any path inside it. */
export interface BucketUri {
    /** The store family's name (s3, gcs, azure, r2, …). */
    store: string;
    bucket: string;
    /** Anything after the bucket: a sub-path, without leading or trailing '/'. */
    subPath: string;
    /** Azure: the storage account the URL names. */
    account?: string;
}

/** What a `source` entry is: a bucket URI, a local path, or a URI with a scheme no family claims. */
export type ParsedSource = BucketUri | "local" | "unknown";

const SCHEME = /^([a-z][a-z0-9+.-]*):\/\//i;

/** Whether `value` starts with `<scheme>://`: a URI rather than a local path or a bare name. */
export function hasScheme(value: string): boolean {
    return SCHEME.test(value);
}

/** `<scheme>://<bucket>[/<path>]` for exactly `scheme` ("s3", case-insensitive), else undefined. */
export function parseSchemeUri(source: string, scheme: string, store: string): BucketUri | undefined {
    const match = SCHEME.exec(source);
    if (!match || match[1].toLowerCase() !== scheme) return undefined;
    const [bucket, ...rest] = source.slice(match[0].length).split("/");
    return { store, bucket, subPath: rest.join("/").replace(/\/+$/, "") };
}

/** A bucket URI's path segments, empty ones dropped. */
export function uriSegments(uri: BucketUri): string[] {
    return uri.subPath.split("/").filter((s) => s !== "");
}
