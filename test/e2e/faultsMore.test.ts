// Two more faults on the testbed's hosts, each checked for lost data (every object of the test's bucket
// and every file the test wrote through a volume, compared before and after): the last host's link cut
// while `up` runs (its commands wait for the host and `up` finishes once the link is back), and a
// geesefs killed with SIGKILL while the supervisor is stopped (nobody heals it: `pulumi refresh`
// reports exactly that host's mount and the volumes bound into it, and `up --refresh` repairs them).
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
import { eventually, onHost, requireTestbed, s3ClientFor, stackFor, TestbedHost, uniqueName } from "./support/testbed";

/** The mount functions skymount's scripts use (geesefs_pids finds only this mount's geesefs). */
const FUNCTIONS = [...FSTAB_FUNCTIONS, ...MOUNT_FUNCTIONS].join("\n");
/** The longest the link stays down: a flapping link, not a host that is gone. */
const MAX_LINK_DOWN_MS = 20_000;
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
    const [h1] = testbed.hosts;
    const cut = testbed.hosts[testbed.hosts.length - 1];
    const s3 = s3ClientFor(testbed);
    const bucket = uniqueName("fmore");
    const ro = `/${bucket}`;
    const rw = `/${bucket}-w`;
    const volumes = [
        { bucket, mount: ro },
        { bucket, mount: rw, prefix: "w", readOnly: false },
    ];
    // Per host: install, one FUSE mount, two bind mounts; plus the stack and the component.
    // Per host: the install, and per volume its share of the bucket's FUSE mount and its bind mount; plus stack and component.
    const resourceCount = testbed.hosts.length * 5 + 2;
    /** What each host wrote through its writable volume, and what the bucket held from the start. */
    const written = new Map<string, string>();
    let stack: Stack;
    let backendDir: string;

    const link = (state: "up" | "down") => execFileSync("ip", ["link", "set", cut.netns, state]);
    const sh = (host: TestbedHost, command: string) => onHost(host, `${FUNCTIONS}\n${command}`);
    /** The FUSE mount point of this test's bucket on a host (from its fstab entry). */
    const fuseDir = (host: TestbedHost) => onHost(host, `awk '$1 ~ "#${bucket}$" { print $2 }' /etc/fstab`);
    const objects = async () => {
        const all: Record<string, string> = {};
        const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
        for (const o of listed.Contents ?? []) all[o.Key!] = `${o.Size}:${o.ETag}`;
        return all;
    };
    /** Every file the test wrote, read back through each host's volumes: "<host>:<key>" → content. */
    const hostFiles = async () => {
        const all: Record<string, string> = {};
        for (const host of testbed.hosts) {
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
        assert.ok(testbed.hosts.length >= 2, "the testbed needs two hosts");
        await s3.send(new CreateBucketCommand({ Bucket: bucket }));
        await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "data.txt", Body: "data\n" }));
        ({ stack, backendDir } = await stackFor("volumes", { volumes: JSON.stringify(volumes) }));
    });

    after(async () => {
        link("up");
        await onHost(h1, `${SUPERVISOR} start`).catch(() => undefined);
        await stack?.destroy().catch(() => undefined);
        await stack?.workspace.removeStack("e2e").catch(() => undefined);
        if (backendDir) rmSync(backendDir, { recursive: true, force: true });
        const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket })).catch(() => undefined);
        const keys = (listed?.Contents ?? []).map((o) => ({ Key: o.Key! }));
        if (keys.length) await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys } }));
        await s3.send(new DeleteBucketCommand({ Bucket: bucket })).catch(() => undefined);
    });

    it("a host's link cut while up runs: its commands wait for it, and up succeeds once the link is back", async () => {
        const cutName = `vol-${cut.name}-`;
        let firstCommandAt = 0;
        let restoredAt: number;
        /** When each of the cut host's commands finished (resource name → ms since the epoch). */
        const finished = new Map<string, number>();
        const onEvent = (event: EngineEvent) => {
            const pre = event.resourcePreEvent?.metadata;
            if (pre?.urn.split("::").pop()!.startsWith(cutName)) {
                firstCommandAt ||= Date.now();
            }
            const outputs = event.resOutputsEvent?.metadata;
            if (outputs?.urn.split("::").pop()!.startsWith(cutName)) finished.set(outputs.urn.split("::").pop()!, Date.now());
        };
        let upDone = false;
        let upError: Error | undefined;
        const cutAt = Date.now();
        link("down");
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
            // Down until the up has been at the cut host's first command for a while (bounded).
            while (!upDone && Date.now() - cutAt < MAX_LINK_DOWN_MS) {
                if (firstCommandAt && Date.now() - firstCommandAt >= LINK_DOWN_AFTER_FIRST_COMMAND_MS) break;
                await new Promise((r) => setTimeout(r, 100));
            }
            link("up");
            restoredAt = Date.now();
            const result = await up;
            const tookMs = Date.now() - started;
            report(
                `link of ${cut.name} down ${restoredAt - cutAt} ms (its first command began ${firstCommandAt - cutAt} ms after the cut); ` +
                    `up ${upError ? "failed" : "succeeded"} after ${tookMs} ms, ${Date.now() - restoredAt} ms after the link was back`,
            );
            assert.equal(upError, undefined, `up failed: ${upError?.message}`);
            assert.equal(result?.summary.result, "succeeded");
            // The fault really met a command: the cut host's first command began while its link was down,
            // and none of its commands finished before the link came back.
            assert.ok(firstCommandAt > 0 && firstCommandAt < restoredAt, "the up reached the cut host's commands while its link was down");
            assert.equal(finished.size, 5, [...finished.keys()].join(", "));
            for (const [name, at] of finished) assert.ok(at >= restoredAt, `${name} finished before the link was back`);
        } finally {
            link("up");
        }
        // Everything is mounted on both hosts, and writes through either host reach the bucket.
        for (const host of testbed.hosts) {
            assert.equal(await onHost(host, `cat ${ro}/data.txt`), "data");
            const key = `w/from-${host.name}.txt`;
            written.set(key, `written on ${host.name}`);
            await onHost(host, `echo "${written.get(key)}" > ${rw}/from-${host.name}.txt`);
        }
        const now = await objects();
        // "w/" is the writable volume's prefix, made by its bind mount's script.
        assert.deepEqual(Object.keys(now).sort(), ["data.txt", "w/", ...written.keys()].sort());
        // Each host sees what the other wrote (once the writable mount's 1 s stat cache has passed).
        await eventually("each host sees both files", hostFiles, 15_000);
        // A second up changes nothing.
        const again = await stack.up();
        assert.deepEqual(again.summary.resourceChanges, { same: resourceCount });
        assert.deepEqual(await objects(), now);
        const files = await hostFiles();
        for (const host of testbed.hosts) for (const [key, text] of written) assert.equal(files[`${host.name}:${key}`], text);
    });

    it("geesefs killed with SIGKILL while the supervisor is stopped: refresh reports that host's mount, up --refresh repairs it", async () => {
        // From wherever the previous test left the stack: converged.
        assert.equal((await stack.up()).summary.result, "succeeded");
        const dir = await fuseDir(h1);
        assert.match(dir, /^\/var\/lib\/skymount\/mnt\//);
        const objectsBefore = await objects();
        const filesBefore = await hostFiles();
        try {
            await onHost(h1, `${SUPERVISOR} stop`);
            assert.match(await onHost(h1, `${SUPERVISOR} status`), /^not running/);
            const pids = (await sh(h1, `geesefs_pids ${dir}`)).split("\n").filter(Boolean);
            assert.equal(pids.length, 1, `exactly this mount's geesefs: ${pids.join(" ")}`);
            await onHost(h1, `kill -9 ${pids[0]}`);
            // Nobody heals it: after three of the supervisor's check intervals the mount is still dead.
            await new Promise((r) => setTimeout(r, 6_000));
            const dead = () => onHost(h1, `timeout 5 ls ${dir} > /dev/null 2>&1 && echo alive || echo dead`);
            assert.equal(await dead(), "dead");

            const refreshStarted = Date.now();
            const refresh = await stack.refresh();
            const refreshMs = Date.now() - refreshStarted;
            // h1: both volumes' holds of its FUSE mount and the two bind mounts into it; nothing on the other host.
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
            // Nothing lost: every object and every file the test wrote, through both hosts.
            assert.deepEqual(await objects(), objectsBefore);
            assert.deepEqual(await hostFiles(), filesBefore);
            await onHost(h1, `echo after-repair > ${rw}/after-repair.txt && cat ${rw}/after-repair.txt`);
            assert.ok((await objects())["w/after-repair.txt"], "a write after the repair reached the bucket");
            // The supervisor is back too (the mount script starts it).
            assert.match(await onHost(h1, `${SUPERVISOR} status`), /^running: \d+/);
        } finally {
            await onHost(h1, `${SUPERVISOR} start`);
        }
        const refresh = await stack.refresh();
        assert.deepEqual(refresh.summary.resourceChanges, { same: resourceCount });
    });
});
