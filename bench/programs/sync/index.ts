// The sync benchmark's program. It loads skymount as users get it from npm, compiled (dist/, built by
// `npm run bench:sync`), not the TypeScript sources, which ts-node would transpile on every run
// (about half a second of each preview).
import * as pulumi from "@pulumi/pulumi";
import { loadTestbedInfo } from "../../../scripts/testbed/info";
const { SkyStorage } = require("../../../dist") as typeof import("../../../src");

const config = new pulumi.Config();
const testbed = loadTestbedInfo();
const storage = new SkyStorage("bench", {
    name: config.require("bucket"),
    source: config.require("source"),
    persistent: false,
    s3Compatible: { endpoint: testbed.s3.endpoint, region: testbed.s3.region, accessKey: testbed.s3.accessKey, secretKey: pulumi.secret(testbed.s3.secretKey) },
});
export const summary = storage.syncSummaries;
