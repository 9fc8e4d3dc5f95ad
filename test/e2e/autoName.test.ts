// A bucket named by another resource in the same `up` (test/e2e/programs/autoname: a dynamic resource
// makes it with a random name on MinIO): the preview shows SkyVolume's commands with their scripts
// unknown, the first `up` mounts it, a second `up` runs nothing, destroy unmounts and the bucket goes
// with the resource that made it.
import { HeadBucketCommand } from "@aws-sdk/client-s3";
import type { Stack } from "@pulumi/pulumi/automation";
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { onHost, requireTestbed, s3ClientFor, stackFor, uniqueName } from "./support/testbed";

describe("a bucket made in the same up mounts on the first up", () => {
    const testbed = requireTestbed();
    const [h1] = testbed.hosts;
    const s3 = s3ClientFor(testbed);
    const prefix = uniqueName("auto");
    const mount = `/${uniqueName("auto")}`;
    // The stack, the bucket, the SkyVolume and on h1 its install, the volume's mount and bind mount.
    const resourceCount = 6;
    let stack: Stack;
    let backendDir: string;
    let bucket = "";

    before(async () => {
        ({ stack, backendDir } = await stackFor("autoname", { prefix, mount }));
    });

    after(async () => {
        await stack?.destroy().catch(() => undefined);
        await stack?.workspace.removeStack("e2e").catch(() => undefined);
        await onHost(h1, `umount ${mount} 2>/dev/null; rmdir ${mount} 2>/dev/null; true`).catch(() => undefined);
        rmSync(backendDir, { recursive: true, force: true });
    });

    it("the preview shows every command to create, with nothing refused", async () => {
        const preview = await stack.preview({ diff: true });
        assert.deepEqual(preview.changeSummary, { create: resourceCount });
        assert.match(preview.stdout, new RegExp(`auto-${h1.name}-mount${mount}`));
        assert.match(preview.stdout, new RegExp(`auto-${h1.name}-present${mount}`));
    });

    it("the first up makes the bucket and mounts it: its file is readable on h1", async () => {
        const result = await stack.up();
        assert.equal(result.summary.result, "succeeded");
        bucket = result.outputs.bucketName.value;
        assert.match(bucket, new RegExp(`^${prefix}-[0-9a-f]{8}$`));
        assert.deepEqual(result.outputs.mounted.value, [`${h1.name}:${mount} <- ${bucket} (ro)`]);
        assert.equal(await onHost(h1, `cat ${mount}/hello.txt`), "made in the same up");
    });

    it("a second up runs nothing: every resource the same", async () => {
        const result = await stack.up();
        assert.deepEqual(result.summary.resourceChanges, { same: resourceCount });
    });

    it("destroy unmounts, and the bucket goes with the resource that made it", async () => {
        const result = await stack.destroy();
        assert.equal(result.summary.result, "succeeded");
        assert.equal(await onHost(h1, `grep -c -e ' ${mount} ' /proc/mounts /etc/fstab | grep -v ':0$' || true`), "");
        await assert.rejects(
            s3.send(new HeadBucketCommand({ Bucket: bucket })),
            (err: { $metadata?: { httpStatusCode?: number } }) => err.$metadata?.httpStatusCode === 404,
        );
    });
});
