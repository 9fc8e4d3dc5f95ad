// A COPY volume's copy prints progress lines while it runs and ends when the copy does (the progress
// loop holds no pipe of the session): the copy step of the rendered script, run by bash against real
// directories, with `cp` slowed down so the copy takes a few seconds.
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { PROGRESS_LINE_PREFIX } from "../../src/internal/progressLine";
import { renderCopyVolumeScript } from "../../src/hostScripts/copyVolume";
import { quote } from "../../src/hostScripts/shell";

/** The script's lines from the file listing to the copy's verdict: the part that copies and reports. */
function copyStep(): string {
    const fuse = {
        bucket: "data",
        endpoint: "http://s3",
        dir: "/mnt/x",
        credentialsFile: "/c",
        logFile: "/l",
        hasCredentials: false,
        protocolFlags: [],
        accessFlags: [],
        flags: [],
    };
    const lines = renderCopyVolumeScript({ fuse, prefix: "models", dir: "/data/models" } as never, {} as never).split("\n");
    const first = lines.findIndex((l) => l.startsWith("files=$(mktemp)"));
    const last = lines.findIndex((l) => l.includes('[ "$copied" = 0 ]'));
    assert.ok(first > 0 && last > first, "the copy step is where the test expects it");
    return lines.slice(first, last + 1).join("\n");
}

describe("a COPY volume's progress", () => {
    const root = mkdtempSync(path.join(tmpdir(), "skymount-copy-progress-"));
    after(() => rmSync(root, { recursive: true, force: true }));

    it("prints done/total files every interval while it copies, and ends with the copy", () => {
        const src = path.join(root, "src");
        const staging = path.join(root, "staging");
        const bin = path.join(root, "bin");
        for (const dir of [src, staging, bin]) mkdirSync(dir);
        for (let i = 0; i < 40; i++) writeFileSync(path.join(src, `f${i}`), `${i}\n`);
        // Each cp (32 files at most) takes 2.5 s: the copy takes about that long.
        writeFileSync(path.join(bin, "cp"), '#!/bin/sh\nsleep 2.5; exec /bin/cp "$@"\n');
        chmodSync(path.join(bin, "cp"), 0o755);
        const step = copyStep().replace(/while sleep \d+/, "while sleep 1");
        const script = [
            "set -euo pipefail",
            'fail() { echo "skymount: $*" >&2; exit 1; }',
            `export PATH=${bin}:$PATH`,
            `src=${src}; staging=${staging}; bucket=data; prefix=models; progress=${quote(PROGRESS_LINE_PREFIX)}`,
            step,
            "echo copied",
        ].join("\n");
        const started = Date.now();
        const run = spawnSync("bash", ["-c", script], { encoding: "utf8", timeout: 20_000 });
        const seconds = (Date.now() - started) / 1000;
        assert.equal(run.status, 0, run.stderr);
        assert.equal(run.stdout.trim(), "copied");
        const progress = run.stderr.split("\n").filter((l) => l !== "");
        assert.ok(progress.length >= 1, run.stderr);
        for (const line of progress) assert.match(line, /^skymount-progress: copy of data\/models: \d+\/40 files, \S+$/);
        assert.equal(readdirSync(staging).length, 40);
        assert.ok(seconds < 4.5, `the script ended ${seconds} s after it started: the progress loop held it open`);
    });

    it("a failing copy fails the script, naming the bucket, and stops the progress loop", () => {
        const src = path.join(root, "src");
        const script = [
            "set -euo pipefail",
            'fail() { echo "skymount: $*" >&2; exit 1; }',
            `src=${src}; staging=${path.join(root, "missing", "staging")}; bucket=data; prefix=models`,
            copyStep(),
        ].join("\n");
        const started = Date.now();
        const run = spawnSync("bash", ["-c", script], { encoding: "utf8", timeout: 20_000 });
        assert.equal(run.status, 1);
        assert.match(run.stderr, /skymount: copying bucket data\/models failed/);
        assert.ok(Date.now() - started < 3000);
        // No progress loop left behind: no process whose command line is this script (it holds the test's
        // unique directory; the bracket keeps pgrep's own shell from matching).
        const pattern = `${root.slice(0, -1)}[${root.slice(-1)}]`;
        assert.equal(execFileSync("bash", ["-c", `pgrep -f '${pattern}' || true`], { encoding: "utf8" }).trim(), "");
    });
});
