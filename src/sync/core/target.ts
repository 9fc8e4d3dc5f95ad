// Where a sync or a server-side copy writes, as BucketSync and BucketCopy keep it in state. `kind` is
// the data-path protocol: the S3 API (every store family but Azure Blob) or the Azure Blob API. Store
// families (src/storeFamilies/) build these; only protocols/registry.ts reads `kind` (to pick the
// protocol), so nothing in sync/ knows store names.

/** An S3 API endpoint (AWS, GCS's XML API, R2, MinIO…). */
export interface S3SyncTarget {
    kind: "s3";
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

/** A sync's target; a copy uses the same (both buckets answer at one endpoint). */
export type SyncTarget = S3SyncTarget | AzureSyncTarget;
