// Two EC2 instances (IMDSv2 required) whose instance role reaches exactly their volumes: the dataset
// read-only under its prefix, the checkpoints read-write. No keys are written on the machines:
// geesefs takes the role through the AWS SDK's chain.
//
//   pulumi config set aws:region eu-west-1
//   pulumi config set sshPublicKey "$(cat ~/.ssh/id_ed25519.pub)"
//   pulumi config set --secret sshPrivateKey "$(cat ~/.ssh/id_ed25519)"
//   pulumi config set geesefsUrl https://github.com/yandex-cloud/geesefs/releases/download/v0.43.8/geesefs-linux-amd64
//   pulumi config set geesefsSha256 <the sha256 you verified>
//   pulumi config set setup "<command>"   # optional: what prepares each machine before `run`; default: python3-numpy from apt
import * as pulumi from "@pulumi/pulumi";
import { SkyCompute, SkyStorage } from "skymount";

const config = new pulumi.Config();
const region = new pulumi.Config("aws").require("region");
const stack = pulumi.getStack();

// Private, encrypted, kept on `pulumi destroy`; ./data is uploaded under "iris/".
const datasets = new SkyStorage("datasets", { name: `skymount-${stack}-datasets`, source: "./data", prefix: "iris", region });
const checkpoints = new SkyStorage("checkpoints", { name: `skymount-${stack}-checkpoints`, region });

const compute = new SkyCompute("train", {
    provider: "aws",
    nodes: 2,
    instanceType: "t3.large",
    region,
    sshPublicKey: config.require("sshPublicKey"),
    sshPrivateKey: config.requireSecret("sshPrivateKey"),
    aws: { sshCidr: config.get("sshCidr") ?? "0.0.0.0/0" },
    volumes: [
        { storage: datasets.readOnlyRef, mount: "/data", prefix: "iris" },
        { storage: checkpoints.ref, mount: "/checkpoints", readOnly: false },
    ],
    workdir: "./app",
    setup: config.get("setup") ?? "sudo apt-get install -y python3-numpy",
    run: "python3 train.py",
    geesefs: { url: config.require("geesefsUrl"), sha256: config.require("geesefsSha256") },
});

export const addresses = compute.addresses;
export const sshUsers = compute.sshUsers;
export const mounted = compute.mounted;
