// Plain view of SkyStorage's arguments for validation and planning (no Pulumi types; keys reduced to
// whether they were given). The types live in src/model, where the store families read them too.
export type { AzureSpec, S3CompatibleSpec, SkyStorageSpec } from "../model/storageSpec";
