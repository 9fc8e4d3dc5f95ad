// SkyStorage on the testbed's S3 server, whose endpoint, region and keys are outputs of a resource
// this stack creates (a stand-in for a MinIO or R2 made in the same program): unknown at the first
// preview. Config `name` is the bucket, `source` the local tree (relative: against this directory).
import * as pulumi from "@pulumi/pulumi";
import { loadTestbedInfo } from "../../../../tools/testbed/info";
import { SkyStorage } from "../../../../src";

/** Hands back the server's address and keys under other names, so they are unknown until it exists. */
const serverProvider: pulumi.dynamic.ResourceProvider = {
    async create(inputs) {
        return { id: "s3-server", outs: { url: inputs.address, location: inputs.zone, key: inputs.user, secret: inputs.password } };
    },
};

class S3Server extends pulumi.dynamic.Resource {
    declare readonly url: pulumi.Output<string>;
    declare readonly location: pulumi.Output<string>;
    declare readonly key: pulumi.Output<string>;
    declare readonly secret: pulumi.Output<string>;
    constructor(name: string, args: Record<string, pulumi.Input<string>>) {
        super(
            serverProvider,
            name,
            { ...args, url: undefined, location: undefined, key: undefined, secret: undefined },
            {
                additionalSecretOutputs: ["secret", "password"],
            },
        );
    }
}

const config = new pulumi.Config();
const testbed = loadTestbedInfo();
const server = new S3Server("server", {
    address: testbed.s3.endpoint,
    zone: testbed.s3.region,
    user: testbed.s3.accessKey,
    password: pulumi.secret(testbed.s3.secretKey),
});

const storage = new SkyStorage("storage", {
    name: config.require("name"),
    source: config.require("source"),
    persistent: false,
    region: server.location,
    s3Compatible: { endpoint: server.url, accessKey: server.key, secretKey: server.secret },
});

export const bucket = storage.bucket;
export const syncSummaries = storage.syncSummaries;
export const endpoint = storage.ref.endpoint;
