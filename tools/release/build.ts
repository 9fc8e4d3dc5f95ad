// `npm run release:build`: every artifact a skymount release publishes, into release/ (ignored by git):
//
//   pulumi-resource-skymount-v<version>-<os>-<arch>.tar.gz   the provider plugin, per platform
//   pulumi_skymount-<version>-py3-none-any.whl              the Python SDK (sdk/python)
//   go/skymount/                                            the Go module (sdk/go/skymount), for a `replace`
//   skymount-<version>.tgz                                  the npm package
//   SHA256SUMS
//
// The plugin is Node.js: its archive holds a launcher, the compiled dist/, package.json, sdk/schema.json
// (the provider reads its output names there) and the production node_modules, installed from
// package-lock.json without optional dependencies and without install scripts, so nothing native is in
// it (ssh2's optional cpu-features and crypto binding only speed it up). The archive is therefore the
// same bytes for every platform, and written deterministically (sorted, mtime 0, no owners). There is
// no PulumiPlugin.yaml in it: with one, the engine would run the plugin through the Node.js language
// host's RunPlugin (the source-based path) instead of executing the launcher.
//
// A build is skipped when release/ already holds one of the same inputs (their hash is in
// release/.inputs-sha256), so tests can call it before every run.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
    chmodSync,
    copyFileSync,
    cpSync,
    existsSync,
    mkdirSync,
    readdirSync,
    readFileSync,
    rmSync,
    statSync,
    writeFileSync,
} from "node:fs";
import * as path from "node:path";
import { deterministicTarGz } from "../../src/skyCompute/workdir";

const REPO = path.join(__dirname, "..", "..");
export const RELEASE_DIR = path.join(REPO, "release");

/** The platforms Pulumi's CLI and Node.js both run on (Windows would need a .cmd launcher). */
export const PLATFORMS = ["linux-amd64", "linux-arm64", "darwin-amd64", "darwin-arm64"] as const;

export interface ReleaseArtifacts {
    version: string;
    /** One plugin archive per platform (all the same bytes). */
    pluginArchives: Record<(typeof PLATFORMS)[number], string>;
    wheel: string;
    /** The Go module's directory: `replace github.com/skymount/skymount/sdk/go/skymount => <goModule>`. */
    goModule: string;
    npmPackage: string;
}

const run = (command: string, args: string[], cwd = REPO, env: NodeJS.ProcessEnv = process.env) =>
    execFileSync(command, args, { cwd, env, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], maxBuffer: 64 << 20 });

/** Every file under `dir` (relative paths, sorted), or with `withDirs` directories too. */
function walk(dir: string, withDirs = false, prefix = ""): string[] {
    const out: string[] = [];
    for (const entry of readdirSync(path.join(dir, prefix), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
        const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
        if (entry.isDirectory()) {
            if (withDirs) out.push(rel);
            out.push(...walk(dir, withDirs, rel));
        } else out.push(rel);
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

/** The plugin's directory: the npm package's files less src/, the launcher, and production node_modules. */
function stagePlugin(npmPackage: string, stage: string): void {
    mkdirSync(stage, { recursive: true });
    run("tar", ["-xzf", npmPackage, "-C", stage, "--strip-components=1"]);
    rmSync(path.join(stage, "src"), { recursive: true, force: true });
    copyFileSync(path.join(REPO, "package-lock.json"), path.join(stage, "package-lock.json"));
    run(
        "npm",
        [
            "ci",
            "--omit=dev",
            "--omit=optional",
            "--omit=peer",
            "--ignore-scripts",
            "--no-audit",
            "--no-fund",
            "--prefer-offline",
            "--loglevel=error",
        ],
        stage,
    );
    // Links to dependencies' command-line tools, which the plugin never runs; npm's record of the install.
    rmSync(path.join(stage, "node_modules", ".bin"), { recursive: true, force: true });
    rmSync(path.join(stage, "node_modules", ".package-lock.json"), { force: true });
    // Compiled addons would tie the archive to one platform (ssh2 ships its binding's source, unbuilt and unused).
    const native = walk(path.join(stage, "node_modules")).filter((f) => f.endsWith(".node"));
    if (native.length) throw new Error(`release: compiled addons in the plugin's node_modules: ${native.join(", ")}`);
    copyFileSync(path.join(__dirname, "pulumi-resource-skymount"), path.join(stage, "pulumi-resource-skymount"));
    chmodSync(path.join(stage, "pulumi-resource-skymount"), 0o755);
}

/** Builds release/ unless it already holds a build of the same inputs; returns the artifacts' paths. */
export function buildRelease(log: (line: string) => void = (line) => console.error(line)): ReleaseArtifacts {
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

    log("release: provider plugin (production node_modules from package-lock.json)");
    const stage = path.join(staging, "plugin");
    stagePlugin(artifacts.npmPackage, stage);
    const archive = deterministicTarGz(stage, walk(stage, true));
    for (const file of Object.values(artifacts.pluginArchives)) writeFileSync(file, archive);

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
    const artifacts = buildRelease();
    for (const file of [...Object.values(artifacts.pluginArchives), artifacts.wheel, artifacts.goModule, artifacts.npmPackage])
        console.log(path.relative(process.cwd(), file));
}
