// Scan benchmark: scanTree over trees of 10,000 / 100,000 / 1,000,000 files of 1–8 KiB, cold (no
// hash cache: every file hashed) and warm (an unchanged tree: metadata only), each scan in a fresh
// process whose peak RSS is recorded; side by side in the same run with what users would run over the
// same tree: `find -type f` (names only, and with size and mtime, which a warm scan reads), `rclone lsf
// -R` (rclone's listing, with size and time), `sha256sum` on both cores and `rclone hashsum sha256`.
//   npm run bench:scan                                 (10k, 100k and 1M files)
//   npm run bench:scan -- --files 100000 --keep        (one size; keep the tree for the next run)
// Trees live under --dir (default: $TMPDIR/skymount-bench-scan) and are made once (bench/support/tree.ts);
// the ones this run made are deleted at the end unless --keep. Before each hashing run (skymount's
// cold scans, sha256sum, rclone hashsum) the tree's pages are dropped from the page cache
// (posix_fadvise DONTNEED, through python3, file by file: nobody else's cache is touched), so every
// tool reads the files from disk; a machine whose page cache holds the tree would serve all of them
// from memory, but one shared with other work does not keep 4 GiB of it between runs.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { scanTree } from "../src/sync/scan/manifest";
import { median, ratio } from "./support";
import { ensureTree, removeTree, treePath } from "./support/tree";

interface ScanRun {
    seconds: number;
    cpuSeconds: number;
    peakRssMiB: number;
    files: number;
}

interface Row {
    files: number;
    measure: string;
    skymount?: ScanRun;
    baseline?: string;
    baselineSeconds?: number;
}

/**
 * The child: one scan of `dir`; its time and CPU (all threads), and the peak RSS of the whole process
 * (start-up and worker threads included) on stdout.
 */
async function child(dir: string): Promise<void> {
    const started = process.hrtime.bigint();
    const cpu = process.cpuUsage();
    const scan = await scanTree(dir);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const used = process.cpuUsage(cpu);
    const run: ScanRun = {
        seconds,
        cpuSeconds: (used.user + used.system) / 1e6,
        peakRssMiB: process.resourceUsage().maxRSS / 1024,
        files: Object.keys(scan.manifest).length,
    };
    process.stdout.write(JSON.stringify(run));
}

function scanInChild(dir: string, cache: string): ScanRun {
    const out = execFileSync(process.execPath, [...process.execArgv, __filename, "--child", dir], {
        env: { ...process.env, SKYMOUNT_CACHE: cache },
        encoding: "utf8",
        stdio: ["ignore", "pipe", "inherit"],
        maxBuffer: 1024 * 1024,
    });
    return JSON.parse(out) as ScanRun;
}

/** Drops the files under `dir` from the page cache (when python3 is there to ask the kernel). */
function evict(dir: string): void {
    const script = [
        "import os, sys",
        "for root, _, names in os.walk(sys.argv[1]):",
        "    for name in names:",
        "        fd = os.open(os.path.join(root, name), os.O_RDONLY)",
        "        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)",
        "        os.close(fd)",
    ].join("\n");
    try {
        execFileSync("python3", ["-c", script, dir], { stdio: ["ignore", "ignore", "inherit"] });
    } catch (err) {
        console.error(`could not evict ${dir} from the page cache: ${(err as Error).message}`);
    }
}

/** Seconds `command` (run by bash) takes; undefined when its tool is missing. */
function shell(command: string, tool: string): number | undefined {
    try {
        execFileSync("bash", ["-c", `command -v ${tool}`], { stdio: "ignore" });
    } catch {
        return undefined;
    }
    const started = process.hrtime.bigint();
    execFileSync("bash", ["-c", `set -o pipefail; ${command}`], {
        stdio: ["ignore", "ignore", "inherit"],
        env: { ...process.env, RCLONE_CONFIG: "/dev/null" },
    });
    return Number(process.hrtime.bigint() - started) / 1e9;
}

function load(): string {
    return os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(" ");
}

function option(name: string): string | undefined {
    const at = process.argv.indexOf(name);
    return at >= 0 ? process.argv[at + 1] : undefined;
}

async function main(): Promise<void> {
    if (process.argv[2] === "--child") return child(process.argv[3]);
    const sizes = (option("--files") ?? "10000,100000,1000000").split(",").map(Number);
    const base = option("--dir") ?? path.join(os.tmpdir(), "skymount-bench-scan");
    const keep = process.argv.includes("--keep");
    const repeats = Number(option("--repeats") ?? 3);
    const rows: Row[] = [];
    const notes: string[] = [`${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB; node ${process.version}`];
    const made: string[] = [];
    try {
        for (const files of sizes) {
            const root = path.join(base, String(files));
            const tree = await ensureTree(root, { files, sizes: "1-8 KiB", sizeOf: (i) => 1024 * (1 + (i % 8)) });
            if (tree.created) made.push(root);
            notes.push(
                `${files} files, ${(tree.bytes / 2 ** 30).toFixed(2)} GiB: ${tree.created ? `made in ${tree.seconds.toFixed(0)} s` : "reused"}; load average at start ${load()}`,
            );
            const q = JSON.stringify(tree.dir);
            const cache = mkdtempSync(path.join(os.tmpdir(), "skymount-bench-cache-"));
            try {
                // Cold: each run from an empty cache; the last run leaves the cache the warm runs use.
                const cold: ScanRun[] = [];
                for (let i = 0; i < (files >= 1_000_000 ? 1 : repeats); i++) {
                    rmSync(path.join(cache, "manifests"), { recursive: true, force: true });
                    evict(tree.dir);
                    cold.push(scanInChild(tree.dir, cache));
                    console.error(`${files} files: cold scan ${cold[i].seconds.toFixed(2)} s`);
                }
                const warm = Array.from({ length: repeats }, () => scanInChild(tree.dir, cache));
                console.error(`${files} files: warm scans ${warm.map((w) => w.seconds.toFixed(2)).join(", ")} s`);
                // One file touched: its mtime moves, so it is hashed again and the cache rewritten.
                const touched = path.join(tree.dir, treePath(0, files, 1000));
                utimesSync(touched, new Date(), new Date());
                const oneChanged = scanInChild(tree.dir, cache);
                for (const run of [...cold, ...warm, oneChanged])
                    if (run.files !== files) throw new Error(`scan found ${run.files} files in a tree of ${files}`);
                const mid = (runs: ScanRun[]) => runs.find((r) => r.seconds === median(runs.map((x) => x.seconds)))!;
                evict(tree.dir);
                const sha256sum = shell(`find ${q} -type f -print0 | xargs -0 -P 2 -n 2000 sha256sum > /dev/null`, "sha256sum");
                evict(tree.dir);
                const rcloneHash = shell(`rclone hashsum sha256 ${q} > /dev/null`, "rclone");
                const findNames = shell(`find ${q} -type f | wc -l > /dev/null`, "find");
                const findStat = shell(`find ${q} -type f -printf '%s %T@ %p\\n' > /dev/null`, "find");
                const rcloneList = shell(`rclone lsf -R --files-only --format spt ${q} > /dev/null`, "rclone");
                console.error(`${files} files: baselines done`);
                const runs = (list: ScanRun[]) => (list.length > 1 ? ` (median of ${list.length})` : "");
                rows.push(
                    {
                        files,
                        measure: `cold scan${runs(cold)}`,
                        skymount: mid(cold),
                        baseline: "sha256sum, 2 processes",
                        baselineSeconds: sha256sum,
                    },
                    { files, measure: "cold scan", skymount: mid(cold), baseline: "rclone hashsum sha256", baselineSeconds: rcloneHash },
                    {
                        files,
                        measure: `warm scan${runs(warm)}`,
                        skymount: mid(warm),
                        baseline: "find -type f (names only)",
                        baselineSeconds: findNames,
                    },
                    { files, measure: "warm scan", skymount: mid(warm), baseline: "find -printf size, mtime", baselineSeconds: findStat },
                    {
                        files,
                        measure: "warm scan",
                        skymount: mid(warm),
                        baseline: "rclone lsf -R (size, time)",
                        baselineSeconds: rcloneList,
                    },
                    { files, measure: "warm scan, 1 file touched", skymount: oneChanged },
                );
                notes.push(`${files} files: load average at end ${load()}`);
            } finally {
                rmSync(cache, { recursive: true, force: true });
            }
        }
    } finally {
        if (!keep) for (const root of made) removeTree(root);
    }
    const cell = (n: number | undefined) => (n === undefined ? "—" : n.toFixed(2));
    const table = [
        "| files | measure | skymount (s) | CPU (s) | peak RSS (MiB) | baseline | baseline (s) | skymount / baseline |",
        "|---|---|---|---|---|---|---|---|",
        ...rows
            .map((r) =>
                [
                    r.files,
                    r.measure,
                    cell(r.skymount?.seconds),
                    cell(r.skymount?.cpuSeconds),
                    r.skymount ? r.skymount.peakRssMiB.toFixed(0) : "—",
                    r.baseline ?? "—",
                    cell(r.baselineSeconds),
                    r.skymount && r.baselineSeconds ? ratio(r.skymount.seconds, r.baselineSeconds) : "—",
                ].join(" | "),
            )
            .map((line) => `| ${line} |`),
    ].join("\n");
    const report = `${table}\n\n${notes.map((n) => `- ${n}`).join("\n")}\n`;
    console.log(report);
    const results = path.join(__dirname, "results");
    mkdirSync(results, { recursive: true });
    writeFileSync(path.join(results, `scan-${new Date().toISOString().replace(/[:.]/g, "-")}.md`), report);
}

main().catch((err) => {
    console.error(err);
    process.exit(1);
});
