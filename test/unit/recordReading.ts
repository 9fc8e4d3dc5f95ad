// Records read whole, for tests: the provider streams records (src/sync/core/recordDiff.ts) and never
// holds a manifest; a test compares one with what it expects.
import type { Manifest } from "../../src/sync/core/diff";
import { forEachBatch, isRecordMismatch, RecordReader, recordReader } from "../../src/sync/core/recordDiff";
import { EMPTY_DIGEST, readLocally } from "../../src/sync/records/manifestRecord";

/** Every entry of a reader, to its end; undefined when the record proves not to be the one named. */
export async function manifestOfReader(reader: RecordReader): Promise<Manifest | undefined> {
    const manifest: Manifest = {};
    try {
        await forEachBatch(reader, (batch) => batch.paths.forEach((file, i) => (manifest[file] = batch.fingerprints[i])));
    } catch (err) {
        if (isRecordMismatch(err)) return undefined;
        throw err;
    }
    return manifest;
}

/** The manifest of a compressed record checked against `digest`. */
export const manifestOfRecord = (body: Buffer, digest: string) => manifestOfReader(recordReader(body, digest));

/** The manifest of `digest` in the local cache; undefined when it is not there or damaged. */
export async function localManifest(digest: string): Promise<Manifest | undefined> {
    if (digest === EMPTY_DIGEST) return {};
    const body = await readLocally(digest);
    return body && manifestOfRecord(body, digest);
}
