// SkyVolume on the testbed's first systemd host (a host that boots systemd as PID 1), with the
// volumes given as JSON config so one program serves each step of the end-to-end test. Optional config:
// `user`, the SSH login (else the testbed's, root).
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
const user = config.get("user");
const testbed = loadTestbedInfo();
const host = testbed.systemdHosts[0];
if (!host) throw new Error("the testbed has no systemd host: start it with --systemd-hosts 1");
const privateKey = readFileSync(host.privateKeyPath, "utf8");
const credentials = pulumi.secret({ accessKey: testbed.s3.accessKey, secretKey: testbed.s3.secretKey });

const skyVolume = new SkyVolume("vol", {
    hosts: [{ name: host.name, host: host.address, port: host.port, user: user ?? host.user, privateKey, hostKey: host.hostPublicKey }],
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
