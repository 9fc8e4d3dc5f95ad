// The CRUD logic of each skymount-managed resource, by type token: filled as the resource modules
// load (managedResource.ts), read by both registrations, the dynamic provider of a TypeScript program
// (dynamicProvider.ts) and skymount's own provider (ownProvider.ts).
import type * as pulumi from "@pulumi/pulumi";
import type { ResourceLog } from "./engineLog";

/** The package's name: the first part of every type token skymount's provider serves. */
export const PACKAGE_NAME = "skymount";

/**
 * A resource's CRUD logic: a dynamic provider whose create, read, update and delete may take, last,
 * where to report what they do (engineLog.ts). Both registrations pass it.
 */
export interface ManagedCrud {
    check?(olds: any, news: any): Promise<pulumi.dynamic.CheckResult>; // eslint-disable-line @typescript-eslint/no-explicit-any
    diff?(id: string, olds: any, news: any): Promise<pulumi.dynamic.DiffResult>; // eslint-disable-line @typescript-eslint/no-explicit-any
    create(inputs: any, log?: ResourceLog): Promise<pulumi.dynamic.CreateResult>; // eslint-disable-line @typescript-eslint/no-explicit-any
    read?(id: string, props?: any, log?: ResourceLog): Promise<pulumi.dynamic.ReadResult>; // eslint-disable-line @typescript-eslint/no-explicit-any
    update?(id: string, olds: any, news: any, log?: ResourceLog): Promise<pulumi.dynamic.UpdateResult>; // eslint-disable-line @typescript-eslint/no-explicit-any
    delete?(id: string, props: any, log?: ResourceLog): Promise<void>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** The methods a CRUD logic may have besides create, each optional. */
export const OPTIONAL_METHODS = ["check", "diff", "read", "update", "delete"] as const;

/**
 * The input that tells a dynamic resource's CRUD its own URN, so it can log on itself: the dynamic
 * provider host passes the CRUD only properties (engineLog.ts). Set only for resources registered with
 * `{ logs: true }`; skymount's own provider gets the URN from the engine and sets nothing.
 */
export const LOG_URN_INPUT = "logUrn";

const crudByType = new Map<string, ManagedCrud>();
/** The CRUD logics that log on their resource, and so get LOG_URN_INPUT in a TypeScript program. */
const logging = new Set<ManagedCrud>();

export function typeTokenOf(name: string): string {
    return `${PACKAGE_NAME}:index:${name}`;
}

/** Registers `crud` as the logic of `skymount:index:<name>`; a second logic for one name is an error. */
export function registerCrud(name: string, crud: ManagedCrud, options: { logs?: boolean }): void {
    const token = typeTokenOf(name);
    if (crudByType.has(token) && crudByType.get(token) !== crud) throw new Error(`${token}: defined twice`);
    crudByType.set(token, crud);
    if (options.logs) logging.add(crud);
}

/** The logic registered for a type token, if any. */
export function crudOfType(token: string): ManagedCrud | undefined {
    return crudByType.get(token);
}

export function isRegistered(crud: ManagedCrud): boolean {
    return [...crudByType.values()].includes(crud);
}

export function logsOnItself(crud: ManagedCrud): boolean {
    return logging.has(crud);
}

/** The type tokens served, for the provider's own checks and tests. */
export function managedTypes(): string[] {
    return [...crudByType.keys()].sort();
}
