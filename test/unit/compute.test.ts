import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { describe, it } from "node:test";
import { createHash } from "node:crypto";
import { planSkyCompute, runTrigger } from "../../src/skyCompute/plan";
import { SkyComputeSpec } from "../../src/skyCompute/spec";
import { validateSkyCompute } from "../../src/skyCompute/validate";
import { archiveWorkdir, deterministicTarGz } from "../../src/skyCompute/workdir";
import { formatIssue } from "../../src/internal/issues";
import { renderRunScript, renderSetupScript, renderStopRunScript, renderWorkdirScript } from "../../src/hostScripts/job";
import { SSH_KEYS } from "./fixtures";

/** sha256 of deterministicTarGz of the test tree below. */
const GOLDEN_TAR_GZ_SHA256 = "ea3218ff32c5e87537e2a395b29afaa03ef8efc85d109b9ecfd7171ee96c4cdf";

// Each host at an address of its own, with a key that parses (both are checked at preview).
const host = (name: string) => ({ name, host: `${name}.hosts.test`, privateKey: SSH_KEYS.private });
const keyless = (store: string, endpoint: string) => ({ store, bucket: "data", endpoint, hasCredentials: false });
const keyed = { store: "s3compatible", bucket: "data", endpoint: "http://10.0.0.1:9000", hasCredentials: true };
const dirs = (p: string) => (p === "./app" ? "directory" : p === "./app.py" ? "file" : "missing");

describe("validateSkyCompute", () => {
    const cases: Array<[string, Parameters<typeof validateSkyCompute>[0], string[]]> = [
        ["an unknown provider", { provider: "vsphere", blocks: [] }, ['provider: "vsphere": must be one of aws, gcp, azure, ssh']],
        ["ssh without hosts", { provider: "ssh", blocks: [] }, ['ssh.hosts: (not set): must list the existing hosts for provider "ssh"']],
        [
            "nodes disagreeing with the hosts",
            { provider: "ssh", nodes: 3, hosts: [host("a"), host("b")], blocks: ["ssh"] },
            ["nodes: 3: must equal the number of ssh.hosts (2), or be left out"],
        ],
        [
            "another provider's block",
            { provider: "ssh", hosts: [host("a")], blocks: ["ssh", "aws"] },
            ['aws: "set": only the ssh block goes with provider "ssh"'],
        ],
        [
            "a workdir that is a file",
            { provider: "ssh", hosts: [host("a")], workdir: "./app.py", blocks: ["ssh"] },
            ['workdir: "./app.py": must be a directory'],
        ],
        [
            "the root of the file system as workdir (found by the fuzz test: its archive walked /proc)",
            { provider: "ssh", hosts: [host("a")], workdir: "/", blocks: ["ssh"] },
            ['workdir: "/": must be a project directory, not the root of the file system'],
        ],
        [
            "a missing workdir",
            { provider: "ssh", hosts: [host("a")], workdir: "./nope", blocks: ["ssh"] },
            [`workdir: "./nope": local path does not exist (resolved against ${process.cwd()})`],
        ],
        [
            "azure without a key pair",
            { provider: "azure", nodes: 2, blocks: ["azure"] },
            ["sshPublicKey: (not set): required with provider azure, with sshPrivateKey: the key pair skymount reaches the VMs with"],
        ],
        [
            "azure with a keyless volume",
            {
                provider: "azure",
                blocks: [],
                hasSshKeys: true,
                volumes: [keyed, keyed, keyless("azure", "https://acct.blob.core.windows.net")],
            },
            [
                "volumes[2].storage.credentials: (not set): required: geesefs reaches Azure Blob (and every other store) from Azure VMs only with keys; SkyStorage's ref carries the account key (the VMs' managed identity serves your own code)",
            ],
        ],
        [
            "azure with an image that is not a URN",
            { provider: "azure", blocks: [], hasSshKeys: true, image: "ubuntu-24.04" },
            [
                'image: "ubuntu-24.04": must be an Azure image URN "publisher:offer:sku:version", such as "Canonical:ubuntu-24_04-lts:server:latest"',
            ],
        ],
        [
            "azure with a network smaller than its subnet",
            { provider: "azure", blocks: ["azure"], hasSshKeys: true, vnetCidr: "10.0.0.0/28" },
            ['azure.vnetCidr: "10.0.0.0/28": must be an IPv4 CIDR of /24 or larger, such as 10.42.0.0/16'],
        ],
        [
            "azure with a bad CIDR",
            { provider: "azure", blocks: ["azure"], hasSshKeys: true, sshCidr: "10.0.0.1" },
            ['azure.sshCidr: "10.0.0.1": must be an IPv4 CIDR such as 203.0.113.0/24'],
        ],
        [
            "aws without a key pair",
            { provider: "aws", blocks: [] },
            ["sshPublicKey: (not set): required with provider aws, with sshPrivateKey: the key pair skymount reaches the VMs with"],
        ],
        [
            "aws with a keyless bucket that is not S3",
            { provider: "aws", blocks: [], hasSshKeys: true, volumes: [keyed, keyless("gcs", "https://storage.googleapis.com")] },
            [
                "volumes[1].storage.credentials: (not set): required: on provider aws only S3 buckets are reached through the machines' identity",
            ],
        ],
        [
            "gcp with a keyless bucket that is not GCS",
            { provider: "gcp", blocks: [], hasSshKeys: true, volumes: [keyless("s3", "https://s3.us-east-1.amazonaws.com")] },
            [
                "volumes[0].storage.credentials: (not set): required: on provider gcp only GCS buckets are reached through the machines' identity",
            ],
        ],
        [
            "aws with a bad CIDR",
            { provider: "aws", blocks: ["aws"], hasSshKeys: true, sshCidr: "everyone" },
            ['aws.sshCidr: "everyone": must be an IPv4 CIDR such as 203.0.113.0/24'],
        ],
        [
            "ssh hosts that can never be reached",
            {
                provider: "ssh",
                blocks: ["ssh"],
                hosts: [
                    { ...host("a"), port: 0 },
                    { ...host("b"), host: "" },
                    { ...host("c"), privateKey: "-----BEGIN OPENSSH PRIVATE KEY-----\nnot a key\n" },
                    { ...host("d"), hostKey: "ssh-ed25519" },
                    { ...host("e"), host: "d.hosts.test", port: 22 },
                ],
            },
            [
                "ssh.hosts[0].port: 0: must be a whole number from 1 to 65535",
                'ssh.hosts[1].host: "": must be a host name or IP address',
                "ssh.hosts[2].privateKey: (secret): must be an OpenSSH or PEM private key: Unsupported key format",
                'ssh.hosts[3].hostKey: "ssh-ed25519": must be "<type> <base64>", a line of the host\'s /etc/ssh/ssh_host_*_key.pub',
                'ssh.hosts[4].host: "d.hosts.test": d.hosts.test:22 is also ssh.hosts[3] ("d"); list each host once (two names would mount everything twice on one machine)',
            ],
        ],
    ];
    for (const [name, spec, expected] of cases) {
        it(`rejects ${name}`, () => assert.deepEqual(validateSkyCompute(spec, dirs).map(formatIssue), expected));
    }
    it("accepts existing hosts with a workdir", () => {
        assert.deepEqual(
            validateSkyCompute({ provider: "ssh", hosts: [host("a"), host("b")], workdir: "./app", blocks: ["ssh"] }, dirs),
            [],
        );
    });
});

describe("planSkyCompute", () => {
    // Typed loosely: each case reads the fields of the provider it plans for.
    const machinesOf = (spec: SkyComputeSpec) => planSkyCompute(spec).driver.machines as unknown as Record<string, unknown>;

    it("resolves every default in one place, per provider", () => {
        assert.deepEqual(planSkyCompute({ provider: "aws", blocks: [] }).driver, {
            provider: "aws",
            machines: {
                nodes: 1,
                region: undefined,
                instanceType: "t3.medium",
                image: undefined,
                sshCidr: "0.0.0.0/0",
                sshUser: "ubuntu",
                grants: [],
                grantsPending: false,
            },
        });
        assert.deepEqual(planSkyCompute({ provider: "gcp", blocks: [] }).driver, {
            provider: "gcp",
            machines: {
                nodes: 1,
                zone: "us-central1-a",
                project: undefined,
                machineType: "e2-standard-4",
                image: "ubuntu-os-cloud/ubuntu-2404-lts-amd64",
                sshCidr: "0.0.0.0/0",
                sshUser: "ubuntu",
                grants: [],
            },
        });
        assert.deepEqual(planSkyCompute({ provider: "azure", blocks: [] }).driver, {
            provider: "azure",
            machines: {
                nodes: 1,
                location: "eastus",
                resourceGroupName: undefined,
                vmSize: "Standard_D4s_v5",
                image: { publisher: "Canonical", offer: "ubuntu-24_04-lts", sku: "server", version: "latest" },
                sshCidr: "0.0.0.0/0",
                sshUser: "azureuser",
                vnetCidr: "10.42.0.0/16",
                subnetCidr: "10.42.0.0/24",
                grants: [],
            },
        });
        const hosts = [{ name: "a", host: "10.0.0.1", privateKey: "K" }];
        assert.deepEqual(planSkyCompute({ provider: "ssh", blocks: ["ssh"], hosts }).driver, { provider: "ssh", machines: { hosts } });
    });

    it("takes what was given over the defaults", () => {
        const given = {
            nodes: 3,
            instanceType: "big",
            image: "img",
            region: "r",
            zone: "z",
            sshCidr: "203.0.113.0/24",
            sshUser: "me",
            blocks: [],
        };
        assert.deepEqual(machinesOf({ provider: "aws", ...given }), {
            nodes: 3,
            region: "r",
            instanceType: "big",
            image: "img",
            sshCidr: "203.0.113.0/24",
            sshUser: "me",
            grants: [],
            grantsPending: false,
        });
        assert.deepEqual(machinesOf({ provider: "gcp", ...given, project: "p" }), {
            nodes: 3,
            zone: "z",
            project: "p",
            machineType: "big",
            image: "img",
            sshCidr: "203.0.113.0/24",
            sshUser: "me",
            grants: [],
        });
        assert.deepEqual(machinesOf({ provider: "azure", ...given, image: "P:O:S:V", resourceGroupName: "rg", vnetCidr: "10.1.0.0/16" }), {
            nodes: 3,
            location: "r",
            resourceGroupName: "rg",
            vmSize: "big",
            image: { publisher: "P", offer: "O", sku: "S", version: "V" },
            sshCidr: "203.0.113.0/24",
            sshUser: "me",
            vnetCidr: "10.1.0.0/16",
            subnetCidr: "10.1.0.0/24",
            grants: [],
        });
    });

    const volume = (bucket: string, more: Partial<NonNullable<SkyComputeSpec["volumes"]>[number]> = {}) => ({
        store: "s3",
        bucket,
        endpoint: "https://s3.us-east-1.amazonaws.com",
        hasCredentials: false,
        ...more,
    });

    it("grants the role on AWS one grant per bucket and prefix, writable if any volume there writes, and nothing for volumes with keys", () => {
        const spec: SkyComputeSpec = {
            provider: "aws",
            blocks: [],
            volumes: [
                volume("data", { prefix: "a" }),
                volume("data", { prefix: "a", readOnly: false }),
                volume("data", { prefix: "b" }),
                volume("ckpt", { readOnly: false }),
                volume("keyed", { hasCredentials: true, readOnly: false }),
            ],
        };
        assert.deepEqual(machinesOf(spec).grants, [
            { bucket: "ckpt", prefix: undefined, readOnly: false },
            { bucket: "data", prefix: "a", readOnly: false },
            { bucket: "data", prefix: "b", readOnly: true },
        ]);
    });

    it("binds the service account on GCP per bucket: GCS has no per-prefix roles", () => {
        const gcs = (bucket: string, more = {}) => volume(bucket, { store: "gcs", endpoint: "https://storage.googleapis.com", ...more });
        const spec: SkyComputeSpec = {
            provider: "gcp",
            blocks: [],
            volumes: [gcs("data", { prefix: "a" }), gcs("data", { prefix: "b", readOnly: false }), gcs("other")],
        };
        assert.deepEqual(machinesOf(spec).grants, [
            { bucket: "data", readOnly: false },
            { bucket: "other", readOnly: true },
        ]);
    });

    it("gives the Azure identity one role per container with a scope, writable if any volume on it writes", () => {
        const blob = (account: string, bucket: string, more = {}) =>
            volume(bucket, {
                store: "azure",
                endpoint: `https://${account}.blob.core.windows.net`,
                hasCredentials: true,
                azureScope: `/subscriptions/s/${account}/${bucket}`,
                ...more,
            });
        const spec: SkyComputeSpec = {
            provider: "azure",
            blocks: [],
            volumes: [
                blob("acct", "data"),
                blob("acct", "data", { readOnly: false }),
                blob("acct", "ro"),
                blob("acct", "noscope", { azureScope: undefined }),
                volume("s3bucket"),
            ],
        };
        assert.deepEqual(machinesOf(spec).grants, [
            { key: "https://acct.blob.core.windows.net/data", scope: "/subscriptions/s/acct/data", readOnly: false },
            { key: "https://acct.blob.core.windows.net/ro", scope: "/subscriptions/s/acct/ro", readOnly: true },
        ]);
    });

    it("parses the Azure image once, and refuses one that is not a URN with validation's message", () => {
        assert.deepEqual(
            machinesOf({ provider: "azure", blocks: [], image: "Canonical:0001-com-ubuntu-server-jammy:22_04-lts-gen2:latest" }).image,
            {
                publisher: "Canonical",
                offer: "0001-com-ubuntu-server-jammy",
                sku: "22_04-lts-gen2",
                version: "latest",
            },
        );
        for (const image of ["ubuntu", "a:b:c", "a:b::d", "a:b:c:d:e", "a b:c:d:e"]) {
            assert.throws(() => planSkyCompute({ provider: "azure", blocks: [], image }), {
                message: `image: ${JSON.stringify(image)}: must be an Azure image URN "publisher:offer:sku:version", such as "Canonical:ubuntu-24_04-lts:server:latest"`,
            });
            assert.deepEqual(
                validateSkyCompute({ provider: "azure", blocks: [], hasSshKeys: true, image }, dirs).map((i) => i.path),
                ["image"],
            );
        }
    });

    it("restarts the run on a new workdir or a new setup", () => {
        const sha = (s: string) => createHash("sha256").update(s).digest("hex");
        const plan = planSkyCompute({ provider: "ssh", blocks: [], setup: "pip install x", run: "python train.py" });
        assert.equal(plan.setup, "pip install x");
        assert.equal(plan.run, "python train.py");
        assert.equal(runTrigger("abc", plan.setup!), `abc${sha("pip install x")}`);
        assert.equal(runTrigger("abc", ""), `abc${sha("")}`, "no setup hashes as empty");
    });

    it("refuses a provider validation would have refused", () => {
        assert.throws(() => planSkyCompute({ provider: "vsphere", blocks: [] }), {
            message: 'provider: "vsphere": must be one of aws, gcp, azure, ssh',
        });
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

describe("deterministicTarGz", () => {
    it("depends only on paths, contents and the executable bit: the same bytes on every machine", () => {
        const trees = [0, 1].map(() => mkdtempSync(path.join(tmpdir(), "skymount-tar-")));
        try {
            for (const [i, dir] of trees.entries()) {
                mkdirSync(path.join(dir, "src", "deep"), { recursive: true });
                writeFileSync(path.join(dir, "train.py"), "print('hi')\n", { mode: i ? 0o664 : 0o600 });
                writeFileSync(path.join(dir, "src", "deep", "run.sh"), "#!/bin/sh\necho run\n", { mode: i ? 0o775 : 0o700 });
                utimesSync(path.join(dir, "train.py"), new Date(i * 1e12), new Date(i * 2e12));
                if (process.getuid?.() === 0) chownSync(path.join(dir, "train.py"), 1000 + i, 1000 + i);
            }
            const names = ["train.py", "src/deep/run.sh"];
            const [first, second] = trees.map((dir) => deterministicTarGz(dir, names));
            assert.equal(second.toString("hex"), first.toString("hex"));
            // gzip's header: no time (bytes 4-7), the same OS byte (9) on every platform.
            assert.deepEqual([...first.subarray(0, 10)], [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);
            // Pinned: a change means every stack's workdir is sent to its nodes again (a tar or zlib upgrade).
            assert.equal(createHash("sha256").update(first).digest("hex"), GOLDEN_TAR_GZ_SHA256);
            const listing = execFileSync("tar", ["-tvz", "--numeric-owner"], { input: first, encoding: "utf8" });
            assert.deepEqual(
                listing
                    .trim()
                    .split("\n")
                    .map((line) =>
                        line
                            .split(/\s+/)
                            .filter((_, i) => i !== 2)
                            .join(" "),
                    ),
                ["-rwxr-xr-x 0/0 1970-01-01 00:00 src/deep/run.sh", "-rw-r--r-- 0/0 1970-01-01 00:00 train.py"],
            );
        } finally {
            for (const dir of trees) rmSync(dir, { recursive: true, force: true });
        }
    });
});

describe("job scripts", () => {
    it("parse, and keep user commands quoted", () => {
        for (const script of [
            renderWorkdirScript("abc"),
            renderSetupScript("pip install -r 'req.txt'", "h"),
            renderRunScript("python train.py $EPOCHS", "h"),
        ]) {
            execFileSync("bash", ["-n"], { input: script });
        }
        assert.match(renderRunScript("python train.py $EPOCHS", "h"), /\nrun='python train.py \$EPOCHS'\n/);
    });
});

describe("run as a process group", () => {
    // The rendered scripts, run here with the host's paths moved into a temporary directory.
    const root = mkdtempSync(path.join(tmpdir(), "skymount-run-"));
    const local = (script: string) =>
        script
            .replaceAll("/var/lib/skymount", `${root}/state`)
            .replaceAll("/var/log/skymount", `${root}/log`)
            .replaceAll("/root/sky_workdir", `${root}/work`);
    const sh = (script: string) => execFileSync("bash", ["-c", local(script)], { encoding: "utf8" });
    // Live members of a process group; a zombie (killed, not yet reaped by whoever adopted it) runs nothing.
    const members = (pgid: string) =>
        execFileSync("bash", ["-c", `for p in $(pgrep -g ${pgid}); do grep -qs '^State:.*Z' /proc/$p/status || echo $p; done`], {
            encoding: "utf8",
        })
            .trim()
            .split("\n")
            .filter(Boolean);
    const group = () => readFileSync(`${root}/state/run.pgid`, "utf8").trim();

    it("starts run in a group of its own, and a restart leaves no child of the old one", () => {
        try {
            sh(renderRunScript("sleep 1000 & sleep 1000 & wait", "a"));
            const first = group();
            assert.equal(readFileSync(`${root}/state/run.pid`, "utf8").trim(), first);
            assert.notEqual(first, String(process.pid));
            assert.equal(members(first).length, 3, "bash and its two children");
            const restart = sh(renderRunScript("sleep 1001 & wait", "b"));
            assert.match(restart, new RegExp(`run \\(process group ${first}\\) stopped`));
            assert.deepEqual(members(first), [], "no process of the old run is left");
            const second = group();
            assert.notEqual(second, first);
            assert.equal(members(second).length, 2);
            sh(renderStopRunScript());
            assert.deepEqual(members(second), []);
            assert.equal(sh("ls -A /var/lib/skymount"), "");
        } finally {
            for (const file of ["run.pgid"]) {
                const pgid = (() => {
                    try {
                        return readFileSync(`${root}/state/${file}`, "utf8").trim();
                    } catch {
                        return "";
                    }
                })();
                if (pgid) execFileSync("bash", ["-c", `kill -KILL -- -${pgid} 2>/dev/null || true`]);
            }
        }
    });

    it("kills a job that ignores SIGTERM after the grace period", () => {
        sh(renderRunScript("trap '' TERM; sleep 1000 & sleep 1000 & wait; sleep 1000", "c"));
        const pgid = group();
        const started = Date.now();
        const out = sh(renderStopRunScript(1));
        assert.match(out, new RegExp(`run \\(process group ${pgid}\\) still running 1 s after SIGTERM: SIGKILL`));
        assert.deepEqual(members(pgid), []);
        assert.ok(Date.now() - started < 8_000);
    });

    it("never signals a group it did not start (a number reused after a reboot)", () => {
        const stranger = execFileSync("bash", ["-c", "setsid sleep 1000 > /dev/null 2>&1 & echo $!"], { encoding: "utf8" }).trim();
        try {
            execFileSync("bash", ["-c", `sleep 0.2; mkdir -p ${root}/state && echo ${stranger} > ${root}/state/run.pgid`]);
            sh(renderStopRunScript(1));
            assert.deepEqual(members(stranger), [stranger], "the stranger still runs");
        } finally {
            execFileSync("bash", ["-c", `kill -KILL ${stranger} 2>/dev/null || true`]);
            rmSync(root, { recursive: true, force: true });
        }
    });
});
