// Faults on a host, end to end on the testbed, each checked for lost data (every object of the
// test's buckets compared before and after): geesefs killed with SIGKILL and hung with SIGSTOP (healed
// with no Pulumi run), a user's deliberate umount (left alone), MOUNT_CACHED's cache file system full,
// two stacks on one bucket (destroying one keeps the other's volumes), the bucket's keys rotated (the
// old secret gone from the host), and destroy with a process holding a file open. One stack spans h1
// (no init system: the supervisor heals, fstab is the boot entry) and s1 (booting systemd: each bucket
// is a service, whose unit restarts a killed geesefs), and every row puts its fault to both at once.
// Times are measured on the host and printed, for docs/RELIABILITY.md.
import { GetObjectCommand } from "@aws-sdk/client-s3";
import { Stack } from "@pulumi/pulumi/automation";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { SUPERVISOR, SUPERVISOR_LOG } from "../../src/hostScripts/hostPaths";
import { SUPERVISOR_SERVICE } from "../../src/hostScripts/systemdUnits";
import { fuseMountDir } from "./support/hostMounts";
import { alive, ELAPSED_MS, hostFaultsBed, report } from "./support/hostFaultsBed";
import { removeMinioUser } from "./support/minioAdmin";
import { eventually, onHost, requireTestbed, TestbedHost } from "./support/testbed";

const isSystemd = (host: TestbedHost) => host.init === "systemd";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("host faults on the testbed, on a host of each kind", () => {
    const testbed = requireTestbed();
    const bed = hostFaultsBed(testbed);
    const { hosts, data, cached, paths, keys } = bed;
    let stackA: Stack;

    /** Runs a row's fault on every host at once. */
    const onEach = (row: (host: TestbedHost) => Promise<void>) => Promise.all(hosts.map(row));
    const heals = async (host: TestbedHost) =>
        (await bed.supervisorLog(host)).split("\n").filter((l) => l.includes(`healed ${bed.fuseDir(host)} `)).length;

    before(async () => {
        assert.ok(testbed.systemdHosts[0], "the testbed needs a systemd host: up --systemd-hosts 1");
        await bed.setUp();
        stackA = await bed.stackNamed("faults-a", bed.volumes, keys[0]);
    });

    after(() => bed.tearDown());

    it("up mounts the volumes, puts them under the supervisor (and on systemd each bucket under its service), and a second up runs no remote command", async () => {
        assert.equal((await stackA.up()).summary.result, "succeeded");
        await onEach(async (host) => {
            const dir = await bed.mountedDir(host, data);
            assert.match(dir, /^\/var\/lib\/skymount\/mnt\//, host.name);
            bed.setFuseDir(host, dir);
            // Its boot entry: an fstab line without an init system, its service's unit on systemd.
            assert.equal(await fuseMountDir(host, data), dir, host.name);
            assert.equal(await onHost(host, `cat ${paths.data}/x.txt`), "x");
            const status = await onHost(host, `${SUPERVISOR} status`);
            assert.match(status, /^running: \d+/);
            assert.ok(status.includes(`supervises ${dir}`), status);
            if (isSystemd(host)) {
                assert.equal(await bed.show(host, bed.unit(host), "ActiveState"), "active");
                assert.equal(await bed.show(host, SUPERVISOR_SERVICE, "ActiveState"), "active");
            }
        });
        const result = await stackA.up();
        assert.equal(result.summary.resourceChanges?.update ?? 0, 0);
        assert.equal(result.summary.resourceChanges?.create ?? 0, 0);
    });

    it("geesefs killed with SIGKILL: reads and writes are served again within 15 s, with no Pulumi command (the supervisor heals it; on systemd, its unit)", async () => {
        const before = await bed.objects();
        await onEach(async (host) => {
            const pids = await bed.pidsOf(host);
            assert.match(pids, /^\d+$/, `${host.name}: exactly this mount's geesefs`);
            const restarts = isSystemd(host) ? Number(await bed.show(host, bed.unit(host), "NRestarts")) : 0;
            // Killed, then the volume is read until it answers again: all on the host, so the time is the host's.
            const healedMs = Number(
                await bed.sh(
                    host,
                    [
                        `t0=$(date +%s%N); kill -9 ${pids}`,
                        `while timeout 2 cat ${paths.data}/x.txt > /dev/null 2>&1; do sleep 0.05; [ ${ELAPSED_MS} -lt 10000 ] || break; done`,
                        // Both volumes: the read-only one and the writable one, each a bind mount into the dead mount.
                        `until timeout 2 cat ${paths.data}/x.txt > /dev/null 2>&1 && timeout 2 ls ${paths.out} > /dev/null 2>&1; do sleep 0.1; [ ${ELAPSED_MS} -lt 60000 ] || break; done`,
                        `echo ${ELAPSED_MS}`,
                    ].join("\n"),
                ),
            );
            report(host, `SIGKILL of geesefs: reads served again after ${healedMs} ms`);
            await bed.diagnose(host, "after the SIGKILL heal");
            assert.ok(healedMs < 15_000, `${host.name} healed after ${healedMs} ms`);
            const now = await bed.pidsOf(host);
            assert.match(now, /^\d+$/, `${host.name}: one new geesefs serves the mount`);
            assert.notEqual(now, pids);
            // The bind mounts into the dead mount were re-made: the writable one writes into the bucket.
            await onHost(host, `echo after-kill > ${paths.out}/after-kill-${host.name}.txt`);
            if (isSystemd(host)) {
                // Restart=on-failure: systemd restarted the service, whose ExecStartPost re-made the binds.
                assert.ok(Number(await bed.show(host, bed.unit(host), "NRestarts")) > restarts, `${host.name}: restarted by its unit`);
                assert.equal(await bed.show(host, bed.unit(host), "ActiveState"), "active");
            } else {
                assert.match(
                    await bed.supervisorLog(host),
                    new RegExp(
                        `healed ${bed.fuseDir(host)} \\(geesefs died: Transport endpoint is not connected\\): remounted in \\d+ ms; bind mounts re-made: `,
                    ),
                );
            }
        });
        await bed.assertNothingLost(
            before,
            hosts.map((host) => `${data}/out/after-kill-${host.name}.txt`),
        );
    });

    it("geesefs hung (SIGSTOP): killed and remounted by the supervisor (on systemd, through its service)", async () => {
        const before = await bed.objects();
        await onEach(async (host) => {
            const pids = await bed.pidsOf(host);
            assert.match(pids, /^\d+$/, `${host.name}: exactly this mount's geesefs`);
            const healedMs = Number(
                await bed.sh(
                    host,
                    [
                        `t0=$(date +%s%N); kill -STOP ${pids}`,
                        `until timeout 2 cat ${paths.data}/x.txt > /dev/null 2>&1; do sleep 0.1; [ ${ELAPSED_MS} -lt 90000 ] || break; done`,
                        `echo ${ELAPSED_MS}`,
                    ].join("\n"),
                ),
            );
            report(host, `hung geesefs (SIGSTOP): reads served again after ${healedMs} ms`);
            await bed.diagnose(host, "after the hang heal");
            assert.ok(healedMs < 30_000, `${host.name} healed after ${healedMs} ms`);
            await eventually(
                `${host.name}: the hung geesefs is gone`,
                async () => assert.equal(await onHost(host, alive(pids)), ""),
                10_000,
            );
            assert.match(
                await bed.supervisorLog(host),
                new RegExp(`healed ${bed.fuseDir(host)} \\(geesefs did not answer for \\d+ checks\\)`),
            );
            if (isSystemd(host)) assert.equal(await bed.show(host, bed.unit(host), "ActiveState"), "active");
        });
        assert.deepEqual(await bed.objects(), before);
    });

    it("a user's deliberate umount is left alone (on systemd, its service stays stopped)", async () => {
        await onEach(async (host) => {
            const dir = bed.fuseDir(host);
            const healed = await heals(host);
            await onHost(host, `umount ${paths.data} ${paths.out} && umount ${dir}`);
            await sleep(10_000);
            assert.equal(await onHost(host, `grep -c " ${dir} " /proc/mounts || true`), "0", `${host.name}: still unmounted`);
            assert.equal(await heals(host), healed, `${host.name}: no heal`);
            if (isSystemd(host)) {
                // Its ExecStop tolerates the mount already gone: neither failed nor restarted.
                assert.equal(await bed.show(host, bed.unit(host), "ActiveState"), "inactive");
                // Back as the user would bring it back: its service, then the binds from fstab.
                await onHost(host, `systemctl restart ${bed.unit(host)} && mount ${paths.data} && mount ${paths.out}`);
            } else {
                // Back as the user would bring it back: from fstab.
                await onHost(host, `mount ${dir} < /dev/null > /dev/null 2>&1 && mount ${paths.data} && mount ${paths.out}`);
            }
            assert.equal(await onHost(host, `cat ${paths.data}/x.txt`), "x");
        });
    });

    it("MOUNT_CACHED's cache file system full: reads are still served, and the supervisor says so", async () => {
        const before = await bed.objects();
        const md5 = createHash("md5").update(bed.fresh).digest("hex");
        await onEach(async (host) => {
            const cachedDir = await bed.mountedDir(host, cached);
            const cacheDir = `/var/cache/skymount/${cachedDir.slice(-10)}`;
            assert.equal(await onHost(host, `mountpoint -q ${cacheDir} && echo cache`), "cache");
            const filledMs = Number(
                await onHost(
                    host,
                    [
                        `dd if=/dev/zero of=${cacheDir}/skymount-test-filler bs=1M 2> /dev/null; t0=$(date +%s%N)`,
                        `df --output=pcent ${cacheDir} | tail -n 1 >&2`,
                        `until grep -q "cache of ${cachedDir} is full" ${SUPERVISOR_LOG}; do sleep 0.2; [ ${ELAPSED_MS} -lt 30000 ] || break; done`,
                        `echo ${ELAPSED_MS}`,
                    ].join("\n"),
                ),
            );
            report(host, `cache file system full: logged after ${filledMs} ms`);
            assert.ok(filledMs < 10_000, `${host.name}: logged after ${filledMs} ms`);
            assert.equal(await onHost(host, `md5sum < ${paths.cached}/fresh.bin | cut -d' ' -f1`), md5);
            assert.equal((await onHost(host, `wc -c < ${paths.cached}/weights.bin`)).trim(), String(1 << 20));
            assert.match(await bed.supervisorLog(host), new RegExp(`cache of ${cachedDir} is full \\(${cacheDir}: \\d+% used`));
            await onHost(host, `rm -f ${cacheDir}/skymount-test-filler`);
            await eventually(
                `${host.name}: the cache has room again`,
                async () => assert.match(await bed.supervisorLog(host), /has room again/),
                15_000,
            );
        });
        assert.deepEqual(await bed.objects(), before);
    });

    it("two stacks on one bucket: destroying one keeps the other's volumes", async () => {
        const pids = new Map(await Promise.all(hosts.map(async (host) => [host.name, await bed.pidsOf(host)] as const)));
        // The same mount options as stack A's (a writable volume on the bucket, the same keys): one FUSE mount.
        const stackB = await bed.stackNamed("faults-b", [{ bucket: data, mount: paths.other, prefix: "b", readOnly: false }], keys[0]);
        assert.equal((await stackB.up()).summary.result, "succeeded");
        await onEach(async (host) => {
            await onHost(host, `echo from-b > ${paths.other}/b-${host.name}.txt`);
            // One holder per volume on the bucket: stack A's two (data and out) and stack B's one.
            assert.equal(await onHost(host, `ls /var/lib/skymount/holders/${bed.fuseDir(host).slice(-10)} | wc -l`), "3");
            assert.equal(await bed.pidsOf(host), pids.get(host.name), `${host.name}: one FUSE mount, shared`);
        });
        const before = await bed.objects();
        assert.equal((await stackB.destroy()).summary.result, "succeeded");
        await onEach(async (host) => {
            assert.equal(await onHost(host, `cat ${paths.data}/x.txt`), "x");
            await onHost(host, `echo after-b > ${paths.out}/after-b-${host.name}.txt && cat ${paths.out}/after-b-${host.name}.txt`);
            assert.equal(await bed.pidsOf(host), pids.get(host.name), `${host.name}: stack A's mount was not touched`);
            assert.equal(await onHost(host, `ls -d ${paths.other} 2>/dev/null || echo gone`), "gone");
        });
        // Stack B's files are still in the bucket.
        await bed.assertNothingLost(
            before,
            hosts.map((host) => `${data}/out/after-b-${host.name}.txt`),
        );
    });

    it("keys rotated: the host's credentials change, the mount drains and comes back, the old secret is gone", async () => {
        await onEach(async (host) => {
            await onHost(host, `printf 'written with key 1\\n' > ${paths.out}/rotation-${host.name}.txt`);
        });
        const before = await bed.objects();
        const oldPids = new Map(await Promise.all(hosts.map(async (host) => [host.name, await bed.pidsOf(host)] as const)));
        await stackA.setConfig("accessKey", { value: keys[1].accessKey });
        await stackA.setConfig("secretKey", { value: keys[1].secretKey, secret: true });
        const started = Date.now();
        const result = await stackA.up();
        for (const host of hosts) report(host, `keys rotated: up (both hosts) took ${Date.now() - started} ms`);
        assert.equal(result.summary.result, "succeeded");
        // Key 1 is gone from the store: only key 2 can serve what follows.
        await removeMinioUser(testbed, keys[0].accessKey);
        await onEach(async (host) => {
            assert.equal(await onHost(host, alive(oldPids.get(host.name)!)), "", `${host.name}: the old geesefs drained and exited`);
            assert.equal(await onHost(host, `cat ${paths.out}/rotation-${host.name}.txt`), "written with key 1");
            assert.equal(await onHost(host, `cat ${paths.data}/x.txt`), "x");
            // One mount at each volume's path: on systemd the binds' units, restarted with the service,
            // once mounted a second one over the one the mount script re-made (destroy left it behind).
            assert.equal(await onHost(host, `grep -c " ${paths.data} \\| ${paths.out} " /proc/mounts`), "2", host.name);
            await onHost(host, `echo written-with-key-2 > ${paths.out}/rotated-${host.name}.txt`);
            // The old secret nowhere on the host: files, fstab, units, logs, command lines.
            const found = await bed.filesHolding(host, keys[0].secretKey);
            assert.equal(found, "", `the old secret is still on ${host.name}: ${found}`);
        });
        await bed.assertNothingLost(
            before,
            hosts.map((host) => `${data}/out/rotated-${host.name}.txt`),
        );
    });

    it("destroy with a busy mount: finishes, warns, and what the busy process writes still reaches the bucket", async () => {
        const done = (host: TestbedHost) => `/tmp/${path.basename(bed.base)}-busy-done-${host.name}`;
        await onEach(async (host) => {
            await onHost(
                host,
                `setsid sh -c 'exec 3>> ${paths.out}/busy-${host.name}.txt; echo before >&3; sleep 30; echo after >&3; exec 3>&-; touch ${done(host)}' < /dev/null > /dev/null 2>&1 &`,
            );
        });
        await sleep(1000);
        const started = Date.now();
        const result = await stackA.destroy();
        const took = Date.now() - started;
        for (const host of hosts) report(host, `destroy with a busy mount (both hosts): ${took} ms`);
        assert.equal(result.summary.result, "succeeded");
        assert.ok(took < 120_000, `destroy took ${took} ms`);
        await onEach(async (host) => {
            // The busy process goes on writing into the detached volume; its close uploads the file.
            await eventually(`${host.name}: the busy writer finished`, () => onHost(host, `test -f ${done(host)}`), 60_000);
            await eventually(
                `busy-${host.name}.txt in the bucket`,
                async () => {
                    const object = await bed.s3.send(new GetObjectCommand({ Bucket: data, Key: `out/busy-${host.name}.txt` }));
                    assert.equal(await object.Body!.transformToString(), "before\nafter\n");
                },
                30_000,
            );
            // Nothing of the stack is left on the host once the file is closed.
            await eventually(`${host.name}: geesefs exited`, async () => assert.equal(await bed.pidsOf(host), ""), 30_000);
            const id = bed.fuseDir(host).slice(-10);
            assert.equal(await onHost(host, `grep -c "${data}\\|${cached}" /proc/mounts || true`), "0");
            assert.equal(await onHost(host, `grep -c "${id}" /etc/fstab || true`), "0");
            assert.equal(
                await onHost(host, `ls /var/lib/skymount/holders/${id} /var/lib/skymount/supervised/${id} 2>/dev/null | wc -l`),
                "0",
            );
            assert.equal(await onHost(host, `ls -d ${paths.data} ${paths.out} ${paths.cached} 2>/dev/null || true`), "");
            if (isSystemd(host))
                assert.equal(await bed.show(host, bed.unit(host), "LoadState"), "not-found", `${host.name}: its unit is gone`);
        });
    });
});
