// Existing machines (a lab's GPU boxes, VMs made elsewhere) get a dataset read-only at /data and a
// shared, writable /checkpoints, a workdir, a setup step and a training run.
//
//   pulumi config set s3Endpoint https://minio.example.com
//   pulumi config set s3AccessKey <key>; pulumi config set --secret s3SecretKey <secret>
//   pulumi config set --path 'hosts[0]' 203.0.113.7; pulumi config set --path 'hosts[1]' 203.0.113.8
//   pulumi config set --secret sshPrivateKey "$(cat ~/.ssh/id_ed25519)"
//   pulumi config set geesefsUrl <url>; pulumi config set geesefsSha256 <sha256>
import * as pulumi from "@pulumi/pulumi";
import { SkyCompute, SkyStorage } from "skymount";

const config = new pulumi.Config();
const s3Compatible = {
    endpoint: config.require("s3Endpoint"),
    accessKey: config.require("s3AccessKey"),
    secretKey: config.requireSecret("s3SecretKey"),
};

// Uploaded from ./data on every `pulumi up` (only what changed); kept on `pulumi destroy`.
const datasets = new SkyStorage("datasets", { name: "lab-datasets", source: "./data", s3Compatible });
const checkpoints = new SkyStorage("checkpoints", { name: "lab-checkpoints", s3Compatible });

const hosts = config.requireObject<string[]>("hosts");
const compute = new SkyCompute("lab", {
    provider: "ssh",
    ssh: {
        hosts: hosts.map((address, i) => ({
            name: `node-${i}`,
            host: address,
            user: config.get("sshUser") ?? "root",
            privateKey: config.requireSecret("sshPrivateKey"),
        })),
    },
    volumes: [
        { storage: datasets.ref, mount: "/data" },
        { storage: checkpoints.ref, mount: "/checkpoints", prefix: pulumi.getStack(), readOnly: false },
    ],
    workdir: "./app",
    setup: "pip install -r requirements.txt",
    run: "python train.py --data /data --out /checkpoints",
    geesefs: { url: config.require("geesefsUrl"), sha256: config.require("geesefsSha256") },
});

export const addresses = compute.addresses;
export const sshUsers = compute.sshUsers;
export const mounted = compute.mounted;
