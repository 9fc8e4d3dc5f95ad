// skymount from Python: a real Python program (test/e2e/programs/python) that uses the generated SDK
// (sdk/python) fills a bucket on MinIO and mounts it read-only on h1. The components are constructed by
// skymount's own provider (src/provider/plugin/pulumi-resource-skymount, found on PATH), and the resources they declare
// are custom resources of that provider, not dynamic ones (pulumi/pulumi#5455). Up, a resync, a no-op
// up, secrets in state, and a destroy that leaves the host clean.
import { HeadBucketCommand, ListObjectsV2Command, DeleteObjectsCommand, DeleteBucketCommand, GetObjectCommand } from "@aws-sdk/client-s3";
import { LocalWorkspace, Stack } from "@pulumi/pulumi/automation";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { oneHostConfig, pythonExampleEnv } from "./support/examples";
import { onHost, programsDir, readTree, requireTestbed, s3ClientFor, uniqueName } from "./support/testbed";

const repoRoot = path.join(__dirname, "..", "..");

describe("skymount from Python (generated SDK, skymount's own provider)", () => {
    const testbed = requireTestbed();
    const [h1] = testbed.hosts;
    const s3 = s3ClientFor(testbed);
    const bucket = uniqueName("xlang");
    const mount = `/${uniqueName("xlang")}`;
    const privateKey = readFileSync(h1.privateKeyPath, "utf8");
    const work = mkdtempSync(path.join(tmpdir(), "skymount-python-"));
    const source = path.join(work, "data");
    const backendDir = path.join(work, "state");
    let stack: Stack;
    // The stack, one component each, the storage's bucket and sync, the volume's install, FUSE mount and bind mount.
    const resourceCount = 8;

    // Every object: skymount keeps nothing of its own in the bucket.
    const objects = async () => ((await s3.send(new ListObjectsV2Command({ Bucket: bucket }))).Contents ?? []).map((o) => o.Key!).sort();
    const objectText = async (key: string) => (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToString();

    before(async () => {
        mkdirSync(path.join(source, "sub"), { recursive: true });
        mkdirSync(backendDir);
        writeFileSync(path.join(source, "hello.txt"), "hello from python\n");
        writeFileSync(path.join(source, "sub", "data.csv"), "a,b\n1,2\n");
        // The generated SDK installed the way a user installs it (pip), into a directory of its own.
        const python = pythonExampleEnv(work);
        stack = await LocalWorkspace.createOrSelectStack(
            { stackName: "e2e", workDir: path.join(programsDir, "python") },
            {
                envVars: {
                    // The Python host runs the venv's python3; the engine finds skymount's provider by name on PATH.
                    ...python,
                    PATH: `${python.PATH}:${path.join(repoRoot, "src", "provider", "plugin")}:${process.env.PATH}`,
                    PULUMI_BACKEND_URL: `file://${backendDir}`,
                    PULUMI_CONFIG_PASSPHRASE: "skymount-e2e",
                },
            },
        );
        const config: Record<string, { value: string; secret?: boolean }> = {
            bucket: { value: bucket },
            // Relative to the program's directory: the engine starts skymount's provider there.
            source: { value: path.relative(path.join(programsDir, "python"), source) },
            ...oneHostConfig(testbed, h1, mount),
        };
        await stack.setAllConfig(config);
    });

    after(async () => {
        await stack?.destroy().catch(() => undefined);
        await stack?.workspace.removeStack("e2e").catch(() => undefined);
        // Whatever a failed run left: the mount on h1 and the bucket.
        await onHost(h1, `umount ${mount} 2>/dev/null; rmdir ${mount} 2>/dev/null; true`).catch(() => undefined);
        const keys = (await objects().catch(() => [])).map((Key) => ({ Key }));
        if (keys.length) await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys } }));
        await s3.send(new DeleteBucketCommand({ Bucket: bucket })).catch(() => undefined);
        rmSync(work, { recursive: true, force: true });
    });

    it("up from Python creates and fills the bucket and mounts it on h1", async () => {
        const result = await stack.up();
        assert.equal(result.summary.result, "succeeded");
        assert.equal(result.outputs.bucket.value, bucket);
        assert.deepEqual(result.outputs.syncSummaries.value, ["2 added (hello.txt, sub/data.csv); 0 changed; 0 removed"]);
        assert.deepEqual(result.outputs.mounted.value, [`h1:${mount} <- ${bucket} (ro)`]);
        assert.deepEqual(await objects(), ["hello.txt", "sub/data.csv"]);
        assert.equal(await onHost(h1, `cat ${mount}/hello.txt`), "hello from python");
        assert.equal(await onHost(h1, `cat ${mount}/sub/data.csv`), "a,b\n1,2");
        assert.match(await onHost(h1, `touch ${mount}/new.txt 2>&1 || true`), /Read-only file system/);
    });

    it("served the resources from skymount's own provider, not as dynamic resources", async () => {
        const types = (await stack.exportStack()).deployment.resources.map((r: { type: string }) => r.type).sort();
        assert.deepEqual(types, [
            "pulumi:providers:skymount",
            "pulumi:pulumi:Stack",
            "skymount:index:BucketSync",
            "skymount:index:RemoteCommand",
            "skymount:index:RemoteCommand",
            "skymount:index:RemoteCommand",
            "skymount:index:S3CompatibleBucket",
            "skymount:index:SkyStorage",
            "skymount:index:SkyVolume",
        ]);
    });

    it("keeps the S3 secret key and the SSH key out of plaintext state", () => {
        const state = readTree(backendDir);
        assert.ok(state.includes(bucket), "the state was read");
        assert.ok(!state.includes(testbed.s3.secretKey), "the S3 secret key is in plaintext state");
        assert.ok(!state.includes(privateKey.split("\n")[1]), "the SSH private key is in plaintext state");
    });

    it("a second up with no change changes nothing", async () => {
        const preview = await stack.preview();
        assert.deepEqual(preview.changeSummary, { same: resourceCount });
        const result = await stack.up();
        assert.deepEqual(result.summary.resourceChanges, { same: resourceCount });
    });

    it("a changed file is resynced through the provider's update", async () => {
        writeFileSync(path.join(source, "hello.txt"), "hello again\n");
        const result = await stack.up();
        assert.deepEqual(result.summary.resourceChanges, { update: 1, same: resourceCount - 1 });
        assert.deepEqual(result.outputs.syncSummaries.value, ["0 added; 1 changed (hello.txt); 0 removed"]);
        assert.equal(await objectText("hello.txt"), "hello again\n");
        assert.ok(!readTree(backendDir).includes(testbed.s3.secretKey), "the update wrote the S3 secret key in plaintext");
    });

    it("destroy unmounts, leaves h1 clean and deletes the bucket it created", async () => {
        const result = await stack.destroy();
        assert.equal(result.summary.result, "succeeded");
        assert.equal(await onHost(h1, `grep -c -e ${bucket} -e ' ${mount} ' /proc/mounts /etc/fstab | grep -v ':0$' || true`), "");
        assert.equal(await onHost(h1, `ls -d ${mount} 2>/dev/null || true`), "");
        assert.equal(await onHost(h1, `grep -rl ${bucket} /var/lib/skymount /etc/skymount 2>/dev/null || true`), "");
        await assert.rejects(
            s3.send(new HeadBucketCommand({ Bucket: bucket })),
            (err: { $metadata?: { httpStatusCode?: number } }) => err.$metadata?.httpStatusCode === 404,
        );
    });
});
