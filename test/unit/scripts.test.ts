// Rendered scripts parse, quote every value, and say what they do.
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { after, describe, it } from "node:test";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { geesefsOptions } from "../../src/hostScripts/geesefsFlags";
import { renderInstallScript } from "../../src/hostScripts/install";
import { renderMountHelper } from "../../src/hostScripts/mountHelper";
import { renderMountScript, renderUnmountScript } from "../../src/hostScripts/mount";
import { fstabLine } from "../../src/hostScripts/fstabLine";
import { renderPresentScript, renderUnpresentScript } from "../../src/hostScripts/present";
import { quote } from "../../src/hostScripts/shell";
import { renderCopyVolumeScript, renderUncopyVolumeScript } from "../../src/hostScripts/copyVolume";
import { planSkyVolume } from "../../src/skyVolume/plan";
import { spec, volume } from "./fixtures";

function bash(args: string[], input?: string): string {
    return execFileSync("bash", args, { input, encoding: "utf8" });
}

const plan = planSkyVolume(
    spec({
        volumes: [
            volume({ mount: "/data", prefix: "iris" }),
            volume({ mount: "/snapshot", mode: "COPY", prefix: "iris" }),
            volume({
                mount: "/cached",
                mode: "MOUNT_CACHED",
                storage: { bucket: "weights", endpoint: "http://10.0.0.1:9000", hasCredentials: true },
            }),
            volume({
                mount: "/out",
                readOnly: false,
                storage: { bucket: "results", endpoint: "https://s3.eu-west-1.amazonaws.com", region: "eu-west-1", hasCredentials: false },
            }),
        ],
        aptSource: "deb [trusted=yes] http://10.0.0.1:8088/apt ./",
    }),
);

function allScripts(): string[] {
    const scripts = [renderInstallScript(plan.install)];
    for (const mount of plan.mounts) {
        scripts.push(renderMountScript(mount, plan.geesefs), renderUnmountScript(mount));
        for (const present of plan.presents.filter((p) => p.mountId === mount.id)) {
            const origin = { dir: mount.dir, bucket: mount.bucket, fingerprint: fstabLine(mount, plan.geesefs), fuse: true };
            scripts.push(renderPresentScript(present, origin), renderUnpresentScript(present, origin));
        }
    }
    for (const copy of plan.copies) scripts.push(renderCopyVolumeScript(copy, plan.geesefs), renderUncopyVolumeScript(copy));
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
            "allow_other",
            "default_permissions",
            "--uid=0",
            "--gid=0",
            "--file-mode=0600",
            "--dir-mode=0700",
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

    // geesefs's detection (a HEAD of a random key, then V2 signing on 403) is skipped where the store
    // takes SigV4 for sure and for every keyless mount; a keyed S3-compatible server keeps it.
    for (const [store, hasCredentials, noDetect] of [
        ["s3compatible", true, false],
        ["s3compatible", false, true],
        ["s3", true, true],
        ["s3", false, true],
        ["gcs", true, true],
        ["r2", true, true],
    ] as const) {
        it(`${noDetect ? "skip" : "keep"} geesefs's detection on ${store} ${hasCredentials ? "with keys" : "through the host's identity"}`, () => {
            const [mount] = planSkyVolume(
                spec({ volumes: [volume({ storage: { store, bucket: "b1", endpoint: "https://store.test", hasCredentials } })] }),
            ).mounts;
            assert.equal(geesefsOptions(mount, plan.geesefs).includes("--no-detect"), noDetect);
        });
    }

    it("leave --fsync-on-close out when asked", () => {
        const results = plan.mounts.find((m) => m.bucket === "results")!;
        assert.ok(!geesefsOptions(results, { ...plan.geesefs, fsyncOnClose: false }).includes("--fsync-on-close"));
    });
});

describe("mount helper (geesefs's daemonize race)", () => {
    // A stand-in geesefs that behaves like the real one in each case: the helper is run for real.
    const dir = mkdtempSync(join(tmpdir(), "skymount-helper-"));
    const mountTable = join(dir, "mounts");
    const fake = join(dir, "geesefs");
    writeFileSync(
        fake,
        [
            "#!/bin/sh",
            'echo "$*" > "$(dirname "$0")/args"',
            'case "$FAKE" in',
            // The race: the parent panics (exit 2) and its child finishes the mount a moment later.
            `  race) (sleep 0.5; echo "$1 $2 fuse.geesefs rw 0 0" >> ${quote(mountTable)}) & echo "panic: unable to daemonize: write |1: broken pipe" >&2; exit 2 ;;`,
            "  crash) exit 2 ;;",
            // In the foreground: mounted, then a panic (its dead mount stays in the table).
            `  panic) echo "$1 $2 fuse.geesefs rw 0 0" >> ${quote(mountTable)}; echo "panic: close of closed channel" >&2; exit 2 ;;`,
            '  refused) echo "Mounting file system: access denied" >&2; exit 1 ;;',
            `  ok) echo "$1 $2 fuse.geesefs rw 0 0" >> ${quote(mountTable)} ;;`,
            "esac",
        ].join("\n"),
        { mode: 0o755 },
    );
    const helper = join(dir, "helper");
    writeFileSync(helper, renderMountHelper({ geesefs: fake, mountTable, waitSeconds: 2 }), { mode: 0o755 });
    const run = (mode: string, options = "ro,--endpoint=http://s3") => {
        writeFileSync(mountTable, "proc /proc proc rw 0 0\n");
        const started = Date.now();
        const result = spawnSync(helper, ["bucket", "/mnt/bucket", "-o", options], {
            encoding: "utf8",
            env: { ...process.env, FAKE: mode },
        });
        return { ...result, seconds: (Date.now() - started) / 1000 };
    };
    after(() => rmSync(dir, { recursive: true, force: true }));

    it("passes mount.fuse's arguments to geesefs unchanged", () => {
        assert.equal(run("ok").status, 0);
        assert.equal(readFileSync(join(dir, "args"), "utf8"), "bucket /mnt/bucket -o ro,--endpoint=http://s3\n");
    });

    it("accepts the mount the child made after its parent died in the race", () => {
        const result = run("race");
        assert.equal(result.status, 0, result.stderr);
        assert.match(result.stderr, /\/mnt\/bucket is mounted although geesefs's starter died/);
    });

    it("fails at once, with geesefs's own message, when geesefs refuses the mount", () => {
        const result = run("refused");
        assert.equal(result.status, 1);
        assert.match(result.stderr, /access denied/);
        assert.ok(result.seconds < 1, `took ${result.seconds} s`);
    });

    it("fails after its wait when geesefs died and nothing was mounted", () => {
        const result = run("crash");
        assert.equal(result.status, 2);
        assert.ok(result.seconds >= 2, `gave up after ${result.seconds} s`);
    });

    it("in the foreground (a systemd service), a geesefs that dies fails at once, its mount still in the table", () => {
        const result = run("panic", "ro,--endpoint=http://s3,-f");
        assert.equal(result.status, 2, result.stderr);
        assert.doesNotMatch(result.stderr, /daemonize race/);
        assert.ok(result.seconds < 1, `took ${result.seconds} s`);
    });

    it("is installed by the install script, byte for byte", () => {
        const script = renderInstallScript(plan.install);
        assert.ok(script.includes(quote(renderMountHelper())), "the helper is written by the install script");
        execFileSync("sh", ["-n"], { input: renderMountHelper() });
    });
});
