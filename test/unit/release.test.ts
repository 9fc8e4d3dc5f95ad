// release (sh/mountFunctions.sh), run for real in a private mount namespace: it takes every mount
// stacked at a path (on a systemd host a bind's mount unit, restarted with its bucket's service, can
// mount it over skymount's own; the one left below outlived destroy), and a busy one is detached
// lazily with a warning while its user goes on writing.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { FSTAB_FUNCTIONS } from "../../src/hostScripts/fstab";
import { MOUNT_FUNCTIONS } from "../../src/hostScripts/mountFunctions";

const work = mkdtempSync(join(tmpdir(), "skymount-release-"));

/** Runs `script` with the mount functions in a mount namespace of its own: stdout, stderr, status. */
function inMountNamespace(script: string) {
    const program = [...FSTAB_FUNCTIONS, ...MOUNT_FUNCTIONS, "set -euo pipefail", script].join("\n");
    return spawnSync("unshare", ["-m", "--propagation", "private", "bash", "-c", program], { encoding: "utf8", timeout: 60_000 });
}

describe("release", () => {
    after(() => rmSync(work, { recursive: true, force: true }));

    it("unmounts every mount stacked at the path", () => {
        const target = join(work, "stacked");
        const result = inMountNamespace(
            [
                `mkdir -p ${target}`,
                `for n in 1 2 3; do mount -t tmpfs "layer$n" ${target}; done`,
                `grep -c " ${target} " /proc/mounts`,
                `release ${target}`,
                `grep -c " ${target} " /proc/mounts || true`,
            ].join("\n"),
        );
        assert.equal(result.status, 0, result.stderr);
        assert.deepEqual(result.stdout.trim().split("\n"), ["3", "0"]);
        assert.equal(result.stderr, "");
    });

    it("detaches a busy mount lazily with a warning, and the one below it too", () => {
        const target = join(work, "busy");
        const result = inMountNamespace(
            [
                `mkdir -p ${target}`,
                `mount -t tmpfs lower ${target} && mount -t tmpfs upper ${target}`,
                `exec 3> ${target}/open.txt`,
                `release ${target}`,
                `grep -c " ${target} " /proc/mounts || true`,
                // The holder writes on into the detached mount.
                "echo still-writable >&3 && echo written",
            ].join("\n"),
        );
        assert.equal(result.status, 0, result.stderr);
        assert.deepEqual(result.stdout.trim().split("\n"), ["0", "written"]);
        assert.match(result.stderr, new RegExp(`skymount: ${target} is busy \\(used by pids: \\d+.*\\): detached lazily`));
    });
});
