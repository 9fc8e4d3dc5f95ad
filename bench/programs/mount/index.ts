// The mount benchmark's program. It imports skymount as npm users get it: bench/mount.ts installs the
// package's `npm pack` tarball into this program's node_modules. That layout decides the state's size:
// Pulumi serializes a dynamic provider's references into an installed package as `require(...)`, and
// code outside node_modules by value, in every resource (each command on each host).
import * as pulumi from "@pulumi/pulumi";
import { readFileSync } from "node:fs";
import { loadTestbedInfo } from "../../../tools/testbed/info";
import { SkyVolume } from "skymount";

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
