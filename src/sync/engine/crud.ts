// One transfer resource's CRUD logic (a dynamic provider, resource/managedResource.ts), the same for
// BucketSync and BucketCopy: preview's summary from the streamed diff, the diff of inputs, a run for
// create and update (apply.ts), refresh as drift (drift.ts), destroy as deletes of what was recorded.
import type * as pulumi from "@pulumi/pulumi";
import { warn } from "@pulumi/pulumi/log";
import { randomUUID } from "node:crypto";
import { describeActions, describeSummary } from "../core/diff";
import type { TransferState } from "../core/state";
import { removeBucketRecords } from "../records/legacyRecords";
import { isDigest } from "../records/manifestRecord";
import { openRecordsAt, recordBase, recordGoneNote, withRecord } from "../records/recordPlace";
import { deleteRecords } from "../records/recordStore";
import type { ManagedCrud } from "../../resource/crudRegistry";
import type { ResourceLog } from "../../resource/engineLog";
import { applyTransfer, deleteRecorded, described } from "./apply";
import { describeDrift } from "./drift";
import { planTransfer } from "./planTransfer";
import { driftOf } from "./refresh";
import type { Transfer } from "./transfer";

/** Inputs whose change makes a new resource: another bucket, prefix or store. */
const REPLACING = ["bucket", "keyPrefix", "target"] as const;
/** Inputs every transfer has whose change is an update. */
const SETTINGS = ["credentials", "deleteOnDestroy", "concurrency", "recordsAt"] as const;

const changed = <S>(olds: S, news: S, keys: readonly string[]) =>
    keys.filter((k) => JSON.stringify(olds[k as keyof S]) !== JSON.stringify(news[k as keyof S]));

/**
 * What preview shows: the diff against the last run's inputs, from the two records, streamed (only
 * counts and the first names are kept). Equal digests are no change, known without reading anything;
 * a digest not known yet (a listing made with keys that do not exist yet) is an unknown summary.
 */
async function previewSummary<S extends TransferState>(transfer: Transfer<S>, olds: S | undefined, news: S): Promise<string | undefined> {
    if (!isDigest(news.manifestDigest)) return undefined;
    if (olds?.manifestDigest === news.manifestDigest) return describeActions({ add: [], change: [], remove: [] });
    const records = olds && openRecordsAt(olds);
    try {
        const { diff, recordGone } = await planTransfer(transfer, news, olds, records, false);
        return recordGone ? `${describeSummary(diff)}; ${recordGoneNote(olds!, transfer.what)}` : describeSummary(diff);
    } finally {
        records?.close();
    }
}

export function transferCrud<S extends TransferState>(transfer: Transfer<S>): ManagedCrud {
    return {
        async check(olds: S | undefined, news: S): Promise<pulumi.dynamic.CheckResult> {
            // Before the first run the engine passes no inputs, or an empty set.
            return { inputs: { ...news, summary: await previewSummary(transfer, olds?.target ? olds : undefined, news) } };
        },

        async diff(_id: string, olds: S, news: S): Promise<pulumi.dynamic.DiffResult> {
            const replaces = changed(olds, news, REPLACING);
            // The digest is of the canonical text (sorted, one form of fingerprint), so a digest that
            // differs means files to move or delete. A state from before the records left the bucket
            // (no recordKeptIn) is an update: it moves them (records/legacyRecords.ts).
            const pending = news.manifestDigest !== olds.manifestDigest || olds.recordKeptIn === undefined;
            const settings = changed(olds, news, [...transfer.settings, ...SETTINGS]).length > 0;
            return { changes: replaces.length > 0 || pending || settings, replaces };
        },

        async create(inputs: S, log?: ResourceLog): Promise<pulumi.dynamic.CreateResult> {
            const summary = await applyTransfer(transfer, inputs, undefined, log);
            return { id: randomUUID(), outs: { ...inputs, summary } };
        },

        /**
         * `pulumi refresh`: the recorded manifest as the bucket holds it now (refresh.ts, drift.ts). Objects removed
         * or overwritten out of band leave the manifest or change their fingerprint; that manifest is
         * recorded (records/recordPlace.ts) and its digest put in the state, so the next up moves
         * exactly those files again. A bucket that is gone holds nothing, so the next up (after the
         * bucket's own read has it recreated) refills it. One listing of the prefix per refresh.
         */
        async read(id: string, props: S): Promise<pulumi.dynamic.ReadResult> {
            const run = transfer.open(props);
            const records = openRecordsAt(props);
            try {
                const drift = await driftOf(run, props, records);
                if (drift === undefined) return { id, props: { ...props, summary: recordGoneNote(props, transfer.what) } };
                if (drift.missing.count === 0 && drift.changed.count === 0) return { id, props };
                return { id, props: { ...(await withRecord(props, drift.held, records)), summary: describeDrift(drift) } };
            } catch (err) {
                throw described(transfer, props, err);
            } finally {
                run.close();
                records?.close();
            }
        },

        async update(_id: string, olds: S, news: S, log?: ResourceLog): Promise<pulumi.dynamic.UpdateResult> {
            // What this update did, which after a refresh includes files moved again that Check could not see.
            return { outs: { ...news, summary: await applyTransfer(transfer, news, olds, log) } };
        },

        async delete(_id: string, props: S, log?: ResourceLog): Promise<void> {
            if (!props.deleteOnDestroy) return;
            const run = transfer.open(props);
            const records = openRecordsAt(props);
            try {
                if (!(await deleteRecorded(run, records, props, log))) {
                    await warn(`${recordGoneNote(props, transfer.what)}: destroy leaves the objects of this ${transfer.what} in place`);
                }
                if (records) await deleteRecords(records, recordBase(props));
                await removeBucketRecords(props);
            } finally {
                run.close();
                records?.close();
            }
        },
    };
}
