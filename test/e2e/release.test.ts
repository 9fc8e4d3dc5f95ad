// skymount from its release artifacts (tools/release/build.ts, `npm run release:build`), installed
// exactly as a user installs them, with nothing from the checkout on PATH (support/release.ts), and
// for Python, Go and YAML no Node.js either:
// - the provider plugin, a standalone executable, from its archive into a fresh PULUMI_HOME (`pulumi
//   plugin install resource skymount <version> --file ...`), where the engine must find it (no
//   pulumi-resource-skymount on PATH); the linux-arm64 one run under qemu-user;
// - the Python wheel with pip into a fresh venv, and examples/python run from it;
// - the Go module through a `replace` to the released copy, and examples/go run from it;
// - examples/yaml, which needs nothing but the plugin;
// - the npm package into an empty project without any cloud SDK: S3-compatible storage works, and the
//   AWS store names the package to install.
// The programs are the examples' SkyPilot-shaped task on two hosts: up, files on both hosts, read-only
// volumes, a no-op up that changes and remounts nothing, destroy that unmounts and keeps the buckets.
import { DeleteBucketCommand, DeleteObjectsCommand, HeadBucketCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import { LocalWorkspace, Stack } from "@pulumi/pulumi/automation";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { closeSync, cpSync, existsSync, mkdirSync, openSync, readFileSync, readSync, statSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { ReleaseArtifacts } from "../../tools/release/build";
import { exampleConfig, GEESEFS_PIDS } from "./support/examples";
import { cleanPath, installRelease, installSdk, onCleanPath, pulumiHome, repoRoot, typeScriptUserPath, work } from "./support/release";
import { onHost, readTree, requireTestbed, s3ClientFor, uniqueName } from "./support/testbed";

const sha256 = (file: string) => createHash("sha256").update(readFileSync(file)).digest("hex");

let artifacts: ReleaseArtifacts;
before(async () => {
    artifacts = await installRelease();
});

describe("the release artifacts", () => {
    it("hold one plugin archive per platform, each its own standalone executable, listed in SHA256SUMS", () => {
        const archives = Object.values(artifacts.pluginArchives);
        assert.equal(archives.length, 5);
        assert.equal(new Set(archives.map(sha256)).size, 5, "each platform's archive holds that platform's Node.js");
        for (const archive of archives) {
            const listed = execFileSync("tar", ["-tzf", archive], { encoding: "utf8" }).trim().split("\n").sort();
            const executable = archive.includes("-windows-") ? "pulumi-resource-skymount.exe" : "pulumi-resource-skymount";
            assert.deepEqual(listed, ["LICENSE", executable], path.basename(archive));
        }
        const sums = readFileSync(path.join(path.dirname(artifacts.npmPackage), "SHA256SUMS"), "utf8");
        for (const file of [...archives, artifacts.wheel, artifacts.npmPackage])
            assert.ok(sums.includes(`${sha256(file)}  ${path.basename(file)}`), path.basename(file));
    });

    it("install the plugin into the fresh PULUMI_HOME, and nothing on PATH serves it", () => {
        const listed = JSON.parse(
            execFileSync("pulumi", ["plugin", "ls", "--json"], { env: { ...process.env, PULUMI_HOME: pulumiHome }, encoding: "utf8" }),
        ) as Array<{ name: string; kind: string; version: string }>;
        assert.deepEqual(
            listed.map(({ name, kind, version }) => ({ name, kind, version })),
            [{ name: "skymount", kind: "resource", version: artifacts.version }],
        );
        const executable = path.join(pulumiHome, "plugins", `resource-skymount-v${artifacts.version}`, "pulumi-resource-skymount");
        assert.ok(statSync(executable).mode & 0o100, "the plugin is executable");
        assert.ok(!onCleanPath("pulumi-resource-skymount"), "pulumi-resource-skymount is on PATH");
        assert.ok(!onCleanPath("node"), "the programs run with Node.js on PATH");
    });

    it("the linux-arm64 executable, run under qemu-user, serves the committed schema to the engine", () => {
        // Emulated: qemu-user-static with the arm64 C libraries tools/setup.sh unpacks. The engine runs
        // a plugin by path, so a two-line launcher stands in for a binfmt registration.
        const unpacked = path.join(work, "linux-arm64");
        mkdirSync(unpacked);
        execFileSync("tar", ["-xzf", artifacts.pluginArchives["linux-arm64"], "-C", unpacked]);
        const executable = path.join(unpacked, "pulumi-resource-skymount");
        const header = Buffer.alloc(20);
        const fd = openSync(executable, "r");
        readSync(fd, header, 0, 20, 0);
        closeSync(fd);
        assert.equal(header.readUInt16LE(18), 183, "the executable is an ELF for EM_AARCH64");
        const root = process.env.SKYMOUNT_ARM64_ROOT;
        assert.ok(root && existsSync(path.join(root, ".complete")), "SKYMOUNT_ARM64_ROOT: run npm run setup");
        const launcher = path.join(work, "arm64-launcher", "pulumi-resource-skymount");
        mkdirSync(path.dirname(launcher));
        writeFileSync(launcher, `#!/bin/sh\nexec qemu-aarch64-static -L '${root}' '${executable}' "$@"\n`, { mode: 0o755 });
        const schema = execFileSync("pulumi", ["package", "get-schema", launcher], {
            env: { ...process.env, PATH: cleanPath, PULUMI_HOME: pulumiHome },
            encoding: "utf8",
            maxBuffer: 64 * 1024 * 1024,
        });
        assert.deepEqual(JSON.parse(schema), JSON.parse(readFileSync(path.join(repoRoot, "sdk", "schema.json"), "utf8")));
    });

    it("the npm package installs without cloud SDKs: S3-compatible storage works, the AWS store names the package to install", () => {
        const program = path.join(work, "npm-program");
        mkdirSync(program);
        writeFileSync(path.join(program, "package.json"), JSON.stringify({ name: "peer-test", private: true }));
        execFileSync("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error", artifacts.npmPackage], {
            cwd: program,
            env: { ...process.env, PATH: typeScriptUserPath },
            stdio: ["ignore", "ignore", "inherit"],
        });
        for (const name of ["@pulumi/aws", "@pulumi/gcp", "@pulumi/azure-native", "@pulumi/command"])
            assert.ok(!existsSync(path.join(program, "node_modules", name)), `${name} was installed`);
        writeFileSync(
            path.join(program, "index.js"),
            [
                `const pulumi = require("@pulumi/pulumi");`,
                `pulumi.runtime.setMocks({ newResource: (a) => ({ id: a.name + "-id", state: a.inputs }), call: (a) => a.inputs }, "p", "s", false);`,
                `const { SkyStorage } = require("skymount");`,
                `const report = (what, err) => console.log(JSON.stringify({ [what]: err ? String(err.message) : "ok" }));`,
                `process.on("unhandledRejection", (err) => { report("unhandled", err); process.exit(1); });`,
                `const s3Compatible = { endpoint: "http://127.0.0.1:9", accessKey: "a", secretKey: "b" };`,
                `try { new SkyStorage("minio", { name: "peer-minio", s3Compatible }); report("s3Compatible"); } catch (err) { report("s3Compatible", err); }`,
                `try { new SkyStorage("aws", { name: "peer-aws" }); report("aws"); } catch (err) { report("aws", err); }`,
            ].join("\n"),
        );
        const lines = execFileSync("node", ["index.js"], {
            cwd: program,
            encoding: "utf8",
            env: { ...process.env, PATH: typeScriptUserPath },
        })
            .trim()
            .split("\n")
            .map((line) => JSON.parse(line));
        assert.deepEqual(lines, [
            { s3Compatible: "ok" },
            { aws: `store: "s3": needs @pulumi/aws, which is not installed: npm install @pulumi/aws@"^7.48.0"` },
        ]);
    });
});

for (const language of ["python", "go", "yaml"] as const) {
    describe(`examples/${language} from the release artifacts`, () => {
        const testbed = requireTestbed();
        const hosts = testbed.hosts.slice(0, 2);
        const s3 = s3ClientFor(testbed);
        const datasets = uniqueName(`rel-${language}-ds`);
        const outputs = uniqueName(`rel-${language}-out`);
        const mountRoot = `/${uniqueName(`rel-${language}`)}`;
        const [data, output] = [`${mountRoot}/data`, `${mountRoot}/output`];
        const programDir = path.join(work, language);
        const backendDir = path.join(work, `${language}-state`);
        const stackName = uniqueName("e2e");
        // As in languages.test.ts: the stack, two SkyStorages (component, bucket; the dataset's sync), the
        // SkyVolume, and per host its install, one FUSE mount per bucket and one bind mount per volume.
        const resourceCount = 1 + 3 + 2 + 1 + hosts.length * (1 + 2 + 2);
        let stack: Stack;

        const objects = async (bucket: string) =>
            ((await s3.send(new ListObjectsV2Command({ Bucket: bucket }))).Contents ?? [])
                .map((o) => o.Key!)
                .filter((key) => !key.startsWith(".skymount/"))
                .sort();

        before(async () => {
            cpSync(path.join(repoRoot, "examples", language), programDir, { recursive: true });
            mkdirSync(backendDir);
            const extra = installSdk[language](artifacts, programDir);
            stack = await LocalWorkspace.createOrSelectStack(
                { stackName, workDir: programDir },
                {
                    envVars: {
                        ...extra,
                        PULUMI_HOME: pulumiHome,
                        PULUMI_BACKEND_URL: `file://${backendDir}`,
                        PULUMI_CONFIG_PASSPHRASE: "skymount-e2e",
                    },
                },
            );
            await stack.setAllConfig(exampleConfig(testbed, { datasets, outputs, mountRoot }));
        });

        after(async () => {
            await stack?.destroy().catch(() => undefined);
            await stack?.workspace.removeStack(stackName).catch(() => undefined);
            for (const host of hosts) {
                await onHost(host, `umount ${data} ${output} 2>/dev/null; rmdir ${data} ${output} ${mountRoot} 2>/dev/null; true`).catch(
                    () => undefined,
                );
            }
            for (const bucket of [datasets, outputs]) {
                const keys = (await objects(bucket).catch(() => [])).map((Key) => ({ Key }));
                if (keys.length) await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys } }));
                await s3.send(new DeleteBucketCommand({ Bucket: bucket })).catch(() => undefined);
            }
        });

        it("up, with the plugin from PULUMI_HOME, fills the dataset bucket and mounts both volumes on both hosts", async () => {
            const result = await stack.up();
            assert.equal(result.summary.result, "succeeded");
            assert.deepEqual(result.outputs.datasetSync.value, ["2 added (iris/iris.csv, notes/README.txt); 0 changed; 0 removed"]);
            assert.equal(result.outputs.mounted.value.length, 2 * hosts.length);
            assert.deepEqual(await objects(datasets), ["iris/iris.csv", "notes/README.txt"]);
            const iris = readFileSync(path.join(programDir, "data", "iris", "iris.csv"), "utf8");
            for (const host of hosts) assert.equal(await onHost(host, `cat ${data}/iris/iris.csv`), iris.replace(/\n$/, ""), host.name);
            for (const host of hosts)
                assert.match(await onHost(host, `touch ${data}/new.txt 2>&1 || true`), /Read-only file system/, host.name);
            // The provider the SDK asked for: the released version, with the release's download URL.
            // (Pulumi YAML has no SDK, so nothing pins a version: its program takes the installed plugin.)
            if (language !== "yaml") {
                type ProviderInputs = { version?: string; __internal?: { pluginDownloadURL?: string } };
                const deployment = (await stack.exportStack()).deployment as {
                    resources: Array<{ type: string; inputs?: ProviderInputs }>;
                };
                const provider = deployment.resources.find((r) => r.type === "pulumi:providers:skymount");
                assert.equal(provider?.inputs?.version, artifacts.version, JSON.stringify(provider));
                assert.equal(
                    provider?.inputs?.__internal?.pluginDownloadURL,
                    "github://api.github.com/skymount/skymount",
                    JSON.stringify(provider),
                );
            }
            assert.ok(!readTree(backendDir).includes(testbed.s3.secretKey), "the S3 secret key is in plaintext state");
        });

        it("a second up with no change changes nothing and remounts nothing", async () => {
            const ours = `${GEESEFS_PIDS} | grep -e ' ${datasets}$' -e ' ${outputs}$'`;
            const pids = await Promise.all(hosts.map((h) => onHost(h, ours)));
            const result = await stack.up();
            assert.deepEqual(result.summary.resourceChanges, { same: resourceCount });
            assert.deepEqual(await Promise.all(hosts.map((h) => onHost(h, ours))), pids, "no mount was redone");
        });

        it("destroy unmounts on both hosts and leaves both persistent buckets", async () => {
            const result = await stack.destroy();
            assert.equal(result.summary.result, "succeeded");
            for (const host of hosts)
                assert.equal(await onHost(host, `grep -e ' ${data} ' -e ' ${output} ' /proc/mounts /etc/fstab || true`), "", host.name);
            for (const bucket of [datasets, outputs]) await s3.send(new HeadBucketCommand({ Bucket: bucket }));
            assert.deepEqual(await objects(datasets), ["iris/iris.csv", "notes/README.txt"]);
        });
    });
}
