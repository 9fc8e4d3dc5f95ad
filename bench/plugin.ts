// The provider plugin's start-up and a no-op preview through it: the standalone executable of the
// release (tools/release/sea.ts) against Node.js running the compiled dist/ (what the release archive
// held before: `exec node dist/provider/main.js`), and the checkout's launcher (tsx) for reference.
//
//   npm run bench:plugin      (builds release/ unless it is current; needs the testbed's MinIO)
//
// Start-up: from exec until the plugin prints its port (the engine waits for exactly that), median of
// REPEATS. Preview: a Pulumi YAML program with one SkyStorage on the testbed's MinIO, deployed once;
// then `pulumi preview` with no change, the plugin installed in a PULUMI_HOME of its own each time.
import { execFileSync, spawn } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { buildRelease } from "../tools/release/build";
import { requireTestbed } from "../test/e2e/support/testbed";

const REPO = path.join(__dirname, "..");
const REPEATS = Number(process.env.BENCH_REPEATS ?? 5);
const work = mkdtempSync(path.join(tmpdir(), "skymount-bench-plugin-"));

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Milliseconds from exec of `command` until it prints its port. */
function startUp(command: string, args: string[]): Promise<number> {
    return new Promise((resolve, reject) => {
        const started = process.hrtime.bigint();
        const child = spawn(command, [...args, "127.0.0.1:1"], { stdio: ["ignore", "pipe", "ignore"] });
        child.stdout.once("data", () => {
            resolve(Number(process.hrtime.bigint() - started) / 1e6);
            child.kill("SIGKILL");
        });
        child.once("error", reject);
    });
}

/** A PULUMI_HOME where `executable` is skymount's plugin at `version`. */
function pulumiHomeWith(name: string, version: string, executable: string): string {
    const home = path.join(work, `home-${name}`);
    const dir = path.join(home, "plugins", `resource-skymount-v${version}`);
    mkdirSync(dir, { recursive: true });
    const plugin = path.join(dir, "pulumi-resource-skymount");
    writeFileSync(plugin, `#!/bin/sh\nexec ${executable} "$@"\n`);
    chmodSync(plugin, 0o755);
    return home;
}

async function main(): Promise<void> {
    const artifacts = await buildRelease(() => undefined);
    const archive = artifacts.pluginArchives["linux-amd64"];
    const standalone = path.join(work, "standalone");
    mkdirSync(standalone);
    execFileSync("tar", ["-xzf", archive, "-C", standalone]);
    const executable = path.join(standalone, "pulumi-resource-skymount");
    const contenders: Record<string, [string, string[]]> = {
        "standalone executable (Node 24 SEA)": [executable, []],
        "node dist/provider/main.js (Node on PATH)": ["node", [path.join(REPO, "dist", "provider", "main.js")]],
        "checkout launcher (tsx)": [path.join(REPO, "src", "provider", "plugin", "pulumi-resource-skymount"), []],
    };
    console.log(
        `archive sizes (MiB): ${Object.entries(artifacts.pluginArchives)
            .map(([p, f]) => `${p} ${(statSync(f).size / 1048576).toFixed(1)}`)
            .join(", ")}`,
    );
    for (const [name, [command, args]] of Object.entries(contenders)) {
        await startUp(command, args); // warm the page cache
        const times: number[] = [];
        for (let i = 0; i < REPEATS; i++) times.push(await startUp(command, args));
        console.log(`start-up, ${name}: median ${median(times).toFixed(0)} ms (${times.map((t) => t.toFixed(0)).join(", ")})`);
    }

    const testbed = requireTestbed();
    const program = path.join(work, "program");
    mkdirSync(program);
    writeFileSync(
        path.join(program, "Pulumi.yaml"),
        [
            "name: bench-plugin",
            "runtime: yaml",
            "resources:",
            "  data:",
            "    type: skymount:index:SkyStorage",
            "    properties:",
            `      name: bench-plugin-${process.pid}`,
            "      persistent: false",
            "      s3Compatible:",
            `        endpoint: ${testbed.s3.endpoint}`,
            `        region: ${testbed.s3.region}`,
            `        accessKey: ${testbed.s3.accessKey}`,
            `        secretKey: ${testbed.s3.secretKey}`,
            "",
        ].join("\n"),
    );
    const homes = {
        "standalone executable (Node 24 SEA)": pulumiHomeWith("sea", artifacts.version, executable),
        "node dist/provider/main.js (Node on PATH)": pulumiHomeWith(
            "node",
            artifacts.version,
            `node ${path.join(REPO, "dist", "provider", "main.js")}`,
        ),
    };
    const env = (home: string) => ({
        ...process.env,
        PULUMI_HOME: home,
        PULUMI_BACKEND_URL: `file://${path.join(work, "state")}`,
        PULUMI_CONFIG_PASSPHRASE: "bench",
    });
    mkdirSync(path.join(work, "state"));
    const pulumi = (home: string, ...args: string[]) => {
        try {
            execFileSync("pulumi", [...args, "--stack", "bench"], { cwd: program, env: env(home), stdio: "pipe" });
        } catch (err) {
            throw new Error(
                `pulumi ${args.join(" ")}: ${String((err as { stdout?: Buffer }).stdout)}${String((err as { stderr?: Buffer }).stderr)}`,
                { cause: err },
            );
        }
    };
    const first = Object.values(homes)[0];
    pulumi(first, "stack", "init");
    pulumi(first, "up", "--yes", "--skip-preview");
    try {
        for (const [name, home] of Object.entries(homes)) {
            pulumi(home, "preview"); // warm
            const times: number[] = [];
            for (let i = 0; i < REPEATS; i++) {
                const started = Date.now();
                pulumi(home, "preview", "--expect-no-changes");
                times.push(Date.now() - started);
            }
            console.log(
                `no-op pulumi preview, ${name}: median ${(median(times) / 1000).toFixed(2)} s (${times.map((t) => (t / 1000).toFixed(2)).join(", ")})`,
            );
        }
    } finally {
        pulumi(first, "destroy", "--yes", "--skip-preview");
        rmSync(work, { recursive: true, force: true });
    }
}

main().catch((err) => {
    console.error(err);
    process.exit(1);
});
