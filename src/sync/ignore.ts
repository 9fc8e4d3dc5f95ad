// Which files of a source tree are not uploaded, with SkyPilot's rules: `.skyignore` alone when it
// exists; otherwise what git ignores (.gitignore, .git/info/exclude, global excludes); `.git` always.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";

export type IgnoreTest = (relativePath: string, isDirectory: boolean) => boolean;

function globToRegExp(glob: string): string {
    let out = "";
    for (let i = 0; i < glob.length; i++) {
        const c = glob[i];
        if (c === "*" && glob[i + 1] === "*") {
            out += ".*";
            i++;
            if (glob[i + 1] === "/") i++;
        } else if (c === "*") out += "[^/]*";
        else if (c === "?") out += "[^/]";
        else out += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
    }
    return out;
}

/**
 * One pattern per line, `#` comments: a leading `/` anchors a pattern at the source root, any other
 * pattern matches at every depth; a trailing `/` matches directories only. A matching directory
 * excludes everything under it.
 */
export function patternsIgnore(patterns: string[]): IgnoreTest {
    const rules = patterns
        .map((p) => p.trim())
        .filter((p) => p !== "" && !p.startsWith("#"))
        .map((p) => {
            const directoryOnly = p.endsWith("/");
            const body = p.replace(/\/+$/, "");
            const anchored = body.startsWith("/");
            const regex = new RegExp(`^${anchored ? "" : "(?:.*/)?"}${globToRegExp(body.replace(/^\/+/, ""))}$`);
            return { regex, directoryOnly };
        });
    return (relativePath, isDirectory) => rules.some((r) => (!r.directoryOnly || isDirectory) && r.regex.test(relativePath));
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
