// How a host script is given its values (src/hostScripts/scriptFiles.ts): quoted assignments that bash
// reads back exactly, whatever they hold, placed after the shell file's #! line and opening comment.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { describe, it } from "node:test";
import { assignments, renderScript, scriptFile } from "../../src/hostScripts/scriptFiles";

const bash = (script: string) => execFileSync("bash", ["-c", script], { encoding: "utf8" });

describe("script values", () => {
    it("reach bash exactly: strings, numbers, flags and lists", () => {
        const hostile = "it's $(touch /tmp/pwned) `id` a b\nc";
        const lines = assignments({ text: hostile, n: 42, on: true, off: false, list: ["a b", hostile, ""] });
        assert.equal(
            bash([...lines, 'printf "%s|" "$text" "$n" "$on" "$off" "${#list[@]}" "${list[@]}"'].join("\n")),
            `${hostile}|42|1||3|a b|${hostile}||`,
        );
    });

    it("refuse a name that is not a shell variable's", () => {
        assert.throws(() => assignments({ "a;b": "x" }), /not a shell variable name/);
    });
});

describe("a rendered script", () => {
    it("keeps the file's #! line first, then says what it does, then its opening comment, then the values", () => {
        const script = renderScript("removeWorkdir.sh", { description: "remove\nit", values: { dir: "/w" } });
        const file = scriptFile("removeWorkdir.sh").split("\n");
        const lines = script.split("\n");
        assert.equal(lines[0], file[0]);
        assert.equal(lines[1], "# skymount: remove it");
        const values = lines.indexOf("dir='/w'");
        assert.ok(values > 2 && lines.slice(2, values).every((l) => l.startsWith("#")), script);
        assert.ok(script.endsWith(file.slice(values - 1).join("\n")), script);
    });
});
