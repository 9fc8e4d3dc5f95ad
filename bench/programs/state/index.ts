// The state benchmark's program: one SkyStorage over a many-file tree, skymount installed from its
// `npm pack` tarball (bench/state.ts), as npm users get it.
import * as pulumi from "@pulumi/pulumi";
import { SkyStorage } from "skymount";
import { loadTestbedInfo } from "../../../tools/testbed/info";

const config = new pulumi.Config();
const testbed = loadTestbedInfo();
const storage = new SkyStorage("bench", {
    name: config.require("bucket"),
    source: config.require("source"),
    persistent: false,
    s3Compatible: {
        endpoint: testbed.s3.endpoint,
        region: testbed.s3.region,
        accessKey: testbed.s3.accessKey,
        secretKey: pulumi.secret(testbed.s3.secretKey),
    },
});
export const summary = storage.syncSummaries;
