// skymount's release artifacts installed the way a user of another language installs them, for the
// tests that run programs through them (release.test.ts, releaseClouds.test.ts): the plugin from its
// archive into a fresh PULUMI_HOME, and each language's SDK artifact into a copy of a program. They
// run with a PATH that has nothing of the checkout on it and no Node.js: the plugin is a standalone
// executable, and a user of Python, Go or YAML need not have Node.js.
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after } from "node:test";
import { buildRelease, PLATFORMS, ReleaseArtifacts } from "../../../tools/release/build";
import { readPinnedVersions } from "../../../tools/testbed/versions";

export const repoRoot = path.join(__dirname, "..", "..", "..");

/** This test file's scratch directory, removed after it. */
export const work = mkdtempSync(path.join(tmpdir(), "skymount-release-"));
after(() => rmSync(work, { recursive: true, force: true }));

/** Node.js and its package managers: what the release's user does not need. */
const NODE_COMMANDS = new Set(["node", "nodejs", "npm", "npx", "corepack"]);

/** `PATH` without any directory of the checkout (src/provider/plugin, node_modules/.bin, ...): a TypeScript user's. */
export const typeScriptUserPath = (process.env.PATH ?? "")
    .split(":")
    .filter((dir) => dir && path.resolve(dir) !== repoRoot && !path.resolve(dir).startsWith(repoRoot + path.sep))
    .join(":");

/** typeScriptUserPath without Node.js: a directory that holds `node` is replaced by one of links to everything else in it. */
function withoutNode(searchPath: string): string {
    const shadows = path.join(work, "path");
    return searchPath
        .split(":")
        .filter(existsSync)
        .map((dir, index) => {
            const names = readdirSync(dir);
            if (!names.some((name) => NODE_COMMANDS.has(name))) return dir;
            const shadow = path.join(shadows, String(index));
            mkdirSync(shadow, { recursive: true });
            for (const name of names) if (!NODE_COMMANDS.has(name)) symlinkSync(path.join(dir, name), path.join(shadow, name));
            return shadow;
        })
        .join(":");
}

/** The PATH of a Python, Go or YAML user: nothing of the checkout, no Node.js. */
export const cleanPath = withoutNode(typeScriptUserPath);
export const pulumiHome = path.join(work, "pulumi-home");
export const platform = `${process.platform}-${process.arch === "x64" ? "amd64" : process.arch}` as (typeof PLATFORMS)[number];

/** Builds the release (unless release/ holds one of the same inputs) and installs this platform's plugin into `pulumiHome`. */
export async function installRelease(): Promise<ReleaseArtifacts> {
    const artifacts = await buildRelease();
    mkdirSync(pulumiHome);
    execFileSync("pulumi", ["plugin", "install", "resource", "skymount", artifacts.version, "--file", artifacts.pluginArchives[platform]], {
        env: { ...process.env, PATH: cleanPath, PULUMI_HOME: pulumiHome },
        stdio: ["ignore", "inherit", "inherit"],
    });
    return artifacts;
}

/** True when `command` is found on `cleanPath`. */
export function onCleanPath(command: string): boolean {
    return spawnSync("sh", ["-c", `command -v ${command}`], { env: { PATH: cleanPath } }).status === 0;
}

export type Language = "python" | "go" | "yaml";

/**
 * How each language installs its SDK artifact into a copy of a program (whose requirements.txt or
 * go.mod name the checkout's sdk/ as examples/ do): returns the environment it then runs with.
 */
export const installSdk: Record<Language, (artifacts: ReleaseArtifacts, programDir: string) => Record<string, string>> = {
    python: (artifacts, programDir) => {
        const venv = path.join(work, `venv-${path.basename(programDir)}`);
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
    go: (artifacts, programDir) => {
        const goMod = path.join(programDir, "go.mod");
        const text = readFileSync(goMod, "utf8");
        assert.ok(text.includes("=> ../../sdk/go/skymount"), "go.mod replaces the SDK with ../../sdk/go/skymount");
        writeFileSync(goMod, text.replace("=> ../../sdk/go/skymount", `=> ${artifacts.goModule}`));
        return { PATH: cleanPath, GOTOOLCHAIN: "local", GOFLAGS: "-mod=readonly -buildvcs=false" };
    },
    // Pulumi YAML has no SDK: the plugin from PULUMI_HOME is all it needs.
    yaml: () => ({ PATH: cleanPath }),
};
