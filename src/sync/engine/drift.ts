// A sync's files against one listing of its prefix in the bucket, for two questions:
// - read (`pulumi refresh`): of what the sync recorded, what does the bucket still hold? Objects
//   removed out of band drop out of the recorded manifest and objects overwritten are marked, so
//   the next diff (recorded text against the local manifest) uploads exactly those files. Asked a
//   batch of the record at a time (refresh.ts streams the record): never the whole manifest.
// - resume (create and update): of the files to upload, which are already there with the same
//   content, because an earlier run uploaded them before it failed or was killed? Those are skipped.
// Both compare the listing's size and digest with the local file (objectMatch.ts): one listing per
// call, no request per object.
import * as path from "node:path";
import { Manifest, NamedCount, namesOf } from "../core/diff";
import { sizeOfFingerprint } from "../core/fingerprint";
import { compareStored, digestFile, hasContentDigest, LocalDigest, Match } from "./objectMatch";
import { runPool } from "../pool/pool";
import type { EntryBatch } from "../core/recordDiff";
import type { Listing } from "../core/storeInterfaces";

/** Files read at once to digest them. */
const DIGESTS_IN_FLIGHT = 8;

/** What a recorded fingerprint becomes when the object at its key no longer holds that content. */
export const CHANGED_IN_BUCKET = "changed-in-bucket";

/** What the bucket still holds of a batch of the record. */
export interface HeldBatch {
    /** The batch, minus files whose object is gone, with changed ones marked (`<listed size>:changed-in-bucket`). */
    held: EntryBatch;
    /** In path order. */
    missing: string[];
    changed: string[];
}

/** "drift: 2 gone from the bucket (a.csv, b.csv); 1 changed in the bucket (c.csv)": what refresh records as the summary. */
export function describeDrift(drift: { missing: NamedCount; changed: NamedCount }): string {
    const part = ({ count, first }: NamedCount, what: string) =>
        count ? [`${count} ${what} (${namesOf(first, undefined, undefined, count)})`] : [];
    return `drift: ${[...part(drift.missing, "gone from the bucket"), ...part(drift.changed, "changed in the bucket")].join("; ")}`;
}

/** The batch's files sorted into held, missing and changed by `verdict`: undefined (held as recorded), "gone", or the listed size of a changed object. */
function sorted(recorded: EntryBatch, verdict: (file: string, fingerprint: string) => "gone" | number | undefined): HeldBatch {
    const result: HeldBatch = { held: { paths: [], fingerprints: [] }, missing: [], changed: [] };
    recorded.paths.forEach((file, i) => {
        const found = verdict(file, recorded.fingerprints[i]);
        if (found === "gone") return void result.missing.push(file);
        if (found !== undefined) result.changed.push(file);
        result.held.paths.push(file);
        result.held.fingerprints.push(found === undefined ? recorded.fingerprints[i] : `${found}:${CHANGED_IN_BUCKET}`);
    });
    return result;
}

/**
 * What a create or update did, as its `summary` output: the diff against the last record, and how
 * many of those files a resumed run found already in the bucket ("…; 0 removed; 1,810 already in the
 * bucket"); without any, exactly the summary Check computed for preview.
 */
export function describeWork(summary: string, alreadyThere: number): string {
    return alreadyThere > 0 ? `${summary}; ${alreadyThere} already in the bucket` : summary;
}

/** Digests of `files` under `sourceDir`, read a few at a time; a file that cannot be read has none. */
async function digestsOf(sourceDir: string, files: string[]): Promise<Map<string, LocalDigest>> {
    const digests = new Map<string, LocalDigest>();
    await runPool(
        files.map((file) => ({
            label: file,
            run: async () => {
                try {
                    digests.set(file, await digestFile(path.join(sourceDir, file)));
                } catch {
                    // Removed or unreadable since the scan: nothing to compare with.
                }
            },
        })),
        DIGESTS_IN_FLIGHT,
    );
    return digests;
}

/**
 * What the bucket holds of `recorded`, a batch of a sync's record. An object of another size, or with
 * a listed digest that differs from the local file's while that file is still the one recorded, is
 * marked changed. When the local file has changed since (the next up uploads it anyway) or the store
 * lists no digest, the size decides.
 */
export async function heldFiles(recorded: EntryBatch, listing: Listing, sourceDir: string): Promise<HeldBatch> {
    const toDigest = recorded.paths.filter((file, i) => {
        const stored = listing.get(file);
        return stored !== undefined && stored.size === sizeOfFingerprint(recorded.fingerprints[i]) && hasContentDigest(stored);
    });
    const digests = await digestsOf(sourceDir, toDigest);
    return sorted(recorded, (file, fingerprint) => {
        const stored = listing.get(file);
        if (stored === undefined) return "gone";
        if (stored.size !== sizeOfFingerprint(fingerprint)) return stored.size;
        const digest = digests.get(file);
        if (digest?.fingerprint !== fingerprint) return undefined;
        return compareStored(stored, stored.size, digest) === "different" ? stored.size : undefined;
    });
}

/**
 * Of the files to upload (`wanted`, with their local fingerprints), those whose object is already
 * in the bucket with exactly this content. Only a listed digest that matches proves it: an object
 * of the same size without one is uploaded again.
 */
export async function alreadyStored(wanted: EntryBatch, listing: Listing, sourceDir: string): Promise<Set<string>> {
    const local = new Map<string, string>();
    wanted.paths.forEach((file, i) => {
        const stored = listing.get(file);
        const fingerprint = wanted.fingerprints[i];
        if (stored !== undefined && stored.size === sizeOfFingerprint(fingerprint) && hasContentDigest(stored))
            local.set(file, fingerprint);
    });
    const candidates = [...local.keys()];
    const digests = await digestsOf(sourceDir, candidates);
    return new Set(
        candidates.filter((file) => {
            const digest = digests.get(file);
            // The file must still be what the manifest says: that is the content the state will record.
            const fingerprint = local.get(file)!;
            return (
                digest?.fingerprint === fingerprint && compareStored(listing.get(file)!, sizeOfFingerprint(fingerprint), digest) === "same"
            );
        }),
    );
}

// ---- Server-side copies: the record is the source's listing ("size:etag"), the bucket's the copies' ----

/**
 * How a copy compares with its source's listed fingerprint: by size, and by ETag where both are the
 * MD5 of the content (S3's CopyObject keeps a single-part object's MD5 ETag; a part copy, and every
 * Azure Copy Blob, gives the copy an ETag of its own, so only the size speaks there).
 */
export function compareCopy(sourceFingerprint: string, copyFingerprint: string): Match {
    const [sourceSize, sourceEtag] = splitFingerprint(sourceFingerprint);
    const [copySize, copyEtag] = splitFingerprint(copyFingerprint);
    if (sourceSize !== copySize) return "different";
    if (MD5_HEX.test(sourceEtag) && MD5_HEX.test(copyEtag)) return sourceEtag === copyEtag ? "same" : "different";
    return "unknown";
}

const MD5_HEX = /^[0-9a-f]{32}$/;

function splitFingerprint(fingerprint: string): [size: string, etag: string] {
    const colon = fingerprint.indexOf(":");
    return [fingerprint.slice(0, colon), fingerprint.slice(colon + 1)];
}

/** What the destination still holds of `recorded`, a batch of a copy's record (its source listing at the last copy). */
export function heldCopies(recorded: EntryBatch, copies: Manifest): HeldBatch {
    return sorted(recorded, (file, fingerprint) => {
        if (!(file in copies)) return "gone";
        return compareCopy(fingerprint, copies[file]) === "different" ? Number(splitFingerprint(copies[file])[0]) : undefined;
    });
}

/** Of `files` to copy, those whose copy is provably there already (an earlier, interrupted run made it). */
export function alreadyCopied(files: string[], source: Manifest, copies: Manifest): Set<string> {
    return new Set(files.filter((file) => file in copies && compareCopy(source[file], copies[file]) === "same"));
}
