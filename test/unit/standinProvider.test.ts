// The stand-in providers' generic core (tools/standins/): what it answers to Check and Diff for the
// AWS models, as @pulumi/aws would, and what it records. No data plane is reached: Check and Diff
// never touch one, and Create goes only through a model with none (IAM, state only).
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { iamModels } from "../../tools/standins/aws/iam";
import { s3BucketModel } from "../../tools/standins/aws/s3Bucket";
import { CALL_LOG_ENV, readCalls, SECRET_SIG } from "../../tools/standins/callLog";
import { parseUrn, standinProvider } from "../../tools/standins/standinProvider";

const urn = (type: string, name: string) => `urn:pulumi:dev::proj::skymount:index:SkyStorage$${type}::${name}`;
const BUCKET = "aws:s3/bucket:Bucket";
const KEY = "aws:iam/accessKey:AccessKey";

describe("the stand-in provider core", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "standin-unit-"));
    const log = path.join(dir, "calls.jsonl");
    process.env[CALL_LOG_ENV] = log;
    const aws = standinProvider("aws", "7.48.0", { [BUCKET]: s3BucketModel, ...iamModels });
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
        const unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
        const result = await aws.diff!("a", urn(BUCKET, "b"), { bucket: "a" }, { bucket: unknown });
        assert.deepEqual(result.replaces, ["bucket"]);
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

    it("gives an access key AWS's id format and a secret marked secret, never recorded", async () => {
        const made = await aws.create!(urn(KEY, "host-rw"), { user: "u" });
        assert.match(made.id, /^AKIA[A-Z2-7]{16}$/);
        const secret = made.outs.secret as Record<string, unknown>;
        assert.equal(secret[SECRET_SIG], SECRET_SIG);
        assert.match(String(secret.value), /^.{40}$/);
        const recorded = readCalls(log).filter((c) => c.method === "create" && c.type === KEY);
        assert.equal(recorded.length, 1);
        assert.equal((recorded[0].result as { outs: Record<string, unknown> }).outs.secret, "[secret]");
        assert.doesNotMatch(JSON.stringify(readCalls(log)), new RegExp(String(secret.value).replace(/[+/]/g, "\\$&")));
    });

    it("records every call with what it was given and answered", () => {
        const calls = readCalls(log);
        assert.ok(calls.length >= 6);
        assert.ok(calls.every((c) => c.provider === "aws" && typeof c.type === "string" && typeof c.name === "string"));
        assert.ok(calls.some((c) => c.method === "check" && c.error?.includes("not modelled")));
    });
});
