// The engine's writes: a run (create, update) and a destroy. A run moves what the source has and the
// last successful run (`previous`) lacks or holds differently, then deletes what that run recorded and
// the source no longer has, then keeps the new record where its state says (records/recordPlace.ts).
// A destroy deletes what the last run recorded. Only keys a run of this resource wrote are ever
// deleted: objects others put in the bucket are never touched.
//
// Resume: before moving anything, the bucket is asked once which files already hold exactly this
// content (TransferRun.alreadyThere), and those are skipped. That is what makes a run interrupted at
// 90% (server unreachable, `up` killed) cost only the missing 10% on the next `up`. Asking the bucket
// was chosen over recording per-file progress in the state: a killed `up` writes no state at all, so
// progress recorded by the provider would be lost in exactly the case that matters, while the bucket
// always knows what it holds.
import { describeSummary } from "../core/diff";
import { EntryBatch, forEachBatch, isRecordMismatch } from "../core/recordDiff";
import type { TransferState } from "../core/state";
import { runPool } from "../pool/pool";
import { progressLines, ProgressReporter, tasksPerFile, withProgress } from "../pool/progress";
import { sizeOfFingerprint } from "../core/fingerprint";
import { removeBucketRecords } from "../records/legacyRecords";
import { keepRecord, openRecordsAt, recordGoneNote, recordSourceOf } from "../records/recordPlace";
import type { RecordStore } from "../records/recordStore";
import type { ResourceLog } from "../../resource/engineLog";
import { describeWork } from "./drift";
import { planTransfer } from "./planTransfer";
import type { Transfer, TransferRun } from "./transfer";

/** `error` prefixed with what failed and where. */
export function described<S extends TransferState>(transfer: Transfer<S>, state: S, err: unknown): Error {
    return new Error(`${transfer.describe(state)}: ${(err as Error).message}`, { cause: err });
}

/** Runs `state` against the last successful run `previous` (none for a create); returns what it did, as the summary. */
export async function applyTransfer<S extends TransferState>(
    transfer: Transfer<S>,
    state: S,
    previous: S | undefined,
    log?: ResourceLog,
): Promise<string> {
    const run = transfer.open(state);
    const records = openRecordsAt(state);
    const previousRecords = previous && openRecordsAt(previous);
    try {
        const { diff, recordGone: gone, source } = await planTransfer(transfer, state, previous, previousRecords, true);
        // Without the record (gone), what is in the bucket may be anyone's: the diff was against
        // nothing, so nothing is deleted and every file is compared with the bucket.
        const wanted = diff.wanted;
        const recordedFiles = gone || !previous ? 0 : (previous.fileCount ?? 0);
        const present = wanted.paths.length > 0 ? await run.alreadyThere(wanted, recordedFiles) : new Set<string>();
        const toMove = present.size === 0 ? wanted : withoutFiles(wanted, present);
        const tasks = tasksPerFile(
            toMove.paths,
            (_file, i) => toMove.fingerprints[i],
            (file, size, fingerprint) => ({
                label: file,
                run: () => run.move(file, fingerprint, state.keyPrefix + file),
                bytes: run.footprint(size),
                size,
            }),
        );
        await withProgress(tasks, transfer.moved, progressLines(log), (pulled) => runPool(pulled, run.pool()));
        // Deletes come last: a failed upload or copy leaves everything that was there before.
        await run.deleteKeys(diff.removed.map((file) => state.keyPrefix + file));
        if (source.body) await keepRecord(state, previous, async () => source.body!, records);
        if (previous) await removeBucketRecords(previous);
        const work = describeWork(describeSummary(diff), present.size);
        return gone ? `${work}; ${recordGoneNote(previous!, transfer.what)}` : work;
    } catch (err) {
        throw described(transfer, state, err);
    } finally {
        run.close();
        records?.close();
        previousRecords?.close();
    }
}

/** `wanted` without the files in `skip`. */
function withoutFiles(wanted: EntryBatch, skip: Set<string>): EntryBatch {
    const kept: EntryBatch = { paths: [], fingerprints: [] };
    wanted.paths.forEach((file, i) => {
        if (skip.has(file)) return;
        kept.paths.push(file);
        kept.fingerprints.push(wanted.fingerprints[i]);
    });
    return kept;
}

/** Keys handed to one deleteKeys call at destroy: enough for several requests in flight (1,000 keys each on S3). */
const DELETES_AT_ONCE = 10_000;

/**
 * Deletes the objects the last run recorded, a batch of the record at a time; false when the record
 * is gone. The record is read whole once before anything is deleted: a reader proves its text only
 * at its end, and a damaged record must not have deleted a single key.
 */
export async function deleteRecorded<S extends TransferState>(
    run: TransferRun,
    records: RecordStore | undefined,
    state: S,
    log?: ResourceLog,
): Promise<boolean> {
    let recorded = await recordSourceOf(state, records);
    while (recorded !== undefined) {
        try {
            await forEachBatch(recorded.read(), () => undefined);
            break;
        } catch (err) {
            if (!isRecordMismatch(err)) throw err;
            recorded = await recorded.fallback();
        }
    }
    if (recorded === undefined) return false;
    const reporter = new ProgressReporter({ files: state.fileCount, bytes: state.totalBytes }, "deleted", progressLines(log));
    let keys: string[] = [];
    let bytes = 0;
    const deleteBatch = async () => {
        await run.deleteKeys(keys);
        reporter.filesDone(keys.length, bytes);
        keys = [];
        bytes = 0;
    };
    try {
        await forEachBatch(recorded.read(), async (batch) => {
            batch.paths.forEach((file, i) => {
                keys.push(state.keyPrefix + file);
                bytes += sizeOfFingerprint(batch.fingerprints[i]);
            });
            if (keys.length >= DELETES_AT_ONCE) await deleteBatch();
        });
        await deleteBatch();
    } finally {
        // Said only when there was something to delete: the final line, or where a failure stopped it.
        if (state.fileCount > 0) reporter.finish();
    }
    return true;
}
