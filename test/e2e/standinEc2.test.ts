// SkyCompute with `provider: "aws"` through the real engine and the AWS stand-in (tools/standins/aws/),
// installed into this test's own PULUMI_HOME: preview looks the image up and leaves the machines'
// addresses unknown, and boots nothing; `up` boots two fresh testbed hosts (the instances), skymount
// logs in as the image's user "ubuntu" and reaches root through sudo, installs geesefs and mounts two
// buckets without keys: geesefs takes the instance role's credentials from the host's IMDSv2, which
// gets them from MinIO's STS, and MinIO enforces the role's generated policy (the read-only bucket
// refuses a write, the read-write bucket takes it; a read-only prefix volume mounts though the role may
// list nothing outside it, and the role is refused a sibling prefix). The credentials
// rotate (SKYMOUNT_STANDIN_IMDS_TTL) under the running mounts. A second `up` runs nothing, `refresh`
// after an instance was terminated out of band drops it, `destroy` stops the other host; the calls the
// stand-in recorded show each step.
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { LocalWorkspace, Stack } from "@pulumi/pulumi/automation";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { READ_ONLY_STAT_CACHE_TTL_SECONDS } from "../../src/skyVolume/plan";
import { ACCESS_KEY_ENV, S3_ENDPOINT_ENV, SECRET_KEY_ENV } from "../../tools/standins/aws/dataPlane";
import { IMDS_TTL_ENV } from "../../tools/standins/aws/imdsServer";
import { awsSdkVersion } from "../../tools/standins/aws/main";
import { CALL_LOG_ENV, readCalls, RecordedCall } from "../../tools/standins/callLog";
import { installStandin } from "../../tools/standins/install";
import { CloudHost, findCloudHost, stopCloudHost } from "../../tools/testbed/cloudHosts";
import { eventually, onHost, programsDir, requireTestbed, s3ClientFor, TestbedHost, uniqueName } from "./support/testbed";

const INSTANCE = "aws:ec2/instance:Instance";
const IMDS = "http://169.254.169.254/latest";
/** Seconds an instance's role credentials are served for: short, so they rotate during the test. */
const IMDS_TTL = 15;

describe("SkyCompute on AWS EC2 through the real engine and the AWS stand-in", () => {
    const testbed = requireTestbed();
    const s3 = s3ClientFor(testbed);
    const work = mkdtempSync(path.join(tmpdir(), "skymount-standin-ec2-"));
    const pulumiHome = path.join(work, "pulumi-home");
    const callLog = path.join(work, "calls.jsonl");
    const keyFile = path.join(work, "id_ed25519");
    const dataBucket = uniqueName("ec2-data");
    const outputBucket = uniqueName("ec2-out");
    const setsBucket = uniqueName("ec2-sets");
    let stack: Stack;
    let instanceIds: string[] = [];
    let seen = 0;
    /** What the second instance's metadata service had served when the no-op up began. */
    let rotationBaseline: { before: string[]; at: number };
    /** The calls recorded since the last look. */
    const newCalls = (): RecordedCall[] => {
        const calls = readCalls(callLog);
        const fresh = calls.slice(seen);
        seen = calls.length;
        return fresh;
    };
    const hostOf = (id: string): CloudHost => {
        const host = findCloudHost(id);
        assert.ok(host, `no testbed host for instance ${id}`);
        return host;
    };
    /** The instance's host as skymount reaches it: the image's user, the program's key. */
    /** The credentials the instance's metadata service served, one log line each (imdsServer.ts). */
    const served = (id: string) =>
        readFileSync(path.join(hostOf(id).dir, "imds.log"), "utf8")
            .split("\n")
            .filter((line) => line.includes("served credentials"));
    const loginTo = (id: string): TestbedHost => {
        const host = hostOf(id);
        return { ...host, init: "none", port: 22, user: "ubuntu", privateKeyPath: keyFile };
    };

    before(async () => {
        execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "standin-ec2", "-f", keyFile]);
        installStandin("aws", awsSdkVersion(), pulumiHome);
        await s3.send(new CreateBucketCommand({ Bucket: dataBucket }));
        await s3.send(new CreateBucketCommand({ Bucket: outputBucket }));
        await s3.send(new CreateBucketCommand({ Bucket: setsBucket }));
        await s3.send(new PutObjectCommand({ Bucket: setsBucket, Key: "iris/iris.csv", Body: "5.1,3.5,1.4,0.2,setosa\n" }));
        await s3.send(new PutObjectCommand({ Bucket: setsBucket, Key: "other/secret.txt", Body: "not yours\n" }));
        await s3.send(new PutObjectCommand({ Bucket: dataBucket, Key: "a.txt", Body: "alpha\n" }));
        const backendDir = path.join(work, "state");
        mkdirSync(backendDir);
        stack = await LocalWorkspace.createOrSelectStack(
            { stackName: "standinec2", workDir: path.join(programsDir, "standinEc2") },
            {
                envVars: {
                    [S3_ENDPOINT_ENV]: testbed.s3.endpoint,
                    [ACCESS_KEY_ENV]: testbed.s3.accessKey,
                    [SECRET_KEY_ENV]: testbed.s3.secretKey,
                    [IMDS_TTL_ENV]: String(IMDS_TTL),
                    [CALL_LOG_ENV]: callLog,
                    PULUMI_HOME: pulumiHome,
                    PULUMI_BACKEND_URL: `file://${backendDir}`,
                    PULUMI_CONFIG_PASSPHRASE: "skymount-e2e",
                    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
                },
            },
        );
        await stack.setAllConfig({
            sshPublicKey: { value: readFileSync(`${keyFile}.pub`, "utf8").trim() },
            sshPrivateKey: { value: readFileSync(keyFile, "utf8"), secret: true },
            dataBucket: { value: dataBucket },
            outputBucket: { value: outputBucket },
            setsBucket: { value: setsBucket },
        });
    });

    after(async () => {
        await stack?.destroy().catch(() => undefined);
        await stack?.workspace.removeStack(stack.name, { force: true }).catch(() => undefined);
        rmSync(path.join(programsDir, "standinEc2", "Pulumi.standinec2.yaml"), { force: true });
        for (const id of instanceIds) {
            const host = findCloudHost(id);
            if (host) await stopCloudHost(host);
        }
        s3.destroy();
        rmSync(work, { recursive: true, force: true });
    });

    it("preview: the image is looked up, the addresses are unknown, and nothing is created or booted", async () => {
        const preview = await stack.preview({ diff: true });
        const calls = newCalls();
        const amiLookups = calls.filter((c) => c.method === "invoke" && c.type === "aws:ec2/getAmi:getAmi");
        assert.ok(amiLookups.length > 0 && amiLookups.every((c) => /^ami-[0-9a-f]{17}$/.test(String((c.result as { id: string }).id))));
        assert.equal(calls.filter((c) => c.method === "check" && c.type === INSTANCE).length, 2);
        assert.deepEqual(
            calls.filter((c) => c.method !== "check" && c.method !== "invoke"),
            [],
        );
        assert.equal(findCloudHost("i-"), undefined);
        // What reaches the machines waits for their addresses: every command's connection is unknown.
        assert.match(preview.stdout, /RemoteCommand::train-node-0-install\]\s+check\s*:[^\n]*\n\s*connection: \[unknown\]/, preview.stdout);
        assert.doesNotMatch(preview.stdout, /connection\s*: \{/);
    });

    it("up boots two instances, logs in as ubuntu through sudo, and mounts the buckets and the prefix with the role's credentials", async () => {
        const result = await stack.up();
        assert.equal(result.summary.result, "succeeded");
        const creates = newCalls().filter((c) => c.method === "create");
        const made = (type: string) =>
            creates.filter((c) => c.type === type).map((c) => c.result as { id: string; outs: Record<string, unknown> });
        const instances = made(INSTANCE);
        assert.equal(instances.length, 2);
        instanceIds = instances.map((i) => i.id);
        for (const instance of instances) {
            assert.match(instance.id, /^i-[0-9a-f]{17}$/);
            assert.equal(instance.outs.arn, `arn:aws:ec2:us-east-1:123456789012:instance/${instance.id}`);
            assert.equal(instance.outs.publicIp, hostOf(instance.id).address);
        }
        assert.match(made("aws:ec2/securityGroup:SecurityGroup")[0].id, /^sg-[0-9a-f]{17}$/);
        assert.match(String(made("aws:ec2/keyPair:KeyPair")[0].outs.keyPairId), /^key-[0-9a-f]{17}$/);
        assert.match(String(made("aws:iam/role:Role")[0].outs.arn), /^arn:aws:iam::123456789012:role\/train-role-[0-9a-f]{7}$/);
        assert.match(String(made("aws:iam/instanceProfile:InstanceProfile")[0].outs.arn), /^arn:aws:iam::123456789012:instance-profile\//);
        const policy = JSON.stringify(JSON.parse(String(made("aws:iam/rolePolicy:RolePolicy")[0].outs.policy)));
        assert.match(policy, new RegExp(`arn:aws:s3:::${dataBucket}`));
        assert.deepEqual([...(result.outputs.addresses.value as string[])].sort(), instances.map((i) => String(i.outs.publicIp)).sort());
        assert.deepEqual(result.outputs.sshUsers.value, ["ubuntu", "ubuntu"]);
        for (const id of instanceIds) {
            const host = loginTo(id);
            assert.equal((await onHost(host, "id -un; sudo -n id -un")).trim(), "ubuntu\nroot");
            assert.equal((await onHost(host, "cat /data/a.txt")).trim(), "alpha");
            assert.match(await onHost(host, "touch /data/new.txt 2>&1 || true"), /Read-only file system/);
            // The prefix volume shows the prefix's keys, and only them.
            assert.equal((await onHost(host, "ls /iris; cat /iris/iris.csv")).trim(), "iris.csv\n5.1,3.5,1.4,0.2,setosa");
            await onHost(host, `echo from ${id} > /output/${id}.txt && sync /output/${id}.txt`);
        }
        for (const id of instanceIds)
            await eventually(`${id}.txt in ${outputBucket}`, async () => {
                const got = await s3.send(new GetObjectCommand({ Bucket: outputBucket, Key: `${id}.txt` }));
                assert.equal(await got.Body!.transformToString(), `from ${id}\n`);
            });
    });

    it("the instance role through IMDSv2: a token is required, and MinIO enforces the role's policy on its credentials", async () => {
        const host = loginTo(instanceIds[0]);
        assert.equal(
            (await onHost(host, `curl -s -o /dev/null -w '%{http_code}' ${IMDS}/meta-data/iam/security-credentials/`)).trim(),
            "401",
        );
        const token = `$(curl -sf -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 60' ${IMDS}/api/token)`;
        const get = (what: string) => onHost(host, `T=${token}; curl -sf -H "X-aws-ec2-metadata-token: $T" ${IMDS}/${what}`);
        assert.equal(await get("meta-data/instance-id"), instanceIds[0]);
        assert.equal(await get("meta-data/placement/region"), "us-east-1");
        const role = (await get("meta-data/iam/security-credentials/")).trim();
        assert.match(role, /^train-role-[0-9a-f]{7}$/);
        const credentials = JSON.parse(await get(`meta-data/iam/security-credentials/${role}`)) as Record<string, string>;
        assert.equal(credentials.Code, "Success");
        const client = new S3Client({
            endpoint: testbed.s3.endpoint,
            region: testbed.s3.region,
            forcePathStyle: true,
            maxAttempts: 1,
            credentials: {
                accessKeyId: credentials.AccessKeyId,
                secretAccessKey: credentials.SecretAccessKey,
                sessionToken: credentials.Token,
            },
        });
        const put = async (bucket: string, key = "from-role.txt") =>
            await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: "role\n" })).then(
                () => "allowed",
                (err: Error) => err.name,
            );
        const fetchAs = async (bucket: string, key: string) =>
            await client.send(new GetObjectCommand({ Bucket: bucket, Key: key })).then(
                () => "allowed",
                (err: Error) => err.name,
            );
        try {
            assert.equal(await put(outputBucket), "allowed");
            assert.equal(await put(dataBucket), "AccessDenied");
            // The prefix volume's grant: its prefix read-only, a sibling prefix neither read nor written.
            assert.equal(await fetchAs(setsBucket, "iris/iris.csv"), "allowed");
            assert.equal(await put(setsBucket, "iris/from-role.txt"), "AccessDenied");
            assert.equal(await put(setsBucket, "other/from-role.txt"), "AccessDenied");
            assert.equal(await fetchAs(setsBucket, "other/secret.txt"), "AccessDenied");
            const read = await client.send(new GetObjectCommand({ Bucket: dataBucket, Key: "a.txt" }));
            assert.equal(await read.Body!.transformToString(), "alpha\n");
        } finally {
            client.destroy();
        }
        rotationBaseline = { before: served(instanceIds[1]), at: Date.now() };
        assert.ok(rotationBaseline.before.length > 0, "geesefs never asked the metadata service");
    });

    it("a second up runs nothing: no create, update or delete reaches the stand-in", async () => {
        const result = await stack.up();
        assert.equal(result.summary.result, "succeeded");
        assert.deepEqual(Object.keys(result.summary.resourceChanges ?? {}), ["same"]);
        assert.deepEqual(
            newCalls().filter((c) => !["check", "diff", "invoke"].includes(c.method)),
            [],
        );
    });

    it("the role's credentials rotate under the running mount: geesefs comes back for new ones and reads on", async () => {
        // The no-op up took longer than the credentials are served for; else wait out the rest.
        const { before, at } = rotationBaseline;
        await new Promise((r) => setTimeout(r, Math.max(0, at + (IMDS_TTL + 2) * 1000 - Date.now())));
        await s3.send(new PutObjectCommand({ Bucket: dataBucket, Key: "b.txt", Body: "beta\n" }));
        const host = loginTo(instanceIds[1]);
        // A read-only mount sees a new object once its listing's cache (READ_ONLY_STAT_CACHE_TTL_SECONDS) has expired.
        await eventually(
            "b.txt through the mount",
            async () => assert.equal((await onHost(host, "cat /data/b.txt")).trim(), "beta"),
            (READ_ONLY_STAT_CACHE_TTL_SECONDS + 20) * 1000,
        );
        await onHost(host, "echo after rotation > /output/rotated.txt && sync /output/rotated.txt");
        const after = served(instanceIds[1]).slice(before.length);
        assert.ok(after.length > 0, "geesefs did not come back for credentials after they expired");
        const keyOf = (line: string) => /served credentials (\S+)/.exec(line)![1];
        assert.notEqual(keyOf(after[after.length - 1]), keyOf(before[before.length - 1]));
    });

    it("refresh after an instance was terminated out of band drops it from the state", async () => {
        await stopCloudHost(hostOf(instanceIds[1]));
        assert.equal((await stack.refresh()).summary.result, "succeeded");
        const reads = newCalls().filter((c) => c.method === "read" && c.type === INSTANCE);
        const answer = (id: string) => (reads.find((c) => c.id === id)?.result as { id: string } | undefined)?.id;
        assert.equal(answer(instanceIds[1]), "");
        assert.equal(answer(instanceIds[0]), instanceIds[0]);
    });

    it("destroy terminates the other instance and removes the role, profile, key pair and security group", async () => {
        assert.equal((await stack.destroy()).summary.result, "succeeded");
        const deletes = newCalls().filter((c) => c.method === "delete");
        assert.deepEqual(
            deletes.filter((c) => c.type === INSTANCE).map((c) => c.id),
            [instanceIds[0]],
        );
        for (const type of [
            "aws:iam/role:Role",
            "aws:iam/rolePolicy:RolePolicy",
            "aws:iam/instanceProfile:InstanceProfile",
            "aws:ec2/keyPair:KeyPair",
            "aws:ec2/securityGroup:SecurityGroup",
        ])
            assert.equal(deletes.filter((c) => c.type === type && c.error === undefined).length, 1, type);
        assert.equal(findCloudHost(instanceIds[0]), undefined);
    });
});
