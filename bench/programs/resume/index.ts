// The resume benchmark's program: one SkyStorage whose S3 endpoint is the benchmark's proxy in front
// of the testbed's MinIO (config `endpoint`), so the benchmark can take the server away mid-sync and
// count the bytes the next up sends. Imports skymount's sources: what is measured is the sync
// engine's resume, not the package layout.
import * as pulumi from "@pulumi/pulumi";
import { loadTestbedInfo } from "../../../tools/testbed/info";
import { SkyStorage } from "../../../src";

const config = new pulumi.Config();
const testbed = loadTestbedInfo();
const storage = new SkyStorage("resume", {
    name: config.require("bucket"),
    source: config.require("source"),
    persistent: false,
    s3Compatible: {
        endpoint: config.require("endpoint"),
        region: testbed.s3.region,
        accessKey: testbed.s3.accessKey,
        secretKey: pulumi.secret(testbed.s3.secretKey),
    },
});
export const summary = storage.syncSummaries;
