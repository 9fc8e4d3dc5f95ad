// SkyStorage on AWS S3 as a user writes it: no endpoint, no keys. The engine loads the AWS stand-in
// installed into the test's PULUMI_HOME (tools/standins/aws/), which makes the bucket on the
// testbed's MinIO; skymount's sync reaches MinIO through AWS_ENDPOINT_URL_S3, as any AWS SDK client does.
import * as pulumi from "@pulumi/pulumi";
import { SkyStorage } from "../../../../src";

const config = new pulumi.Config();
const storage = new SkyStorage("data", {
    name: config.require("name"),
    source: config.require("source"),
    persistent: config.requireBoolean("persistent"),
    aws: { hostKeys: config.requireBoolean("hostKeys"), versioning: config.requireBoolean("versioning") },
});

export const bucket = storage.bucket;
export const syncSummaries = storage.syncSummaries;
// The host keys (aws.hostKeys), secret: the test signs requests with them to see what the server allows.
export const hostKeys = storage.ref.credentials;
export const readOnlyHostKeys = storage.readOnlyRef.credentials;
