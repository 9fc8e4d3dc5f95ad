// What a sync needs from a store: put a local file at a key, delete keys. One implementation per
// store API (S3 and everything that speaks it; Azure Blob), chosen by the sync target's `kind`, so
// manifests and diffs stay the same whatever the store.
import { azureObjectStore } from "./azureTransfer";
import { s3ObjectStore } from "./transfer";

export interface ObjectStore {
    /** Uploads a local file of `size` bytes to `key`, replacing what is there. */
    upload(key: string, file: string, size: number): Promise<void>;
    /** Deletes keys; keys that are already gone are not an error. */
    deleteKeys(keys: string[]): Promise<void>;
    /** Releases connections. */
    close(): void;
}

/** An S3 API endpoint (AWS, GCS's XML API, R2, MinIO…). `kind` is absent in syncs made before Azure. */
export interface S3SyncTarget {
    kind?: "s3";
    endpoint?: string;
    region: string;
    pathStyle: boolean;
    /** The store has no multi-object delete (GCS): delete one key at a time. */
    singleDeletes?: boolean;
}

/** An Azure Blob service endpoint; the keys are the storage account name and an account key. */
export interface AzureSyncTarget {
    kind: "azure";
    /** The blob service endpoint, without a trailing slash: https://<account>.blob.core.windows.net. */
    endpoint: string;
}

export type SyncTarget = S3SyncTarget | AzureSyncTarget;

export interface SyncCredentials {
    accessKey: string;
    secretKey: string;
}

export function openObjectStore(target: SyncTarget, credentials: SyncCredentials | undefined, bucket: string): ObjectStore {
    if (target.kind === "azure") {
        if (!credentials) throw new Error(`container ${bucket}: an Azure sync needs the storage account name and key`);
        return azureObjectStore({ endpoint: target.endpoint, account: credentials.accessKey, key: credentials.secretKey }, bucket);
    }
    return s3ObjectStore(target, credentials, bucket);
}
