// What stands for a value that is not known at preview (an output of a resource that does not exist
// yet) once Inputs are settled (settle.ts): pure, so the validators can skip the rules that read it
// at preview; every value is known at apply, where those rules run.
import { Issue } from "./issues";

/** Where a settled value was not known: at preview, an output of a resource that does not exist yet. */
export const NOT_KNOWN: unique symbol = Symbol("not known at preview");

/** Whether a settled value is known (every value is, at apply). */
export function isKnown(value: unknown): boolean {
    return value !== NOT_KNOWN;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
    typeof value === "object" && value !== null && [Object.prototype, null].includes(Object.getPrototypeOf(value));

/**
 * One issue per NOT_KNOWN in `value` (paths as the user wrote them: `volumes[0].mount`), saying what
 * the value decides and so why it must be known at preview.
 */
export function notKnownIssues(value: unknown, at: string, decides: string): Issue[] {
    if (value === NOT_KNOWN) return [{ path: at, value: "(unknown at preview)", rule: `must be known at preview: it decides ${decides}` }];
    if (Array.isArray(value)) return value.flatMap((v, i) => notKnownIssues(v, `${at}[${i}]`, decides));
    if (isPlainObject(value)) return Object.entries(value).flatMap(([key, v]) => notKnownIssues(v, `${at}.${key}`, decides));
    return [];
}
