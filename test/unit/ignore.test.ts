// Ignore patterns (.skyignore and extra patterns) with .gitignore's semantics, case by case against
// what `git check-ignore` answers: the expected column is git's (2.39), and the last test asks git
// again when it is installed, so the table cannot drift from it.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { describe, it } from "node:test";
import { IgnoreTest, patternsIgnore } from "../../src/sync/scan/ignore";

const DIR = true;
const FILE = false;

interface IgnoreCase {
    name: string;
    lines: string[];
    /** A path, whether it is a directory, and whether git ignores it. */
    entries: Array<[path: string, isDirectory: boolean, ignoredByGit: boolean]>;
}

const CASES: IgnoreCase[] = [
    {
        name: "*.log: every depth, a file named .log too",
        lines: ["*.log"],
        entries: [
            ["a.log", FILE, true],
            ["d/e/a.log", FILE, true],
            ["a.log.txt", FILE, false],
            [".log", FILE, true],
            ["logs", DIR, false],
        ],
    },
    {
        name: "/build: anchored at the root",
        lines: ["/build"],
        entries: [
            ["build", DIR, true],
            ["build/x.o", FILE, true],
            ["src/build", DIR, false],
            ["src/build/y.o", FILE, false],
        ],
    },
    {
        name: "/build: a file too",
        lines: ["/build"],
        entries: [["build", FILE, true]],
    },
    {
        name: "build/: directories only, at every depth",
        lines: ["build/"],
        entries: [
            ["build", DIR, true],
            ["src/build", DIR, true],
            ["src/build/y.o", FILE, true],
            ["other/build", FILE, false],
        ],
    },
    {
        name: "a/**/b: zero or more directories, never a/xb",
        lines: ["a/**/b"],
        entries: [
            ["a/b", FILE, true],
            ["a/x/b", FILE, true],
            ["a/x/y/b", FILE, true],
            ["a/xb", FILE, false],
            ["a/x/xb", FILE, false],
            ["c/a/x/b", FILE, false],
            ["a/b2", FILE, false],
        ],
    },
    {
        name: "**/node_modules: at every depth",
        lines: ["**/node_modules"],
        entries: [
            ["node_modules", DIR, true],
            ["x/y/node_modules", DIR, true],
            ["x/y/node_modules/z.js", FILE, true],
            ["node_modules2", DIR, false],
        ],
    },
    {
        name: "[abc] and [!0-8] classes",
        lines: ["[abc].txt", "[!0-8].md"],
        entries: [
            ["a.txt", FILE, true],
            ["d/c.txt", FILE, true],
            ["d.txt", FILE, false],
            ["ab.txt", FILE, false],
            ["9.md", FILE, true],
            ["x.md", FILE, true],
            ["5.md", FILE, false],
        ],
    },
    {
        name: "!keep.log after *.log re-includes",
        lines: ["*.log", "!keep.log"],
        entries: [
            ["x.log", FILE, true],
            ["keep.log", FILE, false],
            ["d/keep.log", FILE, false],
            ["d/x.log", FILE, true],
        ],
    },
    {
        name: "!keep.log before *.log: the last match decides",
        lines: ["!keep.log", "*.log"],
        entries: [["keep.log", FILE, true]],
    },
    {
        name: "a ! line cannot re-include inside an excluded directory",
        lines: ["logs/", "!logs/keep.log"],
        entries: [
            ["logs", DIR, true],
            ["logs/keep.log", FILE, true],
        ],
    },
    {
        name: "/* then !/src: everything at the root but src",
        lines: ["/*", "!/src"],
        entries: [
            ["src", DIR, false],
            ["src/a.c", FILE, false],
            ["docs", DIR, true],
            ["top.txt", FILE, true],
        ],
    },
    {
        name: "#comment is a comment; \\# and \\! escape",
        lines: ["#comment", "\\#file", "\\!important"],
        entries: [
            ["#comment", FILE, false],
            ["#file", FILE, true],
            ["d/#file", FILE, true],
            ["!important", FILE, true],
        ],
    },
    {
        name: "trailing spaces do not count unless escaped",
        lines: ["trail   ", "esc\\ "],
        entries: [
            ["trail", FILE, true],
            ["trail ", FILE, false],
            ["esc ", FILE, true],
            ["esc", FILE, false],
        ],
    },
    {
        name: "a slash in the middle anchors",
        lines: ["doc/frotz", "doc/*.html"],
        entries: [
            ["doc/frotz", FILE, true],
            ["a/doc/frotz", FILE, false],
            ["doc/x.html", FILE, true],
            ["doc/sub/y.html", FILE, false],
        ],
    },
    {
        name: "abc/**: everything inside abc, not abc itself",
        lines: ["abc/**"],
        entries: [
            ["abc", DIR, false],
            ["abc/d", DIR, true],
            ["abc/e.txt", FILE, true],
            ["x/abc/f", FILE, false],
        ],
    },
    {
        name: "abc/** then !abc/keep.txt keeps it",
        lines: ["abc/**", "!abc/keep.txt"],
        entries: [
            ["abc", DIR, false],
            ["abc/keep.txt", FILE, false],
            ["abc/other.txt", FILE, true],
        ],
    },
    {
        name: "** alone: everything",
        lines: ["**"],
        entries: [
            ["any", FILE, true],
            ["d", DIR, true],
        ],
    },
    {
        name: "/** then !/**/: files only, as git walks",
        lines: ["/**", "!/**/"],
        entries: [
            ["f", FILE, true],
            ["d", DIR, false],
            ["d/g", FILE, true],
        ],
    },
    {
        name: "?: one character, never /",
        lines: ["?.txt"],
        entries: [
            ["a.txt", FILE, true],
            ["ab.txt", FILE, false],
            ["d/b.txt", FILE, true],
        ],
    },
    {
        name: ".* then !.gitkeep",
        lines: [".*", "!.gitkeep"],
        entries: [
            [".env", FILE, true],
            [".gitkeep", FILE, false],
            ["d/.cache", DIR, true],
            ["x.env", FILE, false],
        ],
    },
    {
        name: "foo/*: one level, at the root only",
        lines: ["foo/*"],
        entries: [
            ["foo/bar", DIR, true],
            ["foo/bar/baz", FILE, true],
            ["foo/qux", FILE, true],
            ["x/foo/bar", FILE, false],
        ],
    },
    {
        name: "** inside a segment is *; /**/ in the middle",
        lines: ["dir**x", "**/deep/**/z"],
        entries: [
            ["dirax", FILE, true],
            ["dira/x", FILE, false],
            ["deep/z", FILE, true],
            ["p/deep/q/r/z", FILE, true],
        ],
    },
];

/** Whether a tree walk that does not enter ignored directories (scanTree's) leaves the entry out. */
function ignoredAsWalked(test: IgnoreTest, relativePath: string, isDirectory: boolean): boolean {
    const parts = relativePath.split("/");
    return parts.slice(0, -1).some((_, i) => test(parts.slice(0, i + 1).join("/"), true)) || test(relativePath, isDirectory);
}

function gitAnswers(testCase: IgnoreCase): Set<string> {
    const dir = mkdtempSync(path.join(tmpdir(), "skymount-ignore-"));
    try {
        execFileSync("git", ["init", "-q", dir]);
        writeFileSync(path.join(dir, ".gitignore"), `${testCase.lines.join("\n")}\n`);
        for (const [entry, isDirectory] of testCase.entries) {
            mkdirSync(path.join(dir, isDirectory ? entry : path.dirname(entry)), { recursive: true });
            if (!isDirectory) writeFileSync(path.join(dir, entry), "");
        }
        let out = "";
        try {
            out = execFileSync("git", ["-C", dir, "check-ignore", "--no-index", "-z", "--stdin"], {
                input: testCase.entries.map(([entry]) => entry).join("\0"),
                encoding: "utf8",
            });
        } catch (err) {
            // Exit status 1: nothing is ignored.
            if ((err as { status?: number }).status !== 1) throw err;
        }
        return new Set(out.split("\0").filter(Boolean));
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
}

const hasGit = (() => {
    try {
        execFileSync("git", ["--version"], { stdio: "ignore" });
        return true;
    } catch {
        return false;
    }
})();

describe("patternsIgnore, as git check-ignore answers", () => {
    for (const testCase of CASES) {
        it(testCase.name, () => {
            const test = patternsIgnore(testCase.lines);
            const ours = testCase.entries.map(([entry, isDirectory]) => [entry, ignoredAsWalked(test, entry, isDirectory)]);
            assert.deepEqual(
                ours,
                testCase.entries.map(([entry, , ignored]) => [entry, ignored]),
            );
        });
    }

    it("answers the same past the paths one matcher caches (a fresh one every 10,000)", () => {
        const test = patternsIgnore(["d/*.tmp", "!d/keep*.tmp"]);
        for (let i = 0; i < 25_000; i++) {
            assert.equal(test(`d/f${i}.tmp`, false), true);
            assert.equal(test(`d/keep${i}.tmp`, false), false);
        }
    });

    it("drops the \\r ending each line of a file written with CRLF", () => {
        const test = patternsIgnore("*.log\r\n!keep.log\r\n".split("\n"));
        assert.deepEqual([test("a.log", false), test("keep.log", false)], [true, false]);
    });

    it("the table holds git's own answers", { skip: !hasGit && "git is not installed" }, () => {
        for (const testCase of CASES) {
            const ignored = gitAnswers(testCase);
            assert.deepEqual(
                testCase.entries.map(([entry, , expected]) => [entry, expected]),
                testCase.entries.map(([entry]) => [entry, ignored.has(entry)]),
                testCase.name,
            );
        }
    });
});
