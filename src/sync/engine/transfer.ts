// What a transfer resource (BucketSync, BucketCopy) gives the engine: where its files come from, how
// one file is moved, and how the bucket is checked against what it recorded. Everything else (the
// streamed diff, the records, resume, deletes, preview, refresh, destroy) is the engine's, the same
// for both.
import type { Manifest } from "../core/diff";
import type { EntryBatch } from "../core/recordDiff";
import type { TransferState } from "../core/state";
import type { PoolOptions } from "../pool/pool";
import type { HeldBatch } from "./drift";

export interface Transfer<S extends TransferState> {
    /** "sync" or "copy": what the notes call a run. */
    what: "sync" | "copy";
    /** The progress lines' verb: "uploaded", "copied". */
    moved: string;
    /** Inputs besides the shared ones whose change is an update (where the files come from). */
    settings: readonly (keyof S & string)[];
    /** What every failure says first: "sync of <dir> to <bucket>/<prefix> at <endpoint>". */
    describe(state: S): string;
    /**
     * The manifest taken again from where the program took it (the tree scanned, the source listed),
     * when its record is gone from the cache or proved damaged. It must have the state's digest.
     */
    manifestAgain(state: S): Promise<Manifest>;
    /** What is said when it has not: the source changed since the program took it. */
    changedSince(state: S): string;
    /** One run's connections to the store. */
    open(state: S): TransferRun;
}

/** One run of a transfer against the store (opened by Transfer.open, closed by the engine). */
export interface TransferRun {
    /**
     * Of `wanted` (files to move, with their new fingerprints), those the bucket already holds with
     * exactly that content (an interrupted run put them there). `recordedFiles`: how many the last
     * run recorded, 0 when it recorded nothing or its record is gone.
     */
    alreadyThere(wanted: EntryBatch, recordedFiles: number): Promise<Set<string>>;
    /** Moves one file into the bucket under `key`. */
    move(file: string, fingerprint: string, key: string): Promise<void>;
    /** What a file of `size` bytes holds in flight while it moves (the pool's bytes). */
    footprint(size: number): number;
    /** The pool the files move in. */
    pool(): PoolOptions;
    /** Deletes keys of the bucket; keys already gone are not an error. */
    deleteKeys(keys: string[]): Promise<void>;
    /** Refresh: what the bucket still holds of a batch of the last run's record (the bucket listed once per run). */
    held(recorded: EntryBatch): Promise<HeldBatch>;
    close(): void;
}
