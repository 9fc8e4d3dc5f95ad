// Refresh (`pulumi refresh`) streamed: the last run's record is read a batch at a time, each batch is
// asked of the bucket (TransferRun.held), and what the bucket still holds is written as the new record
// while it is read (records/recordWriter.ts). Neither manifest is ever held whole: a refresh of a
// million-file sync holds the bucket's listing, one batch, and the compressed record it writes.
import type { NamedCount } from "../core/diff";
import { forEachBatch, isRecordMismatch } from "../core/recordDiff";
import type { TransferState } from "../core/state";
import { recordSourceOf } from "../records/recordPlace";
import type { RecordStore } from "../records/recordStore";
import { RecordWriter, WrittenRecord } from "../records/recordWriter";
import { SUMMARY_NAMES } from "../core/diff";
import type { TransferRun } from "./transfer";

/** What refresh found: counts and first names of what drifted, and the record of what is still held. */
export interface Drift {
    missing: NamedCount;
    changed: NamedCount;
    held: WrittenRecord;
}

/** The drift of the bucket from the record `state` names; undefined when that record is nowhere to be read. */
export async function driftOf(run: TransferRun, state: TransferState, records: RecordStore | undefined): Promise<Drift | undefined> {
    let recorded = await recordSourceOf(state, records);
    while (recorded !== undefined) {
        const writer = new RecordWriter();
        const drift = { missing: { count: 0, first: [] as string[] }, changed: { count: 0, first: [] as string[] } };
        const note = (kind: NamedCount, files: string[]) => {
            kind.first.push(...files.slice(0, Math.max(0, SUMMARY_NAMES - kind.first.length)));
            kind.count += files.length;
        };
        try {
            await forEachBatch(recorded.read(), async (batch) => {
                const { held, missing, changed } = await run.held(batch);
                note(drift.missing, missing);
                note(drift.changed, changed);
                await writer.add(held);
            });
        } catch (err) {
            // A record proves its text only at its end: one that is damaged is read from its next place.
            if (!isRecordMismatch(err)) throw err;
            recorded = await recorded.fallback();
            continue;
        }
        await recorded.keep();
        return { ...drift, held: await writer.end() };
    }
    return undefined;
}
