// What the AWS stand-in answers for the EC2 and IAM types of `provider: "aws"` before any host is
// booted: Check's defaults and refusals, Diff's replacements as @pulumi/aws decides them, and the
// getAmi data source, each call recorded. (Create, Read and Delete boot and stop testbed hosts:
// test/e2e/exampleAws.test.ts, which applies examples/aws.)
import { unknownValue } from "@pulumi/pulumi/runtime/rpc";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { ec2Functions, ec2Models } from "../../tools/standins/aws/ec2";
import { ec2InstanceModel } from "../../tools/standins/aws/ec2Instance";
import { iamRoleModels } from "../../tools/standins/aws/iamRole";
import { CALL_LOG_ENV, readCalls } from "../../tools/standins/callLog";
import { standinProvider } from "../../tools/standins/standinProvider";

const urn = (type: string, name: string) => `urn:pulumi:dev::proj::skymount:index:SkyCompute$${type}::${name}`;
const INSTANCE = "aws:ec2/instance:Instance";
const GET_AMI = "aws:ec2/getAmi:getAmi";

describe("the AWS stand-in's EC2 and IAM types, before any host", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "standin-ec2-unit-"));
    const log = path.join(dir, "calls.jsonl");
    process.env[CALL_LOG_ENV] = log;
    const aws = standinProvider("aws", "7.48.0", { ...ec2Models, ...iamRoleModels, [INSTANCE]: ec2InstanceModel }, ec2Functions);
    after(() => {
        delete process.env[CALL_LOG_ENV];
        rmSync(dir, { recursive: true, force: true });
    });

    const instance = { ami: "ami-0123456789abcdef0", instanceType: "t3.large", keyName: "train-key-1a2b3c4", region: "us-east-1" };

    it("replaces an instance on a new image or key, as the real provider does; a new type or tag changes it in place", async () => {
        const diff = (news: Record<string, unknown>) => aws.diff!("i-0123456789abcdef0", urn(INSTANCE, "train-node-0"), instance, news);
        assert.deepEqual(await diff({ ...instance, ami: "ami-0fedcba9876543210" }), { changes: true, replaces: ["ami"] });
        assert.deepEqual(await diff({ ...instance, keyName: "other" }), { changes: true, replaces: ["keyName"] });
        assert.deepEqual(await diff({ ...instance, instanceType: "t3.xlarge" }), { changes: true, replaces: [] });
        assert.deepEqual(await diff({ ...instance, tags: { Name: "n" } }), { changes: true, replaces: [] });
        assert.deepEqual(await diff(instance), { changes: false, replaces: [] });
        // At preview an image looked up in the same `up` is unknown: a replacement, announced.
        assert.deepEqual((await diff({ ...instance, ami: unknownValue })).replaces, ["ami"]);
    });

    it("getAmi answers an ami-… id that depends only on the query, named after its name filter", async () => {
        const query = {
            owners: ["099720109477"],
            mostRecent: true,
            filters: [{ name: "name", values: ["ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-*"] }],
            region: "us-east-1",
        };
        const first = await aws.invoke!(GET_AMI, query);
        const again = await aws.invoke!(GET_AMI, query);
        const elsewhere = await aws.invoke!(GET_AMI, { ...query, region: "eu-west-1" });
        assert.match(String(first.outputs.id), /^ami-[0-9a-f]{17}$/);
        assert.equal(again.outputs.id, first.outputs.id);
        assert.notEqual(elsewhere.outputs.id, first.outputs.id);
        assert.equal(first.outputs.name, "ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20250115");
        assert.equal(first.outputs.ownerId, "099720109477");
        const invokes = readCalls(log).filter((c) => c.method === "invoke");
        assert.equal(invokes.length, 3);
        assert.equal(invokes[0].type, GET_AMI);
        await assert.rejects(aws.invoke!("aws:ec2/getVpc:getVpc", {}), /aws:ec2\/getVpc:getVpc is not modelled/);
    });

    it("autonames a role, a security group and a key pair once, and keeps the names", async () => {
        for (const [type, field] of [
            ["aws:iam/role:Role", "name"],
            ["aws:ec2/securityGroup:SecurityGroup", "name"],
            ["aws:ec2/keyPair:KeyPair", "keyName"],
        ]) {
            const news = { publicKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG8 x", assumeRolePolicy: "{}" };
            const first = await aws.check!(urn(type, "train-x"), {}, news);
            assert.match(String(first.inputs[field]), /^train-x-[0-9a-f]{7}$/, type);
            const again = await aws.check!(urn(type, "train-x"), first.inputs, news);
            assert.equal(again.inputs[field], first.inputs[field], type);
        }
    });

    it("refuses at Check what AWS refuses: a policy that is not JSON, a public key that is not one; waits on an unknown policy", async () => {
        const policy = await aws.check!(urn("aws:iam/rolePolicy:RolePolicy", "p"), {}, { role: "r", policy: "{not json" });
        assert.deepEqual(policy.failures, [
            { property: "policy", reason: 'MalformedPolicyDocument: "policy" contains an invalid JSON policy' },
        ]);
        const pending = await aws.check!(urn("aws:iam/rolePolicy:RolePolicy", "p"), {}, { role: "r", policy: unknownValue });
        assert.deepEqual(pending.failures, []);
        const key = await aws.check!(urn("aws:ec2/keyPair:KeyPair", "k"), {}, { publicKey: "not a key" });
        assert.equal(key.failures?.[0]?.property, "publicKey");
    });

    it("replaces a role on a new name or path, a key pair on a new public key, a security group on a new description", async () => {
        const role = { name: "r", path: "/", assumeRolePolicy: "{}" };
        assert.deepEqual((await aws.diff!("r", urn("aws:iam/role:Role", "r"), role, { ...role, path: "/x/" })).replaces, ["path"]);
        assert.deepEqual((await aws.diff!("r", urn("aws:iam/role:Role", "r"), role, { ...role, assumeRolePolicy: "{ }" })).replaces, []);
        const key = { keyName: "k", publicKey: "ssh-ed25519 AAAA a" };
        assert.deepEqual(
            (await aws.diff!("k", urn("aws:ec2/keyPair:KeyPair", "k"), key, { ...key, publicKey: "ssh-ed25519 BBBB b" })).replaces,
            ["publicKey"],
        );
        const group = { name: "g", description: "a", ingress: [] };
        const sg = "aws:ec2/securityGroup:SecurityGroup";
        assert.deepEqual((await aws.diff!("sg-1", urn(sg, "g"), group, { ...group, description: "b" })).replaces, ["description"]);
        assert.deepEqual((await aws.diff!("sg-1", urn(sg, "g"), group, { ...group, ingress: [{ fromPort: 22 }] })).replaces, []);
    });
});
