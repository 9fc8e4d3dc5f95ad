// Inputs that decide what a component declares (how many mounts, their names, their scripts) must be
// known before it declares anything. A TypeScript program usually gives them as plain values; a
// Python, Go or YAML program gives what it got from another resource (SkyStorage's `ref`) as an
// Output, which is known at preview in the normal case. These helpers tell the two apart and wait
// for the second; a component that must wait declares its children once the values are in.
import * as pulumi from "@pulumi/pulumi";
import { Issue } from "./issues";

/** Where a settled value was not known: at preview, an output of a resource that does not exist yet. */
export const NOT_KNOWN: unique symbol = Symbol("not known at preview");

/** The two Output members the SDK's own serializer reads (not in its typings): known-ness, and the value with unknown parts. */
interface OutputInternals {
    isKnown: Promise<boolean>;
    promise(withUnknowns?: boolean): Promise<unknown>;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
    typeof value === "object" && value !== null && [Object.prototype, null].includes(Object.getPrototypeOf(value));

/** Whether `value` is, or holds in arrays and plain objects, an Output or a Promise: something to wait for. */
export function holdsPending(value: unknown): boolean {
    if (pulumi.Output.isInstance(value) || value instanceof Promise) return true;
    if (Array.isArray(value)) return value.some(holdsPending);
    if (isPlainObject(value)) return Object.values(value).some(holdsPending);
    return false;
}

/** `value` with every Output and Promise in it awaited, and NOT_KNOWN where a part is unknown. Secrecy is dropped: use the result for decisions only. */
export async function settle(value: unknown): Promise<unknown> {
    if (pulumi.Output.isInstance(value)) {
        const output = value as unknown as OutputInternals;
        // An Output known in part (a struct with an unknown field, at preview) still gives its known parts.
        const [inner, known] = await Promise.all([output.promise(true), output.isKnown]);
        return !known && inner === undefined ? NOT_KNOWN : settle(inner);
    }
    if (value instanceof Promise) return settle(await value);
    if (pulumi.isUnknown(value)) return NOT_KNOWN;
    if (Array.isArray(value)) return Promise.all(value.map(settle));
    if (isPlainObject(value)) {
        return Object.fromEntries(await Promise.all(Object.entries(value).map(async ([key, v]) => [key, await settle(v)] as const)));
    }
    return value;
}

/**
 * One issue per NOT_KNOWN in `value` (paths as the user wrote them: `volumes[0].storage.bucket`),
 * saying what the value decides and so why it must be known at preview.
 */
export function notKnownIssues(value: unknown, at: string, decides: string): Issue[] {
    if (value === NOT_KNOWN) return [{ path: at, value: "(unknown at preview)", rule: `must be known at preview: it decides ${decides}` }];
    if (Array.isArray(value)) return value.flatMap((v, i) => notKnownIssues(v, `${at}[${i}]`, decides));
    if (isPlainObject(value)) return Object.entries(value).flatMap(([key, v]) => notKnownIssues(v, `${at}.${key}`, decides));
    return [];
}
