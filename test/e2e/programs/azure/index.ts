// Azure Blob end to end, from skymount's own pieces (until SkyStorage's azure block lands): a
// container made through the Blob API with the account key, a local tree synced into it, and a
// SkyVolume on every testbed host with a hand-written azure StorageRef. A second, non-persistent
// container checks that destroy removes what the stack created.
import * as pulumi from "@pulumi/pulumi";
import { readFileSync } from "node:fs";
import { loadTestbedInfo } from "../../../../scripts/testbed/info";
import { SkyVolume } from "../../../../src";
import { StorageRef } from "../../../../src/storage/ref";
import { AzureBlobContainer } from "../../../../src/stores/azure/container";
import { BucketSync } from "../../../../src/sync/bucketSync";
import { scanTree } from "../../../../src/sync/manifest";

const config = new pulumi.Config();
const containerName = config.require("container");
const scratchName = config.require("scratch");
const sourceDir = config.require("sourceDir");
const testbed = loadTestbedInfo();
const privateKey = readFileSync(testbed.hosts[0].privateKeyPath, "utf8");
const credentials = pulumi.secret({ accessKey: testbed.azure.account, secretKey: testbed.azure.key });

const container = new AzureBlobContainer("container", { endpoint: testbed.azure.endpoint, credentials, container: containerName, persistent: true });
const scratch = new AzureBlobContainer("scratch", { endpoint: testbed.azure.endpoint, credentials, container: scratchName, persistent: false });

const sync = new BucketSync("sync", {
    target: { kind: "azure", endpoint: testbed.azure.endpoint },
    credentials,
    bucket: container.container,
    keyPrefix: "",
    sourceDir,
    files: pulumi.output(scanTree(sourceDir).then((s) => s.manifest)),
    deleteOnDestroy: false,
});

const storage: StorageRef = { store: "azure", bucket: containerName, endpoint: testbed.azure.endpoint, region: "", pathStyle: false, credentials };
const volume = new SkyVolume(
    "vol",
    {
        hosts: testbed.hosts.map((h) => ({ name: h.name, host: h.address, port: h.port, user: h.user, privateKey, hostKey: h.hostPublicKey })),
        volumes: [
            { storage, mount: "/azdata", prefix: "iris" },
            { storage, mount: "/azall" },
            { storage, mount: "/azout", prefix: "out", readOnly: false },
            { storage, mount: "/azsnap", prefix: "iris", mode: "COPY" },
        ],
        geesefs: { url: testbed.mirror.geesefs.url, sha256: testbed.mirror.geesefs.sha256 },
        aptSource: testbed.mirror.aptSource,
    },
    { dependsOn: [sync] },
);

export const adopted = container.adopted;
export const scratchAdopted = scratch.adopted;
export const summary = sync.summary;
export const mounted = volume.mounted;
