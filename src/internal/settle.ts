// Inputs read before a component declares anything: what decides which resources it declares (a
// volume's mount path) must be known at preview; the other rules run at preview on what is known
// there. A TypeScript program usually gives plain values; a Python, Go or YAML program gives what it
// got from another resource (SkyStorage's `ref`) as an Output. These helpers tell the two apart and
// wait for the second, with NOT_KNOWN (notKnown.ts) where a value is not known at preview.
import * as pulumi from "@pulumi/pulumi";
import { isPlainObject, NOT_KNOWN } from "./notKnown";

/** The two Output members the SDK's own serializer reads (not in its typings): known-ness, and the value with unknown parts. */
interface OutputInternals {
    isKnown: Promise<boolean>;
    promise(withUnknowns?: boolean): Promise<unknown>;
}

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
