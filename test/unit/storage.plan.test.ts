// What a SkyStorage resolves to, per store: endpoint, region, addressing, and for Azure the account.
import assert from "node:assert/strict";
import * as path from "node:path";
import { describe, it } from "node:test";
import { planSkyStorage as planResolved } from "../../src/skyStorage/plan";
import { resolveSkyStorage } from "../../src/skyStorage/resolve";
import { SkyStorageSpec } from "../../src/skyStorage/spec";
import { AZURE_ACCOUNT_NAME, defaultAzureAccountName } from "../../src/storeFamilies/azure";

const scope = { project: "ml", stack: "dev" };
/** The plan of plain arguments: resolved once, then planned. */
const planSkyStorage = (spec: SkyStorageSpec, planScope = scope) => planResolved(resolveSkyStorage(spec), planScope);

describe("planSkyStorage", () => {
    const cases: Array<[string, SkyStorageSpec, object]> = [
        [
            "an S3 bucket",
            { name: "data" },
            {
                store: "s3",
                bucket: "data",
                managed: true,
                endpoint: "https://s3.us-east-1.amazonaws.com",
                region: "us-east-1",
                pathStyle: false,
            },
        ],
        ["a GCS bucket", { name: "data", gcp: {} }, { store: "gcs", endpoint: "https://storage.googleapis.com", region: "us-central1" }],
        [
            "a MinIO bucket",
            { name: "data", s3Compatible: { endpoint: "http://10.0.0.1:9000/", hasAccessKey: true, hasSecretKey: true } },
            { store: "s3compatible", endpoint: "http://10.0.0.1:9000", pathStyle: true },
        ],
        [
            "an Azure container skymount makes an account for",
            { name: "data", azure: { resourceGroupName: "rg", hasAccountKey: false } },
            {
                store: "azure",
                region: "eastus",
                endpoint: `https://${defaultAzureAccountName(scope, "data")}.blob.core.windows.net`,
                azure: { account: defaultAzureAccountName(scope, "data"), mode: "arm", resourceGroupName: "rg" },
            },
        ],
        [
            "an Azure container in an existing account",
            {
                name: "data",
                region: "westeurope",
                azure: { storageAccountName: "acct1", endpoint: "http://acct1.blob.test:10000/", hasAccountKey: true },
            },
            {
                store: "azure",
                region: "westeurope",
                endpoint: "http://acct1.blob.test:10000",
                managed: true,
                azure: { account: "acct1", mode: "keyed" },
            },
        ],
        [
            "an Azure container URL",
            { source: "https://acct1.blob.core.windows.net/shared" },
            {
                store: "azure",
                bucket: "shared",
                managed: false,
                endpoint: "https://acct1.blob.core.windows.net",
                azure: { account: "acct1", mode: "external" },
            },
        ],
    ];
    for (const [name, spec, expected] of cases) {
        it(name, () => {
            const plan = planSkyStorage(spec, scope) as unknown as Record<string, unknown>;
            for (const [key, value] of Object.entries(expected)) assert.deepEqual(plan[key], value, key);
        });
    }

    it("derives a valid Azure account name, different per stack", () => {
        const dev = defaultAzureAccountName(scope, "data");
        assert.match(dev, AZURE_ACCOUNT_NAME);
        assert.equal(dev.length, 24);
        assert.notEqual(defaultAzureAccountName({ ...scope, stack: "prod" }, "data"), dev);
    });
});

const minio = { endpoint: "http://10.0.0.1:9000", hasAccessKey: true, hasSecretKey: true };

describe("planSkyStorage: sources", () => {
    it("local paths become syncs and bucket URIs become copies, each under its basename", () => {
        const plan = planSkyStorage(
            { name: "data", prefix: "/team/", sources: ["./logs", "s3://public/some//dir/", "s3://whole"], s3Compatible: minio },
            scope,
        );
        assert.deepEqual(plan.sources, [{ dir: path.resolve("./logs"), keyPrefix: "team/logs/", label: "logs" }]);
        assert.deepEqual(plan.copies, [
            { sourceBucket: "public", sourcePrefix: "some/dir/", keyPrefix: "team/dir/", label: "dir" },
            { sourceBucket: "whole", sourcePrefix: "", keyPrefix: "team/whole/", label: "whole" },
        ]);
    });

    it("a copy without a prefix lands at the bucket root under its basename", () => {
        const plan = planSkyStorage({ name: "data", sources: ["gs://public/sets/train"], gcp: {} }, scope);
        assert.equal(plan.store, "gcs");
        assert.deepEqual(plan.copies, [{ sourceBucket: "public", sourcePrefix: "sets/train/", keyPrefix: "train/", label: "train" }]);
        assert.deepEqual(plan.sources, []);
    });

    it("records: a bucket and a key prefix; none without the field", () => {
        assert.deepEqual(planSkyStorage({ name: "data", source: "./data", records: "s3://ops/skymount/records/" }, scope).recordsAt, {
            bucket: "ops",
            prefix: "skymount/records/",
        });
        assert.deepEqual(planSkyStorage({ name: "data", source: "./data", records: "s3://ops" }, scope).recordsAt, {
            bucket: "ops",
            prefix: "",
        });
        assert.equal(planSkyStorage({ name: "data", source: "./data" }, scope).recordsAt, undefined);
    });

    it("a single local source and an existing bucket copy nothing", () => {
        assert.deepEqual(planSkyStorage({ name: "data", source: "./data", s3Compatible: minio }, scope).copies, []);
        const external = planSkyStorage({ source: "s3://public" }, scope);
        assert.deepEqual(
            { managed: external.managed, sources: external.sources, copies: external.copies },
            { managed: false, sources: [], copies: [] },
        );
    });
});
