// The sync benchmark's program. It imports skymount as npm users get it: bench/sync.ts installs the
// package's `npm pack` tarball into this program's node_modules (compiled dist/, dependencies from
// the repository's node_modules, as a hoisted install would resolve them), so its dynamic
// providers require `skymount/dist/...` as users' do.
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
