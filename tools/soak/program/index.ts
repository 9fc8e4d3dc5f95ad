// SkyVolume on the testbed hosts the chaos soak names (config `hosts`: their names, from either of the
// testbed's host lists), with the volumes given as JSON config (`volumes`).
import * as pulumi from "@pulumi/pulumi";
import { readFileSync } from "node:fs";
import { loadTestbedInfo } from "../../testbed/info";
import { SkyVolume, VolumeMode } from "../../../src";

interface VolumeConfig {
    bucket: string;
    mount: string;
    prefix?: string;
    mode?: VolumeMode;
}

const config = new pulumi.Config();
const names = config.requireObject<string[]>("hosts");
const volumes = config.requireObject<VolumeConfig[]>("volumes");
const testbed = loadTestbedInfo();
const hosts = names.map((name) => {
    const host = [...testbed.hosts, ...testbed.systemdHosts].find((h) => h.name === name);
    if (!host) throw new Error(`hosts: ${name}: not a host of the testbed`);
    return host;
});
const privateKey = readFileSync(hosts[0].privateKeyPath, "utf8");
const credentials = pulumi.secret({ accessKey: testbed.s3.accessKey, secretKey: testbed.s3.secretKey });

const skyVolume = new SkyVolume("soak", {
    hosts: hosts.map((h) => ({ name: h.name, host: h.address, port: h.port, user: h.user, privateKey, hostKey: h.hostPublicKey })),
    volumes: volumes.map((v) => ({
        storage: { bucket: v.bucket, endpoint: testbed.s3.endpoint, region: testbed.s3.region, pathStyle: true, credentials },
        mount: v.mount,
        prefix: v.prefix,
        readOnly: false,
        mode: v.mode,
    })),
    geesefs: { url: testbed.mirror.geesefs.url, sha256: testbed.mirror.geesefs.sha256, cacheSizeMb: 128 },
    aptSource: testbed.mirror.aptSource,
});

export const mounted = skyVolume.mounted;
