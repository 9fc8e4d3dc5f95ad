// From the release artifacts, as a Python user installs them (support/release.ts: the plugin from its
// archive into a fresh PULUMI_HOME, the wheel with pip, no Node.js and nothing of the checkout on PATH):
// a bucket whose name another resource makes in the same `up`. A Python dynamic resource
// (test/e2e/programs/pythonauto) makes it with a random name on MinIO, and SkyVolume, constructed by
// the released plugin, mounts it on h1 on the first `up`. A second `up` runs nothing.
//
// A Python dynamic resource is served by the engine's `pulumi-resource-pulumi-python` launcher, which
// the toolchain here does not build (the Python language host is built alone from the Go module
// proxy). It is Pulumi's own three-line script (sdk/python/cmd/dynamic-provider): the test writes it
// on PATH, where it runs the venv's python3 with `-m pulumi.dynamic`, as the released one does.
import { HeadBucketCommand } from "@aws-sdk/client-s3";
import { LocalWorkspace, Stack } from "@pulumi/pulumi/automation";
import assert from "node:assert/strict";
import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { installRelease, installSdk, onCleanPath, pulumiHome, work } from "./support/release";
import { oneHostConfig } from "./support/examples";
import { onHost, programsDir, requireTestbed, s3ClientFor, uniqueName } from "./support/testbed";

describe("from the release, in Python, a bucket made in the same up mounts on the first up", () => {
    const testbed = requireTestbed();
    const [h1] = testbed.hosts;
    const s3 = s3ClientFor(testbed);
    const prefix = uniqueName("pyauto");
    const mount = `/${uniqueName("pyauto")}`;
    const programDir = path.join(work, "pythonauto");
    const backendDir = path.join(work, "state");
    // The stack, the dynamic bucket, the SkyVolume and on h1 its install, the volume's mount and bind mount.
    const resourceCount = 6;
    let stack: Stack;
    let bucket = "";

    before(async () => {
        const artifacts = await installRelease();
        cpSync(path.join(programsDir, "pythonauto"), programDir, { recursive: true });
        mkdirSync(backendDir);
        const { PATH, ...pythonEnv } = installSdk.python(artifacts, programDir);
        const launchers = path.join(work, "launchers");
        mkdirSync(launchers);
        writeFileSync(path.join(launchers, "pulumi-resource-pulumi-python"), '#!/bin/sh\nexec python3 -u -m pulumi.dynamic "$@"\n', {
            mode: 0o755,
        });
        const searchPath = `${launchers}:${PATH}`;
        assert.ok(!onCleanPath("node") && !onCleanPath("pulumi-resource-skymount"), "the program's PATH has node or the checkout's plugin");
        stack = await LocalWorkspace.createOrSelectStack(
            { stackName: "e2e", workDir: programDir },
            {
                envVars: {
                    ...pythonEnv,
                    PATH: searchPath,
                    PULUMI_HOME: pulumiHome,
                    PULUMI_BACKEND_URL: `file://${backendDir}`,
                    PULUMI_CONFIG_PASSPHRASE: "skymount-e2e",
                },
            },
        );
        await stack.setAllConfig({
            prefix: { value: prefix },
            ...oneHostConfig(testbed, h1, mount),
        });
    });

    after(async () => {
        await stack?.destroy().catch(() => undefined);
        await stack?.workspace.removeStack("e2e").catch(() => undefined);
        await onHost(h1, `umount ${mount} 2>/dev/null; rmdir ${mount} 2>/dev/null; true`).catch(() => undefined);
    });

    it("the preview shows every command to create, with nothing refused", async () => {
        const preview = await stack.preview({ diff: true });
        assert.deepEqual(preview.changeSummary, { create: resourceCount });
        assert.match(preview.stdout, new RegExp(`auto-h1-mount${mount}`));
    });

    it("the first up makes the bucket and mounts it: its file is readable on h1", async () => {
        const result = await stack.up();
        assert.equal(result.summary.result, "succeeded");
        bucket = result.outputs.bucketName.value;
        assert.match(bucket, new RegExp(`^${prefix}-[0-9a-f]{8}$`));
        assert.deepEqual(result.outputs.mounted.value, [`h1:${mount} <- ${bucket} (ro)`]);
        assert.equal(await onHost(h1, `cat ${mount}/hello.txt`), "made in the same up from python");
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
