// The records location's side of a sync's manifest records (manifestRecord.ts): put, get, list and
// delete a few objects under a location the user named (recordPlace.ts), through the RecordStore its
// protocol opens (protocols/registry.ts); and reading a record from the local cache, else from there.
import { digestOfRecordKey, EMPTY_DIGEST, keepLocally, forgetLocally, readLocally, recordKey, recordKeyPrefix } from "./manifestRecord";
import { emptyReader, RecordReader, recordReader } from "../core/recordDiff";
import type { RecordStore } from "../core/storeInterfaces";

export type { RecordStore } from "../core/storeInterfaces";

/**
 * Where a record is read from, as a stream (core/recordDiff.ts): a reader is checked against the digest
 * only at its end, so a caller that finds it damaged asks `fallback` for the next place to read.
 */
export interface RecordSource {
    /** A new reader of the record, from its start. */
    read(): RecordReader;
    /** Where to read when this copy proved damaged: the local cache after the state, the records location after the local cache (whose copy is removed); nothing after that. */
    fallback(): Promise<RecordSource | undefined>;
    /** Once a record fetched from the records location proved whole: kept in the local cache for the next read. */
    keep(): Promise<void>;
}

/** A source with no other place to read from: the empty manifest, a body already in hand. */
export function fixedSource(read: () => RecordReader): RecordSource {
    return { read, fallback: async () => undefined, keep: async () => undefined };
}

/**
 * The record of `digest` for the sync whose records are under `base` as a stream: from the local
 * cache, else from the records location when there is one. Undefined when neither has it (the
 * caller then must not delete anything it cannot prove it uploaded).
 */
export async function recordSource(store: RecordStore | undefined, base: string, digest: string): Promise<RecordSource | undefined> {
    if (digest === EMPTY_DIGEST) return fixedSource(emptyReader);
    const fromBucket = async (): Promise<RecordSource | undefined> => {
        if (!store) return undefined;
        const body = await store.get(recordKey(base, digest));
        if (!body) return undefined;
        return {
            ...fixedSource(() => recordReader(body, digest)),
            keep: async () => void (await keepLocally(digest, async () => body).catch(() => undefined)),
        };
    };
    const cached = await readLocally(digest);
    if (!cached) return fromBucket();
    const fallback = async () => {
        await forgetLocally(digest);
        return fromBucket();
    };
    return { ...fixedSource(() => recordReader(cached, digest)), fallback };
}

/** Puts a record's compressed body under `base` by `digest`. The empty manifest needs none. */
export async function putRecord(store: RecordStore, base: string, digest: string, body: Buffer): Promise<void> {
    if (digest === EMPTY_DIGEST) return;
    await store.put(recordKey(base, digest), body);
}

/**
 * Deletes this sync's records except `keep` (the one the state now names and the one it named
 * before: if the engine fails to write the new state, the old one still points at a record). Best
 * effort: a record left over costs a few bytes, never correctness.
 */
export async function pruneRecords(store: RecordStore, base: string, keep: string[]): Promise<void> {
    try {
        const stale = (await store.list(recordKeyPrefix(base))).filter((key) => {
            const digest = digestOfRecordKey(base, key);
            return digest !== undefined && !keep.includes(digest);
        });
        if (stale.length > 0) await store.deleteKeys(stale);
    } catch {
        // Left for the next sync to remove.
    }
}

/** Deletes every record under `base` (destroy). */
export async function deleteRecords(store: RecordStore, base: string): Promise<void> {
    const keys = (await store.list(recordKeyPrefix(base))).filter((key) => digestOfRecordKey(base, key) !== undefined);
    if (keys.length > 0) await store.deleteKeys(keys);
}
