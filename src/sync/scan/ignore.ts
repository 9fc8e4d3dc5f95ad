// Which files of a source tree are not uploaded, with SkyPilot's rules: `.skyignore` alone when it
// exists; otherwise what git ignores (.gitignore, .git/info/exclude, global excludes); `.git` always.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import ignore from "ignore";

export type IgnoreTest = (relativePath: string, isDirectory: boolean) => boolean;

/**
 * A line that names files by their last segment alone, with no glob but a leading `*`: `__pycache__/`,
 * `*.log`, `!keep.txt`, `.DS_Store`. The usual .skyignore holds only such lines, and they are tested
 * without a regular expression (patternsIgnore), so a million paths against a dozen rules stay cheap.
 */
const SIMPLE_LINE = /^!?(\*?[^*?[\]\\/!#\s][^*?[\]\\/\s]*|\*)\/?$/;

interface SimpleRule {
    /** The name, or the suffix after a leading `*`. */
    text: string;
    suffix: boolean;
    negated: boolean;
    directoryOnly: boolean;
}

function simpleRule(line: string): SimpleRule {
    const negated = line.startsWith("!");
    let text = negated ? line.slice(1) : line;
    const directoryOnly = text.endsWith("/");
    if (directoryOnly) text = text.slice(0, -1);
    const suffix = text.startsWith("*");
    return { text: suffix ? text.slice(1) : text, suffix, negated, directoryOnly };
}

/** The lines that count: a CRLF file's \r dropped, blank lines and comments out. */
function meaningfulLines(lines: string[]): string[] {
    return lines.map((line) => line.replace(/\r$/, "")).filter((line) => line.trim() !== "" && !line.startsWith("#"));
}

/** Paths tested by one `ignore` instance before a fresh one: it caches every path it answers, parents included. */
const PATHS_PER_INSTANCE = 10_000;

/**
 * Lines of a .skyignore (or of extra patterns) with .gitignore's syntax and semantics (git-scm.com,
 * gitignore(5)), as the `ignore` package implements them: blank lines and `#` comments skipped, a
 * trailing `/` for directories only, `!` to re-include, the last matching line deciding. The test is
 * per entry: the caller does not descend into an ignored directory (scanTree), which is how git makes
 * everything under it ignored too and why a `!` line cannot re-include a file whose directory is
 * excluded. Lines that only name a last segment (SIMPLE_LINE) are tested directly instead.
 */
export function patternsIgnore(lines: string[]): IgnoreTest {
    const kept = meaningfulLines(lines);
    if (kept.every((line) => SIMPLE_LINE.test(line) && line.trimEnd() === line)) {
        const rules = kept.map(simpleRule);
        return (relativePath, isDirectory) => {
            const name = relativePath.slice(relativePath.lastIndexOf("/") + 1);
            let ignored = false;
            // Only a rule that would change the verdict needs to be tried: the last match decides.
            for (const rule of rules) {
                if (rule.negated !== ignored || (rule.directoryOnly && !isDirectory)) continue;
                if (rule.suffix ? name.endsWith(rule.text) : name === rule.text) ignored = !rule.negated;
            }
            return ignored;
        };
    }
    // git matches case-sensitively (core.ignoreCase is false on Linux); the package by default does not.
    const fresh = () => ignore({ ignoreCase: false }).add(kept);
    let matcher = fresh();
    let tested = 0;
    return (relativePath, isDirectory) => {
        if (++tested % PATHS_PER_INSTANCE === 0) matcher = fresh();
        return matcher.ignores(isDirectory ? `${relativePath}/` : relativePath);
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
