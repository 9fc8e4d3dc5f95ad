// The one state of a transfer resource (BucketSync, BucketCopy): where it writes, what it last wrote
// (its manifest's digest, count and bytes) and where that manifest's record is kept. The engine
// (engine/) reads and writes only these fields; a resource adds what says where its files come from.
// A resource's outputs are its inputs: `manifestDigest` in the outputs names what the last successful
// run put in the bucket (an update that fails keeps the old outputs), so its record is also the only
// set of keys the resource will ever delete.
import type { CredentialValues } from "../../model/storageRef";
import type { SyncTarget } from "./target";

/** A records location: keys under `prefix` in `bucket`, on the store the resource writes to, with its keys. */
export interface RecordsLocation {
    bucket: string;
    /** "" or "some/prefix/". */
    prefix: string;
}

/** Where the record that the state's digest names is kept: the state, the records location, or one machine's cache. */
export type RecordKeptIn = "state" | "records" | "cache";

export interface TransferState {
    /** Where the bucket answers (for a copy, both buckets): an S3 API endpoint, an Azure Blob service. */
    target: SyncTarget;
    credentials?: CredentialValues;
    bucket: string;
    /** Prepended to every file's path to make its key: "", "prefix/" or "prefix/basename/". */
    keyPrefix: string;
    /** SHA-256 of the manifest's canonical text (records/manifestRecord.ts). */
    manifestDigest: string;
    fileCount: number;
    totalBytes: number;
    /** The compressed record, base64, when the state keeps it (else absent, or null: records/recordPlace.ts recordInState). */
    record?: string | null;
    /** Where records too large for the state are kept; without it, in the local cache only. */
    recordsAt?: RecordsLocation;
    /** Absent from states written when the records were in the filled bucket itself (records/legacyRecords.ts). */
    recordKeptIn?: RecordKeptIn;
    /** "N added (…); N changed (…); N removed (…)": preview's, then what the last run did. */
    summary?: string;
    deleteOnDestroy: boolean;
    /** The most files in flight, when the user set it; the width adapts below it (pool/transferWidths.ts). */
    concurrency?: number;
}
