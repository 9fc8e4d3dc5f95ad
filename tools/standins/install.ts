// Installs a stand-in provider into a PULUMI_HOME as the plugin the engine would otherwise look for
// (`pulumi plugin install resource <name> <version> --file <tarball>`). The tarball holds a launcher
// that runs the stand-in's TypeScript entry in this checkout through tsx: stand-ins are test
// infrastructure, never shipped.
import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";

const repoRoot = path.resolve(__dirname, "..", "..");

/** Each stand-in: the plugin it poses as, its folder under tools/standins/, and the SDK whose version the engine asks for. */
export const STANDINS = {
    aws: { dir: "aws", sdk: "@pulumi/aws" },
    gcp: { dir: "gcp", sdk: "@pulumi/gcp" },
    "azure-native": { dir: "azure", sdk: "@pulumi/azure-native" },
} as const;

export type StandinPlugin = keyof typeof STANDINS;

/** The version the engine asks for: the one the SDK in node_modules (the lockfile's) declares. */
export function standinVersion(plugin: StandinPlugin): string {
    const packageJson = path.join(repoRoot, "node_modules", STANDINS[plugin].sdk, "package.json");
    return (JSON.parse(readFileSync(packageJson, "utf8")) as { version: string }).version;
}

function launcher(entry: string): string {
    const tsx = path.join(repoRoot, "node_modules", "tsx", "dist", "loader.mjs");
    return [
        "#!/bin/sh",
        "# A stand-in provider for tests (tools/standins/), started by the engine with its gRPC arguments.",
        `TSX_TSCONFIG_PATH='${path.join(repoRoot, "tsconfig.json")}' exec '${process.execPath}' --import 'file://${tsx}' '${entry}' "$@"`,
        "",
    ].join("\n");
}

/** Installs the stand-in for plugin `name` (tools/standins/<dir>/main.ts) as resource plugin `name` at `version` into `pulumiHome`. */
export function installStandin(name: StandinPlugin, version: string, pulumiHome: string, env: NodeJS.ProcessEnv = process.env): void {
    const staging = mkdtempSync(path.join(tmpdir(), `standin-${name}-`));
    try {
        const dir = path.join(staging, "plugin");
        mkdirSync(dir);
        const binary = path.join(dir, `pulumi-resource-${name}`);
        writeFileSync(binary, launcher(path.join(__dirname, STANDINS[name].dir, "main.ts")));
        chmodSync(binary, 0o755);
        const tarball = path.join(staging, `pulumi-resource-${name}-v${version}.tar.gz`);
        execFileSync("tar", ["-czf", tarball, "-C", dir, "."]);
        execFileSync("pulumi", ["plugin", "install", "resource", name, version, "--file", tarball], {
            env: { ...env, PULUMI_HOME: pulumiHome },
            stdio: "pipe",
        });
    } finally {
        rmSync(staging, { recursive: true, force: true });
    }
}
