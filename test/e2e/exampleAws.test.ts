// examples/aws itself, as a user has it, through the real engine and the AWS stand-in
// (tools/standins/aws/) installed into this test's own PULUMI_HOME: the TypeScript program (index.ts,
// `skymount` resolved to this checkout) and the Python one (python/, through skymount's plugin and the
// generated SDK). Config as the example's header says: aws:region, a fresh SSH key pair, geesefs from
// the testbed's mirror. No endpoint anywhere: the engine runs under the testbed's cloud names
// (support/cloudNames.ts), so the sync reaches https://<bucket>.s3.eu-west-1.amazonaws.com, and so does
// geesefs on the instances, which are fresh testbed hosts with the image's user "ubuntu" and an IMDSv2
// that serves the instance role's credentials from MinIO's STS. The machines are checked with the
// real-cloud suite's own checks (tools/cloudSuite/hostChecks.ts): the dataset at /data on both, a write
// there refused (EROFS) and the same write with the role's credentials refused by the server
// (AccessDenied), a checkpoint written on one read on the other, the task's output. The testbed's apt
// mirror serves no python3-numpy, so `setup` (the example's optional config key) installs what it
// does serve, through sudo as the example's does.
import { HeadBucketCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import { LocalWorkspace, PulumiCommand, Stack } from "@pulumi/pulumi/automation";
import assert from "node:assert/strict";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { JOB_LOG } from "../../src/hostScripts/hostPaths";
import { checkMachines } from "../../tools/cloudSuite/hostChecks";
import { buildSkymount } from "../../tools/packInstall";
import { ACCESS_KEY_ENV, S3_ENDPOINT_ENV, SECRET_KEY_ENV } from "../../tools/standins/aws/dataPlane";
import { awsSdkVersion } from "../../tools/standins/aws/main";
import { s3BucketModel } from "../../tools/standins/aws/s3Bucket";
import { CALL_LOG_ENV, readCalls, RecordedCall } from "../../tools/standins/callLog";
import { installStandin } from "../../tools/standins/install";
import { findCloudHost, stopCloudHost } from "../../tools/testbed/cloudHosts";
import { ed25519KeyPair } from "../support/sshKeyPair";
import { namesReached, pulumiWithCloudNames } from "./support/cloudNames";
import { pythonExampleEnv } from "./support/examples";
import { onHost, requireTestbed, s3ClientFor, uniqueName } from "./support/testbed";

const REPO = path.join(__dirname, "..", "..");
const EXAMPLE = path.join(REPO, "examples", "aws");
const REGION = "eu-west-1";
const INSTANCE = "aws:ec2/instance:Instance";
/** What the machines' `setup` runs here: apt through sudo, of a package the testbed's mirror serves. */
const SETUP = "sudo apt-get install -y fuse3";
const DATA_FILES = ["sample.csv"];
const DATA_ROWS =
    readFileSync(path.join(EXAMPLE, "data", "sample.csv"), "utf8")
        .trim()
        .split("\n").length - 1;

describe("examples/aws through the real engine and the AWS stand-in", () => {
    const testbed = requireTestbed();
    const s3 = s3ClientFor(testbed);
    const work = mkdtempSync(path.join(tmpdir(), "skymount-example-aws-"));
    const copy = path.join(work, "aws");
    const pulumiHome = path.join(work, "pulumi-home");
    const callLog = path.join(work, "calls.jsonl");
    const keyFile = path.join(work, "id_ed25519");
    const keys = ed25519KeyPair();
    const standinEnv = {
        [S3_ENDPOINT_ENV]: testbed.s3.endpoint,
        [ACCESS_KEY_ENV]: testbed.s3.accessKey,
        [SECRET_KEY_ENV]: testbed.s3.secretKey,
    };
    const stacks: Stack[] = [];
    const buckets: string[] = [];
    let pulumi: PulumiCommand;
    let seen = 0;
    /** The calls recorded since the last look. */
    const newCalls = (): RecordedCall[] => {
        const calls = readCalls(callLog);
        const fresh = calls.slice(seen);
        seen = calls.length;
        return fresh;
    };
    const objects = async (bucket: string) =>
        ((await s3.send(new ListObjectsV2Command({ Bucket: bucket }))).Contents ?? []).map((o) => o.Key!);
    const bucketExists = (bucket: string) =>
        s3.send(new HeadBucketCommand({ Bucket: bucket })).then(
            () => true,
            () => false,
        );
    /** The instances a step booted: their ids and the addresses they answer at. */
    const bootedInstances = (calls: RecordedCall[]) =>
        calls
            .filter((c) => c.method === "create" && c.type === INSTANCE && c.result !== undefined)
            .map((c) => c.result as { id: string; outs: { publicIp: string } })
            .map((r) => ({ id: r.id, address: r.outs.publicIp }));

    /** A stack of the example in `workDir`, configured as its header comment says. */
    async function exampleStack(
        workDir: string,
        env: Record<string, string>,
    ): Promise<{ stack: Stack; datasets: string; checkpoints: string }> {
        const stackName = uniqueName("exaws").replace(/-/g, "");
        const backendDir = path.join(work, `state-${stackName}`);
        mkdirSync(backendDir);
        const stack = await LocalWorkspace.createOrSelectStack(
            { stackName, workDir },
            {
                pulumiCommand: pulumi,
                envVars: {
                    ...standinEnv,
                    ...env,
                    // The engine finds skymount's provider (the Python program's) by its name on PATH.
                    PATH: [env.PATH, path.join(REPO, "src", "provider", "plugin"), process.env.PATH].filter(Boolean).join(":"),
                    [CALL_LOG_ENV]: callLog,
                    PULUMI_HOME: pulumiHome,
                    PULUMI_BACKEND_URL: `file://${backendDir}`,
                    PULUMI_CONFIG_PASSPHRASE: "skymount-e2e",
                    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
                    // The program's own AWS credentials, as a user's (its sync's); no endpoint: the SDK picks AWS's.
                    AWS_ACCESS_KEY_ID: testbed.s3.accessKey,
                    AWS_SECRET_ACCESS_KEY: testbed.s3.secretKey,
                },
            },
        );
        stacks.push(stack);
        await stack.setAllConfig({
            "aws:region": { value: REGION },
            sshPublicKey: { value: keys.public },
            sshPrivateKey: { value: keys.private, secret: true },
            geesefsUrl: { value: testbed.mirror.geesefs.url },
            geesefsSha256: { value: testbed.mirror.geesefs.sha256 },
            setup: { value: SETUP },
        });
        const names = { datasets: `skymount-${stackName}-datasets`, checkpoints: `skymount-${stackName}-checkpoints` };
        buckets.push(names.datasets, names.checkpoints);
        return { stack, ...names };
    }

    /** `up`, then the machines as the real-cloud suite checks them, then the task's log on each. */
    async function upAndCheck(stack: Stack, datasets: string, checkpoints: string): Promise<{ id: string; address: string }[]> {
        const result = await stack.up();
        assert.equal(result.summary.result, "succeeded");
        const calls = newCalls();
        const booted = bootedInstances(calls);
        assert.equal(booted.length, 2);
        assert.deepEqual([...(result.outputs.addresses.value as string[])].sort(), booted.map((i) => i.address).sort());
        assert.deepEqual(result.outputs.sshUsers.value, ["ubuntu", "ubuntu"]);
        assert.deepEqual(
            [...(result.outputs.mounted.value as string[])].sort(),
            ["node-0", "node-1"].flatMap((node) => [
                `${node}:/checkpoints <- ${checkpoints} (rw)`,
                `${node}:/data <- ${datasets}/iris (ro)`,
            ]),
        );
        assert.deepEqual(await objects(datasets), ["iris/sample.csv"]);
        assert.ok(namesReached(testbed).includes(`${datasets}.s3.${REGION}.amazonaws.com`), namesReached(testbed).join(" "));
        const machines = booted.map((i) => ({ address: i.address, user: "ubuntu", keyFile }));
        const runId = stack.name;
        await checkMachines(
            machines,
            {
                cloud: "aws",
                runId,
                dataFiles: DATA_FILES,
                runOutput: "done.txt",
                awsDataset: { bucket: datasets, region: REGION, prefix: "iris" },
            },
            () => undefined,
        );
        for (const { id } of booted) {
            const host = findCloudHost(id);
            assert.ok(host, `no testbed host for instance ${id}`);
            const login = { ...host, init: "none" as const, port: 22, user: "ubuntu", privateKeyPath: keyFile };
            assert.match(await onHost(login, `sudo cat ${JOB_LOG}`), new RegExp(`^rows: ${DATA_ROWS}$`, "m"));
        }
        return booted;
    }

    before(() => {
        writeFileSync(keyFile, keys.private, { mode: 0o600 });
        installStandin("aws", awsSdkVersion(), pulumiHome);
        // The example as a user has it after `npm install`: skymount (this checkout, built) and @pulumi beside it.
        cpSync(EXAMPLE, copy, {
            recursive: true,
            filter: (from) => !/node_modules|Pulumi\.[^/]+\.yaml$/.test(path.relative(EXAMPLE, from)),
        });
        mkdirSync(path.join(copy, "node_modules"));
        symlinkSync(path.join(REPO, "node_modules", "@pulumi"), path.join(copy, "node_modules", "@pulumi"));
        symlinkSync(REPO, path.join(copy, "node_modules", "skymount"));
        buildSkymount();
    });

    before(async () => {
        pulumi = await pulumiWithCloudNames(path.join(work, "pulumi-cli"));
    });

    after(async () => {
        for (const stack of stacks) await stack.destroy().catch(() => undefined);
        for (const { id } of bootedInstances(readCalls(callLog))) {
            const host = findCloudHost(id);
            if (host) await stopCloudHost(host);
        }
        // The example's buckets are persistent: its destroy leaves them, the test removes them.
        Object.assign(process.env, standinEnv);
        for (const bucket of buckets) await s3BucketModel.delete(bucket, { forceDestroy: true }).catch(() => undefined);
        s3.destroy();
        rmSync(work, { recursive: true, force: true });
    });

    describe("TypeScript: index.ts", () => {
        let stack: Stack;
        let datasets: string;
        let checkpoints: string;
        let booted: { id: string; address: string }[];
        /** What `up` created, by type and id. */
        let created: { type: string; id: string }[];

        it("preview: the machines' addresses and the buckets' fresh values are unknown, and nothing is created", async () => {
            ({ stack, datasets, checkpoints } = await exampleStack(copy, {}));
            const preview = await stack.preview({ diff: true });
            const calls = newCalls();
            assert.equal(calls.filter((c) => c.method === "check" && c.type === INSTANCE).length, 2);
            assert.deepEqual(
                calls.filter((c) => c.method !== "check" && c.method !== "invoke"),
                [],
            );
            assert.equal(await bucketExists(datasets), false);
            assert.equal(await bucketExists(checkpoints), false);
            assert.match(
                preview.stdout,
                /RemoteCommand::train-node-0-install\]\s+check\s*:[^\n]*\n\s*connection: \[unknown\]/,
                preview.stdout,
            );
            assert.doesNotMatch(preview.stdout, /connection\s*: \{/);
            assert.match(preview.stdout, /BucketPublicAccessBlock: \(create\)[^+]*bucket\s*: \[unknown\]/, preview.stdout);
            assert.match(preview.stdout, /addresses\s*: output<string>|addresses\s*: \[unknown\]/, preview.stdout);
        });

        it("up creates the buckets, fills the dataset, boots two instances, mounts both volumes, runs setup and run", async () => {
            seen = readCalls(callLog).length;
            booted = await upAndCheck(stack, datasets, checkpoints);
            created = readCalls(callLog)
                .filter((c) => c.method === "create")
                .map((c) => ({ type: c.type, id: (c.result as { id: string }).id }));
        });

        it("a second up runs nothing: every resource the same, no create, update or delete reaches the stand-in", async () => {
            const result = await stack.up();
            assert.deepEqual(Object.keys(result.summary.resourceChanges ?? {}), ["same"]);
            assert.deepEqual(
                newCalls().filter((c) => !["check", "diff", "invoke"].includes(c.method)),
                [],
            );
        });

        it("refresh after an instance was terminated out of band reports it gone", async () => {
            await stopCloudHost(findCloudHost(booted[1].id)!);
            assert.equal((await stack.refresh()).summary.result, "succeeded");
            const reads = newCalls().filter((c) => c.method === "read" && c.type === INSTANCE);
            const answer = (id: string) => (reads.find((c) => c.id === id)?.result as { id: string } | undefined)?.id;
            assert.equal(answer(booted[1].id), "");
            assert.equal(answer(booted[0].id), booted[0].id);
        });

        it("destroy keeps both persistent buckets with their objects and removes everything else", async () => {
            assert.equal((await stack.destroy()).summary.result, "succeeded");
            const deleted = newCalls()
                .filter((c) => c.method === "delete" && c.error === undefined)
                .map((c) => `${c.type} ${c.id}`)
                .sort();
            const expected = created
                .filter((c) => !c.type.startsWith("aws:s3/") && c.id !== booted[1].id)
                .map((c) => `${c.type} ${c.id}`)
                .sort();
            assert.deepEqual(deleted, expected);
            assert.deepEqual(await objects(datasets), ["iris/sample.csv"]);
            assert.ok((await objects(checkpoints)).includes("done.txt"));
            assert.equal(findCloudHost(booted[0].id), undefined);
            assert.deepEqual((await stack.exportStack()).deployment.resources ?? [], []);
        });
    });

    describe("Python: python/__main__.py through skymount's plugin", () => {
        it("up mounts the same volumes on two instances, and destroy keeps the buckets", async () => {
            const workDir = path.join(copy, "python");
            const { stack, datasets, checkpoints } = await exampleStack(workDir, pythonExampleEnv(workDir));
            seen = readCalls(callLog).length;
            const booted = await upAndCheck(stack, datasets, checkpoints);
            assert.equal((await stack.destroy()).summary.result, "succeeded");
            const deletes = newCalls().filter((c) => c.method === "delete");
            assert.deepEqual(
                deletes.filter((c) => c.type.startsWith("aws:s3/")),
                [],
            );
            assert.deepEqual(
                deletes
                    .filter((c) => c.type === INSTANCE)
                    .map((c) => c.id)
                    .sort(),
                booted.map((i) => i.id).sort(),
            );
            assert.deepEqual(await objects(datasets), ["iris/sample.csv"]);
        });
    });
});
