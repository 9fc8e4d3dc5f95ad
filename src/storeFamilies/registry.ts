// The store families skymount knows, by the name `store` takes. Adding a store: a module implementing
// StoreFamily (family.ts) and one line in FAMILIES. Everything that depends on the store looks it up
// here; this module also parses `source` entries, by asking each family whether it is one of its URIs.
import { hasScheme, ParsedSource } from "../internal/uri";
import type { SkyStorageSpec, StoreBlock } from "../model/storageSpec";
import { azureFamily } from "./azure";
import type { StoreFamily } from "./family";
import { gcsFamily } from "./gcs";
import { r2Family } from "./r2";
import { s3Family } from "./s3";
import { s3CompatibleFamily } from "./s3compatible";

/** In the order `store`'s message lists them. */
const FAMILIES: StoreFamily[] = [s3Family, gcsFamily, azureFamily, r2Family, s3CompatibleFamily];

/** The store of a SkyStorage that names none, and no URI or block does either. */
export const DEFAULT_STORE = "s3";
/** The store of a hand-written ref without `store` (StorageRef.store's default). */
export const DEFAULT_REF_STORE = "s3compatible";

/** Which block decides the store when several are given (they are refused then, but still planned). */
const BLOCK_PRECEDENCE: StoreBlock[] = ["s3Compatible", "gcp", "azure", "aws"];

export function storeFamilies(): readonly StoreFamily[] {
    return FAMILIES;
}

export function storeNames(): string[] {
    return FAMILIES.map((f) => f.name);
}

export function findStoreFamily(name: string | undefined): StoreFamily | undefined {
    return FAMILIES.find((f) => f.name === name);
}

export function storeFamily(name: string): StoreFamily {
    const family = findStoreFamily(name);
    if (!family) throw new Error(`unknown store "${name}": one of ${storeNames().join(", ")}`);
    return family;
}

/** For tests: adds a family (last) and returns the function that removes it again. */
export function registerStoreFamily(family: StoreFamily): () => void {
    if (findStoreFamily(family.name)) throw new Error(`store "${family.name}" is registered already`);
    FAMILIES.push(family);
    return () => void FAMILIES.splice(FAMILIES.indexOf(family), 1);
}

/** A `source` entry: a bucket URI (the first family that claims it), a local path, or "unknown". */
export function parseSource(source: string): ParsedSource {
    for (const family of FAMILIES) {
        const uri = family.parseUri?.(source);
        if (uri) return uri;
    }
    return hasScheme(source) ? "unknown" : "local";
}

/** The URI forms `source` takes, for messages: bare schemes ("s3://") first, then URL patterns. */
export function sourceUriForms(): string[] {
    const forms = FAMILIES.flatMap((f) => (f.uriForm ? [f.uriForm] : []));
    const bare = (form: string) => /^[a-z0-9]+:\/\/$/.test(form);
    return [...forms.filter(bare), ...forms.filter((f) => !bare(f))];
}

/** The families a block configures: its owner first, then those its values select. */
export function familiesOfBlock(block: StoreBlock): StoreFamily[] {
    const ofBlock = FAMILIES.filter((f) => f.argsBlock === block);
    return [...ofBlock.filter((f) => !f.selectedByBlock), ...ofBlock.filter((f) => f.selectedByBlock)];
}

/** The family a block owns: the one that validates it. */
export function blockOwner(block: StoreBlock): StoreFamily | undefined {
    return FAMILIES.find((f) => f.argsBlock === block && !f.selectedByBlock);
}

/** The blocks given in `spec`, in precedence order. */
export function givenBlocks(spec: SkyStorageSpec): StoreBlock[] {
    return BLOCK_PRECEDENCE.filter((b) => spec[b] !== undefined);
}

/** The family the store blocks of `spec` select, else the default store's. */
export function familyOfBlocks(spec: SkyStorageSpec): StoreFamily {
    const [block] = givenBlocks(spec);
    if (block === undefined) return storeFamily(DEFAULT_STORE);
    const families = familiesOfBlock(block);
    return families.find((f) => f.selectedByBlock?.(spec)) ?? families[0];
}

/** The family of a volume's storage: its ref's `store`; an unknown name mounts like the default. */
export function mountFamily(store: string | undefined): StoreFamily {
    return findStoreFamily(store ?? DEFAULT_REF_STORE) ?? storeFamily(DEFAULT_REF_STORE);
}
