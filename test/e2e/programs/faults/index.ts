// SkyVolume with the volumes and the bucket's keys given as config, so one program serves each fault
// of the end-to-end test (keys rotated, two stacks on one bucket). Optional config: `hosts` (testbed
// host names, comma-separated, so one stack spans hosts of each kind; else the first testbed host).
import * as pulumi from "@pulumi/pulumi";
import { readFileSync } from "node:fs";
import { hostsNamed, loadTestbedInfo } from "../../../../tools/testbed/info";
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
const hostNames = config.get("hosts");
const hosts = hostNames === undefined ? [testbed.hosts[0]] : hostsNamed(testbed, hostNames);
const privateKey = readFileSync(testbed.hosts[0].privateKeyPath, "utf8");
const credentials = pulumi
    .all([config.require("accessKey"), config.requireSecret("secretKey")])
    .apply(([accessKey, secretKey]) => ({ accessKey, secretKey }));

const skyVolume = new SkyVolume("vol", {
    hosts: hosts.map((h) => ({ name: h.name, host: h.address, port: h.port, user: h.user, privateKey, hostKey: h.hostPublicKey })),
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
