// A host unreachable for longer than the dial timeout (SKYMOUNT_DIAL_TIMEOUT_SECONDS, shortened here
// from 300 s to 15 s): `up` fails naming the host and saying what to do, the reachable host gets its
// change, and the next `up` once the host is back converges with nothing lost. Two hosts are out at
// once: h2 (no init system) and s1 (booting systemd).
import { CreateBucketCommand, DeleteBucketCommand, DeleteObjectsCommand, GetObjectCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import type { LocalWorkspace, Stack } from "@pulumi/pulumi/automation";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";
import { after, describe, it } from "node:test";
import { DIAL_TIMEOUT_VARIABLE } from "../../src/remote/connection";
import { onHost, requireTestbed, s3ClientFor, stackFor, uniqueName } from "./support/testbed";

describe("a host unreachable for longer than the dial timeout", () => {
    const testbed = requireTestbed();
    const [h1, h2] = testbed.hosts;
    const [s1] = testbed.systemdHosts;
    /** The hosts whose link is down through a whole `up`. */
    const out = [h2, s1];
    const s3 = s3ClientFor(testbed);
    const bucket = uniqueName("outage");
    const link = (state: "up" | "down") => {
        for (const host of out) execFileSync("ip", ["link", "set", host.netns, state]);
    };
    let stack: Stack | undefined;
    let backendDir: string | undefined;

    after(async () => {
        link("up");
        await stack?.destroy().catch(() => undefined);
        await stack?.workspace.removeStack("e2e").catch(() => undefined);
        if (backendDir) rmSync(backendDir, { recursive: true, force: true });
        const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
        const keys = (listed.Contents ?? []).map((o) => ({ Key: o.Key! }));
        if (keys.length) await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys } }));
        await s3.send(new DeleteBucketCommand({ Bucket: bucket }));
    });

    it("fails `up` naming the host and what to do; the next `up` once it is back converges with nothing lost", async () => {
        assert.ok(h2 && s1, "the testbed needs two hosts and a systemd host: up --hosts 2 --systemd-hosts 1");
        await s3.send(new CreateBucketCommand({ Bucket: bucket }));
        const first = [{ bucket, mount: "/outage-a", readOnly: false }];
        ({ stack, backendDir } = await stackFor("volumes", {
            volumes: JSON.stringify(first),
            hosts: [h1, ...out].map((h) => h.name).join(","),
        }));
        assert.equal((await stack.up()).summary.result, "succeeded");
        for (const host of out) await onHost(host, `echo written-before > /outage-a/before-${host.name}.txt`);

        // The program changes (a second volume on every host) while h2's link is down.
        await stack.setConfig("volumes", { value: JSON.stringify([...first, { bucket, mount: "/outage-b" }]) });
        (stack.workspace as LocalWorkspace).envVars[DIAL_TIMEOUT_VARIABLE] = "15";
        link("down");
        const started = Date.now();
        const failure = await stack.up().then(
            () => assert.fail("up succeeded with a host unreachable"),
            (err: Error) => err.message,
        );
        const took = Date.now() - started;
        assert.ok(took < 120_000, `up took ${took} ms to give up`);
        for (const host of out) {
            const target = `root@${host.address}:22`.replace(/\./g, "\\.");
            assert.match(
                failure,
                new RegExp(
                    `create on ${target} failed: the host did not answer \\(could not connect in 15 s \\(\\d+ attempts\\): ${target}: `,
                ),
            );
        }
        assert.match(failure, /If it is down or its network is cut, bring it back and run `pulumi up` again: what finished is kept/);
        assert.doesNotMatch(failure, new RegExp(`on root@${h1.address.replace(/\./g, "\\.")}:22 failed`), "h1 was reachable");
        for (const host of out) {
            const file = `before-${host.name}.txt`;
            assert.equal(await onHost(h1, `cat /outage-b/${file}`), "written-before", "the reachable host got its change");
        }

        link("up");
        const result = await stack.up();
        assert.equal(result.summary.result, "succeeded");
        // Only the two new commands of each host that was out ran (its volume's share of the mount and its bind mount).
        assert.equal(result.summary.resourceChanges?.create, 2 * out.length);
        for (const host of out) {
            const file = `before-${host.name}.txt`;
            assert.equal(await onHost(host, `cat /outage-b/${file} /outage-a/${file}`), "written-before\nwritten-before", host.name);
            await onHost(host, `echo written-after > /outage-a/after-${host.name}.txt`);
        }
        for (const key of out.flatMap((host) => [`before-${host.name}.txt`, `after-${host.name}.txt`])) {
            const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
            assert.match(await object.Body!.transformToString(), /^written-/, key);
        }
        // Converged: a further `up` has nothing to do.
        const again = await stack.preview();
        assert.deepEqual(Object.keys(again.changeSummary).sort(), ["same"]);
    });
});
