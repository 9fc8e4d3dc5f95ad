// One cloud example (examples/aws, gcp or azure) in one language, run against a real account the way
// its README says: preview, up, the machines checked (hostChecks.ts), a no-op preview, destroy, and
// then the run's leftovers by tag, which must be exactly its persistent buckets, deleted last. Each
// run is an ephemeral stack named after the run id, in a local backend under .cloud-runs/, so a run
// that dies half way leaves a state `npm run test:cloud -- --sweep` can still destroy.
import { LocalWorkspace, Stack } from "@pulumi/pulumi/automation";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { ed25519KeyPair } from "../../test/support/sshKeyPair";
import { installPackedSkymount } from "../packInstall";
import { buildRelease } from "../release/build";
import { readPinnedVersions } from "../testbed/versions";
import { Cloud, Ready } from "./accounts";
import { checkMachines, Machine } from "./hostChecks";
import { awsLeftovers, azureLeftovers, gcpLeftovers, Leftover, removeLeftovers, RUN_TAG } from "./leftovers";

export const REPO = path.join(__dirname, "..", "..");
export const RUNS_DIR = path.join(REPO, ".cloud-runs");
export type Language = "typescript" | "python";

/** Tags Azure resources that take tags (azure-native has no default tags); the other clouds tag through provider config. */
const TAG_TRANSFORM_TS = `import * as pulumi from "@pulumi/pulumi";
const runId = new pulumi.Config("cloudRun").require("runId");
const TAGGED = /^azure-native:(resources:ResourceGroup|storage:StorageAccount|compute:VirtualMachine|network:(VirtualNetwork|NetworkSecurityGroup|PublicIPAddress|NetworkInterface)|managedidentity:UserAssignedIdentity)$/;
pulumi.runtime.registerResourceTransform(({ type, props, opts }) =>
    TAGGED.test(type) ? { props: { ...props, tags: { ...(props.tags ?? {}), "${RUN_TAG}": runId } }, opts } : undefined,
);
require("./index");
`;
const TAG_TRANSFORM_PY = `import re, runpy
import pulumi
RUN_ID = pulumi.Config("cloudRun").require("runId")
TAGGED = re.compile(r"^azure-native:(resources:ResourceGroup|storage:StorageAccount|compute:VirtualMachine|network:(VirtualNetwork|NetworkSecurityGroup|PublicIPAddress|NetworkInterface)|managedidentity:UserAssignedIdentity)$")
def tag(args):
    if not TAGGED.match(args.type_):
        return None
    return pulumi.ResourceTransformResult(props={**args.props, "tags": {**(args.props.get("tags") or {}), "${RUN_TAG}": RUN_ID}}, opts=args.opts)
pulumi.runtime.register_resource_transform(tag)
runpy.run_path("example_main.py")
`;

/** geesefs's own release for the pinned version, and its sha256 as downloaded now (the machines verify it). */
async function geesefsRelease(): Promise<{ url: string; sha256: string }> {
    const url = `https://github.com/yandex-cloud/geesefs/releases/download/v${readPinnedVersions().GEESEFS_VERSION}/geesefs-linux-amd64`;
    const res = await fetch(url);
    if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
    return {
        url,
        sha256: createHash("sha256")
            .update(Buffer.from(await res.arrayBuffer()))
            .digest("hex"),
    };
}

/** A copy of examples/<cloud> under the run's directory, made runnable in `language`; returns the program's directory. */
async function prepareProgram(
    cloud: Cloud,
    language: Language,
    runDir: string,
    pulumiHome: string,
): Promise<{ dir: string; env: Record<string, string> }> {
    const copy = path.join(runDir, "example");
    cpSync(path.join(REPO, "examples", cloud), copy, { recursive: true, filter: (src) => !src.includes("node_modules") });
    if (language === "typescript") {
        installPackedSkymount(copy);
        writeFileSync(path.join(copy, "cloudRun.ts"), TAG_TRANSFORM_TS);
        const pkg = JSON.parse(readFileSync(path.join(copy, "package.json"), "utf8")) as { main: string };
        writeFileSync(path.join(copy, "package.json"), JSON.stringify({ ...pkg, main: "cloudRun.ts" }, null, 2));
        return { dir: copy, env: {} };
    }
    const dir = path.join(copy, "python");
    renameSync(path.join(dir, "__main__.py"), path.join(dir, "example_main.py"));
    writeFileSync(path.join(dir, "__main__.py"), TAG_TRANSFORM_PY);
    const release = await buildRelease();
    const platform = `linux-${process.arch === "x64" ? "amd64" : process.arch}` as "linux-amd64";
    execFileSync("pulumi", ["plugin", "install", "resource", "skymount", release.version, "--file", release.pluginArchives[platform]], {
        env: { ...process.env, PULUMI_HOME: pulumiHome },
        stdio: ["ignore", "inherit", "inherit"],
    });
    const venv = path.join(runDir, "venv");
    execFileSync("python3", ["-m", "venv", venv]);
    writeFileSync(path.join(dir, "requirements.txt"), `pulumi==${readPinnedVersions().PULUMI_PYTHON_SDK_VERSION}\n${release.wheel}\n`);
    execFileSync(path.join(venv, "bin", "pip"), ["install", "--quiet", "--disable-pip-version-check", "-r", "requirements.txt"], {
        cwd: dir,
        stdio: "inherit",
    });
    return { dir, env: { PATH: `${path.join(venv, "bin")}:${process.env.PATH}` } };
}

/** The run's leftovers in `account`, found by its tag. */
export function leftoversOf(account: Ready, runId: string | undefined): Leftover[] {
    if (account.cloud === "aws") return awsLeftovers(account.config["aws:region"], runId);
    if (account.cloud === "gcp") return gcpLeftovers(account.config["gcp:project"], runId);
    return azureLeftovers(runId);
}

export interface RunOptions {
    account: Ready;
    language: Language;
    runId: string;
    log: (line: string) => void;
}

export async function runExample({ account, language, runId, log }: RunOptions): Promise<void> {
    const cloud = account.cloud;
    const runDir = path.join(RUNS_DIR, `${runId}-${cloud}-${language}`);
    const pulumiHome = path.join(RUNS_DIR, "pulumi-home");
    mkdirSync(path.join(RUNS_DIR, "state"), { recursive: true });
    mkdirSync(runDir, { recursive: true });
    const keys = ed25519KeyPair();
    const keyFile = path.join(runDir, "id_ed25519");
    writeFileSync(keyFile, keys.private, { mode: 0o600 });
    const program = await prepareProgram(cloud, language, runDir, pulumiHome);
    // What the sweeper needs to destroy this stack if this process dies: no secret but the run's own key.
    writeFileSync(
        path.join(runDir, "run.json"),
        JSON.stringify({ runId, cloud, language, programDir: program.dir, account: account.config }, null, 2),
    );
    const stack: Stack = await LocalWorkspace.createOrSelectStack(
        { stackName: `r${runId}`, workDir: program.dir },
        {
            envVars: {
                ...program.env,
                PULUMI_HOME: pulumiHome,
                PULUMI_BACKEND_URL: `file://${path.join(RUNS_DIR, "state")}`,
                PULUMI_CONFIG_PASSPHRASE: runId,
            },
        },
    );
    const geesefs = await geesefsRelease();
    await stack.setAllConfig({
        ...Object.fromEntries(Object.entries(account.config).map(([key, value]) => [key, { value }])),
        sshPublicKey: { value: keys.public },
        sshPrivateKey: { value: keys.private, secret: true },
        geesefsUrl: { value: geesefs.url },
        geesefsSha256: { value: geesefs.sha256 },
        "cloudRun:runId": { value: runId },
    });
    if (cloud === "aws") await stack.setConfig(`aws:defaultTags.tags.${RUN_TAG}`, { value: runId }, true);
    if (cloud === "gcp") await stack.setConfig(`gcp:defaultLabels.${RUN_TAG}`, { value: runId }, true);
    const stackName = `r${runId}`;
    try {
        const preview = await stack.preview();
        assert.ok(
            (preview.changeSummary.create ?? 0) > 0,
            `${cloud}: the first preview plans no creates: ${JSON.stringify(preview.changeSummary)}`,
        );
        log(`${cloud} ${language}: preview plans ${preview.changeSummary.create} creates`);
        const up = await stack.up({ onOutput: (line) => log(line.trimEnd()) });
        const addresses = up.outputs.addresses.value as string[];
        const users = up.outputs.sshUsers.value as string[];
        const machines: Machine[] = addresses.map((address, i) => ({ address, user: users[i], keyFile }));
        await checkMachines(
            machines,
            {
                cloud,
                runId,
                dataFiles: readdirSync(path.join(REPO, "examples", cloud, "data")),
                runOutput: cloud === "aws" ? "done.txt" : "rows.txt",
                awsDataset:
                    cloud === "aws"
                        ? { bucket: `skymount-${stackName}-datasets`, region: account.config["aws:region"], prefix: "iris" }
                        : undefined,
            },
            log,
        );
        const again = await stack.preview();
        const changes = Object.entries(again.changeSummary).filter(([op, n]) => op !== "same" && (n ?? 0) > 0);
        assert.deepEqual(changes, [], `${cloud}: a second preview with no change plans ${JSON.stringify(again.changeSummary)}`);
        log(`${cloud} ${language}: a second preview changes nothing`);
    } finally {
        await stack.destroy({ onOutput: (line) => log(line.trimEnd()) });
        const left = leftoversOf(account, runId);
        log(`${cloud} ${language}: after destroy, the run's tag is on: ${left.map((l) => `${l.kind} ${l.id}`).join(", ") || "nothing"}`);
        const remaining = removeLeftovers(left, log);
        await stack.workspace.removeStack(stackName);
        assert.deepEqual(remaining, [], `${cloud}: leftovers the sweep could not delete`);
        // Persistent buckets survive destroy, and nothing else does: AWS and GCP show the run's two buckets,
        // Azure the resource groups that hold their storage accounts (kept with them).
        const kept = cloud === "azure" ? "resource group" : cloud === "aws" ? "bucket" : "storage.googleapis.com/Bucket";
        assert.ok(left.length >= 2, `${cloud}: the persistent buckets were not found after destroy`);
        assert.deepEqual(
            left.filter((l) => l.kind !== kept),
            [],
            `${cloud}: destroy left more than the persistent buckets`,
        );
    }
}
