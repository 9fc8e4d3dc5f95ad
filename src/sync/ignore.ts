// Which files of a source tree are not uploaded, with SkyPilot's rules: `.skyignore` alone when it
// exists; otherwise what git ignores (.gitignore, .git/info/exclude, global excludes); `.git` always.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { Minimatch } from "minimatch";

export type IgnoreTest = (relativePath: string, isDirectory: boolean) => boolean;

interface IgnoreRule {
    /** Whether the rule's glob matches `relativePath`, whose last segment is `name`. */
    matches: (relativePath: string, name: string) => boolean;
    /** A `!` line: it re-includes what an earlier line excluded. */
    negated: boolean;
    /** A line ending in `/`: it matches directories only. */
    directoryOnly: boolean;
}

/**
 * Globs as git reads them: `*` and `?` never match `/`; `[...]` classes, `[!...]` included; `**` as
 * a whole segment matches any number of directories; a leading dot is matched like any character.
 * No brace or extglob syntax, and `!`/`#` are handled line by line, before the glob.
 */
const GLOB_OPTIONS = { dot: true, nobrace: true, noext: true, nocomment: true, nonegate: true, platform: "linux" } as const;

/** One line of a .gitignore-style file, or undefined for a blank line, a comment or a glob that cannot match. */
function parseRule(line: string): IgnoreRule | undefined {
    // Trailing spaces do not count unless escaped with a backslash ("a\ "); a CRLF file's \r neither.
    let pattern = line.replace(/\r$/, "").replace(/(?<!\\) +$/, "");
    if (pattern === "" || pattern.startsWith("#")) return undefined;
    const negated = pattern.startsWith("!");
    if (negated) pattern = pattern.slice(1);
    const directoryOnly = pattern.endsWith("/");
    if (directoryOnly) pattern = pattern.slice(0, -1);
    // A slash at the start or in the middle anchors a pattern at the source root; any other pattern
    // matches at every depth. (A leading "\#" or "\!" is an escape the glob itself reads.)
    const anchored = pattern.includes("/");
    // A trailing "/**" matches everything inside a directory but not the directory itself, which
    // stays walked (minimatch's own "a/**" also matches "a"): "a/**" then "!a/keep" keeps a/keep.
    pattern = pattern.replace(/^\//, "").replace(/(^|\/)\*\*$/, "$1**/*");
    if (pattern === "") return undefined;
    const matches = anchored || pattern.includes("/") ? globMatcher(pattern, anchored) : nameMatcher(pattern);
    return matches ? { matches, negated, directoryOnly } : undefined;
}

/** No `*`, `?`, `[` or escape: the pattern is its own text. */
const LITERAL = /^[^*?[\\]*$/;

/**
 * A pattern without a slash matches at every depth, which is to say it matches an entry's last
 * segment: tested on that short name, and for the usual shapes ("__pycache__", "*.log") without a
 * regular expression, so a million paths against a dozen rules stay cheap.
 */
function nameMatcher(pattern: string): IgnoreRule["matches"] | undefined {
    if (LITERAL.test(pattern)) return (_, name) => name === pattern;
    const suffix = pattern.slice(1);
    if (pattern.startsWith("*") && LITERAL.test(suffix)) return (relativePath) => relativePath.endsWith(suffix);
    const regex = new Minimatch(pattern, GLOB_OPTIONS).makeRe();
    return regex ? (_, name) => regex.test(name) : undefined;
}

/** A pattern with a slash, against the whole path; its text up to the first glob character must start it. */
function globMatcher(pattern: string, anchored: boolean): IgnoreRule["matches"] | undefined {
    const regex = new Minimatch(anchored ? pattern : `**/${pattern}`, GLOB_OPTIONS).makeRe();
    const prefix = anchored ? /^[^*?[\\]*/.exec(pattern)![0] : "";
    return regex ? (relativePath) => relativePath.startsWith(prefix) && regex.test(relativePath) : undefined;
}

/**
 * Lines of a .skyignore (or of extra patterns) with .gitignore's syntax and semantics (git-scm.com,
 * gitignore(5)): blank lines and `#` comments skipped, a trailing `/` for directories only, `!` to
 * re-include, the last matching line deciding. The test is per entry: the caller does not descend
 * into an ignored directory (scanTree), which is how git makes everything under it ignored too and
 * why a `!` line cannot re-include a file whose directory is excluded.
 */
export function patternsIgnore(lines: string[]): IgnoreTest {
    const rules = lines.map(parseRule).filter((rule): rule is IgnoreRule => rule !== undefined);
    return (relativePath, isDirectory) => {
        let ignored = false;
        const name = relativePath.slice(relativePath.lastIndexOf("/") + 1);
        // Only a rule that would change the verdict needs to be tried: the last match decides.
        for (const rule of rules) {
            if (rule.negated === ignored && (!rule.directoryOnly || isDirectory) && rule.matches(relativePath, name))
                ignored = !rule.negated;
        }
        return ignored;
    };
}

/** Paths git ignores under `dir` (directories end with "/"), or undefined when git cannot say. */
function gitIgnored(dir: string): Set<string> | undefined {
    try {
        const out = execFileSync("git", ["-C", dir, "ls-files", "-z", "--others", "--ignored", "--exclude-standard", "--directory"], {
            encoding: "utf8",
            stdio: ["ignore", "pipe", "ignore"],
        });
        return new Set(out.split("\0").filter(Boolean));
    } catch {
        return undefined;
    }
}

export interface IgnoreRules {
    test: IgnoreTest;
    /** Which rules applied, and anything the user should know (a .gitignore git could not read). */
    source: ".skyignore" | ".gitignore" | "none";
    warnings: string[];
}

export function ignoreRulesFor(dir: string, extraPatterns: string[] = []): IgnoreRules {
    const always = patternsIgnore([".git/", ...extraPatterns]);
    const skyignore = path.join(dir, ".skyignore");
    if (existsSync(skyignore)) {
        const fromFile = patternsIgnore(readFileSync(skyignore, "utf8").split("\n"));
        return { source: ".skyignore", warnings: [], test: (p, d) => always(p, d) || fromFile(p, d) };
    }
    const ignored = gitIgnored(dir);
    if (ignored) {
        const test: IgnoreTest = (p, d) => always(p, d) || ignored.has(d ? `${p}/` : p);
        return { source: ".gitignore", warnings: [], test };
    }
    const warnings = existsSync(path.join(dir, ".gitignore"))
        ? [`${dir} has a .gitignore but is not in a git repository (or git is missing): nothing it lists is excluded; use .skyignore`]
        : [];
    return { source: "none", warnings, test: always };
}
