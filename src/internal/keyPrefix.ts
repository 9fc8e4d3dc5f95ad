// The one rule for a key prefix inside a bucket, shared by SkyStorage's `prefix` and a volume's
// `prefix`: both name keys relative to the bucket root, so both refuse the same values. Pure.
import { Issue, issue } from "./issues";

const PREFIX_PATTERN = /^[A-Za-z0-9._\-/]+$/;

/**
 * Issues of a key prefix: safe characters only, relative to the bucket root (a leading '/' is refused,
 * not rewritten: S3 keys may start with '/', so "/x" and "x" are different prefixes and guessing would
 * hide a typo), and no empty, '.' or '..' segment (a trailing '/' is allowed).
 */
export function keyPrefixIssues(prefix: string, at: string): Issue[] {
    if (!PREFIX_PATTERN.test(prefix)) return [issue(at, prefix, "may contain only letters, digits, '.', '_', '-' and '/'")];
    if (prefix.startsWith("/")) return [issue(at, prefix, "must be relative to the bucket root (no leading '/')")];
    const segments = prefix.replace(/\/$/, "").split("/");
    if (segments.some((s) => s === "" || s === "." || s === ".."))
        return [issue(at, prefix, "must not contain empty, '.' or '..' segments")];
    return [];
}
