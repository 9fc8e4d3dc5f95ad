// `npm run release:build`: every artifact a skymount release publishes, into release/ (ignored by git):
//
//   pulumi-resource-skymount-v<version>-<os>-<arch>.tar.gz   the provider plugin, per platform
//   pulumi_skymount-<version>-py3-none-any.whl              the Python SDK (sdk/python)
//   go/skymount/                                            the Go module (sdk/go/skymount), for a `replace`
//   skymount-<version>.tgz                                  the npm package
//   SHA256SUMS
//
// The plugin is one standalone executable (a Node.js single executable application, sea.ts), so a
// Python, Go or YAML user needs no Node.js: the provider bundled by esbuild (bundle.ts) with every
// cloud SDK it uses, and no more of them than that (cloudShims.ts), sdk/schema.json and the other
// files it reads as assets. Its archive holds the executable and the LICENSE, written
// deterministically (sorted, mtime 0, no owners). There is no PulumiPlugin.yaml in it: with one, the
// engine would run the plugin through the Node.js language host's RunPlugin instead of executing it.
// TypeScript programs use the npm package, where the cloud SDKs stay optional peers.
//
// A build is skipped when release/ already holds one of the same inputs (their hash is in
// release/.inputs-sha256), so tests can call it before every run.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { deterministicTarGz } from "../../src/skyCompute/workdir";
import { bundleProvider, packageAssets } from "./bundle";
import { buildExecutables, SEA_PLATFORMS } from "./sea";

const REPO = path.join(__dirname, "..", "..");
export const RELEASE_DIR = path.join(REPO, "release");

/** The platforms of the plugin's archives: Pulumi's `<os>-<arch>`. */
export const PLATFORMS = ["linux-amd64", "linux-arm64", "darwin-amd64", "darwin-arm64", "windows-amd64"] as const;

export interface ReleaseArtifacts {
    version: string;
    /** One plugin archive per platform. */
    pluginArchives: Record<(typeof PLATFORMS)[number], string>;
    wheel: string;
    /** The Go module's directory: `replace github.com/skymount/skymount/sdk/go/skymount => <goModule>`. */
    goModule: string;
    npmPackage: string;
}

const run = (command: string, args: string[], cwd = REPO, env: NodeJS.ProcessEnv = process.env) =>
    execFileSync(command, args, { cwd, env, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], maxBuffer: 64 << 20 });

/** Every file under `dir` (relative paths, sorted). */
function walk(dir: string, prefix = ""): string[] {
    const out: string[] = [];
    for (const entry of readdirSync(path.join(dir, prefix), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
        const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
        out.push(...(entry.isDirectory() ? walk(dir, rel) : [rel]));
    }
    return out;
}

/** The hash of everything a release is built from. */
function inputsHash(): string {
    const hash = createHash("sha256");
    const roots = ["package.json", "package-lock.json", "tsconfig.json", "tsconfig.build.json", "LICENSE", "README.md", "CHANGELOG.md"];
    const files = [
        ...roots,
        ...["src", "sdk", "tools/release"].flatMap((dir) => walk(path.join(REPO, dir)).map((f) => `${dir}/${f}`)),
        "tools/versions.env",
    ];
    for (const file of files)
        hash.update(`${file}\0`)
            .update(readFileSync(path.join(REPO, file)))
            .update("\0");
    return hash.digest("hex");
}

function artifactsOf(version: string): ReleaseArtifacts {
    const plugin = (platform: string) => path.join(RELEASE_DIR, `pulumi-resource-skymount-v${version}-${platform}.tar.gz`);
    return {
        version,
        pluginArchives: Object.fromEntries(PLATFORMS.map((p) => [p, plugin(p)])) as ReleaseArtifacts["pluginArchives"],
        wheel: path.join(RELEASE_DIR, `pulumi_skymount-${version}-py3-none-any.whl`),
        goModule: path.join(RELEASE_DIR, "go", "skymount"),
        npmPackage: path.join(RELEASE_DIR, `skymount-${version}.tgz`),
    };
}

/** The plugin's archive for each platform: its standalone executable and the LICENSE. */
async function buildPluginArchives(staging: string, artifacts: ReleaseArtifacts, log: (line: string) => void): Promise<void> {
    const bundle = await bundleProvider(path.join(staging, "bundle"));
    for (const warning of bundle.warnings) log(`release: bundle: ${warning}`);
    const dirs = await buildExecutables(path.join(staging, "sea"), bundle.main, packageAssets(bundle));
    for (const target of SEA_PLATFORMS) {
        const dir = dirs[target.platform];
        copyFileSync(path.join(REPO, "LICENSE"), path.join(dir, "LICENSE"));
        const platform = target.platform as (typeof PLATFORMS)[number];
        writeFileSync(artifacts.pluginArchives[platform], deterministicTarGz(dir, [target.executable, "LICENSE"]));
    }
}

/** Builds release/ unless it already holds a build of the same inputs; returns the artifacts' paths. */
export async function buildRelease(log: (line: string) => void = (line) => console.error(line)): Promise<ReleaseArtifacts> {
    const version = JSON.parse(readFileSync(path.join(REPO, "package.json"), "utf8")).version as string;
    const artifacts = artifactsOf(version);
    const hash = inputsHash();
    const stamp = path.join(RELEASE_DIR, ".inputs-sha256");
    if (existsSync(stamp) && readFileSync(stamp, "utf8") === hash) {
        log(`release: v${version} already built from these inputs in ${RELEASE_DIR}`);
        return artifacts;
    }
    const started = Date.now();
    rmSync(RELEASE_DIR, { recursive: true, force: true });
    const staging = path.join(RELEASE_DIR, ".staging");
    mkdirSync(staging, { recursive: true });

    log("release: compiling dist/");
    rmSync(path.join(REPO, "dist"), { recursive: true, force: true });
    // `npm run build`: tsc, and the host scripts' shell files (src/hostScripts/sh) copied beside the code.
    run("npm", ["run", "--silent", "build"]);

    log("release: npm package");
    // Built just above: prepack would compile again.
    const packed = run("npm", ["pack", "--ignore-scripts", "--silent", "--pack-destination", RELEASE_DIR]).trim().split("\n").pop()!;
    if (path.join(RELEASE_DIR, packed) !== artifacts.npmPackage) throw new Error(`release: npm pack wrote ${packed}`);

    log("release: provider plugin (bundled, one standalone executable per platform)");
    await buildPluginArchives(staging, artifacts, log);

    log("release: Python wheel");
    const venv = process.env.SKYMOUNT_PYTHON_VENV;
    if (!venv) throw new Error("release: SKYMOUNT_PYTHON_VENV is not set: run through tools/with-toolchain.sh after npm run setup");
    // pip builds in the source tree: build from a copy, so the checkout stays clean.
    cpSync(path.join(REPO, "sdk", "python"), path.join(staging, "python"), { recursive: true });
    run(path.join(venv, "bin", "pip"), [
        "wheel",
        "--quiet",
        "--disable-pip-version-check",
        "--no-deps",
        "--no-build-isolation",
        "--wheel-dir",
        RELEASE_DIR,
        path.join(staging, "python"),
    ]);
    if (!existsSync(artifacts.wheel)) throw new Error(`release: pip wrote no ${path.basename(artifacts.wheel)}`);

    log("release: Go module");
    cpSync(path.join(REPO, "sdk", "go", "skymount"), artifacts.goModule, { recursive: true });

    rmSync(staging, { recursive: true, force: true });
    const files = [...Object.values(artifacts.pluginArchives), artifacts.wheel, artifacts.npmPackage].map((f) => path.basename(f)).sort();
    const sums = files.map(
        (f) =>
            `${createHash("sha256")
                .update(readFileSync(path.join(RELEASE_DIR, f)))
                .digest("hex")}  ${f}`,
    );
    writeFileSync(path.join(RELEASE_DIR, "SHA256SUMS"), `${sums.join("\n")}\n`);
    writeFileSync(stamp, hash);
    const size = (f: string) => `${(statSync(f).size / 1048576).toFixed(1)} MiB`;
    log(
        `release: v${version} in ${RELEASE_DIR} in ${Math.round((Date.now() - started) / 1000)} s (plugin archive ${size(artifacts.pluginArchives["linux-amd64"])})`,
    );
    return artifacts;
}

if (require.main === module) {
    buildRelease().then((artifacts) => {
        for (const file of [...Object.values(artifacts.pluginArchives), artifacts.wheel, artifacts.goModule, artifacts.npmPackage])
            console.log(path.relative(process.cwd(), file));
    });
}
