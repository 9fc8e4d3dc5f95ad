// SkyCompute with provider ssh: volumes, workdir, setup and run on the testbed's hosts.
import { CreateBucketCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import type { Stack } from "@pulumi/pulumi/automation";
import assert from "node:assert/strict";
import { readFileSync, rmSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { Storage } from "../../src";
import { eventually, onHost, requireTestbed, s3ClientFor, stackFor, uniqueName } from "./support/testbed";

describe("SkyCompute on existing hosts (provider ssh)", () => {
    const testbed = requireTestbed();
    const s3 = s3ClientFor(testbed);
    const client = new Storage({
        endpoint: testbed.s3.endpoint,
        pathStyle: true,
        accessKey: testbed.s3.accessKey,
        secretKey: testbed.s3.secretKey,
    });
    const dataBucket = uniqueName("cdata");
    const outputBucket = uniqueName("cout");
    let stack: Stack;
    let backendDir: string;

    before(async () => {
        for (const bucket of [dataBucket, outputBucket]) await s3.send(new CreateBucketCommand({ Bucket: bucket }));
        await s3.send(new PutObjectCommand({ Bucket: dataBucket, Key: "iris.csv", Body: "a,b\n1,2\n3,4\n" }));
        ({ stack, backendDir } = await stackFor("compute", {
            dataBucket,
            outputBucket,
            setup: "touch /var/tmp/setup-ran && echo setup ok",
        }));
    });

    after(async () => {
        await stack?.destroy().catch(() => undefined);
        await stack?.workspace.removeStack("e2e").catch(() => undefined);
        rmSync(backendDir, { recursive: true, force: true });
        client.close();
    });

    it("mounts the volumes, unpacks the workdir, runs setup and starts run on every node", async () => {
        const result = await stack.up();
        assert.deepEqual(
            result.outputs.addresses.value,
            testbed.hosts.map((h) => h.address),
        );
        assert.deepEqual(
            result.outputs.sshUsers.value,
            testbed.hosts.map((h) => h.user),
        );
        for (const host of testbed.hosts) {
            assert.equal(await onHost(host, "ls /root/sky_workdir"), "train.sh", "workdir without ignored files");
            assert.equal(await onHost(host, "ls /var/tmp/setup-ran"), "/var/tmp/setup-ran");
            const key = `models/model-${host.name}.txt`;
            await eventually(`${key} in the bucket`, async () => assert.ok(await client.exists(outputBucket, key)));
        }
        const model = `${backendDir}/model.txt`;
        await client.download(outputBucket, "models/model-h1.txt", model);
        assert.equal(readFileSync(model, "utf8"), "trained on 2 rows by h1\n");
    });

    it("a second up runs nothing; a changed setup reruns setup and run only", async () => {
        const same = await stack.up();
        const total = same.summary.resourceChanges!.same!;
        assert.deepEqual(same.summary.resourceChanges, { same: total });
        await stack.setConfig("setup", { value: "touch /var/tmp/setup-ran-2" });
        const changed = await stack.up();
        assert.deepEqual(changed.summary.resourceChanges, { update: 2 * testbed.hosts.length, same: total - 2 * testbed.hosts.length });
        assert.equal(await onHost(testbed.hosts[0], "ls /var/tmp/setup-ran-2"), "/var/tmp/setup-ran-2");
    });

    it("destroy removes the workdir and the mounts, and keeps the outputs", async () => {
        await stack.destroy();
        for (const host of testbed.hosts) {
            assert.equal(await onHost(host, "ls -d /root/sky_workdir /data /output 2>/dev/null || true"), "");
        }
        assert.deepEqual(
            await client.ls(outputBucket, "models/model-"),
            testbed.hosts.map((h) => `models/model-${h.name}.txt`),
        );
    });
});
