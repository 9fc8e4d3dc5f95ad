// Where a sync's (or a copy's) record is kept (manifestRecord.ts), so that the bucket it fills holds
// only the user's data: a volume of that bucket, its listing and a COPY volume's files are exactly
// the source. The place is chosen when the program records the manifest, by the record's size:
// - at most INLINE_RECORD_BYTES compressed (about 5,000 files): in the resource's state (`record`,
//   base64), where every machine with the stack finds it; nothing is written anywhere else;
// - larger, with a records location the user named (SkyStorage `records`: a bucket and prefix on the
//   same store, reached with the same keys): there, under `<prefix><bucket>/<keyPrefix>`;
// - larger, without one: in the local cache of the machine that ran the sync, only. Another machine
//   still previews and ups (it compares every file with the bucket's listing), but deletes nothing,
//   since it cannot prove what the last run uploaded, until a machine with the record runs again.
// The state stays bounded in every case; the local cache keeps whatever this machine made or read.
import * as pulumi from "@pulumi/pulumi";
import type { CredentialValues } from "../../model/storageRef";
import { EMPTY_DIGEST, INLINE_RECORD_BYTES, keepLocally, LocalRecordRef, recordKey } from "./manifestRecord";
import { recordReader } from "../core/recordDiff";
import type { WrittenRecord } from "./recordWriter";
import { openRecordStore } from "../protocols/registry";
import { pruneRecords, putRecord, RecordSource, recordSource, RecordStore } from "./recordStore";
import type { RecordKeptIn, RecordsLocation, TransferState } from "../core/state";

export type { RecordKeptIn, RecordsLocation } from "../core/state";

/** The fields of a transfer's state that say where its record is. */
export type RecordedState = Pick<
    TransferState,
    "target" | "credentials" | "bucket" | "keyPrefix" | "manifestDigest" | "record" | "recordsAt" | "recordKeptIn"
>;

/** Where the record of `ref` goes: the state when it is small (or empty), else the records location, else the cache. */
export function keptInFor(ref: LocalRecordRef, recordsAt: RecordsLocation | undefined): RecordKeptIn {
    if (ref.inline !== undefined || ref.files === 0) return "state";
    return recordsAt ? "records" : "cache";
}

/** What a transfer resource's arguments say besides where its files come from. */
export interface TransferArgs {
    credentials?: pulumi.Input<CredentialValues>;
    /** Where records too large for the state are kept; without it, in the local cache only. */
    recordsAt?: RecordsLocation;
    concurrency?: number;
}

/**
 * A transfer resource's shared inputs, from the program's ref of what it scanned or listed: the
 * digest, count and bytes, the record itself when small, where it is kept, and the settings. The keys
 * and the record are secret: encrypted in the state, and the record is shown as [secret] in
 * `preview --diff` rather than as kilobytes of base64 (a dataset's paths are often as private as its
 * keys).
 */
export function transferInputs(ref: pulumi.Output<LocalRecordRef>, args: TransferArgs) {
    return {
        credentials: args.credentials === undefined ? undefined : pulumi.secret(args.credentials),
        manifestDigest: ref.apply((r) => r.digest),
        fileCount: ref.apply((r) => r.files),
        totalBytes: ref.apply((r) => r.bytes),
        record: pulumi.secret(ref.apply((r) => r.inline)),
        recordKeptIn: ref.apply((r) => keptInFor(r, args.recordsAt)),
        recordsAt: args.recordsAt,
        concurrency: args.concurrency,
        summary: undefined,
    };
}

/** Warns on `resource` (`what` it is) when its record can be kept only in this machine's cache (cacheOnlyNote). */
export function noteCacheOnly(
    ref: pulumi.Output<LocalRecordRef>,
    recordsAt: RecordsLocation | undefined,
    what: string,
    resource: pulumi.Resource,
): void {
    ref.apply((r) => {
        if (keptInFor(r, recordsAt) === "cache") void pulumi.log.warn(cacheOnlyNote(what, r), resource);
    });
}

/** The options of a transfer resource: its keys and record kept secret in the outputs too. */
export const transferOptions = (opts: pulumi.CustomResourceOptions | undefined): pulumi.CustomResourceOptions => ({
    ...opts,
    additionalSecretOutputs: ["credentials", "record"],
});

/** This sync's folder in the records location: the filled bucket's name, then the sync's key prefix. */
export function recordBase(state: Pick<RecordedState, "recordsAt" | "bucket" | "keyPrefix">): string {
    return `${state.recordsAt?.prefix ?? ""}${state.bucket}/${state.keyPrefix}`;
}

/** The records location's store, when the state names one. */
export function openRecordsAt(state: RecordedState): RecordStore | undefined {
    return state.recordsAt ? openRecordStore(state.target, state.credentials, state.recordsAt.bucket) : undefined;
}

/**
 * The compressed record the state holds, if it holds one. Not there is undefined, or null: a secret
 * input whose value is undefined reaches the provider as null.
 */
export function recordInState(state: RecordedState): Buffer | undefined {
    if (typeof state.record !== "string" || state.manifestDigest === EMPTY_DIGEST) return undefined;
    return Buffer.from(state.record, "base64");
}

/**
 * The record `state` names, as a stream: the state's own copy, else the local cache, else the
 * records location (`records`, opened for that state). Undefined when none has it.
 */
export async function recordSourceOf(state: RecordedState, records: RecordStore | undefined): Promise<RecordSource | undefined> {
    const elsewhere = () => recordSource(records, recordBase(state), state.manifestDigest);
    const body = recordInState(state);
    if (!body) return elsewhere();
    return { read: () => recordReader(body, state.manifestDigest), fallback: elsewhere, keep: async () => undefined };
}

/**
 * After a successful run: the record of `state` (compressed, `body`) kept where the state says, and
 * the records location's older records of this sync pruned, the previous run's kept (if the engine
 * fails to write the new state, the old one still names a record).
 */
export async function keepRecord(
    state: RecordedState,
    previous: RecordedState | undefined,
    body: () => Promise<Buffer>,
    records: RecordStore | undefined,
): Promise<void> {
    if (state.manifestDigest === EMPTY_DIGEST) return;
    if (state.recordKeptIn !== "state") await keepLocally(state.manifestDigest, body);
    if (!records) return;
    if (state.recordKeptIn === "records") await putRecord(records, recordBase(state), state.manifestDigest, await body());
    await pruneRecords(records, recordBase(state), [state.manifestDigest, ...(previous ? [previous.manifestDigest] : [])]);
}

/**
 * `state` with a record written by refresh (engine/refresh.ts) in place of its record: kept where its
 * size says, its digest, count and bytes, and the state's `record` only when the new one is kept
 * there (a property set to undefined cannot cross to the engine, and the old one must go).
 */
export async function withRecord<T extends RecordedState & { fileCount: number; totalBytes: number }>(
    state: T,
    written: WrittenRecord,
    records: RecordStore | undefined,
): Promise<T> {
    const { ref, body } = written;
    const inline = ref.files > 0 && body.length <= INLINE_RECORD_BYTES ? body.toString("base64") : undefined;
    const recordKeptIn = keptInFor({ ...ref, inline }, state.recordsAt);
    if (ref.files > 0) await keepLocally(ref.digest, async () => body);
    if (recordKeptIn === "records") await putRecord(records!, recordBase(state), ref.digest, body);
    const { record: _replaced, ...rest } = state;
    return {
        ...rest,
        manifestDigest: ref.digest,
        fileCount: ref.files,
        totalBytes: ref.bytes,
        recordKeptIn,
        ...(inline === undefined ? {} : { record: inline }),
    } as unknown as T;
}

/** What a run says when the record of the last one is nowhere it looked; `compared` says what it does instead. */
export function recordGoneNote(state: RecordedState, what: "sync" | "copy"): string {
    const instead = `every ${what === "sync" ? "file" : "object"} is compared with the bucket's listing and nothing is deleted`;
    switch (state.recordKeptIn) {
        case "records":
            return `warning: the record of the last ${what}, ${state.recordsAt!.bucket}/${recordKey(recordBase(state), state.manifestDigest)}, is gone (deleted out of band?): ${instead}`;
        case "cache":
            return `warning: the record of the last ${what} is kept only in the local cache of the machine that ran it (it is too large for the state and the SkyStorage names no records location): ${instead}`;
        default:
            return `warning: the record of the last ${what} is not in this machine's cache (the bucket no longer keeps records): ${instead}`;
    }
}

/** What the program says at preview when a record is too large for the state and there is no records location. */
export function cacheOnlyNote(what: string, ref: LocalRecordRef): string {
    return (
        `${what}: the record of its ${ref.files} files is over ${INLINE_RECORD_BYTES / 1024} KiB compressed, too large for the state, and the SkyStorage names no records location, so it is kept in this machine's cache only. ` +
        "Another machine with the stack can still preview and up, comparing every file with the bucket's listing, but deletes nothing it cannot prove it uploaded: " +
        "files removed from the source stay in the bucket until a machine with the record runs up. Set `records` on the SkyStorage to keep it where every machine finds it."
    );
}
