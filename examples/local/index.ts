// The local demo (`npm run demo`): a dataset bucket filled from ./data and an output bucket on the
// testbed's S3 server (MinIO), mounted on every testbed host — the dataset read-only at /data and
// /notes, the outputs read-write at /output.
import * as pulumi from "@pulumi/pulumi";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { loadTestbedInfo } from "../../tools/testbed/info";
import { SkyStorage, SkyVolume } from "../../src";

const testbed = loadTestbedInfo();
const s3Compatible = {
    endpoint: testbed.s3.endpoint,
    region: testbed.s3.region,
    accessKey: testbed.s3.accessKey,
    secretKey: pulumi.secret(testbed.s3.secretKey),
};

const datasets = new SkyStorage("datasets", {
    name: "skymount-demo-datasets",
    source: path.join(__dirname, "data"),
    s3Compatible,
    // Buckets are persistent by default; the demo's are removed by `npm run demo -- destroy`.
    persistent: false,
});

const outputs = new SkyStorage("outputs", { name: "skymount-demo-outputs", s3Compatible, persistent: false });

const volumes = new SkyVolume("demo", {
    hosts: testbed.hosts.map((h) => ({
        name: h.name,
        host: h.address,
        port: h.port,
        user: h.user,
        privateKey: pulumi.secret(readFileSync(h.privateKeyPath, "utf8")),
        hostKey: h.hostPublicKey,
    })),
    volumes: [
        { storage: datasets.ref, mount: "/data", prefix: "iris" },
        { storage: datasets.ref, mount: "/notes", prefix: "notes" },
        { storage: outputs.ref, mount: "/output", prefix: "run-1", readOnly: false },
    ],
    // The testbed's hosts download geesefs and fuse3 from its local mirror.
    geesefs: { url: testbed.mirror.geesefs.url, sha256: testbed.mirror.geesefs.sha256 },
    aptSource: testbed.mirror.aptSource,
});

export const datasetSync = datasets.syncSummaries;
export const mounted = volumes.mounted;
