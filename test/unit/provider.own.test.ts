// Inside skymount's provider process: managed resources register as `skymount:index:<Name>` custom
// resources, and the provider's CRUD calls reach their logic with plain values, with secrets wrapped
// again on the way out and the dynamic provider's diff semantics (replaces, deleteBeforeReplace).
import * as pulumi from "@pulumi/pulumi";
import * as rpc from "@pulumi/pulumi/runtime/rpc";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { before, describe, it } from "node:test";
import { RemoteCommand } from "../../src/remote";
import { scriptDigest } from "../../src/remote/commandDiff";
import { BucketSync } from "../../src/sync/resources/bucketSync";
import { BucketCopy } from "../../src/sync/resources/bucketCopy";
import { S3CompatibleBucket } from "../../src/storeFamilies/s3compatible/bucket";
import { managedTypes } from "../../src/resource/crudRegistry";
import { managedResource, serveFromOwnProvider } from "../../src/resource/managedResource";
import { managedCrud, typeOfUrn } from "../../src/resource/ownProvider";
import { recordScanned } from "../../src/sync/resources/bucketSync";

// Manifests are recorded in the local cache by digest: a throwaway one here.
process.env.SKYMOUNT_CACHE = mkdtempSync(path.join(tmpdir(), "skymount-cache-"));

const registered: Array<{ type: string; inputs: Record<string, unknown> }> = [];
const secret = (value: unknown) => ({ [rpc.specialSigKey]: rpc.specialSecretSig, value });
const urnOf = (type: string) => `urn:pulumi:dev::proj::skymount:index:SkyVolume$${type}::x`;

before(async () => {
    await pulumi.runtime.setMocks({
        newResource: (args) => {
            registered.push({ type: args.type, inputs: args.inputs });
            return { id: `${args.name}-id`, state: { ...args.inputs, summary: "0 added; 0 changed; 0 removed" } };
        },
        call: () => ({}),
    });
    serveFromOwnProvider();
});

describe("managed resources in skymount's provider", () => {
    it("serves exactly the four resources", () => {
        assert.ok([RemoteCommand, BucketSync, BucketCopy, S3CompatibleBucket].every((c) => typeof c === "function"));
        assert.deepEqual(managedTypes(), [
            "skymount:index:BucketCopy",
            "skymount:index:BucketSync",
            "skymount:index:RemoteCommand",
            "skymount:index:S3CompatibleBucket",
        ]);
    });

    it("register as custom resources of skymount's provider, without a serialized provider, outputs declared", async () => {
        const sync = new BucketSync("sync", {
            target: { kind: "s3", region: "us-east-1", pathStyle: true },
            credentials: { accessKey: "AK", secretKey: "SK" },
            bucket: "b",
            keyPrefix: "",
            sourceDir: "/tmp",
            scanned: { manifest: {} },
            deleteOnDestroy: false,
        });
        // A declared output is the engine's value, not reset by a class field: tsconfig.json sets
        // useDefineForClassFields to false, since with ES2022 class fields a declared output such as
        // `summary!` would be reset to undefined after the constructor registered it.
        assert.equal(await new Promise((resolve) => sync.summary.apply(resolve)), "0 added; 0 changed; 0 removed");
        assert.deepEqual(
            registered.map((r) => r.type),
            ["skymount:index:BucketSync"],
        );
        assert.equal(registered[0].inputs.__provider, undefined);
    });

    it("finds the type of a URN under parents", () => {
        assert.equal(typeOfUrn(urnOf("skymount:index:RemoteCommand")), "skymount:index:RemoteCommand");
    });

    it("check returns the inputs (BucketSync adds its summary) with secrets kept secret", async () => {
        const record = await recordScanned({ a: "1:x" });
        const news = {
            target: { region: "r", pathStyle: true },
            credentials: secret({ accessKey: "AK", secretKey: "SK" }),
            bucket: "b",
            keyPrefix: "",
            sourceDir: "/d",
            manifestDigest: record.digest,
            fileCount: 1,
            totalBytes: 1,
            deleteOnDestroy: false,
            concurrency: 4,
        };
        const result = await managedCrud.check(urnOf("skymount:index:BucketSync"), {}, news);
        assert.deepEqual(result.inputs, { ...news, summary: "1 added (a); 0 changed; 0 removed" });
    });

    it("diff of RemoteCommand: unchanged behind secrets, triggers replace delete-before-replace", async () => {
        const olds = {
            connection: secret({ host: "h", privateKey: "K" }),
            scriptDigests: { create: scriptDigest("a") },
            stdout: "",
            stderr: "",
        };
        const same = await managedCrud.diff("id", urnOf("skymount:index:RemoteCommand"), olds, {
            connection: secret({ host: "h", privateKey: "K" }),
            create: "a",
        });
        assert.equal(same.changes, false);
        const triggered = await managedCrud.diff("id", urnOf("skymount:index:RemoteCommand"), olds, {
            connection: secret({ host: "h", privateKey: "K" }),
            create: "a",
            triggers: [1],
        });
        assert.deepEqual({ ...triggered }, { changes: true, replaces: ["triggers"], stables: undefined, deleteBeforeReplace: true });
    });

    it("an unknown output at preview reaches the logic as the unknown marker a dynamic provider sees", async () => {
        const olds = {
            bucket: "b",
            keyPrefix: "",
            target: { region: "r", pathStyle: true },
            manifestDigest: "",
            sourceDir: "/d",
            deleteOnDestroy: false,
            concurrency: 4,
        };
        const news = { ...olds, bucket: { [rpc.specialSigKey]: rpc.specialOutputValueSig } };
        const result = await managedCrud.diff("id", urnOf("skymount:index:BucketSync"), olds, news);
        assert.deepEqual(result.replaces, ["bucket"]);
    });

    it("read without read logic returns the state it got", async () => {
        // Every skymount resource reads now; a stand-in without read keeps the default covered.
        managedResource("ReadlessForTest", { create: async () => ({ id: "x" }) });
        const props = { bucket: "b", credentials: secret({ accessKey: "AK", secretKey: "SK" }) };
        assert.deepEqual(await managedCrud.read("id", urnOf("skymount:index:ReadlessForTest"), props), { id: "id", props });
    });

    it("read passes plain values to the logic, wraps secrets again, and reports a resource that is gone", async () => {
        let seen: unknown;
        managedResource("ReadingForTest", {
            create: async () => ({ id: "x" }),
            read: async (id, props) => {
                seen = props;
                return props.bucket === "gone" ? {} : { id, props: { ...props, files: "" } };
            },
        });
        const props = { bucket: "b", files: "a\t1:x", credentials: secret({ accessKey: "AK", secretKey: "SK" }) };
        const read = await managedCrud.read("id", urnOf("skymount:index:ReadingForTest"), props);
        assert.deepEqual(seen, { bucket: "b", files: "a\t1:x", credentials: { accessKey: "AK", secretKey: "SK" } });
        assert.deepEqual(read, { id: "id", props: { ...props, files: "" } });
        const gone = await managedCrud.read("id", urnOf("skymount:index:ReadingForTest"), { ...props, bucket: "gone" });
        assert.equal(gone.id, undefined);
    });

    it("refuses a type it does not serve", async () => {
        await assert.rejects(managedCrud.create(urnOf("skymount:index:Nope"), {}), /unknown resource type skymount:index:Nope/);
    });
});
