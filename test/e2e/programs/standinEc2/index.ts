// SkyCompute with `provider: "aws"` as a user writes it: two machines, a key pair, and volumes without
// keys, reached through the instances' role. The engine loads the AWS stand-in installed into the
// test's PULUMI_HOME (tools/standins/aws/): each instance is a fresh testbed host whose metadata
// service hands out the role's credentials from MinIO's STS. The volumes are S3 buckets written as
// refs by hand, at the testbed's MinIO address (where SkyStorage's ref would say
// https://s3.<region>.amazonaws.com, which the hosts do not resolve yet): geesefs signs with the role's
// credentials, and MinIO allows or refuses as the role's generated policy says.
// Two whole buckets and, as examples/aws's dataset, a prefix read-only: the role may list and read
// only under "iris/" of the sets bucket, so that volume's FUSE mount is of the prefix (geesefs lists
// from its mount's root) and starts without geesefs's detection (a HEAD the role gets 403 for).
import * as pulumi from "@pulumi/pulumi";
import { loadTestbedInfo } from "../../../../tools/testbed/info";
import { SkyCompute } from "../../../../src";

const config = new pulumi.Config();
const testbed = loadTestbedInfo();
const bucket = (name: string) => ({ store: "s3", bucket: name, endpoint: testbed.s3.endpoint, region: testbed.s3.region, pathStyle: true });

const compute = new SkyCompute("train", {
    provider: "aws",
    nodes: 2,
    region: "us-east-1",
    sshPublicKey: config.require("sshPublicKey"),
    sshPrivateKey: config.requireSecret("sshPrivateKey"),
    volumes: [
        { storage: bucket(config.require("dataBucket")), mount: "/data" },
        { storage: bucket(config.require("outputBucket")), mount: "/output", readOnly: false },
        { storage: bucket(config.require("setsBucket")), mount: "/iris", prefix: "iris" },
    ],
    geesefs: { url: testbed.mirror.geesefs.url, sha256: testbed.mirror.geesefs.sha256 },
    aptSource: testbed.mirror.aptSource,
});

export const addresses = compute.addresses;
export const sshUsers = compute.sshUsers;
export const mounted = compute.mounted;
