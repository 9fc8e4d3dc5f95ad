// The README's flow on the testbed: a local dataset synced to a bucket's root, and that root mounted
// on every host as a MOUNT and a COPY volume (one bucket has one FUSE mount mode per host). Config: `bucket`, `source`, and
// optionally `records` (SkyStorage's records location).
import * as pulumi from "@pulumi/pulumi";
import { readFileSync } from "node:fs";
import { loadTestbedInfo } from "../../../../tools/testbed/info";
import { SkyStorage, SkyVolume, VolumeMode } from "../../../../src";

const config = new pulumi.Config();
const testbed = loadTestbedInfo();

const storage = new SkyStorage("dataset", {
    name: config.require("bucket"),
    source: config.require("source"),
    records: config.get("records"),
    persistent: false,
    s3Compatible: {
        endpoint: testbed.s3.endpoint,
        region: testbed.s3.region,
        accessKey: testbed.s3.accessKey,
        secretKey: pulumi.secret(testbed.s3.secretKey),
    },
});

const privateKey = readFileSync(testbed.hosts[0].privateKeyPath, "utf8");
const volume = new SkyVolume("dataset", {
    hosts: testbed.hosts.map((h) => ({ name: h.name, host: h.address, port: h.port, user: h.user, privateKey, hostKey: h.hostPublicKey })),
    volumes: [
        { storage: storage.readOnlyRef, mount: "/data" },
        { storage: storage.readOnlyRef, mount: "/snapshot", mode: VolumeMode.Copy },
    ],
    geesefs: { url: testbed.mirror.geesefs.url, sha256: testbed.mirror.geesefs.sha256, cacheSizeMb: 256 },
    aptSource: testbed.mirror.aptSource,
});

export const mounted = volume.mounted;
export const syncSummaries = storage.syncSummaries;
