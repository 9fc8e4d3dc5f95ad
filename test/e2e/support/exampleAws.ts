// examples/aws as a user has it, run by exampleAws.test.ts: a copy with `skymount` resolved to this
// checkout (built) and @pulumi beside it, the AWS stand-in installed into its own PULUMI_HOME, a Pulumi
// CLI under the testbed's cloud names, one stack per language configured as the example's header says
// (aws:region, a fresh SSH key pair, geesefs from the testbed's mirror), the calls the stand-in
// recorded, and `up` followed by the real-cloud suite's own checks of the machines
// (tools/cloudSuite/hostChecks.ts).
import { HeadBucketCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import { LocalWorkspace, PulumiCommand, Stack } from "@pulumi/pulumi/automation";
import assert from "node:assert/strict";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { JOB_LOG } from "../../../src/hostScripts/hostPaths";
import { checkMachines } from "../../../tools/cloudSuite/hostChecks";
import { buildSkymount } from "../../../tools/packInstall";
import { ACCESS_KEY_ENV, S3_ENDPOINT_ENV, SECRET_KEY_ENV } from "../../../tools/standins/aws/dataPlane";
import { IMDS_TTL_ENV } from "../../../tools/standins/aws/imdsServer";
import { awsSdkVersion } from "../../../tools/standins/aws/main";
import { s3BucketModel } from "../../../tools/standins/aws/s3Bucket";
import { CALL_LOG_ENV, readCalls, RecordedCall } from "../../../tools/standins/callLog";
import { installStandin } from "../../../tools/standins/install";
import { CloudHost, findCloudHost, stopCloudHost } from "../../../tools/testbed/cloudHosts";
import { ed25519KeyPair } from "../../support/sshKeyPair";
import { namesReached, pulumiWithCloudNames } from "./cloudNames";
import { onHost, requireTestbed, s3ClientFor, TestbedHost, uniqueName } from "./testbed";

const REPO = path.join(__dirname, "..", "..", "..");
const EXAMPLE = path.join(REPO, "examples", "aws");
export const REGION = "eu-west-1";
export const INSTANCE = "aws:ec2/instance:Instance";
/** What the machines' `setup` runs here: apt through sudo, of a package the testbed's mirror serves
 *  (it serves no python3-numpy, which the example's default installs). */
const SETUP = "sudo apt-get install -y fuse3";
/** Seconds an instance's role credentials are served for: short, so they rotate during the test. */
export const IMDS_TTL = 15;
const DATA_ROWS =
    readFileSync(path.join(EXAMPLE, "data", "sample.csv"), "utf8")
        .trim()
        .split("\n").length - 1;

export interface Instance {
    id: string;
    address: string;
}

export interface ExampleStack {
    stack: Stack;
    datasets: string;
    checkpoints: string;
}

/** The instances the calls booted: their ids and the addresses they answer at. */
export const bootedInstances = (calls: RecordedCall[]): Instance[] =>
    calls
        .filter((c) => c.method === "create" && c.type === INSTANCE && c.result !== undefined)
        .map((c) => c.result as { id: string; outs: { publicIp: string } })
        .map((r) => ({ id: r.id, address: r.outs.publicIp }));

export class ExampleAws {
    readonly testbed = requireTestbed();
    readonly s3 = s3ClientFor(this.testbed);
    private readonly work = mkdtempSync(path.join(tmpdir(), "skymount-example-aws-"));
    /** The TypeScript program; the Python one is its python/. */
    readonly copy = path.join(this.work, "aws");
    private readonly pulumiHome = path.join(this.work, "pulumi-home");
    private readonly callLog = path.join(this.work, "calls.jsonl");
    private readonly keyFile = path.join(this.work, "id_ed25519");
    private readonly keys = ed25519KeyPair();
    private readonly standinEnv = {
        [S3_ENDPOINT_ENV]: this.testbed.s3.endpoint,
        [ACCESS_KEY_ENV]: this.testbed.s3.accessKey,
        [SECRET_KEY_ENV]: this.testbed.s3.secretKey,
    };
    private readonly stacks: Stack[] = [];
    private readonly buckets: string[] = [];
    private pulumi?: PulumiCommand;
    private seen = 0;

    async setUp(): Promise<void> {
        writeFileSync(this.keyFile, this.keys.private, { mode: 0o600 });
        installStandin("aws", awsSdkVersion(), this.pulumiHome);
        // As after `npm install`: skymount (this checkout, built) and @pulumi in the program's node_modules.
        cpSync(EXAMPLE, this.copy, {
            recursive: true,
            filter: (from) => !/node_modules|Pulumi\.[^/]+\.yaml$/.test(path.relative(EXAMPLE, from)),
        });
        mkdirSync(path.join(this.copy, "node_modules"));
        symlinkSync(path.join(REPO, "node_modules", "@pulumi"), path.join(this.copy, "node_modules", "@pulumi"));
        symlinkSync(REPO, path.join(this.copy, "node_modules", "skymount"));
        buildSkymount();
        this.pulumi = await pulumiWithCloudNames(path.join(this.work, "pulumi-cli"));
    }

    async tearDown(): Promise<void> {
        for (const stack of this.stacks) await stack.destroy().catch(() => undefined);
        for (const { id } of bootedInstances(readCalls(this.callLog))) {
            const host = findCloudHost(id);
            if (host) await stopCloudHost(host);
        }
        // The example's buckets are persistent: its destroy leaves them, the test removes them.
        Object.assign(process.env, this.standinEnv);
        for (const bucket of this.buckets) await s3BucketModel.delete(bucket, { forceDestroy: true }).catch(() => undefined);
        this.s3.destroy();
        rmSync(this.work, { recursive: true, force: true });
    }

    /** The calls recorded since the last look. */
    newCalls(): RecordedCall[] {
        const calls = readCalls(this.callLog);
        const fresh = calls.slice(this.seen);
        this.seen = calls.length;
        return fresh;
    }

    async objects(bucket: string): Promise<string[]> {
        return ((await this.s3.send(new ListObjectsV2Command({ Bucket: bucket }))).Contents ?? []).map((o) => o.Key!).sort();
    }

    async bucketExists(bucket: string): Promise<boolean> {
        return this.s3.send(new HeadBucketCommand({ Bucket: bucket })).then(
            () => true,
            () => false,
        );
    }

    hostOf(id: string): CloudHost {
        const host = findCloudHost(id);
        assert.ok(host, `no testbed host for instance ${id}`);
        return host;
    }

    /** The instance's host as skymount reaches it: the image's user, the program's key. */
    loginTo(id: string): TestbedHost {
        return { ...this.hostOf(id), init: "none", port: 22, user: "ubuntu", privateKeyPath: this.keyFile };
    }

    /** A stack of the example in `workDir` (with `env` for its language), configured as its header says. */
    async stack(workDir: string, env: Record<string, string>): Promise<ExampleStack> {
        const stackName = uniqueName("exaws").replace(/-/g, "");
        const backendDir = path.join(this.work, `state-${stackName}`);
        mkdirSync(backendDir);
        const stack = await LocalWorkspace.createOrSelectStack(
            { stackName, workDir },
            {
                pulumiCommand: this.pulumi,
                envVars: {
                    ...this.standinEnv,
                    ...env,
                    // The engine finds skymount's provider (the Python program's) by its name on PATH.
                    PATH: [env.PATH, path.join(REPO, "src", "provider", "plugin"), process.env.PATH].filter(Boolean).join(":"),
                    [IMDS_TTL_ENV]: String(IMDS_TTL),
                    [CALL_LOG_ENV]: this.callLog,
                    PULUMI_HOME: this.pulumiHome,
                    PULUMI_BACKEND_URL: `file://${backendDir}`,
                    PULUMI_CONFIG_PASSPHRASE: "skymount-e2e",
                    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
                    // The program's own AWS credentials, as a user's (its sync's); no endpoint: the SDK picks AWS's.
                    AWS_ACCESS_KEY_ID: this.testbed.s3.accessKey,
                    AWS_SECRET_ACCESS_KEY: this.testbed.s3.secretKey,
                },
            },
        );
        this.stacks.push(stack);
        await stack.setAllConfig({
            "aws:region": { value: REGION },
            sshPublicKey: { value: this.keys.public },
            sshPrivateKey: { value: this.keys.private, secret: true },
            geesefsUrl: { value: this.testbed.mirror.geesefs.url },
            geesefsSha256: { value: this.testbed.mirror.geesefs.sha256 },
            setup: { value: SETUP },
        });
        const names = { datasets: `skymount-${stackName}-datasets`, checkpoints: `skymount-${stackName}-checkpoints` };
        this.buckets.push(names.datasets, names.checkpoints);
        return { stack, ...names };
    }

    /** `up`, then the machines as the real-cloud suite checks them, and the task's log on each; the
     *  instances `up` booted and the calls it made. */
    async upAndCheck({ stack, datasets, checkpoints }: ExampleStack): Promise<{ booted: Instance[]; calls: RecordedCall[] }> {
        this.newCalls();
        const result = await stack.up();
        assert.equal(result.summary.result, "succeeded");
        const calls = this.newCalls();
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
        assert.deepEqual(await this.objects(datasets), ["iris/sample.csv"]);
        const reached = namesReached(this.testbed);
        assert.ok(reached.includes(`${datasets}.s3.${REGION}.amazonaws.com`), reached.join(" "));
        await checkMachines(
            booted.map((i) => ({ address: i.address, user: "ubuntu", keyFile: this.keyFile })),
            {
                cloud: "aws",
                runId: stack.name,
                dataFiles: ["sample.csv"],
                runOutput: "done.txt",
                awsDataset: { bucket: datasets, region: REGION, prefix: "iris" },
            },
            () => undefined,
        );
        for (const { id } of booted)
            assert.match(await onHost(this.loginTo(id), `sudo cat ${JOB_LOG}`), new RegExp(`^rows: ${DATA_ROWS}$`, "m"));
        return { booted, calls };
    }
}
