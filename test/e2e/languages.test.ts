// examples/python, examples/go and examples/yaml end to end: each is the same SkyPilot-shaped task (a
// dataset bucket filled from ./data and mounted read-only, an output bucket mounted read-write, on both
// hosts), run by its own Pulumi language host with skymount's provider found on PATH. Each passes
// SkyStorage's `ref` output to SkyVolume as it is. The TypeScript flow's assertions: files on both
// hosts, read-only really read-only, writes land in the bucket, each mount ordered after the dataset's
// sync (its dependencies in state), a no-op `up` runs nothing, secrets stay out of state, destroy
// unmounts and keeps the persistent buckets.
import { DeleteBucketCommand, DeleteObjectsCommand, GetObjectCommand, HeadBucketCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import { LocalWorkspace, Stack } from "@pulumi/pulumi/automation";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { exampleConfig, GEESEFS_PIDS, pythonExampleEnv } from "./support/examples";
import { eventually, onHost, readTree, requireTestbed, s3ClientFor, uniqueName } from "./support/testbed";

const repoRoot = path.join(__dirname, "..", "..");

/** What each language needs beyond a copy of its example directory: returns extra environment variables. */
const prepare: Record<string, (workDir: string) => Record<string, string>> = {
    python: pythonExampleEnv,
    go: (workDir) => {
        // The example's `replace` is relative to examples/go: point the copy at the checkout's SDK module.
        const goMod = path.join(workDir, "go.mod");
        const text = readFileSync(goMod, "utf8");
        assert.ok(text.includes("=> ../../sdk/go/skymount"), "examples/go/go.mod replaces the SDK with ../../sdk/go/skymount");
        writeFileSync(goMod, text.replace("=> ../../sdk/go/skymount", `=> ${path.join(repoRoot, "sdk", "go", "skymount")}`));
        return { GOTOOLCHAIN: "local", GOFLAGS: "-mod=readonly -buildvcs=false" };
    },
    yaml: () => ({}),
};

for (const language of ["python", "go", "yaml"]) {
    describe(`examples/${language} on the testbed`, () => {
        const testbed = requireTestbed();
        const hosts = testbed.hosts.slice(0, 2);
        const [h1, h2] = hosts;
        const s3 = s3ClientFor(testbed);
        const datasets = uniqueName(`lang-${language}-ds`);
        const outputs = uniqueName(`lang-${language}-out`);
        const mountRoot = `/lang-${language}`;
        const data = `${mountRoot}/data`;
        const output = `${mountRoot}/output`;
        const exampleDir = path.join(repoRoot, "examples", language);
        const iris = readFileSync(path.join(exampleDir, "data", "iris", "iris.csv"), "utf8");
        const work = mkdtempSync(path.join(tmpdir(), `skymount-${language}-`));
        const workDir = path.join(work, "program");
        const backendDir = path.join(work, "state");
        const stackName = uniqueName("e2e");
        // The stack; per SkyStorage the component and its bucket (and the dataset's sync); the SkyVolume
        // and per host its install, and per volume its share of the bucket's FUSE mount and its bind mount.
        const resourceCount = 1 + 3 + 2 + 1 + hosts.length * (1 + 2 + 2);
        let stack: Stack;

        const objects = async (bucket: string) =>
            ((await s3.send(new ListObjectsV2Command({ Bucket: bucket }))).Contents ?? [])
                .map((o) => o.Key!)
                .filter((key) => !key.startsWith(".skymount/"))
                .sort();

        before(async () => {
            assert.ok(testbed.hosts.length >= 2, "the testbed needs two hosts");
            cpSync(exampleDir, workDir, { recursive: true });
            execFileSync("mkdir", [backendDir]);
            const extra = prepare[language](workDir);
            stack = await LocalWorkspace.createOrSelectStack(
                { stackName, workDir },
                {
                    envVars: {
                        ...extra,
                        // The engine finds skymount's provider by its name on PATH.
                        PATH: [extra.PATH, path.join(repoRoot, "src", "provider", "plugin"), process.env.PATH].filter(Boolean).join(":"),
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
            // The buckets are persistent, so the example's destroy leaves them: the test removes them.
            for (const bucket of [datasets, outputs]) {
                const keys = (await objects(bucket).catch(() => [])).map((Key) => ({ Key }));
                if (keys.length) await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys } }));
                await s3.send(new DeleteBucketCommand({ Bucket: bucket })).catch(() => undefined);
            }
            rmSync(work, { recursive: true, force: true });
        });

        it("up fills the dataset bucket and mounts both volumes on both hosts", async () => {
            const result = await stack.up();
            assert.equal(result.summary.result, "succeeded");
            assert.deepEqual(result.outputs.datasetSync.value, ["2 added (iris/iris.csv, notes/README.txt); 0 changed; 0 removed"]);
            assert.deepEqual(
                [...result.outputs.mounted.value].sort(),
                hosts
                    .flatMap((h) => [
                        `node${hosts.indexOf(h) + 1}:${data} <- ${datasets} (ro)`,
                        `node${hosts.indexOf(h) + 1}:${output} <- ${outputs}/run-1 (rw)`,
                    ])
                    .sort(),
            );
            assert.deepEqual(await objects(datasets), ["iris/iris.csv", "notes/README.txt"]);
            for (const host of hosts) {
                assert.equal(await onHost(host, `cat ${data}/iris/iris.csv`), iris.replace(/\n$/, ""), host.name);
                assert.match(await onHost(host, `cat ${data}/notes/README.txt`), /SkyStorage uploads/, host.name);
            }
        });

        it("orders each host's dataset mount after the dataset's sync: the ref's filledBy crosses the language boundary", async () => {
            interface StateResource {
                urn: string;
                type: string;
                dependencies?: string[];
                propertyDependencies?: Record<string, string[]>;
                created?: string;
                modified?: string;
            }
            const resources: StateResource[] = (await stack.exportStack()).deployment.resources;
            const syncs = resources.filter((r) => r.type === "skymount:index:BucketSync" && r.urn.includes("::datasets-sync-"));
            assert.equal(syncs.length, 1, "one sync fills the dataset bucket");
            const [sync] = syncs;
            const storage = resources.find((r) => r.type === "skymount:index:SkyStorage" && r.urn.endsWith("::datasets"))!;
            const mounts = resources.filter((r) => r.type === "skymount:index:RemoteCommand" && r.urn.endsWith(`-mount${data}`));
            assert.equal(mounts.length, hosts.length, "one dataset mount per host");
            for (const mount of mounts) {
                const dependencies = [...(mount.dependencies ?? []), ...Object.values(mount.propertyDependencies ?? {}).flat()];
                // Python records a remote component's outputs as depending on what filled them (the sync); Go and
                // YAML on the component, whose Construct returns only once `ref`'s filledBy (the sync's URN,
                // resolved when its create finished) is known. Either way the mount waited for the sync.
                assert.ok(
                    dependencies.includes(sync.urn) || dependencies.includes(storage.urn),
                    `${mount.urn} depends on ${sync.urn} or ${storage.urn}: ${dependencies.join(", ")}`,
                );
                assert.ok(mount.created && sync.modified, "the state records when each resource was made");
                assert.ok(Date.parse(mount.created) >= Date.parse(sync.modified), `${mount.urn} was created after the sync finished`);
            }
        });

        it("refuses writes to the read-only dataset volume on every host", async () => {
            for (const host of hosts)
                assert.match(await onHost(host, `touch ${data}/new.txt 2>&1 || true`), /Read-only file system/, host.name);
        });

        it("a write to the read-write volume lands in the output bucket under the run's prefix, and on the other host", async () => {
            await onHost(h1, `echo 'model from ${language}' > ${output}/model.txt`);
            const object = await s3.send(new GetObjectCommand({ Bucket: outputs, Key: "run-1/model.txt" }));
            assert.equal(await object.Body!.transformToString(), `model from ${language}\n`);
            assert.equal(await eventually("model.txt on h2", () => onHost(h2, `cat ${output}/model.txt`)), `model from ${language}`);
        });

        it("keeps the S3 secret key and the SSH key out of plaintext state", () => {
            const state = readTree(backendDir);
            assert.ok(state.includes(datasets), "the state was read");
            assert.ok(!state.includes(testbed.s3.secretKey), "the S3 secret key is in plaintext state");
            assert.ok(!state.includes(readFileSync(h1.privateKeyPath, "utf8").split("\n")[1]), "the SSH private key is in plaintext state");
        });

        it("a second up with no change changes nothing and runs no remote command", async () => {
            // Only this stack's mounts: other tests may mount and unmount on the same hosts meanwhile.
            const ours = `${GEESEFS_PIDS} | grep -e ' ${datasets}$' -e ' ${outputs}$'`;
            const pids = await Promise.all(hosts.map((h) => onHost(h, ours)));
            for (const [i, list] of pids.entries()) assert.equal(list.split("\n").length, 2, `one geesefs per bucket on ${hosts[i].name}`);
            const preview = await stack.preview();
            assert.deepEqual(preview.changeSummary, { same: resourceCount });
            const result = await stack.up();
            assert.deepEqual(result.summary.resourceChanges, { same: resourceCount });
            assert.deepEqual(await Promise.all(hosts.map((h) => onHost(h, ours))), pids, "no mount was redone");
        });

        it("destroy unmounts on both hosts and leaves both persistent buckets with their objects", async () => {
            const result = await stack.destroy();
            assert.equal(result.summary.result, "succeeded");
            for (const host of hosts) {
                assert.equal(await onHost(host, `grep -e ' ${data} ' -e ' ${output} ' /proc/mounts /etc/fstab || true`), "", host.name);
                assert.equal(
                    await onHost(host, `grep -rl -e ${datasets} -e ${outputs} /var/lib/skymount /etc/skymount 2>/dev/null || true`),
                    "",
                    host.name,
                );
            }
            for (const bucket of [datasets, outputs]) await s3.send(new HeadBucketCommand({ Bucket: bucket }));
            assert.deepEqual(await objects(datasets), ["iris/iris.csv", "notes/README.txt"]);
            // geesefs may also have left a "run-1/" directory marker.
            assert.deepEqual(
                (await objects(outputs)).filter((key) => !key.endsWith("/")),
                ["run-1/model.txt"],
            );
        });
    });
}
