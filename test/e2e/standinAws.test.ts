// SkyStorage with store s3 through the real engine and the AWS stand-in (tools/standins/aws/),
// installed into this test's own PULUMI_HOME at the version of @pulumi/aws in the lockfile: preview
// leaves the bucket's computed outputs unknown and creates nothing, `up` makes the bucket on the
// testbed's MinIO (versioned when asked) and skymount's sync fills it, a second `up` changes nothing,
// `refresh` after the bucket was deleted out of band drops it, the next `up` makes it again,
// `destroy` keeps a persistent bucket (no Delete reaches the provider) and deletes an ephemeral one.
// With aws.hostKeys the server itself refuses the read-only key a write (the IAM policy skymount
// generated, applied by the stand-in as a MinIO policy). The recorded calls prove the stand-in served
// the program: without it, nothing passes. (What the stand-in answers to Check and Diff on its own,
// replacement included, is test/unit/standinProvider.test.ts.)
// No endpoint is overridden: under tools/testbed/with-cloud-names.sh the sync reaches
// https://<bucket>.s3.us-east-1.amazonaws.com as on AWS; the ephemeral bucket is mounted read-only on a
// host whose geesefs reaches the same name, where a write fails (EROFS) and the same write signed with
// the host's own key is refused by the server (AccessDenied).
import {
    GetBucketVersioningCommand,
    GetObjectCommand,
    HeadBucketCommand,
    ListObjectsV2Command,
    PutObjectCommand,
    S3Client,
} from "@aws-sdk/client-s3";
import { LocalWorkspace, PulumiCommand, Stack } from "@pulumi/pulumi/automation";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { CALL_LOG_ENV, readCalls, RecordedCall } from "../../tools/standins/callLog";
import { ACCESS_KEY_ENV, S3_ENDPOINT_ENV, SECRET_KEY_ENV } from "../../tools/standins/aws/dataPlane";
import { awsSdkVersion } from "../../tools/standins/aws/main";
import { s3BucketModel } from "../../tools/standins/aws/s3Bucket";
import { installStandin } from "../../tools/standins/install";
import { namesReached, pulumiWithCloudNames, putFromHost } from "./support/cloudNames";
import { onHost, programsDir, requireTestbed, s3ClientFor, uniqueName } from "./support/testbed";

const BUCKET_TYPE = "aws:s3/bucket:Bucket";

describe("SkyStorage on AWS S3 through the real engine and the AWS stand-in", () => {
    const testbed = requireTestbed();
    const s3 = s3ClientFor(testbed);
    const work = mkdtempSync(path.join(tmpdir(), "skymount-standin-aws-"));
    const pulumiHome = path.join(work, "pulumi-home");
    const callLog = path.join(work, "calls.jsonl");
    const source = path.join(work, "source");
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
    const bucketExists = async (bucket: string) =>
        await s3.send(new HeadBucketCommand({ Bucket: bucket })).then(
            () => true,
            () => false,
        );
    const keysOf = async (bucket: string) =>
        ((await s3.send(new ListObjectsV2Command({ Bucket: bucket }))).Contents ?? []).map((o) => o.Key!).sort();

    async function newStack(
        name: string,
        aws: { persistent: boolean; hostKeys: boolean; versioning: boolean },
        extraConfig: Record<string, string> = {},
    ): Promise<Stack> {
        const backendDir = path.join(work, `state-${stacks.length}`);
        mkdirSync(backendDir);
        const stackName = `standin${stacks.length}`;
        const stack = await LocalWorkspace.createOrSelectStack(
            { stackName, workDir: path.join(programsDir, "standinAws") },
            {
                pulumiCommand: pulumi,
                envVars: {
                    ...standinEnv,
                    PULUMI_HOME: pulumiHome,
                    PULUMI_BACKEND_URL: `file://${backendDir}`,
                    PULUMI_CONFIG_PASSPHRASE: "skymount-e2e",
                    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
                    [CALL_LOG_ENV]: callLog,
                    // The program's own AWS credentials, as a user's; no endpoint: the SDK picks AWS's.
                    AWS_ACCESS_KEY_ID: testbed.s3.accessKey,
                    AWS_SECRET_ACCESS_KEY: testbed.s3.secretKey,
                    AWS_REGION: testbed.s3.region,
                },
            },
        );
        stacks.push(stack);
        buckets.push(name);
        await stack.setAllConfig({
            name: { value: name },
            source: { value: source },
            persistent: { value: String(aws.persistent) },
            hostKeys: { value: String(aws.hostKeys) },
            versioning: { value: String(aws.versioning) },
            ...Object.fromEntries(Object.entries(extraConfig).map(([key, value]) => [key, { value }])),
        });
        return stack;
    }

    before(async () => {
        pulumi = await pulumiWithCloudNames(path.join(work, "pulumi-cli"));
        mkdirSync(path.join(source, "nested"), { recursive: true });
        writeFileSync(path.join(source, "a.txt"), "alpha\n");
        writeFileSync(path.join(source, "nested", "b.txt"), "beta\n");
        installStandin("aws", awsSdkVersion(), pulumiHome);
    });

    after(async () => {
        for (const stack of stacks) {
            await stack.destroy().catch(() => undefined);
            await stack.workspace.removeStack(stack.name, { force: true }).catch(() => undefined);
            rmSync(path.join(programsDir, "standinAws", `Pulumi.${stack.name}.yaml`), { force: true });
        }
        Object.assign(process.env, standinEnv);
        for (const bucket of buckets) await s3BucketModel.delete(bucket, { forceDestroy: true }).catch(() => undefined);
        s3.destroy();
        rmSync(work, { recursive: true, force: true });
    });

    describe("a persistent bucket (skymount's default)", () => {
        const name = uniqueName("standin");
        let stack: Stack;

        it("preview: the stand-in checks the bucket, creates nothing, and its id is unknown to what depends on it", async () => {
            stack = await newStack(name, { persistent: true, hostKeys: false, versioning: true });
            const preview = await stack.preview({ diff: true });
            const calls = newCalls();
            assert.ok(
                calls.some((c) => c.method === "check" && c.type === BUCKET_TYPE && c.inputs?.bucket === name),
                `the stand-in never checked the bucket: ${JSON.stringify(calls)}`,
            );
            assert.deepEqual(
                calls.filter((c) => c.method !== "check"),
                [],
            );
            assert.equal(await bucketExists(name), false);
            // The public access block takes the bucket's id, which only Create gives.
            assert.match(preview.stdout, /BucketPublicAccessBlock: \(create\)[^+]*bucket\s*: \[unknown\]/, preview.stdout);
        });

        it("up: the bucket is made on MinIO with AWS's id and ARN, versioned, and skymount's sync fills it", async () => {
            const result = await stack.up();
            assert.equal(result.summary.result, "succeeded");
            const creates = newCalls().filter((c) => c.method === "create" && c.type === BUCKET_TYPE);
            assert.equal(creates.length, 1);
            const outs = creates[0].result as { id: string; outs: Record<string, unknown> };
            assert.equal(outs.id, name);
            assert.equal(outs.outs.arn, `arn:aws:s3:::${name}`);
            assert.equal(outs.outs.bucketRegionalDomainName, `${name}.s3.us-east-1.amazonaws.com`);
            assert.equal(result.outputs.bucket.value, name);
            assert.deepEqual(await keysOf(name), ["a.txt", "nested/b.txt"]);
            // aws.versioning: the stand-in turned versioning on at the server.
            assert.equal((await s3.send(new GetBucketVersioningCommand({ Bucket: name }))).Status, "Enabled");
            assert.deepEqual(result.outputs.syncSummaries.value, ["2 added (a.txt, nested/b.txt); 0 changed; 0 removed"]);
            // The sync reached the bucket under AWS's own virtual-hosted name, through the TLS front.
            assert.ok(namesReached(testbed).includes(`${name}.s3.us-east-1.amazonaws.com`), namesReached(testbed).join(" "));
        });

        it("a second up changes nothing: no create, update or delete reaches the stand-in", async () => {
            const result = await stack.up();
            assert.equal(result.summary.result, "succeeded");
            assert.deepEqual(Object.keys(result.summary.resourceChanges ?? {}), ["same"]);
            assert.deepEqual(
                newCalls().filter((c) => c.method !== "check" && c.method !== "diff"),
                [],
            );
        });

        it("refresh after the bucket is deleted out of band drops it and its settings; the next up makes and fills it again", async () => {
            Object.assign(process.env, standinEnv);
            await s3BucketModel.delete(name, { forceDestroy: true });
            assert.equal((await stack.refresh()).summary.result, "succeeded");
            const reads = newCalls().filter((c) => c.method === "read" && c.type.startsWith("aws:s3/"));
            assert.equal(reads.length, 5, JSON.stringify(reads));
            for (const read of reads) assert.equal((read.result as { id: string }).id, "", `${read.type} still there`);
            assert.equal((await stack.up()).summary.result, "succeeded");
            const creates = newCalls().filter((c) => c.method === "create");
            assert.deepEqual(creates.map((c) => c.type).sort(), reads.map((c) => c.type).sort());
            assert.deepEqual(await keysOf(name), ["a.txt", "nested/b.txt"]);
            assert.equal((await s3.send(new GetBucketVersioningCommand({ Bucket: name }))).Status, "Enabled");
        });

        it("destroy keeps the bucket and its objects: no Delete of it reaches the stand-in", async () => {
            const result = await stack.destroy();
            assert.equal(result.summary.result, "succeeded");
            const deletes = newCalls().filter((c) => c.method === "delete");
            assert.deepEqual(
                deletes.filter((c) => c.type === BUCKET_TYPE),
                [],
            );
            assert.deepEqual(await keysOf(name), ["a.txt", "nested/b.txt"]);
        });

        it("the stand-in refuses to delete a bucket that holds objects unless forceDestroy is set", async () => {
            Object.assign(process.env, standinEnv);
            await assert.rejects(s3BucketModel.delete(name, { forceDestroy: false }), /BucketNotEmpty/);
            assert.equal(await bucketExists(name), true);
        });
    });

    describe("an ephemeral bucket (persistent: false) with host keys (aws.hostKeys)", () => {
        const name = uniqueName("standin-eph");
        const host = testbed.hosts[0];
        const mount = "/mnt/standin-dataset";
        let stack: Stack;
        let keys: Record<"hostKeys" | "readOnlyHostKeys", { accessKey: string; secretKey: string }>;
        /** A client that signs with one of the host keys, as geesefs on an off-AWS host would. */
        const signingWith = (key: { accessKey: string; secretKey: string }) =>
            new S3Client({
                endpoint: testbed.s3.endpoint,
                region: testbed.s3.region,
                forcePathStyle: true,
                credentials: { accessKeyId: key.accessKey, secretAccessKey: key.secretKey },
                maxAttempts: 1,
            });
        const put = async (key: { accessKey: string; secretKey: string }, objectKey: string) => {
            const client = signingWith(key);
            try {
                await client.send(new PutObjectCommand({ Bucket: name, Key: objectKey, Body: "written by a host key\n" }));
                return "allowed";
            } catch (err) {
                return (err as Error).name;
            } finally {
                client.destroy();
            }
        };

        it("up declares an IAM user, its policy and an access key per access level, in AWS's formats", async () => {
            const volumeHost = JSON.stringify({ ...host, geesefs: testbed.mirror.geesefs, aptSource: testbed.mirror.aptSource, mount });
            stack = await newStack(name, { persistent: false, hostKeys: true, versioning: false }, { volumeHost });
            newCalls();
            const result = await stack.up();
            assert.equal(result.summary.result, "succeeded");
            keys = { hostKeys: result.outputs.hostKeys.value, readOnlyHostKeys: result.outputs.readOnlyHostKeys.value };
            assert.deepEqual(await keysOf(name), ["a.txt", "nested/b.txt"]);
            const creates = newCalls().filter((c) => c.method === "create");
            const made = (type: string) =>
                creates.filter((c) => c.type === type).map((c) => c.result as { id: string; outs: Record<string, unknown> });
            const users = made("aws:iam/user:User");
            assert.equal(users.length, 2);
            for (const user of users) assert.match(String(user.outs.arn), /^arn:aws:iam::\d{12}:user\/\S+$/);
            const policies = made("aws:iam/userPolicy:UserPolicy").map((p) => JSON.parse(String(p.outs.policy)) as unknown);
            assert.equal(policies.length, 2);
            for (const policy of policies) assert.match(JSON.stringify(policy), new RegExp(`arn:aws:s3:::${name}`));
            const accessKeys = made("aws:iam/accessKey:AccessKey");
            assert.equal(accessKeys.length, 2);
            assert.deepEqual(accessKeys.map((k) => k.id).sort(), [keys.hostKeys.accessKey, keys.readOnlyHostKeys.accessKey].sort());
            for (const key of accessKeys) {
                assert.match(key.id, /^AKIA[A-Z2-7]{16}$/);
                assert.equal(key.outs.secret, "[secret]");
            }
        });

        it("the server enforces the generated policies: the read-only key reads but is refused a write", async () => {
            const reader = signingWith(keys.readOnlyHostKeys);
            const got = await reader.send(new GetObjectCommand({ Bucket: name, Key: "a.txt" }));
            assert.equal(await got.Body!.transformToString(), "alpha\n");
            reader.destroy();
            assert.equal(await put(keys.readOnlyHostKeys, "from-ro.txt"), "AccessDenied");
            assert.equal(await put(keys.hostKeys, "from-rw.txt"), "allowed");
        });

        it("the read-only volume: geesefs on the host reads over TLS at AWS's name; a write fails, and the host's key is refused it", async () => {
            // geesefs has AWS's endpoint, virtual-hosted (the hosts share pids with other testbeds' hosts).
            const geesefs = await onHost(host, `ps -eo args | grep -F 'geesefs ${name} '`);
            assert.match(geesefs, /--endpoint=https:\/\/s3\.us-east-1\.amazonaws\.com,/, geesefs);
            assert.match(geesefs, /--subdomain/);
            assert.equal(await onHost(host, `cat ${mount}/a.txt ${mount}/nested/b.txt`), "alpha\nbeta");
            assert.match(await onHost(host, `(echo write > ${mount}/from-host.txt) 2>&1 || true`), /Read-only file system/);
            // The same write with the key the mount uses, signed on the host to AWS's name.
            const answer = await putFromHost(host, `https://${name}.s3.us-east-1.amazonaws.com/from-host.txt`, "us-east-1");
            assert.match(answer, new RegExp(`^key ${keys.readOnlyHostKeys.accessKey}\n`), answer);
            assert.match(answer, /<Code>AccessDenied<\/Code>.* HTTP 403$/s, answer);
            assert.ok(!(await keysOf(name)).includes("from-host.txt"));
        });

        it("destroy deletes the bucket, objects and all, and the identities", async () => {
            assert.equal((await stack.destroy()).summary.result, "succeeded");
            const deletes = newCalls().filter((c) => c.method === "delete");
            const bucketDeletes = deletes.filter((c) => c.type === BUCKET_TYPE);
            assert.equal(bucketDeletes.length, 1);
            assert.equal(bucketDeletes[0].error, undefined);
            assert.equal(await bucketExists(name), false);
            assert.equal(deletes.filter((c) => c.type === "aws:iam/accessKey:AccessKey").length, 2);
            assert.equal(await put(keys.hostKeys, "after-destroy.txt"), "InvalidAccessKeyId");
            assert.equal(await onHost(host, `mountpoint -q ${mount} && echo mounted || echo gone`), "gone");
        });
    });
});
