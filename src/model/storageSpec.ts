// The plain view of SkyStorage's arguments that validation, the store families and planning read,
// derived from the args interfaces (storageArgs.ts): no Pulumi types, and the keys reduced to whether
// they were given, so no secret ever enters a spec or a plan (a mapping of the keys' fields alone).
// Shared by skyStorage/ (which makes it from the args) and storeFamilies/ (whose families read their
// own block of it).
import { S3CompatiblePreset } from "./enums";
import type { Known } from "./known";
import type { AzureStorage, GivenStorageArgs, S3Compatible } from "./storageArgs";

/** The args blocks that configure a store family, in the order messages list them. */
export const STORE_BLOCKS = ["aws", "gcp", "azure", "s3Compatible"] as const;
export type StoreBlock = (typeof STORE_BLOCKS)[number];

export const S3_COMPATIBLE_PRESETS = Object.values(S3CompatiblePreset) as [S3CompatiblePreset, ...S3CompatiblePreset[]];

/** The S3-compatible block; its keys only as given or not. */
export type S3CompatibleSpec = Known<Omit<S3Compatible, "accessKey" | "secretKey">> & { hasAccessKey: boolean; hasSecretKey: boolean };

/** The Azure block; its account key only as given or not. */
export type AzureSpec = Known<Omit<AzureStorage, "accountKey">> & { hasAccountKey: boolean };

export type SkyStorageSpec = Known<Omit<GivenStorageArgs, "azure" | "s3Compatible">> & {
    azure?: AzureSpec;
    s3Compatible?: S3CompatibleSpec;
};
