// A value unknown at preview, as pure code sees it. The components settle their Inputs first; a field
// whose Output is not known yet reaches validation and planning as this text, so the pure stages run
// unchanged: a rule on it breaks (and its issue is dropped, internal/lateValues.ts), and every string
// derived from it (an endpoint from a region, a subnet from a CIDR) still carries it, which tells the
// component to take that plan field from the same plan made again once the value is known. Pure.

/** Stands for a value unknown at preview; no user value contains NUL characters. */
export const NOT_KNOWN_TEXT = "\u0000skymount:not-known-at-preview\u0000";

/** Whether `value` is, or was derived from, a value unknown at preview. */
export function isNotKnownText(value: unknown): value is string {
    return typeof value === "string" && value.includes(NOT_KNOWN_TEXT);
}

/** Paths (`azure.sshCidr`, `sources[1]`) of the values in `value` that are unknown at preview. */
export function notKnownPaths(value: unknown, at = ""): string[] {
    if (isNotKnownText(value)) return [at];
    const join = (key: string | number) => (typeof key === "number" ? `${at}[${key}]` : at ? `${at}.${key}` : key);
    if (Array.isArray(value)) return value.flatMap((v, i) => notKnownPaths(v, join(i)));
    if (typeof value === "object" && value !== null) return Object.entries(value).flatMap(([k, v]) => notKnownPaths(v, join(k)));
    return [];
}
