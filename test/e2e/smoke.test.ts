// The toolchain and the testbed end to end: `pulumi up` of a program that runs a remote command on
// every testbed host and writes and reads an object on the S3 server, then `pulumi destroy`.
import { CreateBucketCommand, DeleteBucketCommand, HeadObjectCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import type { Stack } from "@pulumi/pulumi/automation";
import assert from "node:assert/strict";
import { readFileSync, rmSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { onHost, readTree, requireTestbed, s3ClientFor, stackFor, uniqueName } from "./support/testbed";

describe("smoke: pulumi up and destroy on the testbed", () => {
    const testbed = requireTestbed();
    const s3 = s3ClientFor(testbed);
    const bucket = uniqueName("smoke");
    const objectKey = "dir/hello.txt";
    const payload = `payload-${Math.random().toString(36).slice(2)}`;
    const runsFile = `/var/tmp/skymount-smoke-${bucket}.runs`;
    let stack: Stack;
    let backendDir: string;

    before(async () => {
        await s3.send(new CreateBucketCommand({ Bucket: bucket }));
        ({ stack, backendDir } = await stackFor("smoke", { bucket, objectKey, payload }));
    });

    after(async () => {
        await stack?.workspace.removeStack("e2e").catch(() => undefined);
        rmSync(backendDir, { recursive: true, force: true });
    });

    it("up runs a command on every host and round-trips an object through S3", async () => {
        const result = await stack.up();
        assert.equal(result.summary.result, "succeeded");
        assert.deepEqual(
            result.outputs.hostnames.value,
            testbed.hosts.map((h) => h.name),
        );
        assert.equal(result.outputs.readBack.value, payload);
        await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: objectKey }));
        for (const host of testbed.hosts) assert.equal(await onHost(host, `cat ${runsFile}`), "ran");
    });

    it("keeps the SSH key and the S3 secret out of plaintext state", async () => {
        const state = readTree(backendDir);
        const keyBody = readFileSync(testbed.hosts[0].privateKeyPath, "utf8").split("\n")[1];
        assert.ok(state.includes("ciphertext"), "state should hold encrypted values");
        assert.ok(!state.includes(testbed.s3.secretKey), "the S3 secret key is in plaintext state");
        assert.ok(!state.includes(keyBody), "the SSH private key is in plaintext state");
    });

    it("a second up changes nothing and runs no remote command", async () => {
        const preview = await stack.preview();
        assert.deepEqual(preview.changeSummary, { same: 5 });
        const result = await stack.up();
        assert.deepEqual(result.summary.resourceChanges, { same: 5 });
        for (const host of testbed.hosts) assert.equal(await onHost(host, `cat ${runsFile}`), "ran");
    });

    it("destroy removes the object and leaves the hosts clean", async () => {
        const result = await stack.destroy();
        assert.equal(result.summary.result, "succeeded");
        await assert.rejects(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: objectKey })), { name: "NotFound" });
        const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
        assert.equal(listed.KeyCount, 0);
        for (const host of testbed.hosts) {
            assert.equal(await onHost(host, `ls ${runsFile} /var/tmp/smoke-${bucket} 2>/dev/null || true`), "");
        }
        const deployment = (await stack.exportStack()).deployment as { resources?: unknown[] };
        assert.equal(deployment.resources?.length ?? 0, 0);
        await s3.send(new DeleteBucketCommand({ Bucket: bucket }));
    });
});
