// The stand-in providers' generic core (tools/standins/): what it answers to Check and Diff for the
// AWS models, as @pulumi/aws would, and what it records. No data plane is reached: Check and Diff
// never touch one, and Create goes only through a model of the test's own, with none.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { iamModels } from "../../tools/standins/aws/iam";
import { stateOnlyModel } from "../../tools/standins/resourceModel";
import { s3BucketModel } from "../../tools/standins/aws/s3Bucket";
import { specialSecretSig, specialSigKey, unknownValue } from "@pulumi/pulumi/runtime/rpc";
import { CALL_LOG_ENV, readCalls } from "../../tools/standins/callLog";
import { parseUrn, standinProvider } from "../../tools/standins/standinProvider";

const urn = (type: string, name: string) => `urn:pulumi:dev::proj::skymount:index:SkyStorage$${type}::${name}`;
const BUCKET = "aws:s3/bucket:Bucket";
const KEY = "test:index:Key";
/** A key that is only state, with a secret output. */
const keyModel = stateOnlyModel({
    replaceOn: ["user"],
    id: () => `AKIA${"A".repeat(16)}`,
    computed: () => ({ secret: "s3cr3t-value-never-recorded" }),
    secretOutputs: ["secret"],
});

describe("the stand-in provider core", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "standin-unit-"));
    const log = path.join(dir, "calls.jsonl");
    process.env[CALL_LOG_ENV] = log;
    const aws = standinProvider("aws", "7.48.0", { [BUCKET]: s3BucketModel, ...iamModels, [KEY]: keyModel });
    after(() => {
        delete process.env[CALL_LOG_ENV];
        rmSync(dir, { recursive: true, force: true });
    });

    it("reads the type and the name from a child's URN", () => {
        assert.deepEqual(parseUrn(urn(BUCKET, "data-bucket")), { type: BUCKET, name: "data-bucket" });
    });

    it("replaces a bucket whose name changes; updates one whose forceDestroy changes", async () => {
        const olds = { bucket: "a", region: "us-east-1", forceDestroy: false, arn: "arn:aws:s3:::a" };
        const renamed = await aws.diff!("a", urn(BUCKET, "b"), olds, { bucket: "b", region: "us-east-1", forceDestroy: false });
        assert.deepEqual(renamed, { changes: true, replaces: ["bucket"] });
        const forced = await aws.diff!("a", urn(BUCKET, "b"), olds, { bucket: "a", region: "us-east-1", forceDestroy: true });
        assert.deepEqual(forced, { changes: true, replaces: [] });
        const same = await aws.diff!("a", urn(BUCKET, "b"), olds, { bucket: "a", region: "us-east-1", forceDestroy: false });
        assert.deepEqual(same, { changes: false, replaces: [] });
    });

    it("an unknown bucket name at preview means a replacement", async () => {
        const result = await aws.diff!("a", urn(BUCKET, "b"), { bucket: "a" }, { bucket: unknownValue });
        assert.deepEqual(result.replaces, ["bucket"]);
    });

    it("autonames an IAM user once and keeps the name, like a bucket", async () => {
        const first = await aws.check!(urn("aws:iam/user:User", "host-rw"), {}, {});
        assert.match(String(first.inputs.name), /^host-rw-[0-9a-f]{7}$/);
        const again = await aws.check!(urn("aws:iam/user:User", "host-rw"), first.inputs, {});
        assert.equal(again.inputs.name, first.inputs.name);
    });

    it("autonames a bucket once and keeps the name at later checks", async () => {
        const first = await aws.check!(urn(BUCKET, "data-bucket"), {}, { region: "us-east-1" });
        assert.match(String(first.inputs.bucket), /^data-bucket-[0-9a-f]{7}$/);
        const again = await aws.check!(urn(BUCKET, "data-bucket"), first.inputs, { region: "us-east-1" });
        assert.equal(again.inputs.bucket, first.inputs.bucket);
    });

    it("refuses a resource type it does not model, naming it", async () => {
        await assert.rejects(aws.check!(urn("aws:ec2/instance:Instance", "vm"), {}, {}), /aws:ec2\/instance:Instance is not modelled/);
    });

    it("marks a model's secret outputs secret in its answer, and never records them", async () => {
        const made = await aws.create!(urn(KEY, "host-rw"), { user: "u" });
        const secret = made.outs.secret as Record<string, unknown>;
        assert.equal(secret[specialSigKey], specialSecretSig);
        assert.equal(secret.value, "s3cr3t-value-never-recorded");
        const recorded = readCalls(log).filter((c) => c.method === "create" && c.type === KEY);
        assert.equal(recorded.length, 1);
        assert.equal((recorded[0].result as { outs: Record<string, unknown> }).outs.secret, "[secret]");
        assert.doesNotMatch(JSON.stringify(readCalls(log)), /s3cr3t-value-never-recorded/);
    });

    it("records a value the engine sent as secret as [secret], and hands the model the plain value", async () => {
        const given = { user: { [specialSigKey]: specialSecretSig, value: "engine-secret-user" } };
        const made = await aws.create!(urn(KEY, "from-secret"), given);
        assert.equal(made.outs.user, "engine-secret-user");
        const recorded = readCalls(log).filter((c) => c.name === "from-secret");
        assert.equal(recorded[0].inputs?.user, "[secret]");
    });

    it("records every call with what it was given and answered", () => {
        const calls = readCalls(log);
        assert.ok(calls.length >= 6);
        assert.ok(calls.every((c) => c.provider === "aws" && typeof c.type === "string" && typeof c.name === "string"));
        assert.ok(calls.some((c) => c.method === "check" && c.error?.includes("not modelled")));
    });
});
