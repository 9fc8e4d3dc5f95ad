// `npm run setup` takes a `pulumi` already on PATH when it is at least PULUMI_MIN_VERSION, and builds
// the pinned CLI from Go modules only when there is none (tools/lib/pulumi.sh, provide_pulumi_cli).
// Fake `pulumi` executables print a version; the build is replaced by a marker.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readlinkSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { readPinnedVersions } from "../../tools/testbed/versions";

const root = path.join(__dirname, "..", "..");
const work = mkdtempSync(path.join(tmpdir(), "skymount-setup-pulumi-"));
after(() => rmSync(work, { recursive: true, force: true }));

let dirs = 0;
/** A directory holding a fake `pulumi` that prints `version` (as `pulumi version` does: v3.258.0). */
function fakePulumi(version: string): string {
    const dir = path.join(work, `bin${dirs++}`);
    mkdirSync(dir);
    writeFileSync(path.join(dir, "pulumi"), `#!/bin/sh\n[ "$1" = version ] && echo ${version}\n`, { mode: 0o755 });
    return dir;
}

/** Runs provide_pulumi_cli with `pathDirs` before the system's PATH; returns its output and what it left in SKYMOUNT_BIN. */
function provide(pathDirs: string[], env: Record<string, string> = {}): { output: string; bin: string } {
    const bin = path.join(work, `skymount-bin${dirs++}`);
    mkdirSync(bin);
    const script = [
        "set -euo pipefail",
        `source ${JSON.stringify(path.join(root, "tools", "versions.env"))}`,
        `source ${JSON.stringify(path.join(root, "tools", "lib", "pulumi.sh"))}`,
        'build_pulumi_cli() { echo "BUILD $PULUMI_VERSION"; }',
        "provide_pulumi_cli",
    ].join("\n");
    const output = execFileSync("bash", ["-c", script], {
        encoding: "utf8",
        env: { ...env, SKYMOUNT_BIN: bin, PATH: [bin, ...pathDirs, "/usr/bin", "/bin"].join(":") },
        stdio: ["ignore", "pipe", "pipe"],
    });
    return { output, bin };
}

describe("setup's Pulumi CLI", () => {
    const { PULUMI_MIN_VERSION, PULUMI_VERSION } = readPinnedVersions();

    it("has a supported minimum no newer than the pinned version", () => {
        assert.match(PULUMI_MIN_VERSION, /^\d+\.\d+\.\d+$/);
        const [min, pinned] = [PULUMI_MIN_VERSION, PULUMI_VERSION].map((v) => v.split(".").map(Number));
        assert.ok(min[0] * 1e6 + min[1] * 1e3 + min[2] <= pinned[0] * 1e6 + pinned[1] * 1e3 + pinned[2]);
    });

    it("uses a recent enough pulumi on PATH, linked into SKYMOUNT_BIN, and builds nothing", () => {
        const older = fakePulumi("v3.100.0");
        const newer = fakePulumi("v3.262.1");
        const { output, bin } = provide([older, newer]);
        assert.doesNotMatch(output, /BUILD/);
        assert.match(output, new RegExp(`using ${newer}/pulumi \\(v3.262.1\\), already on PATH`));
        assert.equal(readlinkSync(path.join(bin, "pulumi")), path.join(newer, "pulumi"));
    });

    it("accepts exactly the minimum, and a pre-release suffix of it", () => {
        for (const version of [`v${PULUMI_MIN_VERSION}`, `v${PULUMI_MIN_VERSION}-alpha.1+dirty`]) {
            const dir = fakePulumi(version);
            assert.match(provide([dir]).output, /already on PATH/, version);
        }
    });

    it("builds the pinned CLI when the only pulumi on PATH is older than the minimum", () => {
        const dir = fakePulumi("v3.230.9");
        const { output, bin } = provide([dir]);
        assert.equal(output.trim(), `BUILD ${PULUMI_VERSION}`);
        assert.ok(!existsSync(path.join(bin, "pulumi")));
    });

    it("builds the pinned CLI when there is no pulumi on PATH, or only setup's own in SKYMOUNT_BIN", () => {
        assert.equal(provide([]).output.trim(), `BUILD ${PULUMI_VERSION}`);
        // setup's own earlier build is not "a pulumi already on PATH": it is rebuilt (or found in the cache).
        const bin = path.join(work, "own-bin");
        mkdirSync(bin);
        writeFileSync(path.join(bin, "pulumi"), "#!/bin/sh\necho v9.0.0\n", { mode: 0o755 });
        const script = `source ${root}/tools/versions.env; source ${root}/tools/lib/pulumi.sh; build_pulumi_cli() { echo BUILD; }; provide_pulumi_cli`;
        const output = execFileSync("bash", ["-c", script], {
            encoding: "utf8",
            env: { SKYMOUNT_BIN: bin, PATH: `${bin}:/usr/bin:/bin` },
        });
        assert.equal(output.trim(), "BUILD");
        assert.ok(!lstatSync(path.join(bin, "pulumi")).isSymbolicLink());
    });

    it("builds when asked to (SKYMOUNT_BUILD_PULUMI=1), replacing an earlier link", () => {
        const dir = fakePulumi("v3.258.0");
        const first = provide([dir]);
        assert.match(first.output, /already on PATH/);
        const script = `source ${root}/tools/versions.env; source ${root}/tools/lib/pulumi.sh; build_pulumi_cli() { echo BUILD; }; provide_pulumi_cli`;
        const output = execFileSync("bash", ["-c", script], {
            encoding: "utf8",
            env: { SKYMOUNT_BIN: first.bin, SKYMOUNT_BUILD_PULUMI: "1", PATH: `${first.bin}:${dir}:/usr/bin:/bin` },
        });
        assert.equal(output.trim(), "BUILD");
        assert.ok(!existsSync(path.join(first.bin, "pulumi")), "the link to the PATH's pulumi is gone before the build installs its own");
    });
});
