// Azure Blob end to end through SkyStorage's azure block: two containers in an existing account
// (given by name, Blob endpoint and key: Azurite on the testbed), the persistent one filled from a
// local tree, and a SkyVolume on every testbed host mounting it. The non-persistent one is filled by
// a server-side copy from a third container of the same account, and checks that destroy removes
// what the stack created.
import * as pulumi from "@pulumi/pulumi";
import { readFileSync } from "node:fs";
import { loadTestbedInfo } from "../../../../tools/testbed/info";
import { SkyStorage, SkyVolume } from "../../../../src";

const config = new pulumi.Config();
const testbed = loadTestbedInfo();
const privateKey = readFileSync(testbed.hosts[0].privateKeyPath, "utf8");
const azure = { storageAccountName: testbed.azure.account, endpoint: testbed.azure.endpoint, accountKey: pulumi.secret(testbed.azure.key) };

const data = new SkyStorage("data", { name: config.require("container"), source: config.require("sourceDir"), azure });
const scratch = new SkyStorage("scratch", {
    name: config.require("scratch"),
    persistent: false,
    sources: [config.require("copyFrom")],
    azure,
});

const volume = new SkyVolume(
    "vol",
    {
        hosts: testbed.hosts.map((h) => ({
            name: h.name,
            host: h.address,
            port: h.port,
            user: h.user,
            privateKey,
            hostKey: h.hostPublicKey,
        })),
        volumes: [
            { storage: data.readOnlyRef, mount: "/azdata", prefix: "iris" },
            { storage: data.ref, mount: "/azall" },
            { storage: data.ref, mount: "/azout", prefix: "out", readOnly: false },
            { storage: data.readOnlyRef, mount: "/azsnap", prefix: "iris", mode: "COPY" },
        ],
        geesefs: { url: testbed.mirror.geesefs.url, sha256: testbed.mirror.geesefs.sha256 },
        aptSource: testbed.mirror.aptSource,
    },
    // No dependsOn: data.ref carries its sync (filledBy), so the volumes mount after it.
);

export const summary = data.syncSummaries.apply((s) => s[0]);
export const scratchBucket = scratch.bucket;
export const copySummary = scratch.copySummaries.apply((s) => s[0]);
export const mounted = volume.mounted;
