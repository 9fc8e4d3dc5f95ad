// examples/aws itself, as a user has it, through the real engine and the AWS stand-in
// (tools/standins/aws/): the TypeScript program (index.ts, `skymount` resolved to this checkout) and the
// Python one (python/, through skymount's plugin and the generated SDK), set up by support/exampleAws.ts.
// No endpoint anywhere: the engine runs under the testbed's cloud names, so the sync reaches
// https://<bucket>.s3.eu-west-1.amazonaws.com, and so does geesefs on the instances: fresh testbed hosts
// with the image's user "ubuntu" (root through sudo) and an IMDSv2 serving the instance role's
// credentials from MinIO's STS, which enforces the role's generated policy. The machines are checked as
// the real-cloud suite checks them (the dataset's prefix at /data on both, a write there refused with
// EROFS and the same write with the role's credentials refused by the server with AccessDenied, a
// checkpoint written on one read on the other, the task's output); here also the role from IMDSv2 (a
// token required; its prefix readable, a sibling prefix not) and its credentials rotating under the
// running mounts. A second `up` runs nothing, `refresh` after an instance was terminated out of band
// reports it, `destroy` keeps the persistent buckets and removes everything else. The testbed's apt
// mirror serves no python3-numpy: `setup` (the example's optional config key) installs what it serves.
import { GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { Stack } from "@pulumi/pulumi/automation";
import assert from "node:assert/strict";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { READ_ONLY_STAT_CACHE_TTL_SECONDS } from "../../src/skyVolume/plan";
import { findCloudHost, stopCloudHost } from "../../tools/testbed/cloudHosts";
import { ExampleAws, IMDS_TTL, INSTANCE, Instance, REGION } from "./support/exampleAws";
import { pythonExampleEnv } from "./support/examples";
import { IMDS, imdsGet, outcome, roleClient, servedKeys } from "./support/instanceRole";
import { eventually, onHost } from "./support/testbed";

const ACCOUNT = "123456789012";

describe("examples/aws through the real engine and the AWS stand-in", () => {
    const example = new ExampleAws();
    const s3 = example.s3;
    before(() => example.setUp());
    after(() => example.tearDown());

    describe("TypeScript: index.ts", () => {
        let stack: Stack;
        let datasets: string;
        let checkpoints: string;
        let booted: Instance[];
        /** What `up` created, by type and id, with what the stand-in answered. */
        let created: { type: string; id: string; outs: Record<string, unknown> }[];
        /** The keys the second instance's metadata service had served when the no-op up began. */
        let rotationBaseline: { before: string[]; at: number };

        it("preview: the machines' addresses and the buckets' fresh values are unknown, and nothing is created", async () => {
            ({ stack, datasets, checkpoints } = await example.stack(example.copy, {}));
            const preview = await stack.preview({ diff: true });
            const calls = example.newCalls();
            const amiLookups = calls.filter((c) => c.method === "invoke" && c.type === "aws:ec2/getAmi:getAmi");
            assert.ok(amiLookups.length > 0 && amiLookups.every((c) => /^ami-[0-9a-f]{17}$/.test(String((c.result as { id: string }).id))));
            assert.equal(calls.filter((c) => c.method === "check" && c.type === INSTANCE).length, 2);
            assert.deepEqual(
                calls.filter((c) => c.method !== "check" && c.method !== "invoke"),
                [],
            );
            assert.equal(await example.bucketExists(datasets), false);
            assert.equal(await example.bucketExists(checkpoints), false);
            // What reaches the machines waits for their addresses; what takes a bucket's id, for its Create.
            assert.match(
                preview.stdout,
                /RemoteCommand::train-node-0-install\]\s+check\s*:[^\n]*\n\s*connection: \[unknown\]/,
                preview.stdout,
            );
            assert.doesNotMatch(preview.stdout, /connection\s*: \{/);
            assert.match(preview.stdout, /BucketPublicAccessBlock: \(create\)[^+]*bucket\s*: \[unknown\]/, preview.stdout);
        });

        it("up creates the buckets, fills the dataset, boots two instances, mounts both volumes, runs setup and run", async () => {
            const up = await example.upAndCheck({ stack, datasets, checkpoints });
            booted = up.booted;
            created = up.calls
                .filter((c) => c.method === "create")
                .map((c) => ({ type: c.type, ...(c.result as { id: string; outs: Record<string, unknown> }) }));
            const made = (type: string) => created.filter((c) => c.type === type);
            for (const instance of made(INSTANCE)) {
                assert.match(instance.id, /^i-[0-9a-f]{17}$/);
                assert.equal(instance.outs.arn, `arn:aws:ec2:${REGION}:${ACCOUNT}:instance/${instance.id}`);
            }
            assert.match(made("aws:ec2/securityGroup:SecurityGroup")[0].id, /^sg-[0-9a-f]{17}$/);
            assert.match(String(made("aws:ec2/keyPair:KeyPair")[0].outs.keyPairId), /^key-[0-9a-f]{17}$/);
            assert.match(
                String(made("aws:iam/role:Role")[0].outs.arn),
                new RegExp(`^arn:aws:iam::${ACCOUNT}:role/train-role-[0-9a-f]{7}$`),
            );
            assert.match(String(made("aws:iam/instanceProfile:InstanceProfile")[0].outs.arn), /^arn:aws:iam::\d{12}:instance-profile\//);
            for (const { id } of booted) assert.equal((await onHost(example.loginTo(id), "id -un; sudo -n id -un")).trim(), "ubuntu\nroot");
        });

        it("the role through IMDSv2: a token is required; its credentials read the dataset's prefix, not a sibling's", async () => {
            const host = example.loginTo(booted[0].id);
            const untokened = `curl -s -o /dev/null -w '%{http_code}' ${IMDS}/meta-data/iam/security-credentials/`;
            assert.equal((await onHost(host, untokened)).trim(), "401");
            assert.equal(await imdsGet(host, "meta-data/instance-id"), booted[0].id);
            assert.equal(await imdsGet(host, "meta-data/placement/region"), REGION);
            await s3.send(new PutObjectCommand({ Bucket: datasets, Key: "other/secret.txt", Body: "not yours\n" }));
            const { role, client } = await roleClient(host, example.testbed);
            try {
                assert.match(role, /^train-role-[0-9a-f]{7}$/);
                assert.equal(await outcome(client.send(new GetObjectCommand({ Bucket: datasets, Key: "iris/sample.csv" }))), "allowed");
                assert.equal(
                    await outcome(client.send(new GetObjectCommand({ Bucket: datasets, Key: "other/secret.txt" }))),
                    "AccessDenied",
                );
                const put = (bucket: string, key: string) =>
                    outcome(client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: "role\n" })));
                assert.equal(await put(datasets, "other/from-role.txt"), "AccessDenied");
                assert.equal(await put(checkpoints, "from-role.txt"), "allowed");
            } finally {
                client.destroy();
            }
            rotationBaseline = { before: servedKeys(example.hostOf(booted[1].id)), at: Date.now() };
            assert.ok(rotationBaseline.before.length > 0, "geesefs never asked the metadata service");
        });

        it("a second up runs nothing: every resource the same, no create, update or delete reaches the stand-in", async () => {
            const result = await stack.up();
            assert.deepEqual(Object.keys(result.summary.resourceChanges ?? {}), ["same"]);
            assert.deepEqual(
                example.newCalls().filter((c) => !["check", "diff", "invoke"].includes(c.method)),
                [],
            );
        });

        it("the role's credentials rotate under the running mounts: geesefs comes back for new ones and reads on", async () => {
            // The no-op up took longer than the credentials are served for; else wait out the rest.
            const { before, at } = rotationBaseline;
            await new Promise((r) => setTimeout(r, Math.max(0, at + (IMDS_TTL + 2) * 1000 - Date.now())));
            await s3.send(new PutObjectCommand({ Bucket: datasets, Key: "iris/more.csv", Body: "x,y\n1,2\n" }));
            const host = example.loginTo(booted[1].id);
            // A read-only mount sees a new object once its listing's cache has expired.
            await eventually(
                "more.csv through the mount",
                async () => assert.equal((await onHost(host, "cat /data/more.csv")).trim(), "x,y\n1,2"),
                (READ_ONLY_STAT_CACHE_TTL_SECONDS + 20) * 1000,
            );
            await onHost(host, "echo after rotation > /checkpoints/rotated.txt && sync /checkpoints/rotated.txt");
            const after = servedKeys(example.hostOf(booted[1].id)).slice(before.length);
            assert.ok(after.length > 0, "geesefs did not come back for credentials after they expired");
            assert.notEqual(after[after.length - 1], before[before.length - 1]);
        });

        it("refresh after an instance was terminated out of band reports it gone", async () => {
            await stopCloudHost(example.hostOf(booted[1].id));
            assert.equal((await stack.refresh()).summary.result, "succeeded");
            const reads = example.newCalls().filter((c) => c.method === "read" && c.type === INSTANCE);
            const answer = (id: string) => (reads.find((c) => c.id === id)?.result as { id: string } | undefined)?.id;
            assert.equal(answer(booted[1].id), "");
            assert.equal(answer(booted[0].id), booted[0].id);
        });

        it("destroy keeps both persistent buckets with their objects and removes everything else", async () => {
            assert.equal((await stack.destroy()).summary.result, "succeeded");
            const deleted = example
                .newCalls()
                .filter((c) => c.method === "delete" && c.error === undefined)
                .map((c) => `${c.type} ${c.id}`)
                .sort();
            const expected = created
                .filter((c) => !c.type.startsWith("aws:s3/") && c.id !== booted[1].id)
                .map((c) => `${c.type} ${c.id}`)
                .sort();
            assert.deepEqual(deleted, expected);
            assert.deepEqual(await example.objects(datasets), ["iris/more.csv", "iris/sample.csv", "other/secret.txt"]);
            assert.ok((await example.objects(checkpoints)).includes("done.txt"));
            assert.equal(findCloudHost(booted[0].id), undefined);
            assert.deepEqual((await stack.exportStack()).deployment.resources ?? [], []);
        });
    });

    describe("Python: python/__main__.py through skymount's plugin", () => {
        it("up mounts the same volumes on two instances, and destroy keeps the buckets", async () => {
            const workDir = path.join(example.copy, "python");
            const python = await example.stack(workDir, pythonExampleEnv(workDir));
            const { booted } = await example.upAndCheck(python);
            assert.equal((await python.stack.destroy()).summary.result, "succeeded");
            const deletes = example.newCalls().filter((c) => c.method === "delete");
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
            assert.deepEqual(await example.objects(python.datasets), ["iris/sample.csv"]);
        });
    });
});
