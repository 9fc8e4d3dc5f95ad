// A transfer's plan: the streamed diff (core/recordDiff.ts) of the record of what the program took
// (the tree it scanned, the source it listed) against the record of what the last run wrote. A record
// that proves damaged at the end of the merge is read again from its next place (the records location
// after the local cache; the source taken again for the program's), and the merge runs again.
import type { RecordDiff } from "../core/recordDiff";
import { diffRecords, emptyReader, isRecordMismatch, recordReader } from "../core/recordDiff";
import type { TransferState } from "../core/state";
import { EMPTY_DIGEST, forgetLocally, localRecordPath, readLocally, recordLocally } from "../records/manifestRecord";
import { recordInState, recordSourceOf } from "../records/recordPlace";
import { fixedSource, RecordSource, RecordStore } from "../records/recordStore";
import type { Transfer } from "./transfer";

/** The record of what the program took, its body (none for the empty manifest), and where to read it. */
export interface SourceRecord {
    body: Buffer | undefined;
    source: RecordSource;
}

/**
 * The record of the manifest the program took: the one it passed in the inputs, else its local
 * record, or (gone from the cache between the program and this step, or found damaged: `again`) the
 * manifest taken again here, which must give the same digest.
 */
export async function sourceRecord<S extends TransferState>(transfer: Transfer<S>, state: S, again = false): Promise<SourceRecord> {
    const digest = state.manifestDigest;
    if (digest === EMPTY_DIGEST) return { body: undefined, source: fixedSource(emptyReader) };
    let body = again ? undefined : (recordInState(state) ?? (await readLocally(digest)));
    if (!body) {
        await forgetLocally(digest);
        if ((await recordLocally(await transfer.manifestAgain(state))).digest !== digest) throw new Error(transfer.changedSince(state));
        body = await readLocally(digest);
        if (!body) throw new Error(`the local record ${localRecordPath(digest)} could not be written`);
    }
    const proven = body;
    return { body: proven, source: fixedSource(() => recordReader(proven, digest)) };
}

/** The diff of a run, whether the last run's record was gone (then nothing is to be removed), and the source's record. */
export interface TransferPlan {
    diff: RecordDiff;
    recordGone: boolean;
    source: SourceRecord;
}

/**
 * Diffs the source's record against the last run's (`previous`; none for a first run), as streams.
 * `collect` keeps the files to move and to delete (create and update); without it, counts and first
 * names only (preview).
 */
export async function planTransfer<S extends TransferState>(
    transfer: Transfer<S>,
    state: S,
    previous: S | undefined,
    records: RecordStore | undefined,
    collect: boolean,
): Promise<TransferPlan> {
    let source = await sourceRecord(transfer, state);
    let takenAgain = false;
    let recorded = previous ? await recordSourceOf(previous, records) : fixedSource(emptyReader);
    for (;;) {
        try {
            const diff = await diffRecords(source.source.read(), (recorded ?? fixedSource(emptyReader)).read(), { collect });
            await recorded?.keep();
            return { diff, recordGone: recorded === undefined, source };
        } catch (err) {
            if (!isRecordMismatch(err)) throw err;
            if (err.mismatchedDigest === state.manifestDigest && !takenAgain) {
                source = await sourceRecord(transfer, state, true);
                takenAgain = true;
            } else if (recorded !== undefined && err.mismatchedDigest === previous?.manifestDigest) {
                recorded = await recorded.fallback();
            } else throw err;
        }
    }
}
