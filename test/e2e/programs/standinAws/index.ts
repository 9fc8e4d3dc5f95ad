// SkyStorage on AWS S3 as a user writes it: no endpoint, no keys. The engine loads the AWS stand-in
// installed into the test's PULUMI_HOME (tools/standins/aws/), which makes the bucket on the
// testbed's MinIO; skymount's sync reaches it at https://<bucket>.s3.us-east-1.amazonaws.com, the
// name the testbed answers (tools/testbed/cloudNames.ts). With `volumeHost` (a testbed host, as JSON),
// SkyVolume mounts the bucket read-only there with the read-only host keys (aws.hostKeys).
import * as pulumi from "@pulumi/pulumi";
import { readFileSync } from "node:fs";
import { SkyStorage, SkyVolume } from "../../../../src";

interface VolumeHost {
    name: string;
    address: string;
    port: number;
    user: string;
    privateKeyPath: string;
    hostPublicKey: string;
    geesefs: { url: string; sha256: string };
    aptSource: string;
    mount: string;
}

const config = new pulumi.Config();
const storage = new SkyStorage("data", {
    name: config.require("name"),
    source: config.require("source"),
    persistent: config.requireBoolean("persistent"),
    aws: { hostKeys: config.requireBoolean("hostKeys"), versioning: config.requireBoolean("versioning") },
});

const host = config.getObject<VolumeHost>("volumeHost");
if (host) {
    new SkyVolume("dataset", {
        hosts: [
            {
                name: host.name,
                host: host.address,
                port: host.port,
                user: host.user,
                privateKey: readFileSync(host.privateKeyPath, "utf8"),
                hostKey: host.hostPublicKey,
            },
        ],
        volumes: [{ storage: storage.readOnlyRef, mount: host.mount, readOnly: true }],
        geesefs: { url: host.geesefs.url, sha256: host.geesefs.sha256 },
        aptSource: host.aptSource,
    });
}

export const bucket = storage.bucket;
export const syncSummaries = storage.syncSummaries;
// The host keys (aws.hostKeys), secret: the test signs requests with them to see what the server allows.
export const hostKeys = storage.ref.credentials;
export const readOnlyHostKeys = storage.readOnlyRef.credentials;
