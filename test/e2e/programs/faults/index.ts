// SkyVolume on the first testbed host, with the volumes and the bucket's keys given as config, so
// one program serves each fault of the end-to-end test (keys rotated, two stacks on one bucket).
import * as pulumi from "@pulumi/pulumi";
import { readFileSync } from "node:fs";
import { loadTestbedInfo } from "../../../../tools/testbed/info";
import { SkyVolume, VolumeMode } from "../../../../src";

interface VolumeConfig {
    bucket: string;
    mount: string;
    prefix?: string;
    readOnly?: boolean;
    mode?: VolumeMode;
}

const config = new pulumi.Config();
const volumes = config.requireObject<VolumeConfig[]>("volumes");
const testbed = loadTestbedInfo();
const host = testbed.hosts[0];
const privateKey = readFileSync(host.privateKeyPath, "utf8");
const credentials = pulumi
    .all([config.require("accessKey"), config.requireSecret("secretKey")])
    .apply(([accessKey, secretKey]) => ({ accessKey, secretKey }));

const skyVolume = new SkyVolume("vol", {
    hosts: [{ name: host.name, host: host.address, port: host.port, user: host.user, privateKey, hostKey: host.hostPublicKey }],
    volumes: volumes.map((v) => ({
        storage: { bucket: v.bucket, endpoint: testbed.s3.endpoint, region: testbed.s3.region, pathStyle: true, credentials },
        mount: v.mount,
        prefix: v.prefix,
        readOnly: v.readOnly,
        mode: v.mode,
    })),
    geesefs: { url: testbed.mirror.geesefs.url, sha256: testbed.mirror.geesefs.sha256, cacheSizeMb: 64 },
    aptSource: testbed.mirror.aptSource,
});

export const mounted = skyVolume.mounted;
