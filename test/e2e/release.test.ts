// skymount from its release artifacts (tools/release/build.ts, `npm run release:build`), installed
// exactly as a user installs them, with nothing from the checkout on PATH:
// - the provider plugin from its archive into a fresh PULUMI_HOME (`pulumi plugin install resource
//   skymount <version> --file ...`), where the engine must find it (no pulumi-resource-skymount on PATH);
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
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { buildRelease, ReleaseArtifacts } from "../../tools/release/build";
import { readPinnedVersions } from "../../tools/testbed/versions";
import { exampleConfig, GEESEFS_PIDS } from "./support/examples";
import { onHost, readTree, requireTestbed, s3ClientFor, uniqueName } from "./support/testbed";

const repoRoot = path.join(__dirname, "..", "..");
const work = mkdtempSync(path.join(tmpdir(), "skymount-release-"));
after(() => rmSync(work, { recursive: true, force: true }));

/** PATH without any directory of the checkout (src/provider/plugin, node_modules/.bin, ...). */
const cleanPath = (process.env.PATH ?? "")
    .split(":")
    .filter((dir) => dir && path.resolve(dir) !== repoRoot && !path.resolve(dir).startsWith(repoRoot + path.sep))
    .join(":");
const pulumiHome = path.join(work, "pulumi-home");
const platform = `${process.platform}-${process.arch === "x64" ? "amd64" : process.arch}` as keyof ReleaseArtifacts["pluginArchives"];
const sha256 = (file: string) => createHash("sha256").update(readFileSync(file)).digest("hex");

let artifacts: ReleaseArtifacts;
before(() => {
    artifacts = buildRelease();
    mkdirSync(pulumiHome);
    execFileSync("pulumi", ["plugin", "install", "resource", "skymount", artifacts.version, "--file", artifacts.pluginArchives[platform]], {
        env: { ...process.env, PATH: cleanPath, PULUMI_HOME: pulumiHome },
        stdio: ["ignore", "inherit", "inherit"],
    });
});

describe("the release artifacts", () => {
    it("hold one plugin archive per platform, all the same bytes, listed in SHA256SUMS", () => {
        const archives = Object.values(artifacts.pluginArchives);
        assert.equal(archives.length, 4);
        assert.equal(new Set(archives.map(sha256)).size, 1, "the plugin is Node.js without native code: one archive fits all");
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
        const launcher = path.join(pulumiHome, "plugins", `resource-skymount-v${artifacts.version}`, "pulumi-resource-skymount");
        assert.ok(statSync(launcher).mode & 0o100, "the launcher is executable");
        const onPath = spawnSync("sh", ["-c", "command -v pulumi-resource-skymount"], { env: { PATH: cleanPath }, encoding: "utf8" });
        assert.notEqual(onPath.status, 0, `pulumi-resource-skymount is on PATH: ${onPath.stdout}`);
    });

    it("the npm package installs without cloud SDKs: S3-compatible storage works, the AWS store names the package to install", () => {
        const program = path.join(work, "npm-program");
        mkdirSync(program);
        writeFileSync(path.join(program, "package.json"), JSON.stringify({ name: "peer-test", private: true }));
        execFileSync("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error", artifacts.npmPackage], {
            cwd: program,
            env: { ...process.env, PATH: cleanPath },
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
        const lines = execFileSync("node", ["index.js"], { cwd: program, encoding: "utf8", env: { ...process.env, PATH: cleanPath } })
            .trim()
            .split("\n")
            .map((line) => JSON.parse(line));
        assert.deepEqual(lines, [
            { s3Compatible: "ok" },
            { aws: `store: "s3": needs @pulumi/aws, which is not installed: npm install @pulumi/aws@"^7.48.0"` },
        ]);
    });
});

/** How each language installs its SDK artifact into a copy of its example: returns extra environment variables. */
const install: Record<"python" | "go" | "yaml", (programDir: string) => Record<string, string>> = {
    python: (programDir) => {
        const venv = path.join(work, "venv");
        execFileSync("python3", ["-m", "venv", venv], { env: { ...process.env, PATH: cleanPath } });
        // requirements.txt names the wheel instead of the checkout's sdk/python, and the Pulumi SDK of the CLI's version.
        const requirements = path.join(programDir, "requirements.txt");
        writeFileSync(requirements, `pulumi==${readPinnedVersions().PULUMI_PYTHON_SDK_VERSION}\n${artifacts.wheel}\n`);
        execFileSync(path.join(venv, "bin", "pip"), ["install", "--quiet", "--disable-pip-version-check", "-r", requirements], {
            stdio: ["ignore", "inherit", "inherit"],
        });
        // The v3.68 Python host runs the python3 it finds first on PATH.
        return { PATH: `${path.join(venv, "bin")}:${cleanPath}`, PYTHONDONTWRITEBYTECODE: "1" };
    },
    go: (programDir) => {
        const goMod = path.join(programDir, "go.mod");
        const text = readFileSync(goMod, "utf8");
        assert.ok(text.includes("=> ../../sdk/go/skymount"), "examples/go/go.mod replaces the SDK with ../../sdk/go/skymount");
        writeFileSync(goMod, text.replace("=> ../../sdk/go/skymount", `=> ${artifacts.goModule}`));
        return { PATH: cleanPath, GOTOOLCHAIN: "local", GOFLAGS: "-mod=readonly -buildvcs=false" };
    },
    // Pulumi YAML has no SDK: the plugin from PULUMI_HOME is all it needs.
    yaml: () => ({ PATH: cleanPath }),
};

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
            const extra = install[language](programDir);
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
