// SkyStorage on the testbed's S3 server. Config `args` is the JSON of SkyStorageArgs without the
// store block, which the program fills in from the testbed.
import * as pulumi from "@pulumi/pulumi";
import { loadTestbedInfo } from "../../../../tools/testbed/info";
import { SkyStorage, SkyStorageArgs } from "../../../../src";

const config = new pulumi.Config();
const args = config.requireObject<SkyStorageArgs>("args");
const testbed = loadTestbedInfo();

const storage = new SkyStorage("storage", {
    ...args,
    s3Compatible: args.s3Compatible ?? {
        endpoint: testbed.s3.endpoint,
        region: testbed.s3.region,
        accessKey: testbed.s3.accessKey,
        secretKey: pulumi.secret(testbed.s3.secretKey),
    },
});

export const bucket = storage.bucket;
export const syncSummaries = storage.syncSummaries;
export const endpoint = storage.ref.endpoint;
