// The compute driver registry under Pulumi mocks: exactly ssh, aws, gcp and azure, each driver's pure
// half is the planner validation uses, and every driver hands back the same Machines shape.
import * as pulumi from "@pulumi/pulumi";
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";

const registered: string[] = [];

before(async () => {
    await pulumi.runtime.setMocks(
        {
            newResource: (args) => {
                registered.push(`${args.type} ${args.name}`);
                const extra: Record<string, unknown> = {
                    publicIp: `ip-${args.name}`,
                    networkInterfaces: [{ accessConfigs: [{ natIp: `nat-${args.name}` }] }],
                    ipAddress: `pip-${args.name}`,
                    principalId: `${args.name}-principal`,
                };
                return { id: `${args.name}-id`, state: { name: args.name, ...args.inputs, ...extra } };
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

const resolve = <T>(o: pulumi.Output<T>) => new Promise<T>((r) => o.apply(r));

describe("compute driver registry", () => {
    it("has exactly ssh, aws, gcp and azure, with the planners' rules and plans", async () => {
        const { COMPUTE_DRIVERS } = await import("../../src/computeDrivers/registry");
        const { COMPUTE_PLANNERS, COMPUTE_PROVIDERS } = await import("../../src/computeDrivers/planners");
        assert.deepEqual(Object.keys(COMPUTE_DRIVERS).sort(), ["aws", "azure", "gcp", "ssh"]);
        assert.deepEqual([...COMPUTE_PROVIDERS].sort(), ["aws", "azure", "gcp", "ssh"]);
        for (const p of COMPUTE_PROVIDERS) {
            assert.equal(COMPUTE_DRIVERS[p].validate, COMPUTE_PLANNERS[p].validate, `${p}: one validate`);
            assert.equal(COMPUTE_DRIVERS[p].plan, COMPUTE_PLANNERS[p].plan, `${p}: one plan`);
        }
    });

    it("every driver returns one Machines shape: hosts, the machine resources, addresses and SSH users", async () => {
        const { declareMachines } = await import("../../src/computeDrivers/registry");
        const { planMachines } = await import("../../src/computeDrivers/planners");
        const keys = { publicKey: "ssh-ed25519 AAAA test", privateKey: pulumi.secret("KEY") };
        const gcs = { store: "gcs", bucket: "data", endpoint: "https://storage.googleapis.com", hasCredentials: false };
        const cases = [
            {
                provider: "ssh" as const,
                spec: {
                    provider: "ssh",
                    hosts: [
                        { name: "h1", host: "10.0.0.1", user: "bob", privateKey: "K" },
                        { name: "h2", host: "10.0.0.2", privateKey: "K" },
                    ],
                },
                hosts: ["h1", "h2"],
                resources: 0,
                addresses: ["10.0.0.1", "10.0.0.2"],
                users: ["bob", "root"],
                keyless: false,
            },
            {
                provider: "aws" as const,
                spec: { provider: "aws", nodes: 2 },
                hosts: ["node-0", "node-1"],
                resources: 2,
                addresses: ["ip-aws-node-0", "ip-aws-node-1"],
                users: ["ubuntu", "ubuntu"],
                keyless: false,
            },
            {
                provider: "gcp" as const,
                spec: { provider: "gcp", nodes: 2, volumes: [gcs] },
                hosts: ["node-0", "node-1"],
                resources: 2,
                addresses: ["nat-gcp-node-0", "nat-gcp-node-1"],
                users: ["ubuntu", "ubuntu"],
                keyless: true,
            },
            {
                provider: "azure" as const,
                spec: { provider: "azure", nodes: 2 },
                hosts: ["node-0", "node-1"],
                resources: 2,
                addresses: ["pip-azure-node-0", "pip-azure-node-1"],
                users: ["azureuser", "azureuser"],
                keyless: false,
            },
        ];
        for (const c of cases) {
            const parent = new pulumi.ComponentResource("test:index:Parent", c.provider);
            const before = registered.length;
            const machines = declareMachines(c.provider, planMachines(c.provider, c.spec), c.provider === "ssh" ? undefined : keys, parent);
            assert.deepEqual(
                Object.keys(machines).sort(),
                ["addresses", "hosts", "keylessCredentials", "resources", "sshUsers"],
                c.provider,
            );
            assert.deepEqual(
                machines.hosts.map((h) => h.name),
                c.hosts,
                c.provider,
            );
            assert.equal(machines.resources.length, c.resources, c.provider);
            assert.ok(
                machines.resources.every((r) => r instanceof pulumi.CustomResource),
                c.provider,
            );
            assert.deepEqual(await resolve(machines.addresses), c.addresses, c.provider);
            assert.deepEqual(await resolve(machines.sshUsers), c.users, c.provider);
            assert.equal(machines.keylessCredentials !== undefined, c.keyless, c.provider);
            if (c.provider === "ssh") {
                await new Promise((r) => setTimeout(r, 100));
                assert.deepEqual(registered.slice(before), ["test:index:Parent ssh"], "ssh declares nothing");
            }
        }
    });

    it("a cloud driver refuses to declare without a key pair", async () => {
        const { declareMachines } = await import("../../src/computeDrivers/registry");
        const { planMachines } = await import("../../src/computeDrivers/planners");
        const parent = new pulumi.ComponentResource("test:index:Parent", "nokeys");
        assert.throws(
            () => declareMachines("nokeys", planMachines("aws", { provider: "aws" }), undefined, parent),
            /sshPublicKey: \(not set\): required with provider aws/,
        );
    });
});
