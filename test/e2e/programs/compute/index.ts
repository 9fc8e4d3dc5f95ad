// SkyCompute over the testbed's hosts: a dataset read-only at /data, outputs read-write at /output,
// the fixture workdir, a setup step and a detached run.
import * as pulumi from "@pulumi/pulumi";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { loadTestbedInfo } from "../../../../tools/testbed/info";
import { SkyCompute } from "../../../../src";

const config = new pulumi.Config();
const testbed = loadTestbedInfo();
const privateKey = readFileSync(testbed.hosts[0].privateKeyPath, "utf8");
const storage = (bucket: string) => ({
    bucket,
    endpoint: testbed.s3.endpoint,
    region: testbed.s3.region,
    pathStyle: true,
    credentials: pulumi.secret({ accessKey: testbed.s3.accessKey, secretKey: testbed.s3.secretKey }),
});

const compute = new SkyCompute("train", {
    provider: "ssh",
    ssh: {
        hosts: testbed.hosts.map((h) => ({
            name: h.name,
            host: h.address,
            port: h.port,
            user: h.user,
            privateKey,
            hostKey: h.hostPublicKey,
        })),
    },
    volumes: [
        { storage: storage(config.require("dataBucket")), mount: "/data" },
        { storage: storage(config.require("outputBucket")), mount: "/output", prefix: "models", readOnly: false },
    ],
    workdir: path.join(__dirname, "..", "..", "fixtures", "workdir"),
    setup: config.require("setup"),
    run: "./train.sh",
    geesefs: { url: testbed.mirror.geesefs.url, sha256: testbed.mirror.geesefs.sha256 },
    aptSource: testbed.mirror.aptSource,
});

export const addresses = compute.addresses;
export const sshUsers = compute.sshUsers;
export const mounted = compute.mounted;
