// A value unknown at preview (an output of a resource that does not exist yet), as pure code sees it.
// Pure, so the validators and planners read it without an engine. Two forms, by where it travels:
// - NOT_KNOWN, a symbol: a volume's field once its Inputs are settled (settle.ts). The volume rules skip
//   it at preview and run at apply, where every value is known.
// - NOT_KNOWN_TEXT, a string: a SkyStorage or SkyCompute field that flows through the pure stages as
//   text, so they run unchanged; a rule on it breaks (its issue is dropped, internal/lateValues.ts), and
//   every string derived from it (an endpoint from a region, a subnet from a CIDR) still carries it,
//   which tells the component to take that plan field from the plan made again once it is known.
import { Issue } from "./issues";

/** Where a settled value was not known: at preview, an output of a resource that does not exist yet. */
export const NOT_KNOWN: unique symbol = Symbol("not known at preview");

/** Whether a settled value is known (every value is, at apply). */
export function isKnown(value: unknown): boolean {
    return value !== NOT_KNOWN;
}

/** An object literal (or one without a prototype): what the walks over settled values descend into. */
export const isPlainObject = (value: unknown): value is Record<string, unknown> =>
    typeof value === "object" && value !== null && [Object.prototype, null].includes(Object.getPrototypeOf(value));

/** The path of `key` inside the value at `at`, as the user wrote it: `volumes[0]`, `azure.sshCidr`. */
export const childPath = (at: string, key: string | number): string =>
    typeof key === "number" ? `${at}[${key}]` : at ? `${at}.${key}` : key;

/** `at: (unknown at preview): must be known at preview: it decides <decides>`. */
export function unknownAtPreview(at: string, decides: string): Issue {
    return { path: at, value: "(unknown at preview)", rule: `must be known at preview: it decides ${decides}` };
}

/**
 * One issue per NOT_KNOWN in `value` (paths as the user wrote them: `volumes[0].mount`), saying what
 * the value decides and so why it must be known at preview.
 */
export function notKnownIssues(value: unknown, at: string, decides: string): Issue[] {
    if (value === NOT_KNOWN) return [unknownAtPreview(at, decides)];
    if (Array.isArray(value)) return value.flatMap((v, i) => notKnownIssues(v, `${at}[${i}]`, decides));
    if (isPlainObject(value)) return Object.entries(value).flatMap(([key, v]) => notKnownIssues(v, `${at}.${key}`, decides));
    return [];
}

/** Stands for a value unknown at preview; no user value contains NUL characters. */
export const NOT_KNOWN_TEXT = "\u0000skymount:not-known-at-preview\u0000";

/** Whether `value` is, or was derived from, a value unknown at preview. */
export function isNotKnownText(value: unknown): value is string {
    return typeof value === "string" && value.includes(NOT_KNOWN_TEXT);
}

/** Paths (`azure.sshCidr`, `sources[1]`) of the values in `value` that are unknown at preview. */
export function notKnownPaths(value: unknown, at = ""): string[] {
    if (isNotKnownText(value)) return [at];
    if (Array.isArray(value)) return value.flatMap((v, i) => notKnownPaths(v, childPath(at, i)));
    if (typeof value === "object" && value !== null) return Object.entries(value).flatMap(([k, v]) => notKnownPaths(v, childPath(at, k)));
    return [];
}
