// SkyStorage on the testbed's S3 server, reached at config `endpoint` (the test puts a byte-counting
// proxy in front of the server). Config `args` is the JSON of SkyStorageArgs without the store block.
import * as pulumi from "@pulumi/pulumi";
import { loadTestbedInfo } from "../../../../tools/testbed/info";
import { SkyStorage, SkyStorageArgs } from "../../../../src";

const config = new pulumi.Config();
const args = config.requireObject<SkyStorageArgs>("args");
const testbed = loadTestbedInfo();

const storage = new SkyStorage("storage", {
    ...args,
    s3Compatible: {
        endpoint: config.require("endpoint"),
        region: testbed.s3.region,
        accessKey: testbed.s3.accessKey,
        secretKey: pulumi.secret(testbed.s3.secretKey),
    },
});

export const bucket = storage.bucket;
export const syncSummaries = storage.syncSummaries;
export const copySummaries = storage.copySummaries;
