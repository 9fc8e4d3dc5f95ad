// The one move of records out of the bucket they fill. A state written before recordPlace.ts has no
// `recordKeptIn`: its sync (or copy) kept its records in the filled bucket itself, at
// `.skymount/sync/<keyPrefix>manifest-<digest>.gz`, where every volume and listing of the bucket
// showed them. The first up or destroy that finds such a state deletes exactly those keys of this
// sync (no other key, no other sync's); nothing reads them. Remove this file once no such state is
// left.
import { openRecordStore } from "../protocols/registry";
import { deleteRecords } from "./recordStore";
import type { RecordedState } from "./recordPlace";

/** Where such a state's records were: one folder per key prefix under `.skymount/sync/`. */
const BUCKET_RECORDS = ".skymount/sync/";

/** Deletes the records a state written before recordPlace.ts left in the filled bucket; nothing for any other state. */
export async function removeBucketRecords(state: RecordedState): Promise<void> {
    if (state.recordKeptIn !== undefined) return;
    const store = openRecordStore(state.target, state.credentials, state.bucket);
    try {
        await deleteRecords(store, `${BUCKET_RECORDS}${state.keyPrefix}`);
    } finally {
        store.close();
    }
}
