// Rendered scripts parse, quote every value, and say what they do.
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { describe, it } from "node:test";
import { geesefsOptions } from "../../src/scripts/geesefsFlags";
import { renderInstallScript } from "../../src/scripts/install";
import { CAME_UP_ANYWAY, renderMountScript, renderUnmountScript, mountSpecLine } from "../../src/scripts/mount";
import { renderPresentScript, renderUnpresentScript } from "../../src/scripts/present";
import { quote } from "../../src/scripts/shell";
import { renderCopyScript, renderUncopyScript } from "../../src/scripts/copy";
import { planSkyVolume } from "../../src/volume/plan";
import { spec, volume } from "./fixtures";

function bash(args: string[], input?: string): string {
    return execFileSync("bash", args, { input, encoding: "utf8" });
}

const plan = planSkyVolume(
    spec({
        volumes: [volume({ mount: "/data", prefix: "iris" }), volume({ mount: "/snapshot", mode: "COPY", prefix: "iris" }), volume({ mount: "/cached", mode: "MOUNT_CACHED", storage: { bucket: "weights", endpoint: "http://10.0.0.1:9000", hasCredentials: true } }), volume({ mount: "/out", readOnly: false, storage: { bucket: "results", endpoint: "https://s3.eu-west-1.amazonaws.com", region: "eu-west-1", hasCredentials: false } })],
        aptSource: "deb [trusted=yes] http://10.0.0.1:8088/apt ./",
    }),
);

function allScripts(): string[] {
    const scripts = [renderInstallScript(plan.install)];
    for (const mount of plan.mounts) {
        scripts.push(renderMountScript(mount, plan.geesefs), renderUnmountScript(mount));
        for (const present of plan.presents.filter((p) => p.mountId === mount.id)) {
            const origin = { dir: mount.dir, bucket: mount.bucket, spec: mountSpecLine(mount, plan.geesefs), fuse: true };
            scripts.push(renderPresentScript(present, origin), renderUnpresentScript(present, origin));
        }
    }
    for (const copy of plan.copies) scripts.push(renderCopyScript(copy, plan.geesefs), renderUncopyScript(copy));
    return scripts;
}

describe("quote", () => {
    for (const value of ["plain", "it's", "$(touch /tmp/pwned)", "`id`", "a b\nc", "'; rm -rf / #", ""]) {
        it(`keeps ${JSON.stringify(value)} inert`, () => {
            assert.equal(bash(["-c", `printf '%s' ${quote(value)}`]), value);
        });
    }
});

describe("rendered scripts", () => {
    it("all parse (bash -n)", () => {
        for (const script of allScripts()) bash(["-n"], script);
    });

    it("are identical for the same plan", () => {
        assert.deepEqual(allScripts(), allScripts());
    });

    it("never carry credentials: they arrive on stdin", () => {
        for (const script of allScripts()) assert.ok(!/aws_secret_access_key|secretKey/.test(script));
    });
});

describe("geesefs options", () => {
    it("mount a read-only MinIO bucket path-style with static keys", () => {
        const datasets = plan.mounts.find((m) => m.bucket === "datasets")!;
        assert.deepEqual(geesefsOptions(datasets, plan.geesefs), [
            "_netdev",
            "--endpoint=http://10.0.0.1:9000",
            "--region=us-east-1",
            "--list-type=2",
            "--stat-cache-ttl=60s",
            "--uid=0",
            "--gid=0",
            "--file-mode=0644",
            "--dir-mode=0755",
            `--log-file=/var/log/skymount/${datasets.id}.log`,
            `--shared-config=/etc/skymount/credentials/${datasets.id}`,
            "ro",
        ]);
    });

    it("mount a writable AWS bucket virtual-host style with the instance role (no --iam)", () => {
        const results = plan.mounts.find((m) => m.bucket === "results")!;
        const options = geesefsOptions(results, plan.geesefs);
        assert.ok(options.includes("--subdomain"));
        assert.ok(options.includes("--fsync-on-close"));
        assert.ok(!options.includes("ro"));
        assert.ok(!options.some((o) => o.startsWith("--shared-config") || o.startsWith("--iam")));
    });

    it("leave --fsync-on-close out when asked", () => {
        const results = plan.mounts.find((m) => m.bucket === "results")!;
        assert.ok(!geesefsOptions(results, { ...plan.geesefs, fsyncOnClose: false }).includes("--fsync-on-close"));
    });
});

describe("came_up_anyway (geesefs's daemonize race)", () => {
    const run = (mounted: boolean) =>
        spawnSync("bash", ["-c", [...CAME_UP_ANYWAY, `mountpoint() { ${mounted ? "return 0" : "return 1"}; }`, "sleep() { :; }", "timeout() { shift; \"$@\"; }", 'came_up_anyway /tmp'].join("\n")], { encoding: "utf8" });

    it("accepts a mount that is there and answers although its mounter failed", () => {
        const result = run(true);
        assert.equal(result.status, 0);
        assert.match(result.stderr, /\/tmp is mounted although its mounter exited with an error/);
    });

    it("fails when no mount appears", () => {
        assert.equal(run(false).status, 1);
    });
});
