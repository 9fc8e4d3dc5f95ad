// A bucket filled from a local tree and mounted read-only on the last testbed host: the resources
// an `up` runs (bucket, sync, install, mount, present), for a test that kills `up` halfway.
import * as pulumi from "@pulumi/pulumi";
import { readFileSync } from "node:fs";
import { loadTestbedInfo } from "../../../../tools/testbed/info";
import { SkyStorage, SkyVolume } from "../../../../src";

const config = new pulumi.Config();
const testbed = loadTestbedInfo();
const host = testbed.hosts[testbed.hosts.length - 1];

const storage = new SkyStorage("data", {
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

const volume = new SkyVolume("vol", {
    hosts: [
        {
            name: host.name,
            host: host.address,
            port: host.port,
            user: host.user,
            privateKey: pulumi.secret(readFileSync(host.privateKeyPath, "utf8")),
            hostKey: host.hostPublicKey,
        },
    ],
    volumes: [{ storage: storage.ref, mount: config.require("mount") }],
    geesefs: { url: testbed.mirror.geesefs.url, sha256: testbed.mirror.geesefs.sha256 },
    aptSource: testbed.mirror.aptSource,
});

export const mounted = volume.mounted;
export const syncSummaries = storage.syncSummaries;
