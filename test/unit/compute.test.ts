import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { describe, it } from "node:test";
import { validateSkyCompute } from "../../src/compute/validate";
import { archiveWorkdir } from "../../src/compute/workdir";
import { formatIssue } from "../../src/internal/issues";
import { renderRunScript, renderSetupScript, renderWorkdirScript } from "../../src/scripts/job";

const dirs = (p: string) => (p === "./app" ? "directory" : p === "./app.py" ? "file" : "missing");

describe("validateSkyCompute", () => {
    const cases: Array<[string, Parameters<typeof validateSkyCompute>[0], string[]]> = [
        ["an unknown provider", { provider: "vsphere", blocks: [] }, ['provider: "vsphere": must be one of aws, gcp, azure, ssh']],
        ["ssh without hosts", { provider: "ssh", blocks: [] }, ['ssh.hosts: (not set): must list the existing hosts for provider "ssh"']],
        ["nodes disagreeing with the hosts", { provider: "ssh", nodes: 3, sshHosts: ["a", "b"], blocks: ["ssh"] }, ["nodes: 3: must equal the number of ssh.hosts (2), or be left out"]],
        ["another provider's block", { provider: "ssh", sshHosts: ["a"], blocks: ["ssh", "aws"] }, ['aws: "set": only the ssh block goes with provider "ssh"']],
        ["a workdir that is a file", { provider: "ssh", sshHosts: ["a"], workdir: "./app.py", blocks: ["ssh"] }, ['workdir: "./app.py": must be a directory']],
        ["a missing workdir", { provider: "ssh", sshHosts: ["a"], workdir: "./nope", blocks: ["ssh"] }, ['workdir: "./nope": local path does not exist']],
        ["azure without a key pair", { provider: "azure", nodes: 2, blocks: ["azure"] }, ["sshPublicKey: (not set): required with provider azure, with sshPrivateKey: the key pair skymount reaches the VMs with"]],
        ["azure with a keyless volume", { provider: "azure", blocks: [], hasSshKeys: true, keylessVolumes: [{ index: 2, store: "azure", endpoint: "https://acct.blob.core.windows.net" }] }, ["volumes[2].storage.credentials: (not set): required: geesefs reaches Azure Blob (and every other store) from Azure VMs only with keys; SkyStorage's ref carries the account key (the VMs' managed identity serves your own code)"]],
        ["azure with an image that is not a URN", { provider: "azure", blocks: [], hasSshKeys: true, image: "ubuntu-24.04" }, ['image: "ubuntu-24.04": must be an Azure image URN "publisher:offer:sku:version", such as "Canonical:ubuntu-24_04-lts:server:latest"']],
        ["azure with a network smaller than its subnet", { provider: "azure", blocks: ["azure"], hasSshKeys: true, vnetCidr: "10.0.0.0/28" }, ['azure.vnetCidr: "10.0.0.0/28": must be an IPv4 CIDR of /24 or larger, such as 10.42.0.0/16']],
        ["azure with a bad CIDR", { provider: "azure", blocks: ["azure"], hasSshKeys: true, sshCidr: "10.0.0.1" }, ['azure.sshCidr: "10.0.0.1": must be an IPv4 CIDR such as 203.0.113.0/24']],
        ["aws without a key pair", { provider: "aws", blocks: [] }, ["sshPublicKey: (not set): required with provider aws, with sshPrivateKey: the key pair skymount reaches the VMs with"]],
        ["aws with a keyless bucket that is not S3", { provider: "aws", blocks: [], hasSshKeys: true, keylessVolumes: [{ index: 1, store: "gcs", endpoint: "https://storage.googleapis.com" }] }, ["volumes[1].storage.credentials: (not set): required: on provider aws only S3 buckets are reached through the machines' identity"]],
        ["gcp with a keyless bucket that is not GCS", { provider: "gcp", blocks: [], hasSshKeys: true, keylessVolumes: [{ index: 0, store: "s3", endpoint: "https://s3.us-east-1.amazonaws.com" }] }, ["volumes[0].storage.credentials: (not set): required: on provider gcp only GCS buckets are reached through the machines' identity"]],
        ["aws with a bad CIDR", { provider: "aws", blocks: ["aws"], hasSshKeys: true, sshCidr: "everyone" }, ['aws.sshCidr: "everyone": must be an IPv4 CIDR such as 203.0.113.0/24']],
    ];
    for (const [name, spec, expected] of cases) {
        it(`rejects ${name}`, () => assert.deepEqual(validateSkyCompute(spec, dirs).map(formatIssue), expected));
    }
    it("accepts existing hosts with a workdir", () => {
        assert.deepEqual(validateSkyCompute({ provider: "ssh", sshHosts: ["a", "b"], workdir: "./app", blocks: ["ssh"] }, dirs), []);
    });
});

describe("archiveWorkdir", () => {
    it("is the same archive whatever the files' times, and unpacks to the tree minus ignored files", async () => {
        const dir = mkdtempSync(path.join(tmpdir(), "skymount-workdir-"));
        try {
            writeFileSync(path.join(dir, "train.py"), "print('hi')\n");
            writeFileSync(path.join(dir, "big.ckpt"), "weights");
            writeFileSync(path.join(dir, ".skyignore"), "*.ckpt\n");
            const first = await archiveWorkdir(dir);
            utimesSync(path.join(dir, "train.py"), new Date(0), new Date(1_000_000));
            const second = await archiveWorkdir(dir);
            assert.equal(second.base64, first.base64);
            assert.equal(first.files, 2);
            const listing = execFileSync("tar", ["-tz"], { input: Buffer.from(first.base64, "base64"), encoding: "utf8" });
            assert.deepEqual(listing.trim().split("\n"), [".skyignore", "train.py"]);
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    });
});

describe("job scripts", () => {
    it("parse, and keep user commands quoted", () => {
        for (const script of [renderWorkdirScript("abc"), renderSetupScript("pip install -r 'req.txt'", "h"), renderRunScript("python train.py $EPOCHS", "h")]) {
            execFileSync("bash", ["-n"], { input: script });
        }
        assert.match(renderRunScript("python train.py $EPOCHS", "h"), /bash -c 'python train.py \$EPOCHS'/);
    });
});
