// Every rule a SkyStorage's arguments must satisfy (SkyPilot's name/source matrix, each store's
// bucket-name rules, exclusive store blocks), checked before anything is registered. The shape is
// checked first; then the arguments are resolved once (resolve.ts) and every rule reads that.
import { z } from "zod";
import { Issue, issue } from "../internal/issues";
import { missingPathRule, PathKind } from "../internal/pathKind";
import { keyPrefixIssues } from "../internal/keyPrefix";
import { hasScheme } from "../internal/uri";
import { zodIssues } from "../internal/zodIssues";
import { S3_COMPATIBLE_PRESETS, SkyStorageSpec, STORE_BLOCKS } from "../model/storageSpec";
import { blockOwner, familiesOfBlock, findStoreFamily, givenBlocks, sourceUriForms, storeNames } from "../storeFamilies/registry";
import { bucketCopyIssues, sourceBasename } from "./bucketCopies";
import { recordsLocationIssues } from "./recordsLocation";
import { isBucketUri, resolveSkyStorage, ResolvedStorageSpec } from "./resolve";

/** The arguments' shape; `store` takes the registered families' names. */
function shape() {
    const [first, ...rest] = storeNames();
    return z.object({
        name: z.string().optional(),
        source: z.string().optional(),
        sources: z.array(z.string()).optional(),
        store: z.enum([first, ...rest]).optional(),
        persistent: z.boolean().optional(),
        region: z.string().optional(),
        prefix: z.string().optional(),
        ignore: z.array(z.string()).optional(),
        records: z.string().optional(),
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
    const parsed = shape().safeParse(spec);
    if (!parsed.success) return { issues: zodIssues(parsed.error, spec) };
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
