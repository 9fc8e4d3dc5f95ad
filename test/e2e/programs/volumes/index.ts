// SkyVolume over every testbed host, with the volumes given as JSON config so one program serves
// each step of the end-to-end test. Optional config: `hosts` (testbed host names, comma-separated, so
// one stack spans hosts of each kind; else the testbed's `hosts`), `user` (the SSH login, else the
// testbed's), `geesefs` (more geesefs options, as JSON) and `endpoint` (the store's address, else the
// testbed's S3 server: a test's proxy in front of it).
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
const user = config.get("user");
const geesefsOptions = config.getObject<Record<string, unknown>>("geesefs") ?? {};
const testbed = loadTestbedInfo();
const endpoint = config.get("endpoint") ?? testbed.s3.endpoint;
const hosts = hostsNamed(testbed, config.get("hosts"));
const privateKey = readFileSync(testbed.hosts[0].privateKeyPath, "utf8");
const credentials = pulumi.secret({ accessKey: testbed.s3.accessKey, secretKey: testbed.s3.secretKey });

const skyVolume = new SkyVolume("vol", {
    hosts: hosts.map((h) => ({
        name: h.name,
        host: h.address,
        port: h.port,
        user: user ?? h.user,
        privateKey,
        hostKey: h.hostPublicKey,
    })),
    volumes: volumes.map((v) => ({
        storage: { bucket: v.bucket, endpoint, region: testbed.s3.region, pathStyle: true, credentials },
        mount: v.mount,
        prefix: v.prefix,
        readOnly: v.readOnly,
        mode: v.mode,
    })),
    geesefs: { url: testbed.mirror.geesefs.url, sha256: testbed.mirror.geesefs.sha256, cacheSizeMb: 256, ...geesefsOptions },
    aptSource: testbed.mirror.aptSource,
});

export const mounted = skyVolume.mounted;
