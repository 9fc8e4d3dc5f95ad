// SkyVolume on a host that boots systemd as PID 1 (the testbed's s1), where skymount takes its
// production path: a service per bucket (skymount-<id>.service, Restart=on-failure), bind mounts in
// fstab that require it, the supervisor as a service. Install; MOUNT, writable MOUNT, MOUNT_CACHED and
// COPY volumes; geesefs killed (restarted by its unit) and hung (killed by the supervisor, restarted
// by its unit); refresh after the faults; a reboot of the host (systemd brings the buckets back, then
// the binds, in that order); destroy leaves no unit, fstab line or credentials file. The stack logs
// in as \`ubuntu\`, a user that reaches root through sudo, as on every cloud image (root logins to
// systemd hosts are what the other host tests use): the volumes are its own, and its account, made in
// the host's root, survives the reboot.
// Times are measured on the host and printed, for docs/RELIABILITY.md.
import { CreateBucketCommand, DeleteBucketCommand, DeleteObjectsCommand, ListObjectsV2Command, PutObjectCommand } from "@aws-sdk/client-s3";
import type { Stack } from "@pulumi/pulumi/automation";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { SUPERVISOR_LOG } from "../../src/hostScripts/hostPaths";
import { SUPERVISOR_SERVICE } from "../../src/hostScripts/systemdUnits";
import { eventually, onHost, requireTestbed, s3ClientFor, stackFor, uniqueName } from "./support/testbed";

/** The stack's SSH login on the host: not root, with passwordless sudo. */
const LOGIN = "ubuntu";

/** Milliseconds since $t0 (set with t0=$(date +%s%N)), on the host. */
const ELAPSED_MS = "$(( ($(date +%s%N) - t0) / 1000000 ))";

function report(row: string): void {
    console.log(`[figure] systemd host: ${row}`);
}

describe("SkyVolume on a host that boots systemd", () => {
    const testbed = requireTestbed();
    const host = testbed.systemdHosts[0];
    const s3 = s3ClientFor(testbed);
    const data = uniqueName("sddata");
    const cached = uniqueName("sdcache");
    const volumes = [
        { bucket: data, mount: "/sd-data", prefix: "data" },
        { bucket: data, mount: "/sd-out", prefix: "out", readOnly: false },
        { bucket: cached, mount: "/sd-cached", mode: "MOUNT_CACHED" },
        { bucket: data, mount: "/sd-copy", prefix: "data", mode: "COPY" },
    ];
    const weights = randomBytes(1 << 20);
    let stack: Stack;
    let backendDir: string;

    const on = (command: string) => onHost(host, command);
    /** Runs `command` on the host as the login user (root's probe, through runuser). */
    const asLogin = (command: string) => on(`runuser -u ${LOGIN} -- sh -c '${command}'`);
    /** The unit that runs geesefs for `bucket` (its Description names the bucket). */
    const unitOf = async (bucket: string) => {
        const file = await on(`grep -l '^Description=skymount: bucket ${bucket} at ' /etc/systemd/system/skymount-*.service`);
        return file.split("/").pop()!;
    };
    const show = async (unit: string, property: string) => on(`systemctl show -p ${property} --value ${unit}`);
    const state = () => on("systemctl is-system-running --wait; systemctl --failed --no-legend --plain");

    before(async () => {
        assert.ok(host, "the testbed needs a systemd host: up --systemd-hosts 1");
        for (const bucket of [data, cached]) await s3.send(new CreateBucketCommand({ Bucket: bucket }));
        await s3.send(new PutObjectCommand({ Bucket: data, Key: "data/x.txt", Body: "x\n" }));
        await s3.send(new PutObjectCommand({ Bucket: cached, Key: "weights.bin", Body: weights }));
        // As on cloud images: an account with no password (not locked: sshd without PAM refuses a
        // locked one) that logs in with the testbed's key and reaches root through sudo.
        await on(
            [
                `id ${LOGIN} > /dev/null 2>&1 || useradd -m -s /bin/bash -p '*' ${LOGIN}`,
                `echo '${LOGIN} ALL=(ALL) NOPASSWD:ALL' > /etc/sudoers.d/${LOGIN} && chmod 0440 /etc/sudoers.d/${LOGIN}`,
            ].join(" && "),
        );
        ({ stack, backendDir } = await stackFor("systemd", { volumes: JSON.stringify(volumes), user: LOGIN }));
    });

    after(async () => {
        await stack?.destroy().catch(() => undefined);
        await stack?.workspace.removeStack("e2e").catch(() => undefined);
        if (backendDir) rmSync(backendDir, { recursive: true, force: true });
        for (const bucket of [data, cached]) {
            const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket })).catch(() => undefined);
            const keys = (listed?.Contents ?? []).map((o) => ({ Key: o.Key! }));
            if (keys.length) await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys } }));
            await s3.send(new DeleteBucketCommand({ Bucket: bucket })).catch(() => undefined);
        }
    });

    it("the host runs systemd as PID 1, with no failed unit", async () => {
        assert.equal(await on("ps -o comm= -p 1"), "systemd");
        assert.equal(await state(), "running");
    });

    it("up installs and mounts every kind of volume, each bucket a service of its own", async () => {
        const result = await stack.up();
        assert.equal(result.summary.result, "succeeded");
        assert.deepEqual(result.outputs.mounted.value, [
            `${host.name}:/sd-cached <- ${cached} (ro)`,
            `${host.name}:/sd-copy <- ${data}/data (copy)`,
            `${host.name}:/sd-data <- ${data}/data (ro)`,
            `${host.name}:/sd-out <- ${data}/out (rw)`,
        ]);
        assert.equal(await asLogin("cat /sd-data/x.txt"), "x");
        assert.equal(await asLogin("cat /sd-copy/x.txt"), "x");
        assert.equal(await asLogin("wc -c < /sd-cached/weights.bin"), String(1 << 20));
        await asLogin("echo from-s1 > /sd-out/hello.txt");
        // The login's own: owner-only modes, its files.
        assert.equal(
            await on("stat -c '%U %a' /sd-data /sd-out /sd-copy /sd-cached /sd-out/hello.txt"),
            [...Array(4).fill(`${LOGIN} 700`), `${LOGIN} 600`].join("\n"),
        );
        for (const bucket of [data, cached]) {
            const unit = await unitOf(bucket);
            assert.equal(await show(unit, "ActiveState"), "active", unit);
            assert.equal(await on(`systemctl is-enabled ${unit}`), "enabled", unit);
            assert.equal(await show(unit, "Restart"), "on-failure", unit);
            // The service mounts the bucket: no fstab entry of its own, which would mount it twice.
            assert.equal(await on(`grep -c '#${bucket} ' /etc/fstab || true`), "0", bucket);
        }
        // The binds require the bucket's service, so boot orders them after it.
        const dataUnit = await unitOf(data);
        for (const dir of ["/sd-data", "/sd-out"])
            assert.match(await on(`awk '$2 == "${dir}" { print $4 }' /etc/fstab`), new RegExp(`x-systemd\\.requires=${dataUnit}`));
        assert.equal(await show(SUPERVISOR_SERVICE, "ActiveState"), "active");
        assert.equal(await state(), "running");
    });

    it("a second up with no change runs no remote command", async () => {
        const pid = await show(await unitOf(data), "MainPID");
        const result = await stack.up();
        assert.equal(result.summary.resourceChanges?.update ?? 0, 0);
        assert.equal(result.summary.resourceChanges?.create ?? 0, 0);
        assert.equal(await show(await unitOf(data), "MainPID"), pid, "the mount was not redone");
    });

    it("geesefs killed with SIGKILL: its unit restarts it, reads and writes are served again", async () => {
        const unit = await unitOf(data);
        const pid = await show(unit, "MainPID");
        const restarts = Number(await show(unit, "NRestarts"));
        const healedMs = Number(
            await on(
                [
                    `t0=$(date +%s%N); kill -9 $(pgrep -P ${pid} -x geesefs || echo ${pid})`,
                    `while timeout 2 cat /sd-data/x.txt > /dev/null 2>&1; do sleep 0.05; [ ${ELAPSED_MS} -lt 10000 ] || break; done`,
                    `until timeout 2 cat /sd-data/x.txt > /dev/null 2>&1 && timeout 2 ls /sd-out > /dev/null 2>&1; do sleep 0.1; [ ${ELAPSED_MS} -lt 60000 ] || break; done`,
                    `echo ${ELAPSED_MS}`,
                ].join("\n"),
            ),
        );
        report(`SIGKILL of geesefs: reads served again after ${healedMs} ms`);
        assert.ok(healedMs < 15_000, `healed after ${healedMs} ms`);
        assert.equal(Number(await show(unit, "NRestarts")), restarts + 1, "restarted by systemd");
        assert.notEqual(await show(unit, "MainPID"), pid);
        await asLogin("echo after-kill > /sd-out/after-kill.txt");
        assert.equal(await asLogin("cat /sd-out/after-kill.txt"), "after-kill");
        assert.equal(await state(), "running");
    });

    it("geesefs hung (SIGSTOP): the supervisor kills it and its unit restarts it", async () => {
        const unit = await unitOf(data);
        const pid = await show(unit, "MainPID");
        const healedMs = Number(
            await on(
                [
                    `t0=$(date +%s%N); kill -STOP $(pgrep -P ${pid} -x geesefs || echo ${pid})`,
                    `until timeout 2 cat /sd-data/x.txt > /dev/null 2>&1; do sleep 0.1; [ ${ELAPSED_MS} -lt 90000 ] || break; done`,
                    `echo ${ELAPSED_MS}`,
                ].join("\n"),
            ),
        );
        report(`hung geesefs (SIGSTOP): reads served again after ${healedMs} ms`);
        assert.ok(healedMs < 30_000, `healed after ${healedMs} ms`);
        assert.notEqual(await show(unit, "MainPID"), pid);
        assert.match(await on(`cat ${SUPERVISOR_LOG}`), /did not answer/);
        assert.equal(await asLogin("cat /sd-out/after-kill.txt"), "after-kill");
    });

    it("refresh after the faults finds nothing to change, and up --refresh runs no command", async () => {
        const refreshed = await stack.refresh();
        assert.equal(refreshed.summary.result, "succeeded");
        assert.equal(refreshed.summary.resourceChanges?.update ?? 0, 0, JSON.stringify(refreshed.summary.resourceChanges));
        const result = await stack.up({ refresh: true });
        assert.equal(result.summary.resourceChanges?.update ?? 0, 0, JSON.stringify(result.summary.resourceChanges));
        assert.equal(result.summary.resourceChanges?.create ?? 0, 0, JSON.stringify(result.summary.resourceChanges));
    });

    it("a reboot: systemd mounts the buckets, then the binds, and every volume is served", async () => {
        await on("touch /run/skymount-test-before-reboot");
        const started = Date.now();
        await on("systemctl reboot").catch(() => undefined);
        // A new boot: /run is a fresh tmpfs, so the marker is gone.
        await eventually(
            "the host is back",
            async () => assert.equal(await on("ls /run/skymount-test-before-reboot 2>/dev/null || echo new-boot"), "new-boot"),
            90_000,
        );
        // Timed on the host: from the end of the boot (`running`) until every volume answers, with the
        // first refusal seen, if any.
        const served = await on(
            [
                "systemctl is-system-running --wait > /dev/null; t0=$(date +%s%N); first=",
                "reads() { cat /sd-data/x.txt && cat /sd-copy/x.txt && cat /sd-out/after-kill.txt && wc -c < /sd-cached/weights.bin; }",
                `until out=$(reads 2>&1); do first=\${first:-$out}; sleep 0.05; [ ${ELAPSED_MS} -lt 15000 ] || break; done`,
                `echo "${ELAPSED_MS} $(printf '%s' "\${first:-none}" | tr '\\n' ' ')"`,
            ].join("\n"),
        );
        report(
            `reboot: back to "running" after ${Date.now() - started} ms; every volume served ${served.split(" ")[0]} ms after "running" (first refusal: ${served.split(" ").slice(1).join(" ")})`,
        );
        assert.equal(await state(), "running");
        // The login's account lives on the host's disk (its overlay root), so it survived the boot.
        assert.equal(await asLogin("cat /sd-data/x.txt /sd-copy/x.txt /sd-out/after-kill.txt"), "x\nx\nafter-kill");
        assert.equal(await asLogin("wc -c < /sd-cached/weights.bin"), String(1 << 20));
        const unit = await unitOf(data);
        const serviceUp = Number(await show(unit, "ActiveEnterTimestampMonotonic"));
        for (const dir of ["/sd-data", "/sd-out"]) {
            const mountUnit = await on(`systemd-escape -p --suffix=mount ${dir}`);
            const bindUp = Number(await show(`'${mountUnit}'`, "ActiveEnterTimestampMonotonic"));
            assert.ok(serviceUp > 0 && bindUp >= serviceUp, `${mountUnit} (${bindUp}) after ${unit} (${serviceUp})`);
        }
        await asLogin("echo after-reboot > /sd-out/after-reboot.txt");
        const result = await stack.up({ refresh: true });
        assert.equal(result.summary.resourceChanges?.update ?? 0, 0, JSON.stringify(result.summary.resourceChanges));
    });

    it("destroy leaves no unit, fstab line, credentials file or mount, and every object in place", async () => {
        const result = await stack.destroy();
        assert.equal(result.summary.result, "succeeded");
        // The supervisor's service stays with the install (fuse3, geesefs, the helper), which destroy keeps.
        assert.equal(await on(`ls /etc/systemd/system | grep '^skymount-' | grep -vx ${SUPERVISOR_SERVICE} || true`), "");
        assert.equal(await on("grep -c skymount /etc/fstab /proc/mounts | grep -v ':0$' || true"), "");
        assert.equal(await on("ls -A /etc/skymount/credentials"), "");
        assert.equal(await on("ls -d /sd-data /sd-out /sd-cached /sd-copy 2>/dev/null || true"), "");
        assert.equal(await state(), "running");
        const keys = ((await s3.send(new ListObjectsV2Command({ Bucket: data }))).Contents ?? []).map((o) => o.Key).sort();
        assert.deepEqual(keys, ["data/x.txt", "out/", "out/after-kill.txt", "out/after-reboot.txt", "out/hello.txt"]);
    });
});
