// The copy benchmark's program: SkyStorage filling its bucket from a prefix of another bucket on the
// testbed's MinIO (`sources`: one bucket URI, a BucketCopy). Like bench/programs/sync, it imports
// skymount as npm users get it (bench/copy.ts installs the package's `npm pack` tarball here), so its
// dynamic providers require `skymount/dist/...` and the provider measured is the one users run.
import * as pulumi from "@pulumi/pulumi";
import { SkyStorage } from "skymount";
import { loadTestbedInfo } from "../../../tools/testbed/info";

const config = new pulumi.Config();
const testbed = loadTestbedInfo();
const storage = new SkyStorage("bench", {
    name: config.require("bucket"),
    sources: [config.require("source")],
    persistent: false,
    s3Compatible: {
        endpoint: testbed.s3.endpoint,
        region: testbed.s3.region,
        accessKey: testbed.s3.accessKey,
        secretKey: pulumi.secret(testbed.s3.secretKey),
    },
});
export const summary = storage.copySummaries;
