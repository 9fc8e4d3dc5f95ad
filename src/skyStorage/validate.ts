// Every rule a SkyStorage's arguments must satisfy (SkyPilot's name/source matrix, each store's
// bucket-name rules, exclusive store blocks), checked before anything is registered. The closed sets
// are checked first; then the arguments are resolved once (resolve.ts) and every rule reads that.
import { Issue, issue } from "../internal/issues";
import { missingPathRule, PathKind } from "../internal/pathKind";
import { keyPrefixIssues } from "../internal/keyPrefix";
import { hasScheme } from "../internal/uri";
import { S3_COMPATIBLE_PRESETS, SkyStorageSpec, STORE_BLOCKS } from "../model/storageSpec";
import { blockOwner, familiesOfBlock, findStoreFamily, givenBlocks, sourceUriForms, storeNames } from "../storeFamilies/registry";
import { bucketCopyIssues, sourceBasename } from "./bucketCopies";
import { recordsLocationIssues } from "./recordsLocation";
import { isBucketUri, resolveSkyStorage, ResolvedStorageSpec } from "./resolve";

/**
 * The closed sets: `store` takes the registered families' names, a preset the services it knows. Their
 * types were checked at the component's edge (internal/inputShape.ts), against the schema.
 */
function valueSetIssues(spec: SkyStorageSpec): Issue[] {
    const stores = storeNames();
    const preset = spec.s3Compatible?.preset;
    return [
        ...(spec.store !== undefined && !stores.includes(spec.store)
            ? [issue("store", spec.store, `must be one of ${stores.join(", ")}`)]
            : []),
        ...(preset !== undefined && !(S3_COMPATIBLE_PRESETS as string[]).includes(preset)
            ? [issue("s3Compatible.preset", preset, `must be one of ${S3_COMPATIBLE_PRESETS.join(", ")}`)]
            : []),
    ];
}

/** `a, b or c`. */
function oneOf(items: string[]): string {
    return items.length > 1 ? `${items.slice(0, -1).join(", ")} or ${items.at(-1)}` : items.join("");
}

/** All issues, and (when the shape holds) the resolved arguments planning consumes. */
export function checkSkyStorage(
    spec: SkyStorageSpec,
    kindOf: (p: string) => PathKind,
): { issues: Issue[]; resolved?: ResolvedStorageSpec } {
    // Resolving needs a known family: a value outside the sets is all that is said.
    const outside = valueSetIssues(spec);
    if (outside.length) return { issues: outside };
    const resolved = resolveSkyStorage(spec);
    return { issues: storageIssues(resolved, kindOf), resolved };
}

export function validateSkyStorage(spec: SkyStorageSpec, kindOf: (p: string) => PathKind): Issue[] {
    return checkSkyStorage(spec, kindOf).issues;
}

function storageIssues(resolved: ResolvedStorageSpec, kindOf: (p: string) => PathKind): Issue[] {
    const { spec, family, source, external } = resolved;
    const issues: Issue[] = [];
    const storesOf = (block: (typeof STORE_BLOCKS)[number]) => familiesOfBlock(block).map((f) => f.name);

    const blocks = STORE_BLOCKS.filter((b) => spec[b] !== undefined);
    if (blocks.length > 1) issues.push(issue(blocks.join(", "), "both set", "set at most one store block"));
    if (spec.store && blocks.length === 1 && !storesOf(blocks[0]).includes(spec.store)) {
        issues.push(issue("store", spec.store, `contradicts the ${blocks[0]} block (which is for ${storesOf(blocks[0]).join(" or ")})`));
    }

    if (spec.source !== undefined && spec.sources !== undefined)
        issues.push(issue("sources", spec.sources, "give either source or sources, not both"));
    if (spec.name === undefined && spec.source === undefined && spec.sources === undefined) {
        issues.push(issue("name", undefined, "give a bucket name, a source, or both"));
    }
    if (source?.parsed === "unknown") {
        issues.push(issue("source", spec.source, `unknown scheme: use a local path, ${oneOf(sourceUriForms())}`));
    } else if (external) {
        if (spec.name !== undefined)
            issues.push(issue("name", spec.name, "must not be given with a bucket URI source: the URI names the bucket"));
        if (external.subPath)
            issues.push(
                issue("source", spec.source, "must name a whole bucket, not a path inside one; use a volume's prefix for a sub-path"),
            );
        if (spec.store && spec.store !== external.store)
            issues.push(issue("store", spec.store, `contradicts the source URI, which is on ${external.store}`));
        if (blocks.length === 1 && !storesOf(blocks[0]).includes(external.store))
            issues.push(issue(blocks[0], "set", `contradicts the source URI, which is on ${external.store}`));
    }

    const localSources = source?.parsed === "local" ? [source] : resolved.sources.filter((s) => s.parsed === "local");
    if (localSources.length > 0 && spec.name === undefined) {
        issues.push(issue("name", undefined, "required when the source is local: the bucket to upload into"));
    }
    if (source?.parsed === "local") {
        const kind = kindOf(source.value);
        if (kind === "missing") issues.push(issue("source", spec.source, missingPathRule(spec.source!)));
        else if (kind === "file")
            issues.push(issue("source", spec.source, "must be a directory; to upload single files, list them in sources"));
    }
    const basenames = new Map<string, number>();
    const destination = { name: spec.name, family, rootPrefix: resolved.rootPrefix, spec };
    resolved.sources.forEach(({ value, parsed }, i) => {
        if (parsed !== "local") issues.push(...bucketCopyIssues(`sources[${i}]`, value, parsed, destination));
        else if (kindOf(value) === "missing") issues.push(issue(`sources[${i}]`, value, missingPathRule(value)));
        const base = sourceBasename(value, parsed);
        const first = basenames.get(base);
        if (first !== undefined)
            issues.push(
                issue(
                    `sources[${i}]`,
                    value,
                    `has the same basename "${base}" as sources[${first}]; each keeps its basename at the bucket root, so basenames must be unique`,
                ),
            );
        else basenames.set(base, i);
    });

    if (spec.name !== undefined) {
        if (hasScheme(spec.name)) {
            issues.push(
                issue("name", spec.name, "must be a bucket name without a scheme; to use an existing bucket, give its URI as source"),
            );
        } else {
            for (const rule of family.bucketNameRules(spec.name))
                issues.push(issue("name", spec.name, `${rule} (${family.name} bucket names)`));
        }
    }
    if (spec.prefix !== undefined) issues.push(...keyPrefixIssues(spec.prefix, "prefix"));
    issues.push(...recordsLocationIssues(resolved));

    // Each given block's own rules, by the family that owns it.
    for (const block of givenBlocks(spec)) issues.push(...(blockOwner(block)?.blockIssues?.(spec, isBucketUri(source?.parsed)) ?? []));
    const named = findStoreFamily(spec.store);
    if (named?.argsBlock && named.blockRequiredFor && spec[named.argsBlock] === undefined) {
        issues.push(issue(named.argsBlock, undefined, `required for store ${named.name}: ${named.blockRequiredFor}`));
    }
    return issues;
}
