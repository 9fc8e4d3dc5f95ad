// The released plugin carries the cloud SDKs: a Python, a Go and a YAML program with an S3 store and
// an AWS SkyCompute, through the plugin installed from its archive and with no Node.js on PATH
// (support/release.ts), get past skymount: it loads @pulumi/aws, bundled into the plugin, and
// registers AWS resources, for which the engine then wants the AWS provider plugin. That plugin is not
// installed here (and no plugin is downloaded), so the preview stops there, naming the AWS plugin and
// the version of @pulumi/aws skymount was built with: proof the AWS resources were declared. A user
// with the AWS plugin (or a plugin host) goes on from there; no npm instruction is ever involved.
import { LocalWorkspace } from "@pulumi/pulumi/automation";
import assert from "node:assert/strict";
import { copyFileSync, cpSync, mkdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { before, describe, it } from "node:test";
import { ReleaseArtifacts } from "../../tools/release/build";
import { ed25519KeyPair } from "../support/sshKeyPair";
import { installRelease, installSdk, Language, onCleanPath, pulumiHome, repoRoot, work } from "./support/release";

const awsVersion = (
    JSON.parse(readFileSync(path.join(repoRoot, "node_modules", "@pulumi", "aws", "package.json"), "utf8")) as { version: string }
).version;

let artifacts: ReleaseArtifacts;
before(async () => {
    artifacts = await installRelease();
    assert.ok(!onCleanPath("node"), "the programs would run with Node.js on PATH");
});

for (const language of ["python", "go", "yaml"] as const satisfies readonly Language[]) {
    describe(`a ${language} program with an S3 store and an AWS SkyCompute, through the released plugin`, () => {
        it("gets past skymount to the AWS provider plugin, which is not installed here", async () => {
            const programDir = path.join(work, `clouds-${language}`);
            cpSync(path.join(repoRoot, "test", "e2e", "programs", "clouds", language), programDir, { recursive: true });
            // The same imports as examples/go: its module files serve.
            if (language === "go")
                for (const file of ["go.mod", "go.sum"])
                    copyFileSync(path.join(repoRoot, "examples", "go", file), path.join(programDir, file));
            const backendDir = path.join(work, `clouds-${language}-state`);
            mkdirSync(backendDir);
            const stack = await LocalWorkspace.createOrSelectStack(
                { stackName: "clouds", workDir: programDir },
                {
                    envVars: {
                        ...installSdk[language](artifacts, programDir),
                        PULUMI_HOME: pulumiHome,
                        PULUMI_BACKEND_URL: `file://${backendDir}`,
                        PULUMI_CONFIG_PASSPHRASE: "skymount-e2e",
                        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
                    },
                },
            );
            const keys = ed25519KeyPair();
            await stack.setAllConfig({
                bucket: { value: `skymount-clouds-${language}` },
                sshPublicKey: { value: keys.public },
                sshPrivateKey: { value: keys.private, secret: true },
            });
            const failure = await stack.preview().then(
                () => undefined,
                (err: Error) => err,
            );
            assert.ok(failure, "the preview succeeded without the AWS provider plugin");
            const message = failure.message;
            assert.match(message, /pulumi-resource-aws/, message);
            assert.match(message, new RegExp(`v?${awsVersion.replace(/\./g, "\\.")}`), message);
            assert.doesNotMatch(message, /npm install|is not installed: npm|Cannot find module/, message);
            await stack.workspace.removeStack("clouds", { force: true }).catch(() => undefined);
        });
    });
}
