// A volume on a prefix of 100,000 objects, or a bucket with that many at its root: the mount's and the
// bind mount's probes, the COPY volume's and refresh's checks must not list it in full (through geesefs
// that took longer than their timeouts), only read its first entries.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { test } from "node:test";
import { renderMountCheck, renderPresentCheck } from "../../src/hostScripts/check";
import { renderCopyVolumeScript } from "../../src/hostScripts/copyVolume";
import { renderMountScript } from "../../src/hostScripts/mount";
import { fstabLine } from "../../src/hostScripts/fstabLine";
import { renderPresentScript } from "../../src/hostScripts/present";
import { planSkyVolume } from "../../src/skyVolume/plan";
import { spec, volume } from "./fixtures";

const plan = planSkyVolume(spec({ volumes: [volume({ mount: "/data", prefix: "imagenet" })] }));
const present = plan.presents[0];
const mount = plan.mounts[0];
const origin = { dir: mount.dir, bucket: mount.bucket, fingerprint: fstabLine(mount, plan.geesefs), fuse: true };

/** The lines of a script that probe the mounted volume (bounded by a timeout: it may be a dead mount). */
function listings(script: string): string[] {
    return script.split("\n").filter((line) => /timeout (\d+|"\$probe_seconds") ls\b[^|]*"\$(target|dir|fuse_dir)"/.test(line));
}

test("the present script and its check read only the first entries of the volume", () => {
    for (const script of [renderPresentScript(present, origin), renderPresentCheck(present, origin)]) {
        const lines = listings(script);
        assert.ok(lines.length > 0);
        for (const line of lines) assert.match(line, /ls -f -- "\$target" .*\| head -n 1/, line);
    }
});

test("the mount script's health probe, its check and the COPY volume's probe read only the bucket root's first entries", () => {
    const copyPlan = planSkyVolume(spec({ volumes: [volume({ mount: "/copy", mode: "COPY" })] }));
    const scripts = [
        renderMountScript(mount, plan.geesefs),
        renderMountCheck(mount, plan.geesefs),
        renderCopyVolumeScript(copyPlan.copies[0], copyPlan.geesefs),
    ];
    for (const script of scripts) {
        const lines = listings(script);
        assert.ok(lines.length > 0, script);
        for (const line of lines) assert.match(line, /ls -f -- "\$(dir|fuse_dir)".*\| head -n 1/, line);
    }
});

test("the probe passes on a big or empty directory and fails on a missing one", () => {
    const probe = listings(renderPresentScript(present, origin))[0].trim();
    const root = mkdtempSync(path.join(tmpdir(), "skymount-probe-"));
    try {
        const big = path.join(root, "big");
        mkdirSync(big);
        for (let i = 0; i < 5000; i++) writeFileSync(path.join(big, `f${i}`), "");
        mkdirSync(path.join(root, "empty"));
        const run = (target: string) => spawnSync("bash", ["-euo", "pipefail", "-c", `target=${target}\n${probe}`]).status;
        assert.equal(run(big), 0);
        assert.equal(run(path.join(root, "empty")), 0);
        assert.notEqual(run(path.join(root, "missing")), 0);
    } finally {
        rmSync(root, { recursive: true, force: true });
    }
});
