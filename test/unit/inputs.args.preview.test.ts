// At preview, SkyStorage's and SkyCompute's own fields given as outputs of resources not created yet
// are unknown: the components still declare everything (those fields decide nothing), the resources
// get them as unknown inputs and the scripts that embed them are unknown; the known fields are still
// validated at preview. Fields that decide what is declared must be known. Pulumi mocks in preview mode.
import * as pulumi from "@pulumi/pulumi";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { settle } from "../../src/internal/settle";
import { ownInputs, plannedCompute } from "../../src/skyCompute/givenArgs";
import { plannedStorage } from "../../src/skyStorage/givenArgs";
import { Registered, until } from "./recordingMocks";

const registered: Registered[] = [];

before(async () => {
    await pulumi.runtime.setMocks(
        {
            // Nothing computed: every output a resource does not get as input is unknown at preview.
            newResource: (args) => {
                registered.push({ type: args.type, name: args.name, inputs: args.inputs });
                return { id: undefined as unknown as string, state: {} };
            },
            call: (args) => (args.token === "aws:ec2/getAmi:getAmi" ? { id: "ami-default" } : {}),
        },
        "project",
        "stack",
        true,
    );
});

/** A resource of another provider whose outputs are unknown at preview. */
class Thing extends pulumi.CustomResource {
    declare readonly text: pulumi.Output<string>;
    constructor(name: string) {
        super("test:index:Thing", name, { text: undefined });
    }
}

const KEYS = { sshPublicKey: "ssh-ed25519 AAAA test", sshPrivateKey: pulumi.secret("KEY") };
const isKnown = (o: pulumi.Input<unknown> | undefined) => (pulumi.output(o) as unknown as { isKnown: Promise<boolean> }).isKnown;

async function refusal(promise: Promise<unknown>): Promise<string[]> {
    let reasons: string[] = [];
    await assert.rejects(promise, (err: pulumi.InputPropertiesError) => {
        assert.ok(pulumi.InputPropertiesError.isInstance(err), String(err));
        reasons = err.errors.map((e) => e.reason);
        return true;
    });
    return reasons;
}

describe("SkyCompute's fields unknown at preview", () => {
    it("an image from a resource not created yet: the instance is declared with its AMI unknown; an unknown setup makes its script unknown", async () => {
        const { SkyCompute } = await import("../../src");
        const thing = new Thing("t1");
        new SkyCompute("pc", { provider: "aws", ...KEYS, image: thing.text, setup: thing.text.apply((t) => `echo ${t}`), run: "sleep 1" });
        const instance = await until("the instance", () => registered.find((r) => r.name === "pc-node-0"));
        assert.ok(instance.inputs.ami === undefined || pulumi.isUnknown(instance.inputs.ami), `ami: ${String(instance.inputs.ami)}`);
        assert.equal(instance.inputs.instanceType, "t3.medium", "the known defaults are there at preview");
        const setup = await until("the setup command", () => registered.find((r) => r.name === "pc-node-0-setup"));
        assert.ok(setup.inputs.create === undefined || pulumi.isUnknown(setup.inputs.create), "the setup script is unknown");
    });

    it("known fields are still validated at preview when another one is unknown", async () => {
        const thing = new Thing("t2");
        const args = { provider: "aws" as const, ...KEYS, image: thing.text, aws: { sshCidr: "everyone" } };
        assert.deepEqual(await refusal(settle(ownInputs(args)).then((own) => plannedCompute(args, own, [], {}))), [
            'aws.sshCidr: "everyone": must be an IPv4 CIDR such as 203.0.113.0/24',
        ]);
    });
});

describe("SkyCompute's deciding fields", () => {
    it("how many nodes, unknown at preview, is refused: it decides how many machines are declared", async () => {
        const thing = new Thing("t4");
        const args = { provider: "aws" as const, ...KEYS, nodes: thing.text.apply((t) => t.length) };
        assert.deepEqual(await refusal(settle(ownInputs(args)).then((own) => plannedCompute(args, own, [], {}))), [
            "nodes: (unknown at preview): must be known at preview: it decides how many machines are declared",
        ]);
    });

    it("a provider and a node count given as known Outputs declare as many machines as plain values do", async () => {
        const { SkyCompute } = await import("../../src");
        new SkyCompute("kn", { provider: pulumi.output("aws" as const), nodes: pulumi.output(2), ...KEYS });
        await until("both instances", () => (registered.filter((r) => r.name.startsWith("kn-node-")).length === 2 ? true : undefined));
    });
});

describe("SkyStorage's fields unknown at preview", () => {
    let dir: string;
    before(() => {
        dir = mkdtempSync(path.join(tmpdir(), "skymount-inputs-preview-"));
        writeFileSync(path.join(dir, "a.txt"), "a");
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it("a MinIO endpoint and keys from a server made in this stack: the bucket and the sync are declared, the endpoint unknown", async () => {
        const { SkyStorage } = await import("../../src");
        const minio = new Thing("minio");
        const s = new SkyStorage("ps", {
            name: "datasets",
            source: dir,
            s3Compatible: { endpoint: minio.text, accessKey: minio.text, secretKey: pulumi.secret(minio.text) },
        });
        assert.equal(s.bucket, "datasets");
        assert.equal(await isKnown(s.ref.endpoint), false);
        assert.equal(await isKnown(s.ref.bucket), true);
        await isKnown(s.syncSummaries);
        const sync = registered.find((r) => r.name === "ps-sync-source")!;
        const target = sync.inputs.target as Record<string, unknown>;
        assert.ok(pulumi.isUnknown(target.endpoint), "the sync's endpoint is unknown");
        assert.deepEqual([target.kind, target.region, target.pathStyle], ["s3", "us-east-1", true], "the rest of its target is known");
        assert.ok(registered.some((r) => r.name === "ps-bucket"));
    });

    it("a prefix unknown at preview is refused: it decides what the preview scans", async () => {
        const thing = new Thing("t3");
        const args = { name: "datasets", source: dir, prefix: thing.text, s3Compatible: { endpoint: "http://10.0.0.9:9000" } };
        assert.deepEqual(await refusal(settle(args).then((settled) => plannedStorage(args, settled, { project: "p", stack: "s" }))), [
            "prefix: (unknown at preview): must be known at preview: it decides the keys the sources are recorded under, which the preview already scans",
        ]);
    });
});
