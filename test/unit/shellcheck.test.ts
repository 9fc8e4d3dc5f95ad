// The host scripts pass shellcheck: the shell files as written (src/hostScripts/sh), and every script
// as rendered, with its values, functions and the wrappers and programs it carries, for a plan with
// each kind of volume (read-only, writable, MOUNT_CACHED, COPY, Azure's wrapped mount).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { renderCopyCheck, renderInstallCheck, renderMountCheck, renderPresentCheck, renderWorkdirCheck } from "../../src/hostScripts/check";
import { renderCopyVolumeScript, renderUncopyVolumeScript } from "../../src/hostScripts/copyVolume";
import { fstabLine } from "../../src/hostScripts/fstabLine";
import { renderInstallScript } from "../../src/hostScripts/install";
import {
    renderRemoveWorkdirScript,
    renderRunScript,
    renderSetupScript,
    renderStopRunScript,
    renderWorkdirScript,
} from "../../src/hostScripts/job";
import { renderMountScript, renderUnmountScript } from "../../src/hostScripts/mount";
import { renderMountHelper } from "../../src/hostScripts/mountHelper";
import { mountWrapperScript } from "../../src/hostScripts/mountWrapper";
import { renderPresentScript, renderUnpresentScript } from "../../src/hostScripts/present";
import { renderSupervisor } from "../../src/hostScripts/supervisor";
import { planSkyVolume } from "../../src/skyVolume/plan";
import { spec, volume } from "./fixtures";

const SH_DIR = path.join(__dirname, "..", "..", "src", "hostScripts", "sh");

/** shellcheck's findings (empty when none), on a file or on a script given on stdin. */
function shellcheck(args: string[], input?: string): string {
    const result = spawnSync("shellcheck", ["--format=gcc", ...args], { input, encoding: "utf8" });
    assert.ok(result.error === undefined, `shellcheck did not run (npm run setup installs it): ${result.error}`);
    return result.stdout.trim();
}

const plan = planSkyVolume(
    spec({
        volumes: [
            volume({ mount: "/data", prefix: "iris" }),
            volume({ mount: "/out", prefix: "runs", readOnly: false, storage: { ...volume().storage, bucket: "outputs" } }),
            volume({ mount: "/snapshot", mode: "COPY", prefix: "iris" }),
            volume({ mount: "/cached", mode: "MOUNT_CACHED", storage: { ...volume().storage, bucket: "weights" } }),
            volume({
                mount: "/blob",
                readOnly: false,
                storage: { store: "azure", bucket: "blobs", endpoint: "https://acct1.blob.core.windows.net", hasCredentials: true },
            }),
        ],
        aptSource: "deb [trusted=yes] http://10.0.0.1:8088/apt ./",
    }),
);

function renderedScripts(): Array<[string, string]> {
    const scripts: Array<[string, string]> = [
        ["install", renderInstallScript(plan.install)],
        ["install check", renderInstallCheck(plan.install)],
        ["mount helper", renderMountHelper()],
        ["supervisor", renderSupervisor()],
        ["workdir", renderWorkdirScript("abc")],
        ["workdir check", renderWorkdirCheck("abc")],
        ["remove workdir", renderRemoveWorkdirScript()],
        ["setup", renderSetupScript("pip install -r 'req.txt'", "h")],
        ["run", renderRunScript("python train.py $EPOCHS", "h")],
        ["stop run", renderStopRunScript()],
    ];
    for (const mount of plan.mounts) {
        scripts.push([`mount ${mount.bucket}`, renderMountScript(mount, plan.geesefs)]);
        scripts.push([`unmount ${mount.bucket}`, renderUnmountScript(mount)]);
        scripts.push([`mount check ${mount.bucket}`, renderMountCheck(mount, plan.geesefs)]);
        if (mount.wrapper) scripts.push([`wrapper ${mount.bucket}`, mountWrapperScript(mount.wrapper)]);
        const origin = { dir: mount.dir, bucket: mount.bucket, fingerprint: fstabLine(mount, plan.geesefs), fuse: true };
        for (const present of plan.presents.filter((p) => p.mountId === mount.id)) {
            scripts.push([`present ${present.target}`, renderPresentScript(present, origin)]);
            scripts.push([`unpresent ${present.target}`, renderUnpresentScript(present, origin)]);
            scripts.push([`present check ${present.target}`, renderPresentCheck(present, origin)]);
        }
    }
    for (const copy of plan.copies) {
        scripts.push([`copy ${copy.dir}`, renderCopyVolumeScript(copy, plan.geesefs)]);
        scripts.push([`uncopy ${copy.dir}`, renderUncopyVolumeScript(copy)]);
        scripts.push([`copy check ${copy.dir}`, renderCopyCheck(copy, plan.geesefs)]);
    }
    return scripts;
}

describe("shellcheck", () => {
    it("finds nothing in the shell files as written", () => {
        const files = readdirSync(SH_DIR).filter((f) => f.endsWith(".sh"));
        assert.ok(files.length > 0);
        assert.equal(shellcheck(files.map((f) => path.join(SH_DIR, f))), "");
    });

    it("finds nothing in any script as rendered", () => {
        const scripts = renderedScripts();
        assert.ok(
            scripts.some(([name]) => name.startsWith("wrapper")),
            "the plan has a wrapped mount",
        );
        // SC2016 ($ in single quotes) is the point of a quoted value: a program's text (the mount helper
        // the install script writes, say) holds $ for the program to expand.
        for (const [name, script] of scripts) assert.equal(shellcheck(["--exclude=SC2016", "-"], script), "", name);
    });
});
