// Two GCE instances with a service account of their own. The dataset bucket is filled from ./data;
// the machines reach it read-only and the checkpoint bucket read-write, through bucket IAM bindings
// and an HMAC key of their service account (geesefs speaks GCS's S3-compatible API).
//
//   pulumi config set gcp:project my-project
//   pulumi config set sshPublicKey "$(cat ~/.ssh/id_ed25519.pub)"
//   pulumi config set --secret sshPrivateKey "$(cat ~/.ssh/id_ed25519)"
//   pulumi config set geesefsUrl <url>; pulumi config set geesefsSha256 <sha256>
import * as pulumi from "@pulumi/pulumi";
import { SkyCompute, SkyStorage } from "skymount";

const config = new pulumi.Config();
const stack = pulumi.getStack();

// Uniform bucket-level access, public access prevented, kept on `pulumi destroy`.
const datasets = new SkyStorage("datasets", { name: `skymount-${stack}-datasets`, source: "./data", region: "europe-west4", gcp: {} });
const checkpoints = new SkyStorage("checkpoints", { name: `skymount-${stack}-checkpoints`, region: "europe-west4", gcp: {} });

const compute = new SkyCompute("train", {
    provider: "gcp",
    nodes: 2,
    zone: "europe-west4-a",
    instanceType: "e2-standard-4",
    sshPublicKey: config.require("sshPublicKey"),
    sshPrivateKey: config.requireSecret("sshPrivateKey"),
    volumes: [
        // No keys given: the machines' own service account is bound to each bucket.
        { storage: { ...datasets.ref, credentials: undefined }, mount: "/data" },
        { storage: { ...checkpoints.ref, credentials: undefined }, mount: "/checkpoints", readOnly: false },
    ],
    setup: "python3 --version",
    // Detached, logging to /var/log/skymount/run.log.
    run: "wc -l /data/sample.csv > /checkpoints/rows.txt",
    geesefs: { url: config.require("geesefsUrl"), sha256: config.require("geesefsSha256") },
});

export const addresses = compute.addresses;
export const sshUsers = compute.sshUsers;
export const mounted = compute.mounted;
