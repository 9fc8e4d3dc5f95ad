// What a sync writes through: one ObjectStore per store API (S3 and everything that speaks it; Azure
// Blob), chosen by the sync target's `kind`, so manifests and diffs stay the same whatever the store.
import type { CredentialValues } from "../../model/storageRef";
import { azureObjectStore } from "./azureTransfer";
import { s3ObjectStore } from "./s3Transfer";
import type { ObjectStore } from "../core/storeInterfaces";
import type { SyncTarget } from "../core/target";

export type { ObjectStore } from "../core/storeInterfaces";
export type { SyncTarget } from "../core/target";

export function openObjectStore(target: SyncTarget, credentials: CredentialValues | undefined, bucket: string): ObjectStore {
    if (target.kind === "azure") {
        if (!credentials) throw new Error(`container ${bucket}: an Azure sync needs the storage account name and key`);
        return azureObjectStore({ endpoint: target.endpoint, account: credentials.accessKey, key: credentials.secretKey }, bucket);
    }
    return s3ObjectStore(target, credentials, bucket);
}
