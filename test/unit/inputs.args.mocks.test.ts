// SkyStorage's and SkyCompute's own fields given as Outputs known at preview (an AMI ID from a lookup,
// a resource group, a MinIO endpoint, a CIDR, a script): accepted, passed on to the resources that use
// them, and still refused at once with `field: value: rule` when bad, before any child is declared.
// Pulumi mocks, a real update.
import * as pulumi from "@pulumi/pulumi";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, before, beforeEach, describe, it } from "node:test";
import { issue } from "../../src/internal/issues";
import { withLateFields } from "../../src/internal/lateValues";
import { NOT_KNOWN_TEXT } from "../../src/internal/notKnown";
import { settle } from "../../src/internal/settle";
import { ownInputs, plannedCompute } from "../../src/skyCompute/givenArgs";
import { plannedStorage } from "../../src/skyStorage/givenArgs";
import { Registered, until } from "./recordingMocks";

const registered: Registered[] = [];

before(async () => {
    await pulumi.runtime.setMocks(
        {
            newResource: (args) => {
                registered.push({ type: args.type, name: args.name, inputs: args.inputs });
                const computed = { publicIp: `ip-${args.name}`, ipAddress: `pip-${args.name}`, stdout: "", summary: "" };
                return { id: `${args.name}-id`, state: { name: args.name, ...args.inputs, ...computed } };
            },
            call: (args) => {
                if (args.token === "aws:ec2/getAmi:getAmi") return { id: "ami-default" };
                throw new Error(`unexpected invoke ${args.token}`);
            },
        },
        "project",
        "stack",
        false,
    );
});
beforeEach(() => void (registered.length = 0));

const value = <T>(o: pulumi.Input<T> | undefined) => (pulumi.output(o) as unknown as { promise(): Promise<T> }).promise();
const KEYS = { sshPublicKey: "ssh-ed25519 AAAA test", sshPrivateKey: pulumi.secret("KEY") };

/** The reasons an InputPropertiesError carries. */
async function refusal(promise: Promise<unknown>): Promise<string[]> {
    let reasons: string[] = [];
    await assert.rejects(promise, (err: pulumi.InputPropertiesError) => {
        assert.ok(pulumi.InputPropertiesError.isInstance(err), String(err));
        reasons = err.errors.map((e) => e.reason);
        return true;
    });
    return reasons;
}

describe("SkyCompute's fields as Outputs", () => {
    it("an AMI ID, instance type, region, SSH CIDR and user reach the EC2 resources; setup and run reach the scripts", async () => {
        const { SkyCompute } = await import("../../src");
        const compute = new SkyCompute("aw", {
            provider: "aws",
            ...KEYS,
            image: pulumi.output("ami-0123456789abcdef0"),
            instanceType: pulumi.output("g5.xlarge"),
            region: Promise.resolve("eu-west-1"),
            aws: { sshCidr: pulumi.output("10.1.0.0/16"), sshUser: pulumi.output("admin") },
            setup: pulumi.secret("pip install -r requirements.txt"),
            run: pulumi.output("python train.py"),
        });
        assert.deepEqual(await value(compute.sshUsers), ["admin"]);
        const instance = await until("the instance", () => registered.find((r) => r.type === "aws:ec2/instance:Instance"));
        assert.equal(instance.inputs.ami, "ami-0123456789abcdef0");
        assert.equal(instance.inputs.instanceType, "g5.xlarge");
        assert.equal(instance.inputs.region, "eu-west-1");
        const group = registered.find((r) => r.type === "aws:ec2/securityGroup:SecurityGroup")!;
        assert.deepEqual((group.inputs.ingress as { cidrBlocks: string[] }[])[0].cidrBlocks, ["10.1.0.0/16"]);
        const setup = await until("the setup command", () => registered.find((r) => r.name === "aw-node-0-setup"));
        // A secret script stays secret in the command that runs it.
        assert.match(JSON.stringify(setup.inputs.create), /1b47061264138c4ac30d75fd1eb44270.*pip install -r requirements\.txt/);
        const run = await until("the run command", () => registered.find((r) => r.name === "aw-node-0-run"));
        assert.match(JSON.stringify(run.inputs.create), /python train\.py/, "secret too: it carries the setup's hash");
    });

    it("an existing resource group and an image URN as Outputs reach the Azure VMs", async () => {
        const { SkyCompute } = await import("../../src");
        const compute = new SkyCompute("az", {
            provider: "azure",
            ...KEYS,
            image: pulumi.output("Canonical:ubuntu-24_04-lts:server:latest"),
            azure: { resourceGroupName: pulumi.output("rg-given"), vnetCidr: pulumi.output("10.8.0.0/16") },
        });
        await value(compute.addresses);
        const vm = await until("the VM", () => registered.find((r) => r.type === "azure-native:compute:VirtualMachine"));
        assert.equal(vm.inputs.resourceGroupName, "rg-given");
        assert.deepEqual((vm.inputs.storageProfile as { imageReference: unknown }).imageReference, {
            publisher: "Canonical",
            offer: "ubuntu-24_04-lts",
            sku: "server",
            version: "latest",
        });
        const network = registered.find((r) => r.type === "azure-native:network:VirtualNetwork")!;
        assert.deepEqual((network.inputs.subnets as { addressPrefix: string }[])[0].addressPrefix, "10.8.0.0/24");
        assert.equal(registered.filter((r) => r.type === "azure-native:resources:ResourceGroup").length, 0, "no new resource group");
    });

    it("an aws block given whole as an Output: its CIDR reaches the security group, the login user keeps its default", async () => {
        const { SkyCompute } = await import("../../src");
        const compute = new SkyCompute("ab", { provider: "aws", ...KEYS, aws: pulumi.output({ sshCidr: "192.0.2.0/24" }) });
        assert.deepEqual(await value(compute.sshUsers), ["ubuntu"]);
        const group = await until("the group", () => registered.find((r) => r.name === "ab-ssh"));
        assert.deepEqual((group.inputs.ingress as { cidrBlocks: string[] }[])[0].cidrBlocks, ["192.0.2.0/24"]);
    });

    it("a bad CIDR and a bad image given as known Outputs are refused with field, value and rule, before any child", async () => {
        // What the component runs once its Inputs settle, before it declares anything.
        const args = { provider: "azure" as const, ...KEYS, image: pulumi.output("ubuntu"), azure: { sshCidr: pulumi.output("everyone") } };
        assert.deepEqual(await refusal(settle(ownInputs(args)).then((own) => plannedCompute(args, own, [], {}))), [
            'azure.sshCidr: "everyone": must be an IPv4 CIDR such as 203.0.113.0/24',
            'image: "ubuntu": must be an Azure image URN "publisher:offer:sku:version", such as "Canonical:ubuntu-24_04-lts:server:latest"',
        ]);
    });
});

describe("SkyStorage's fields as Outputs", () => {
    let dir: string;
    before(() => {
        dir = mkdtempSync(path.join(tmpdir(), "skymount-inputs-"));
        writeFileSync(path.join(dir, "a.txt"), "a");
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it("a MinIO endpoint, region and keys from other resources reach the bucket, the sync and the ref; the keys stay secret", async () => {
        const { SkyStorage } = await import("../../src");
        const s = new SkyStorage("mn", {
            name: "datasets",
            source: dir,
            region: pulumi.output("eu-1"),
            s3Compatible: {
                endpoint: pulumi.output("http://10.0.0.9:9000/"),
                accessKey: pulumi.output("AK"),
                secretKey: pulumi.secret("SK"),
            },
        });
        assert.equal(s.bucket, "datasets");
        assert.equal(await value(s.ref.endpoint), "http://10.0.0.9:9000");
        assert.equal(await value(s.ref.region), "eu-1");
        assert.equal(await value(s.ref.pathStyle), true);
        assert.deepEqual(await value(s.ref.credentials), { accessKey: "AK", secretKey: "SK" });
        assert.equal(await pulumi.isSecret(pulumi.output(s.ref.credentials!)), true);
        assert.equal(await pulumi.isSecret(pulumi.output(s.ref.endpoint)), false, "only the keys are secret");
        await value(s.syncSummaries);
        const sync = registered.find((r) => r.name === "mn-sync-source")!;
        assert.deepEqual(sync.inputs.target, {
            kind: "s3",
            endpoint: "http://10.0.0.9:9000",
            region: "eu-1",
            pathStyle: true,
            singleDeletes: false,
        });
    });

    it("an s3Compatible block given whole as an Output, keys included, is taken field by field", async () => {
        const { SkyStorage } = await import("../../src");
        const s = new SkyStorage("wb", {
            name: "datasets",
            s3Compatible: pulumi.secret({ endpoint: "http://10.0.0.9:9000", accessKey: "AK", secretKey: "SK" }),
        });
        assert.equal(await value(s.ref.endpoint), "http://10.0.0.9:9000");
        assert.equal(await value(s.ref.pathStyle), true);
        assert.deepEqual(await value(s.ref.credentials), { accessKey: "AK", secretKey: "SK" });
        assert.equal(await pulumi.isSecret(pulumi.output(s.ref.credentials!)), true);
    });

    it("a bad endpoint given as a known Output is refused with field, value and rule, before any child", async () => {
        const args = { name: "datasets", source: dir, s3Compatible: { endpoint: pulumi.output("ftp://10.0.0.9") } };
        const scope = { project: "project", stack: "stack" };
        assert.deepEqual(await refusal(settle(args).then((settled) => plannedStorage(args, settled, scope))), [
            's3Compatible.endpoint: "ftp://10.0.0.9": must be a URL with scheme http:// or https://',
        ]);
    });
});

describe("a value unknown at preview, known at apply", () => {
    it("is planned again once known, and a rule it breaks fails there with the same text", async () => {
        const plan = withLateFields("SkyStorage", { region: NOT_KNOWN_TEXT, bucket: "b" }, pulumi.output("nowhere"), (region: string) => ({
            issues: [issue("region", region, "must be a region")],
        }));
        assert.equal(plan.bucket, "b");
        // As a resource's serialization does: its value, and whether it is known and secret.
        const output = plan.region as unknown as { promise(): Promise<string>; isKnown: Promise<boolean>; isSecret: Promise<boolean> };
        const [v, known, secret] = await Promise.allSettled([output.promise(), output.isKnown, output.isSecret]);
        assert.equal(v.status, "rejected");
        assert.match(String((v as PromiseRejectedResult).reason), /region: "nowhere": must be a region/);
        assert.deepEqual([known.status, secret.status], ["rejected", "rejected"]);
        const good = withLateFields("SkyStorage", { region: NOT_KNOWN_TEXT }, pulumi.output("eu-1"), (region: string) => ({
            issues: [],
            plan: { region },
        }));
        assert.equal(await value(good.region), "eu-1");
    });
});
