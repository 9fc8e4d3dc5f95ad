// What the standalone plugin is bundled from (tools/release/bundle.ts, cloudShims.ts): the cloud SDKs'
// modules skymount uses, found in its sources and each resolving to what the SDK's index exports; the
// files it reads at run time, as assets; and readPackageFile, which reads them outside the executable.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { inSingleExecutable, readPackageFile } from "../../src/internal/packageFile";
import { SCAN_WORKER_SCRIPT } from "../../src/sync/records/scanRecord";
import { packageAssets } from "../../tools/release/bundle";
import { CLOUD_SDKS, cloudShim, usedMembers } from "../../tools/release/cloudShims";

const repo = path.join(__dirname, "..", "..");

/** The shim's exports, its requires resolved from the repository (as esbuild resolves them). */
function loadShim(sdk: (typeof CLOUD_SDKS)[number]): Record<string, Record<string, unknown>> {
    const module = { exports: {} as Record<string, Record<string, unknown>> };
    new Function("exports", "require", "module", cloudShim(sdk))(module.exports, require, module);
    return module.exports;
}

describe("the cloud SDKs' shims", () => {
    it("find the members skymount uses, each in the module that defines it", () => {
        const aws = usedMembers("@pulumi/aws");
        assert.equal(aws.get("s3")?.get("Bucket"), "@pulumi/aws/s3/bucket");
        assert.equal(aws.get("iam")?.get("AccessKey"), "@pulumi/aws/iam/accessKey");
        // Across lines: `aws.ec2\n    .getAmiOutput(...)`.
        assert.equal(aws.get("ec2")?.get("getAmiOutput"), "@pulumi/aws/ec2/getAmi");
        const azure = usedMembers("@pulumi/azure-native");
        assert.equal(azure.get("storage")?.get("StorageAccount"), "@pulumi/azure-native/storage/storageAccount");
        assert.equal(azure.get("storage")?.get("SkuName"), "@pulumi/azure-native/types/enums/storage");
        assert.equal(usedMembers("@pulumi/gcp").get("storage")?.get("HmacKey"), "@pulumi/gcp/storage/hmacKey");
    });

    for (const sdk of CLOUD_SDKS) {
        it(`${sdk}: every member of the shim is the SDK's own`, () => {
            const shim = loadShim(sdk);
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            const full = require(sdk) as Record<string, Record<string, unknown>>;
            const members = [...usedMembers(sdk)].flatMap(([ns, names]) => [...names.keys()].map((name) => [ns, name] as const));
            assert.ok(members.length > 3, `${sdk}: ${members.length} members`);
            for (const [ns, name] of members) {
                assert.ok(shim[ns][name] !== undefined, `${sdk} ${ns}.${name}`);
                assert.equal(shim[ns][name], full[ns][name], `${sdk} ${ns}.${name}`);
            }
        });
    }

    it("fail naming a member the scan did not find", () => {
        assert.throws(() => loadShim("@pulumi/aws").s3.BucketObject, /skymount's plugin does not carry @pulumi\/aws's s3\.BucketObject/);
    });
});

describe("the plugin's assets", () => {
    it("are package.json, the schema, the non-TypeScript files under src/, and the scan's worker", () => {
        const assets = packageAssets({ main: "/b/provider.js", scanWorker: "/b/scanRecord.js", warnings: [] });
        assert.equal(assets["package.json"], path.join(repo, "package.json"));
        assert.equal(assets["sdk/schema.json"], path.join(repo, "sdk", "schema.json"));
        assert.equal(assets[SCAN_WORKER_SCRIPT], "/b/scanRecord.js");
        for (const key of Object.keys(assets)) {
            assert.ok(!key.endsWith(".ts") && !key.endsWith(".md"), key);
            assert.ok(!key.startsWith("src/provider/plugin/"), key);
        }
    });

    it("are read from the package's files outside the executable", () => {
        assert.equal(inSingleExecutable(), false);
        assert.equal(readPackageFile("sdk/schema.json"), readFileSync(path.join(repo, "sdk", "schema.json"), "utf8"));
    });
});
