// The plain view of SkyStorage's arguments that validation, the store families and planning read: no
// Pulumi types, keys reduced to whether they were given. Shared by skyStorage/ (which makes it from the
// args) and storeFamilies/ (whose families read their own block of it).
import { S3CompatiblePreset } from "./enums";

/** The args blocks that configure a store family, in the order messages list them. */
export const STORE_BLOCKS = ["aws", "gcp", "azure", "s3Compatible"] as const;
export type StoreBlock = (typeof STORE_BLOCKS)[number];

export const S3_COMPATIBLE_PRESETS = Object.values(S3CompatiblePreset) as [S3CompatiblePreset, ...S3CompatiblePreset[]];

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
    records?: string;
    aws?: object;
    gcp?: object;
    azure?: AzureSpec;
    s3Compatible?: S3CompatibleSpec;
}
