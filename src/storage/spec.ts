// Plain view of SkyStorage's arguments for validation and planning (no Pulumi types; keys reduced to
// whether they were given).

export const STORES = ["s3", "gcs", "azure", "r2", "s3compatible"] as const;
export type Store = (typeof STORES)[number];

export const S3_COMPATIBLE_PRESETS = ["r2", "wasabi", "b2", "minio"] as const;

export interface S3CompatibleSpec {
    endpoint?: string;
    preset?: string;
    accountId?: string;
    region?: string;
    pathStyle?: boolean;
    hasAccessKey: boolean;
    hasSecretKey: boolean;
}

export interface AzureSpec {
    resourceGroupName?: string;
    storageAccountName?: string;
    endpoint?: string;
    hasAccountKey: boolean;
}

export interface SkyStorageSpec {
    name?: string;
    source?: string;
    sources?: string[];
    store?: string;
    persistent?: boolean;
    region?: string;
    prefix?: string;
    ignore?: string[];
    aws?: object;
    gcp?: object;
    azure?: AzureSpec;
    s3Compatible?: S3CompatibleSpec;
}
