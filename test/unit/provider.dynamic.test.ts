// In a TypeScript program (no provider entry loaded) every managed resource is the dynamic resource it
// always was: same type token, serialized provider in its inputs, secrets as before. Its own file
// because the provider mode (provider.own.test.ts) is process-wide and one-way.
import * as pulumi from "@pulumi/pulumi";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { before, describe, it } from "node:test";

// The program records a sync's manifest in the local cache: a throwaway one here.
process.env.SKYMOUNT_CACHE = mkdtempSync(path.join(tmpdir(), "skymount-cache-"));

const registered: Array<{ type: string; inputs: Record<string, unknown> }> = [];

before(async () => {
    await pulumi.runtime.setMocks({
        newResource: (args) => {
            registered.push({ type: args.type, inputs: args.inputs });
            return { id: `${args.name}-id`, state: { ...args.inputs, summary: "1 added (a); 0 changed; 0 removed" } };
        },
        call: () => ({}),
    });
});

describe("managed resources in a TypeScript program", () => {
    it("register as dynamic resources with their serialized provider", async () => {
        const { RemoteCommand } = await import("../../src/remote");
        const { BucketSync } = await import("../../src/sync/resources/bucketSync");
        const command = new RemoteCommand("cmd", { connection: { host: "10.0.0.1", privateKey: "KEY" }, create: "true" });
        const sync = new BucketSync("sync", {
            target: { kind: "s3", region: "us-east-1", pathStyle: true },
            bucket: "b",
            keyPrefix: "",
            sourceDir: "/tmp",
            scanned: { manifest: { a: "1:x" } },
            deleteOnDestroy: false,
        });
        assert.ok(command instanceof pulumi.CustomResource);
        assert.equal(await new Promise((resolve) => sync.summary.apply(resolve)), "1 added (a); 0 changed; 0 removed");
        await new Promise((resolve) => command.urn.apply(resolve));
        assert.deepEqual(registered.map((r) => r.type).sort(), [
            "pulumi-nodejs:dynamic/skymount:BucketSync",
            "pulumi-nodejs:dynamic/skymount:RemoteCommand",
        ]);
        for (const r of registered) assert.match(String(r.inputs.__provider), /exports\.handler|function/);
        // Each is told its own URN (the dynamic provider host passes its CRUD none), to log on itself.
        assert.deepEqual(registered.map((r) => r.inputs.logUrn).sort(), [
            "urn:pulumi:stack::project::pulumi-nodejs:dynamic/skymount:BucketSync::sync",
            "urn:pulumi:stack::project::pulumi-nodejs:dynamic/skymount:RemoteCommand::cmd",
        ]);
    });
});

describe("every managed resource's dynamic provider", () => {
    it("serializes as a few KB that require the module defining it, here a path import of the sources", async () => {
        // Every resource module, so every CRUD logic is registered.
        await import("../../src");
        const managed = { ...(await import("../../src/resource/crudRegistry")), ...(await import("../../src/resource/dynamicProvider")) };
        const cruds = await Promise.all([
            import("../../src/remote/remoteCommand").then((m) => ["remote/remoteCommand", m.remoteCommandProvider] as const),
            import("../../src/sync/resources/bucketSync").then((m) => ["sync/resources/bucketSync", m.bucketSyncProvider] as const),
            import("../../src/sync/resources/bucketCopy").then((m) => ["sync/resources/bucketCopy", m.bucketCopyProvider] as const),
            import("../../src/storeFamilies/s3compatible/bucket").then(
                (m) => ["storeFamilies/s3compatible/bucket", m.bucketProvider] as const,
            ),
            import("../../src/storeFamilies/azure/container").then((m) => ["storeFamilies/azure/container", m.containerProvider] as const),
        ]);
        assert.equal(cruds.length, managed.managedTypes().length, "one CRUD logic per managed type");
        for (const [module, crud] of cruds) {
            const provider = managed.dynamicProviderFor(crud as never);
            assert.ok(provider, "registered");
            // As pulumi.dynamic.Resource serializes it; the tests run from the repository's root.
            const serialized = await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
            assert.ok(serialized.text.length < 4096, `${module}: ${serialized.text.length} bytes`);
            assert.ok(serialized.text.includes(`"./src/${module}.ts"`), module);
            assert.ok(serialized.text.includes(`"./src/resource/dynamicProvider.ts"`), module);
        }
    });

    it("runs in another process as the dynamic provider host runs it: the real logic, loaded through ts-node", async () => {
        const { dynamicProviderFor } = await import("../../src/resource/dynamicProvider");
        const { remoteCommandProvider } = await import("../../src/remote/remoteCommand");
        const provider = dynamicProviderFor(remoteCommandProvider as never);
        const serialized = await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
        // The host compiles the text with require-from-string (no file name: requires resolve from its
        // working directory, the program's) and calls `handler()` for the provider.
        const fromString = require.resolve("require-from-string", { paths: [path.dirname(require.resolve("@pulumi/pulumi"))] });
        const host = `const provider = require(${JSON.stringify(fromString)})(process.env.PROVIDER).handler();
            provider.diff("id", { scriptDigests: {}, connection: { host: "h" } }, { create: "true", connection: { host: "h" } })
                .then((result) => console.log(JSON.stringify(result)));`;
        const printed = execFileSync(process.execPath, ["-e", host], {
            env: { ...process.env, PROVIDER: serialized.text },
            encoding: "utf8",
        });
        assert.deepEqual(JSON.parse(printed), { changes: true, replaces: [], deleteBeforeReplace: true });
    });
});
