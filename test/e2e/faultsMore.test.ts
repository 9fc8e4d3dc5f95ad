// Two more faults on the testbed's hosts, each checked for lost data (every object of the test's bucket
// and every file the test wrote through a volume, compared before and after): the last host's link cut
// while `up` runs (its commands wait for the host and `up` finishes once the link is back), and a
// geesefs killed with SIGKILL while the supervisor is stopped (nobody heals it: `pulumi refresh`
// reports exactly that host's mount and the volumes bound into it, and `up --refresh` repairs them).
// The stack spans h1 and h2 (no init system) and s1 (booting systemd): the link of h2 and s1 is cut
// together, and geesefs is killed on h1 and s1 together, where s1's unit restarts it all the same.
// Times are printed as "[figure]" lines, for docs/RELIABILITY.md.
import { CreateBucketCommand, DeleteBucketCommand, DeleteObjectsCommand, ListObjectsV2Command, PutObjectCommand } from "@aws-sdk/client-s3";
import type { EngineEvent, Stack } from "@pulumi/pulumi/automation";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { FSTAB_FUNCTIONS } from "../../src/hostScripts/fstab";
import { SUPERVISOR } from "../../src/hostScripts/hostPaths";
import { MOUNT_FUNCTIONS } from "../../src/hostScripts/mountFunctions";
import { SUPERVISOR_SERVICE } from "../../src/hostScripts/systemdUnits";
import { fuseMountDir } from "./support/hostMounts";
import { eventually, onHost, requireTestbed, s3ClientFor, stackFor, TestbedHost, uniqueName } from "./support/testbed";

/** The mount functions skymount's scripts use (geesefs_pids finds only this mount's geesefs). */
const FUNCTIONS = [...FSTAB_FUNCTIONS, ...MOUNT_FUNCTIONS].join("\n");
/** The longest the link stays down: a flapping link, not a host that is gone (well inside the 300 s
 *  dial timeout). Bounded by a minute, not less: on a busy 2-core machine the up took 21 s from its
 *  first resource to the cut hosts' first command. */
const MAX_LINK_DOWN_MS = 60_000;
/** How long the link stays down once the up has reached the cut host's first command. */
const LINK_DOWN_AFTER_FIRST_COMMAND_MS = 5_000;

interface StateResource {
    urn: string;
    outputs?: { drift?: string };
}

function report(row: string): void {
    console.log(`[figure] ${row}`);
}

describe("more host faults on the testbed", () => {
    const testbed = requireTestbed();
    const [h1, h2] = testbed.hosts;
    const [s1] = testbed.systemdHosts;
    const hosts = [h1, h2, s1];
    /** The hosts whose link is cut while `up` runs: one of each kind. */
    const cut = [h2, s1];
    const s3 = s3ClientFor(testbed);
    const bucket = uniqueName("fmore");
    const ro = `/${bucket}`;
    const rw = `/${bucket}-w`;
    const volumes = [
        { bucket, mount: ro },
        { bucket, mount: rw, prefix: "w", readOnly: false },
    ];
    // Per host: the install, and per volume its share of the bucket's FUSE mount and its bind mount; plus stack and component.
    const resourceCount = hosts.length * 5 + 2;
    /** What each host wrote through its writable volume, and what the bucket held from the start. */
    const written = new Map<string, string>();
    let stack: Stack;
    let backendDir: string;

    const link = (state: "up" | "down") => {
        for (const host of cut) execFileSync("ip", ["link", "set", host.netns, state]);
    };
    const sh = (host: TestbedHost, command: string) => onHost(host, `${FUNCTIONS}\n${command}`);
    const fuseDir = (host: TestbedHost) => fuseMountDir(host, bucket);
    const objects = async () => {
        const all: Record<string, string> = {};
        const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
        for (const o of listed.Contents ?? []) all[o.Key!] = `${o.Size}:${o.ETag}`;
        return all;
    };
    /** Every file the test wrote, read back through each host's volumes: "<host>:<key>" → content. */
    const hostFiles = async () => {
        const all: Record<string, string> = {};
        for (const host of hosts) {
            all[`${host.name}:data.txt`] = await onHost(host, `cat ${ro}/data.txt`);
            for (const key of written.keys()) all[`${host.name}:${key}`] = await onHost(host, `cat ${rw}/${key.replace(/^w\//, "")}`);
        }
        return all;
    };
    /** Resource names whose state records drift: "<host>-<kind>…". */
    const drifted = async () =>
        ((await stack.exportStack()).deployment.resources as StateResource[])
            .filter((r) => r.outputs?.drift)
            .map((r) => r.urn.split("::").pop()!.replace(/^vol-/, ""))
            .sort();

    before(async () => {
        assert.ok(h2 && s1, "the testbed needs two hosts and a systemd host: up --hosts 2 --systemd-hosts 1");
        await s3.send(new CreateBucketCommand({ Bucket: bucket }));
        await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "data.txt", Body: "data\n" }));
        ({ stack, backendDir } = await stackFor("volumes", {
            volumes: JSON.stringify(volumes),
            hosts: hosts.map((h) => h.name).join(","),
        }));
    });

    after(async () => {
        link("up");
        await onHost(h1, `${SUPERVISOR} start`).catch(() => undefined);
        await onHost(s1, `systemctl start ${SUPERVISOR_SERVICE}`).catch(() => undefined);
        await stack?.destroy().catch(() => undefined);
        await stack?.workspace.removeStack("e2e").catch(() => undefined);
        if (backendDir) rmSync(backendDir, { recursive: true, force: true });
        const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket })).catch(() => undefined);
        const keys = (listed?.Contents ?? []).map((o) => ({ Key: o.Key! }));
        if (keys.length) await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys } }));
        await s3.send(new DeleteBucketCommand({ Bucket: bucket })).catch(() => undefined);
    });

    it("a host's link cut while up runs: its commands wait for it, and up succeeds once the link is back", async () => {
        const cutNames = cut.map((host) => `vol-${host.name}-`);
        const onCutHost = (urn: string) => cutNames.some((name) => urn.split("::").pop()!.startsWith(name));
        let firstCommandAt = 0;
        let restoredAt: number;
        /** When each of the cut hosts' commands finished (resource name → ms since the epoch). */
        const finished = new Map<string, number>();
        let cutAt = 0;
        const onEvent = (event: EngineEvent) => {
            const pre = event.resourcePreEvent?.metadata;
            // Cut once the engine has run the program (its first resource), before any command: the
            // program's start, slow on a busy machine, is not counted as the link's time down.
            if (pre && !cutAt) {
                cutAt = Date.now();
                link("down");
            }
            if (pre && onCutHost(pre.urn)) firstCommandAt ||= Date.now();
            const outputs = event.resOutputsEvent?.metadata;
            if (outputs && onCutHost(outputs.urn)) finished.set(outputs.urn.split("::").pop()!, Date.now());
        };
        let upDone = false;
        let upError: Error | undefined;
        const started = Date.now();
        try {
            const up = stack.up({ onEvent }).then(
                (r) => r,
                (err: Error) => {
                    upError = err;
                    return undefined;
                },
            );
            void up.finally(() => (upDone = true));
            // Down until the up has been at the cut hosts' first command for a while (bounded).
            while (!upDone && (!cutAt || Date.now() - cutAt < MAX_LINK_DOWN_MS)) {
                if (firstCommandAt && Date.now() - firstCommandAt >= LINK_DOWN_AFTER_FIRST_COMMAND_MS) break;
                await new Promise((r) => setTimeout(r, 100));
            }
            link("up");
            restoredAt = Date.now();
            const result = await up;
            const tookMs = Date.now() - started;
            report(
                `link of ${cut.map((h) => h.name).join(" and ")} down ${restoredAt - cutAt} ms (its first command began ${firstCommandAt - cutAt} ms after the cut); ` +
                    `up ${upError ? "failed" : "succeeded"} after ${tookMs} ms, ${Date.now() - restoredAt} ms after the link was back`,
            );
            assert.equal(upError, undefined, `up failed: ${upError?.message}`);
            assert.equal(result?.summary.result, "succeeded");
            // The fault really met a command: the cut hosts' first command began while their link was down,
            // and none of their commands finished before the link came back.
            assert.ok(
                firstCommandAt > 0 && firstCommandAt < restoredAt,
                "the up reached the cut hosts' commands while their link was down",
            );
            assert.equal(finished.size, 5 * cut.length, [...finished.keys()].join(", "));
            for (const [name, at] of finished) assert.ok(at >= restoredAt, `${name} finished before the link was back`);
        } finally {
            link("up");
        }
        // Everything is mounted on every host, and writes through any host reach the bucket.
        for (const host of hosts) {
            assert.equal(await onHost(host, `cat ${ro}/data.txt`), "data");
            const key = `w/from-${host.name}.txt`;
            written.set(key, `written on ${host.name}`);
            await onHost(host, `echo "${written.get(key)}" > ${rw}/from-${host.name}.txt`);
        }
        const now = await objects();
        // "w/" is the writable volume's prefix, made by its bind mount's script.
        assert.deepEqual(Object.keys(now).sort(), ["data.txt", "w/", ...written.keys()].sort());
        // Each host sees what the others wrote (once the writable mount's 1 s stat cache has passed).
        await eventually("each host sees both files", hostFiles, 15_000);
        // A second up changes nothing.
        const again = await stack.up();
        assert.deepEqual(again.summary.resourceChanges, { same: resourceCount });
        assert.deepEqual(await objects(), now);
        const files = await hostFiles();
        for (const host of hosts) for (const [key, text] of written) assert.equal(files[`${host.name}:${key}`], text);
    });

    it("geesefs killed with SIGKILL while the supervisor is stopped: refresh reports that host's mount, up --refresh repairs it; on systemd its unit restarts it", async () => {
        // From wherever the previous test left the stack: converged.
        assert.equal((await stack.up()).summary.result, "succeeded");
        const dir = await fuseDir(h1);
        const dirS1 = await fuseDir(s1);
        for (const d of [dir, dirS1]) assert.match(d, /^\/var\/lib\/skymount\/mnt\//);
        const objectsBefore = await objects();
        const filesBefore = await hostFiles();
        try {
            await onHost(h1, `${SUPERVISOR} stop`);
            assert.match(await onHost(h1, `${SUPERVISOR} status`), /^not running/);
            await onHost(s1, `systemctl stop ${SUPERVISOR_SERVICE}`);
            assert.equal(await onHost(s1, `systemctl is-active ${SUPERVISOR_SERVICE} || true`), "inactive");
            const pids = (await sh(h1, `geesefs_pids ${dir}`)).split("\n").filter(Boolean);
            assert.equal(pids.length, 1, `exactly this mount's geesefs: ${pids.join(" ")}`);
            const pidsS1 = (await sh(s1, `geesefs_pids ${dirS1}`)).split("\n").filter(Boolean);
            assert.equal(pidsS1.length, 1, `exactly this mount's geesefs on s1: ${pidsS1.join(" ")}`);
            await onHost(h1, `kill -9 ${pids[0]}`);
            // On s1, timed on the host: from the kill until both volumes answer again (its unit's restart).
            const healedMs = Number(
                await onHost(
                    s1,
                    [
                        `t0=$(date +%s%N); kill -9 ${pidsS1[0]}`,
                        "ms() { echo $(( ($(date +%s%N) - t0) / 1000000 )); }",
                        `while timeout 2 cat ${ro}/data.txt > /dev/null 2>&1; do sleep 0.05; [ $(ms) -lt 10000 ] || break; done`,
                        `until timeout 2 cat ${ro}/data.txt > /dev/null 2>&1 && timeout 2 ls ${rw} > /dev/null 2>&1; do sleep 0.1; [ $(ms) -lt 60000 ] || break; done`,
                        "ms",
                    ].join("\n"),
                ),
            );
            report(
                `systemd host: geesefs SIGKILL'd with the supervisor stopped: its unit restarted it, volumes served again after ${healedMs} ms`,
            );
            assert.ok(healedMs < 15_000, `s1 healed after ${healedMs} ms`);
            // Nobody heals h1's: after three of the supervisor's check intervals the mount is still dead.
            await new Promise((r) => setTimeout(r, 6_000));
            const dead = () => onHost(h1, `timeout 5 ls ${dir} > /dev/null 2>&1 && echo alive || echo dead`);
            assert.equal(await dead(), "dead");

            const refreshStarted = Date.now();
            const refresh = await stack.refresh();
            const refreshMs = Date.now() - refreshStarted;
            // h1: both volumes' holds of its FUSE mount and the two bind mounts into it; nothing on the
            // other hosts (s1's unit healed its mount and re-made its binds).
            assert.deepEqual(refresh.summary.resourceChanges, { update: 4, same: resourceCount - 4 });
            const found = await drifted();
            assert.deepEqual(found, [
                `${h1.name}-mount${ro}`,
                `${h1.name}-mount${rw}`,
                `${h1.name}-present${ro}`,
                `${h1.name}-present${rw}`,
            ]);
            assert.equal(await dead(), "dead", "refresh only looks");

            const upStarted = Date.now();
            const up = await stack.up({ refresh: true });
            const upMs = Date.now() - upStarted;
            report(
                `geesefs SIGKILL'd with the supervisor stopped: refresh reported it in ${refreshMs} ms; up --refresh repaired it in ${upMs} ms`,
            );
            assert.deepEqual(up.summary.resourceChanges, { update: 4, same: resourceCount - 4 });
            assert.deepEqual(await drifted(), []);
            assert.equal(await dead(), "alive");
            assert.equal((await sh(h1, `geesefs_pids ${dir}`)).split("\n").filter(Boolean).length, 1, "one new geesefs serves the mount");
            assert.equal((await sh(s1, `geesefs_pids ${dirS1}`)).split("\n").filter(Boolean).length, 1, "one geesefs serves s1's mount");
            // Nothing lost: every object and every file the test wrote, through every host.
            assert.deepEqual(await objects(), objectsBefore);
            assert.deepEqual(await hostFiles(), filesBefore);
            for (const host of [h1, s1]) {
                await onHost(host, `echo after-repair > ${rw}/after-repair-${host.name}.txt && cat ${rw}/after-repair-${host.name}.txt`);
                assert.ok(
                    (await objects())[`w/after-repair-${host.name}.txt`],
                    `a write on ${host.name} after the repair reached the bucket`,
                );
            }
            // The supervisor is back too on h1 (the mount script starts it); on s1 it is a service, which
            // only systemd (or its admin) starts.
            assert.match(await onHost(h1, `${SUPERVISOR} status`), /^running: \d+/);
        } finally {
            await onHost(h1, `${SUPERVISOR} start`);
            await onHost(s1, `systemctl start ${SUPERVISOR_SERVICE}`);
        }
        const refresh = await stack.refresh();
        assert.deepEqual(refresh.summary.resourceChanges, { same: resourceCount });
    });
});
