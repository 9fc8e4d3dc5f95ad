// State at scale: a source sync of 10,000 and 100,000 files (BENCH_STATE_FILES) through `pulumi up`:
// the stack's exported state size, the no-op `pulumi preview` (median of three, BENCH_STATE_PREVIEWS), and an `up` after one
// file changed. With BENCH_STATE_BASELINE=<git revision>, the same is measured for skymount at that
// revision on the smallest tree, in the same run, previews interleaved, so the ratio holds under load.
//   npm run bench:state           (the testbed must be up)
import { LocalWorkspace, Stack } from "@pulumi/pulumi/automation";
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { installPackedSkymount } from "../tools/packInstall";
import { median, timed } from "./support";

const SIZES = (process.env.BENCH_STATE_FILES ?? "10000,100000").split(",").map(Number);
const BASELINE = process.env.BENCH_STATE_BASELINE;
/** No-op previews per variant, interleaved with the baseline's: more of them steady the median on a loaded machine. */
const PREVIEWS = Number(process.env.BENCH_STATE_PREVIEWS ?? 3);
const REPO = path.join(__dirname, "..");
const PROGRAM = path.join(__dirname, "programs", "state");

/** `count` files of 100 bytes in 100 directories. */
function makeTree(dir: string, count: number): void {
    for (let d = 0; d < 100; d++) mkdirSync(path.join(dir, `d${d}`), { recursive: true });
    for (let i = 0; i < count; i++) writeFileSync(path.join(dir, `d${i % 100}`, `f${i}.txt`), `file ${i}\n`.padEnd(100, "."));
}

/** skymount at `revision`, packed and installed into a copy of the program (same depth, so its imports resolve). */
function installBaseline(revision: string): string {
    const worktree = mkdtempSync(path.join(tmpdir(), "skymount-baseline-"));
    execFileSync("git", ["worktree", "add", "--detach", worktree, revision], { cwd: REPO, stdio: "ignore" });
    symlinkSync(path.join(REPO, "node_modules"), path.join(worktree, "node_modules"));
    const packDir = mkdtempSync(path.join(tmpdir(), "skymount-pack-"));
    const tarball = execFileSync("npm", ["pack", "--silent", "--pack-destination", packDir], { cwd: worktree, encoding: "utf8" })
        .trim()
        .split("\n")
        .pop()!;
    const program = path.join(__dirname, "results", "state-baseline");
    rmSync(program, { recursive: true, force: true });
    cpSync(PROGRAM, program, { recursive: true, filter: (src) => !src.includes("node_modules") && !/Pulumi\..+\.yaml$/.test(src) });
    const target = path.join(program, "node_modules", "skymount");
    mkdirSync(target, { recursive: true });
    execFileSync("tar", ["-xzf", path.join(packDir, tarball), "-C", target, "--strip-components=1"]);
    execFileSync("git", ["worktree", "remove", "--force", worktree], { cwd: REPO, stdio: "ignore" });
    rmSync(packDir, { recursive: true, force: true });
    return program;
}

interface Variant {
    name: string;
    stack: Stack;
    backend: string;
}

async function stackIn(program: string, name: string, bucket: string, source: string): Promise<Variant> {
    const backend = mkdtempSync(path.join(tmpdir(), "skymount-bench-state-"));
    const stack = await LocalWorkspace.createOrSelectStack(
        { stackName: "bench", workDir: program },
        { envVars: { PULUMI_BACKEND_URL: `file://${backend}`, PULUMI_CONFIG_PASSPHRASE: "bench" } },
    );
    await stack.setAllConfig({ bucket: { value: bucket }, source: { value: source } });
    return { name, stack, backend };
}

async function main(): Promise<void> {
    installPackedSkymount(PROGRAM);
    const baselineProgram = BASELINE ? installBaseline(BASELINE) : undefined;
    const rows: string[] = [
        `| files | skymount | state (KiB) | cold up (s) | no-op preview, median of ${PREVIEWS} (s) | up after one file changed (s) |`,
        `|---|---|---|---|---|---|`,
    ];
    for (const [index, files] of SIZES.entries()) {
        const root = mkdtempSync(path.join(tmpdir(), "skymount-bench-tree-"));
        const suffix = Date.now().toString(36);
        makeTree(root, files);
        const variants = [await stackIn(PROGRAM, "this branch", `bench-state-${files}-${suffix}`, root)];
        if (baselineProgram && index === 0)
            variants.push(await stackIn(baselineProgram, BASELINE!, `bench-state-base-${files}-${suffix}`, root));
        try {
            const results = new Map<string, { state: number; cold: number; previews: number[]; change: number }>();
            for (const v of variants) {
                const cold = await timed(() => v.stack.up());
                const state = JSON.stringify((await v.stack.exportStack()).deployment).length;
                results.set(v.name, { state, cold: cold.seconds, previews: [], change: 0 });
                console.log(`${files} files, ${v.name}: up ${cold.seconds.toFixed(1)} s, state ${(state / 1024).toFixed(1)} KiB`);
            }
            for (let round = 0; round < PREVIEWS; round++) {
                for (const v of variants) {
                    const preview = await timed(() => v.stack.preview());
                    if (JSON.stringify(preview.value.changeSummary) !== JSON.stringify({ same: 4 }))
                        throw new Error(`no-op preview found changes: ${JSON.stringify(preview.value.changeSummary)}`);
                    results.get(v.name)!.previews.push(preview.seconds);
                }
            }
            writeFileSync(path.join(root, "d1", "f1.txt"), "changed\n");
            for (const v of variants) {
                const up = await timed(() => v.stack.up());
                if (JSON.stringify(up.value.summary.resourceChanges) !== JSON.stringify({ same: 3, update: 1 }))
                    throw new Error(`one-file change: ${JSON.stringify(up.value.summary.resourceChanges)}`);
                results.get(v.name)!.change = up.seconds;
            }
            for (const [name, r] of results) {
                rows.push(
                    `| ${files} | ${name} | ${(r.state / 1024).toFixed(1)} | ${r.cold.toFixed(1)} | ${median(r.previews).toFixed(2)} (${r.previews.map((p) => p.toFixed(2)).join(", ")}) | ${r.change.toFixed(1)} |`,
                );
            }
            console.log(rows.join("\n"));
        } finally {
            for (const v of variants) {
                await v.stack.destroy().catch((err) => console.error(`destroy: ${err.message}`));
                await v.stack.workspace.removeStack("bench").catch(() => undefined);
                rmSync(v.backend, { recursive: true, force: true });
            }
            rmSync(root, { recursive: true, force: true });
        }
    }
    mkdirSync(path.join(__dirname, "results"), { recursive: true });
    writeFileSync(path.join(__dirname, "results", "state.md"), rows.join("\n") + "\n");
    console.log(rows.join("\n"));
}

main().catch((err) => {
    console.error(err);
    process.exit(1);
});
