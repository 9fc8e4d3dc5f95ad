// Installs a stand-in provider into a PULUMI_HOME as the plugin the engine would otherwise look for
// (`pulumi plugin install resource <name> <version> --file <tarball>`). The tarball holds a launcher
// that runs the stand-in's TypeScript entry in this checkout through tsx: stand-ins are test
// infrastructure, never shipped.
import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";

const repoRoot = path.resolve(__dirname, "..", "..");

function launcher(entry: string): string {
    const tsx = path.join(repoRoot, "node_modules", "tsx", "dist", "loader.mjs");
    return [
        "#!/bin/sh",
        "# A stand-in provider for tests (tools/standins/), started by the engine with its gRPC arguments.",
        `TSX_TSCONFIG_PATH='${path.join(repoRoot, "tsconfig.json")}' exec '${process.execPath}' --import 'file://${tsx}' '${entry}' "$@"`,
        "",
    ].join("\n");
}

/** Installs stand-in `name` (tools/standins/<name>/main.ts) as resource plugin `name` at `version` into `pulumiHome`. */
export function installStandin(name: string, version: string, pulumiHome: string, env: NodeJS.ProcessEnv = process.env): void {
    const staging = mkdtempSync(path.join(tmpdir(), `standin-${name}-`));
    try {
        const dir = path.join(staging, "plugin");
        mkdirSync(dir);
        const binary = path.join(dir, `pulumi-resource-${name}`);
        writeFileSync(binary, launcher(path.join(__dirname, name, "main.ts")));
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
