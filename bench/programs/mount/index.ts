import * as pulumi from "@pulumi/pulumi";
import { readFileSync } from "node:fs";
import { loadTestbedInfo } from "../../../scripts/testbed/info";
import { SkyVolume } from "../../../src";

const config = new pulumi.Config();
const testbed = loadTestbedInfo();
const storage = {
    bucket: config.require("bucket"),
    endpoint: testbed.s3.endpoint,
    region: testbed.s3.region,
    pathStyle: true,
    credentials: pulumi.secret({ accessKey: testbed.s3.accessKey, secretKey: testbed.s3.secretKey }),
};
const privateKey = readFileSync(testbed.hosts[0].privateKeyPath, "utf8");
new SkyVolume("bench", {
    hosts: testbed.hosts.map((h) => ({ name: h.name, host: h.address, port: h.port, user: h.user, privateKey, hostKey: h.hostPublicKey })),
    volumes: [
        { storage, mount: "/bench-ro", prefix: config.require("readPrefix") },
        // Without it the bucket's mount is read-only (and keeps metadata for 60 s instead of 1 s).
        ...(config.getBoolean("writeVolume") === false ? [] : [{ storage, mount: "/bench-rw", prefix: "writes", readOnly: false }]),
    ],
    geesefs: { url: testbed.mirror.geesefs.url, sha256: testbed.mirror.geesefs.sha256 },
    aptSource: testbed.mirror.aptSource,
});
