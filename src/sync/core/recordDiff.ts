// The diff of a sync's two manifests read as streams of their records. A record is the manifest's
// canonical text (diff.ts `encodeManifest`: one line per file, sorted by path), gzipped; two sorted
// lists diff by a merge, so the diff holds one decompressed piece of each record and what changed,
// never a whole manifest. A million files' manifest as an object is about 350 MiB of heap: loading
// the last sync's and the new one to diff them was what made a one-file change of a million-file
// sync peak at 1.4 GiB (bench/README.md, "Scale").
//
// A record's digest is known only once all of it is read, so a reader says at its end whether the
// text was the one its name promises, and a diff is used only after both readers reached their end:
// nothing is uploaded or deleted on the word of a record that turns out not to be what it claims.
import { createHash } from "node:crypto";
import { StringDecoder } from "node:string_decoder";
import * as zlib from "node:zlib";
import { ChangeSummary, NamedCount, parseManifestLine, SUMMARY_NAMES } from "./diff";

/** Consecutive entries of a record, in path order: parallel arrays, not an object per file. */
export interface EntryBatch {
    paths: string[];
    fingerprints: string[];
}

/** Reads a record a batch at a time. `next` gives undefined at the end, once the text proved to be the one named. */
export interface RecordReader {
    next(): Promise<EntryBatch | undefined>;
}

/** Thrown at the end of a record whose text does not have the digest it was read under (damaged, truncated, or another text). */
export interface RecordMismatch extends Error {
    mismatchedDigest: string;
}

export function isRecordMismatch(err: unknown): err is RecordMismatch {
    return typeof (err as Partial<RecordMismatch> | undefined)?.mismatchedDigest === "string";
}

function recordMismatch(digest: string, why: string): RecordMismatch {
    return Object.assign(new Error(`the record of manifest ${digest} ${why}`), { mismatchedDigest: digest });
}

/** A reader of nothing: the empty manifest (a first sync's "last sync"). */
export function emptyReader(): RecordReader {
    return { next: async () => undefined };
}

/**
 * A reader of the record `body` (gzip), checked against `digest`. A line that is not a manifest
 * line, or out of order, is an error only when the text does have the digest (a record written by
 * something else); otherwise the record is a mismatch like any damaged one.
 */
export function recordReader(body: Buffer, digest: string): RecordReader {
    // Started by the first `next`: a stream's iterator listens for its errors only once it is first
    // asked, so a record that is never read (or not yet) must not be decompressing.
    let parts: AsyncIterator<Buffer> | undefined;
    const start = (): AsyncIterator<Buffer> => {
        const gunzip = zlib.createGunzip();
        const iterator = gunzip[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
        gunzip.end(body);
        return iterator;
    };
    const hash = createHash("sha256");
    const decoder = new StringDecoder("utf8");
    const order = pathOrder();
    let carry = "";
    let malformed: Error | undefined;
    let ended = false;
    const parse = (text: string): EntryBatch | undefined => {
        if (malformed) return undefined;
        try {
            return order(parseLines(text));
        } catch (err) {
            malformed = err as Error;
            return undefined;
        }
    };
    return {
        async next() {
            while (!ended) {
                let part: IteratorResult<Buffer>;
                try {
                    part = await (parts ??= start()).next();
                } catch (err) {
                    ended = true;
                    throw recordMismatch(digest, `is not readable gzip (${(err as Error).message})`);
                }
                if (part.done) {
                    ended = true;
                    const rest = carry + decoder.end();
                    carry = "";
                    const last = rest === "" ? undefined : parse(rest);
                    if (hash.digest("hex") !== digest) throw recordMismatch(digest, "holds another text (damaged or replaced)");
                    if (malformed) throw malformed;
                    if (last) return last;
                    break;
                }
                hash.update(part.value);
                const text = carry + decoder.write(part.value);
                const cut = text.lastIndexOf("\n");
                if (cut < 0) {
                    carry = text;
                    continue;
                }
                carry = text.slice(cut + 1);
                const batch = parse(text.slice(0, cut));
                if (batch && batch.paths.length > 0) return batch;
            }
            return undefined;
        },
    };
}

function parseLines(text: string): EntryBatch {
    const paths: string[] = [];
    const fingerprints: string[] = [];
    for (const line of text.split("\n")) {
        const [file, fingerprint] = parseManifestLine(line);
        paths.push(file);
        fingerprints.push(fingerprint);
    }
    return { paths, fingerprints };
}

/** Checks that batches come in strictly increasing path order (what the merge relies on), across batches. */
function pathOrder(): (batch: EntryBatch) => EntryBatch {
    let previous: string | undefined;
    return (batch) => {
        for (const file of batch.paths) {
            if (previous !== undefined && !(previous < file)) {
                throw new Error(`manifest record out of order: ${JSON.stringify(file)} after ${JSON.stringify(previous)}`);
            }
            previous = file;
        }
        return batch;
    };
}

/** Every entry of `reader`, batch by batch, to its end (where the digest is checked). */
export async function forEachBatch(reader: RecordReader, use: (batch: EntryBatch) => void | Promise<void>): Promise<void> {
    for (let batch = await reader.next(); batch; batch = await reader.next()) await use(batch);
}

export interface RecordDiff extends ChangeSummary {
    /** Files to upload, added or changed, with their new fingerprints, in path order: only when collected. */
    wanted: EntryBatch;
    /** Files the last sync recorded that are no longer local: only when collected. */
    removed: string[];
}

/** A cursor over a reader's entries: the current entry, read ahead one batch at most. */
interface Cursor {
    batch: EntryBatch | undefined;
    at: number;
    reader: RecordReader;
}

/** Whether the cursor has a current entry, reading the next batch when the current one is used up. */
async function ready(cursor: Cursor): Promise<boolean> {
    while (cursor.batch === undefined || cursor.at >= cursor.batch.paths.length) {
        cursor.batch = await cursor.reader.next();
        cursor.at = 0;
        if (cursor.batch === undefined) return false;
    }
    return true;
}

/**
 * The diff of the local manifest against what the last sync uploaded, by a merge of the two readers.
 * `collect` keeps the files to upload and to delete (a create or update); without it only the counts
 * and first names are kept (preview's summary), in constant memory.
 */
export async function diffRecords(local: RecordReader, uploaded: RecordReader, options: { collect: boolean }): Promise<RecordDiff> {
    const diff: RecordDiff = {
        add: { count: 0, first: [] },
        change: { count: 0, first: [] },
        remove: { count: 0, first: [] },
        wanted: { paths: [], fingerprints: [] },
        removed: [],
    };
    const note = (kind: NamedCount, file: string) => {
        if (kind.count++ < SUMMARY_NAMES) kind.first.push(file);
    };
    const want = (file: string, fingerprint: string) => {
        if (!options.collect) return;
        diff.wanted.paths.push(file);
        diff.wanted.fingerprints.push(fingerprint);
    };
    const mine: Cursor = { batch: undefined, at: 0, reader: local };
    const theirs: Cursor = { batch: undefined, at: 0, reader: uploaded };
    let haveMine = await ready(mine);
    let haveTheirs = await ready(theirs);
    while (haveMine || haveTheirs) {
        const file = haveMine ? mine.batch!.paths[mine.at] : undefined;
        const recorded = haveTheirs ? theirs.batch!.paths[theirs.at] : undefined;
        if (file !== undefined && (recorded === undefined || file < recorded)) {
            note(diff.add, file);
            want(file, mine.batch!.fingerprints[mine.at]);
            mine.at++;
        } else if (file === undefined || recorded! < file) {
            note(diff.remove, recorded!);
            if (options.collect) diff.removed.push(recorded!);
            theirs.at++;
        } else {
            const fingerprint = mine.batch!.fingerprints[mine.at];
            if (fingerprint !== theirs.batch!.fingerprints[theirs.at]) {
                note(diff.change, file);
                want(file, fingerprint);
            }
            mine.at++;
            theirs.at++;
        }
        if (haveMine && mine.at >= mine.batch!.paths.length) haveMine = await ready(mine);
        if (haveTheirs && theirs.at >= theirs.batch!.paths.length) haveTheirs = await ready(theirs);
    }
    return diff;
}
