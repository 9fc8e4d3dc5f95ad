// The supervisor's lookup probe on real mounts, on a host without an init system (h1) and one booting
// systemd (s1): a geesefs whose requests to its store hang while the store answers the host is
// found stuck and healed (a remount on h1, a restart of its unit on s1), and while the store is down
// for everyone nothing is healed. The store is the testbed's S3 server behind a proxy the test
// stalls for every client but curl, or stops (support/stallingProxy.ts). The supervisor is installed
// with short timings (5 s between lookups, 20 s and 15 s for them: geesefs's own HTTP timeout is
// 30 s, so a stalled request still outlasts them), then put back as the install wrote it.
// Times are printed as "[figure]" lines, for docs/RELIABILITY.md.
import { CreateBucketCommand, DeleteBucketCommand, DeleteObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import type { Stack } from "@pulumi/pulumi/automation";
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { FSTAB_FUNCTIONS } from "../../src/hostScripts/fstab";
import { SUPERVISOR, SUPERVISOR_LOG } from "../../src/hostScripts/hostPaths";
import { MOUNT_FUNCTIONS } from "../../src/hostScripts/mountFunctions";
import { renderSupervisor } from "../../src/hostScripts/supervisor";
import { SUPERVISOR_SERVICE } from "../../src/hostScripts/systemdUnits";
import { fuseMountDir } from "./support/hostMounts";
import { startStallingProxy, StallingProxy } from "./support/stallingProxy";
import { eventually, onHost, requireTestbed, s3ClientFor, stackFor, TestbedHost, uniqueName } from "./support/testbed";

const FAST = { intervalSeconds: 5, lookupSeconds: 20, confirmSeconds: 15, storeSeconds: 3 };
const FUNCTIONS = [...FSTAB_FUNCTIONS, ...MOUNT_FUNCTIONS].join("\n");

function report(row: string): void {
    console.log(`[figure] ${row}`);
}

describe("the supervisor's lookup probe", () => {
    const testbed = requireTestbed();
    const [h1] = testbed.hosts;
    const [s1] = testbed.systemdHosts;
    const hosts = [h1, s1];
    const s3 = s3ClientFor(testbed);
    const bucket = uniqueName("lookup");
    const volume = `/${bucket}`;
    let proxy: StallingProxy;
    let stack: Stack;
    let backendDir: string;
    /** Each host's FUSE mount of the bucket. */
    const dirs = new Map<TestbedHost, string>();

    /** Installs a supervisor program on the host and restarts it. */
    const installSupervisor = async (host: TestbedHost, text: string) => {
        const file = `${SUPERVISOR}.new`;
        await onHost(
            host,
            `echo ${Buffer.from(text).toString("base64")} | base64 -d > ${file} && chmod 0755 ${file} && mv -f ${file} ${SUPERVISOR}`,
        );
        await onHost(
            host,
            host.init === "systemd" ? `systemctl restart ${SUPERVISOR_SERVICE}` : `${SUPERVISOR} stop && ${SUPERVISOR} start`,
        );
    };
    const pids = (host: TestbedHost) => onHost(host, `${FUNCTIONS}\ngeesefs_pids ${dirs.get(host)}`);
    /** The supervisor's log lines from line `from` on. */
    const logSince = async (host: TestbedHost, from: number) => (await onHost(host, `tail -n +${from + 1} ${SUPERVISOR_LOG}`)) + "\n";
    const logLength = async (host: TestbedHost) => Number(await onHost(host, `wc -l < ${SUPERVISOR_LOG}`));
    /** Waits until the host's log from line `from` on matches; returns when. */
    const logged = async (host: TestbedHost, from: number, pattern: RegExp, timeoutMs: number) => {
        await eventually(`${host.name}: ${pattern}`, async () => assert.match(await logSince(host, from), pattern), timeoutMs);
        return Date.now();
    };
    const serves = (host: TestbedHost) =>
        eventually(`${host.name} serves ${volume}`, async () => assert.equal(await onHost(host, `cat ${volume}/data.txt`), "data"), 90_000);

    before(async () => {
        assert.ok(h1 && s1, "the testbed needs a host and a systemd host: up --hosts 1 --systemd-hosts 1");
        await s3.send(new CreateBucketCommand({ Bucket: bucket }));
        await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "data.txt", Body: "data\n" }));
        proxy = await startStallingProxy(testbed.s3.endpoint);
        ({ stack, backendDir } = await stackFor("volumes", {
            volumes: JSON.stringify([{ bucket, mount: volume }]),
            hosts: hosts.map((h) => h.name).join(","),
            endpoint: proxy.endpoint,
        }));
        assert.equal((await stack.up()).summary.result, "succeeded");
        for (const host of hosts) {
            dirs.set(host, await fuseMountDir(host, bucket));
            await installSupervisor(host, renderSupervisor({ lookupProbe: FAST }));
        }
    });

    after(async () => {
        proxy?.stall(false);
        await proxy?.start().catch(() => undefined);
        for (const host of hosts) await installSupervisor(host, renderSupervisor()).catch(() => undefined);
        await stack?.destroy().catch(() => undefined);
        await stack?.workspace.removeStack("e2e").catch(() => undefined);
        if (backendDir) rmSync(backendDir, { recursive: true, force: true });
        await proxy?.close();
        await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: "data.txt" })).catch(() => undefined);
        await s3.send(new DeleteBucketCommand({ Bucket: bucket })).catch(() => undefined);
    });

    it("lookups that hang while the store answers the host: found stuck and healed, on both kinds of host", async () => {
        const before = new Map<TestbedHost, { pids: string; log: number }>();
        for (const host of hosts) before.set(host, { pids: await pids(host), log: await logLength(host) });
        const stalledAt = Date.now();
        proxy.stall(true);
        try {
            await Promise.all(
                hosts.map(async (host) => {
                    const dir = dirs.get(host)!;
                    const at = await logged(
                        host,
                        before.get(host)!.log,
                        new RegExp(
                            `${dir}: stuck: lookups under it did not answer in 20 s, then 15 s, while its store ${proxy.endpoint} answered \\(HTTP \\d+\\)`,
                        ),
                        180_000,
                    );
                    report(`${host.name}: found stuck ${at - stalledAt} ms after its store stalled`);
                }),
            );
        } finally {
            proxy.stall(false);
        }
        for (const host of hosts) {
            const dir = dirs.get(host)!;
            await logged(
                host,
                before.get(host)!.log,
                new RegExp(`healed ${dir} \\(lookups under it hang while its store ${proxy.endpoint} answers\\): remounted in \\d+ ms`),
                120_000,
            );
            await serves(host);
            report(`${host.name}: serves again ${Date.now() - stalledAt} ms after its store stalled`);
            // A new geesefs: the stuck one was killed.
            const now = await pids(host);
            assert.ok(now && now !== before.get(host)!.pids, `${host.name}: geesefs ${before.get(host)!.pids} → ${now}`);
        }
    });

    it("the store stopped for everyone: lookups hang, nothing is healed, the same geesefs serves once it is back", async () => {
        const before = new Map<TestbedHost, { pids: string; log: number }>();
        for (const host of hosts) before.set(host, { pids: await pids(host), log: await logLength(host) });
        await proxy.stop();
        try {
            await Promise.all(
                hosts.map((host) =>
                    logged(
                        host,
                        before.get(host)!.log,
                        new RegExp(
                            `${dirs.get(host)}: a lookup under it did not answer in 20 s, nor did its store ${proxy.endpoint}: left alone`,
                        ),
                        120_000,
                    ),
                ),
            );
        } finally {
            await proxy.start();
        }
        for (const host of hosts) {
            await serves(host);
            assert.doesNotMatch(await logSince(host, before.get(host)!.log), /stuck|healed|Killed/);
            assert.equal(await pids(host), before.get(host)!.pids, `${host.name}: the same geesefs`);
        }
    });
});
