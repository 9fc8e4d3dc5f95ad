// Two Azure VMs. The dataset container is filled from ./data; the VMs mount it read-only and the
// checkpoint container read-write. Each container gets a storage account of its own, so the account
// key geesefs mounts with reaches that container and nothing else; the VMs' managed identity holds
// Storage Blob Data Reader / Contributor on the same containers for the code running on them.
//
//   pulumi config set azure-native:location westeurope
//   pulumi config set sshPublicKey "$(cat ~/.ssh/id_ed25519.pub)"
//   pulumi config set --secret sshPrivateKey "$(cat ~/.ssh/id_ed25519)"
//   pulumi config set geesefsUrl <url>; pulumi config set geesefsSha256 <sha256>
import * as pulumi from "@pulumi/pulumi";
import { SkyCompute, SkyStorage } from "skymount";

const config = new pulumi.Config();
const location = "westeurope";

// HTTPS and TLS 1.2 only, no public blob access, kept on `pulumi destroy`.
const datasets = new SkyStorage("datasets", { name: "datasets", source: "./data", region: location, azure: {} });
const checkpoints = new SkyStorage("checkpoints", { name: "checkpoints", region: location, azure: {} });

const compute = new SkyCompute("train", {
    provider: "azure",
    nodes: 2,
    region: location,
    instanceType: "Standard_D4s_v5",
    sshPublicKey: config.require("sshPublicKey"),
    sshPrivateKey: config.requireSecret("sshPrivateKey"),
    azure: { sshCidr: config.get("sshCidr") ?? "0.0.0.0/0" },
    volumes: [
        // readOnlyRef: the mount is read-only (an account key cannot be narrowed; the mount can).
        { storage: datasets.readOnlyRef, mount: "/data" },
        { storage: checkpoints.ref, mount: "/checkpoints", readOnly: false },
    ],
    setup: "python3 --version",
    // Detached, logging to /var/log/skymount/run.log.
    run: "wc -l /data/sample.csv > /checkpoints/rows.txt",
    geesefs: { url: config.require("geesefsUrl"), sha256: config.require("geesefsSha256") },
});

export const addresses = compute.addresses;
export const sshUsers = compute.sshUsers;
export const mounted = compute.mounted;
