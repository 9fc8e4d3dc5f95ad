// Sync benchmark: SkyStorage's source sync against `rclone sync --transfers N`, same data, same
// MinIO, same run. Data sets: small files (1-8 KiB), and a tree of large files. Measures a cold
// upload and a no-op resync; for SkyStorage also the no-op `pulumi preview` and the scan alone.
//   npm run bench:sync            (the testbed must be up: npm run testbed -- up)
//   npm run bench:sync -- --small-files 100000 --large-total 10GiB --cold-only
// Flags: --small-files N (default 10000), --large-total SIZE (default 1GiB), --large-file SIZE (each
// large file; default 1GiB or the total if smaller), --transfers N (rclone's; default 32),
// --cold-only (cold uploads only: no no-op resync or previews, each bucket emptied right after its
// measurement), --only small|large, --data DIR (reuse DIR/small and DIR/large, made if missing,
// never deleted). BENCH_SMALL_FILES and BENCH_BIG_FILE_MIB still set the defaults.
import { LocalWorkspace } from "@pulumi/pulumi/automation";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { loadTestbedInfo } from "../tools/testbed/info";
import { sizeOfFingerprint } from "../src/sync/core/fingerprint";
import { scanTree } from "../src/sync/scan/manifest";
import { runPool } from "../src/sync/pool/pool";
import { openObjectStore } from "../src/sync/protocols/registry";
import { uploadFootprint, uploadPool } from "../src/sync/pool/transferWidths";
import { installPackedSkymount } from "../tools/packInstall";
import { makeBigFile, makeSmallFiles, median, ratio, rclone, timed } from "./support";
import { existsSync } from "node:fs";
import { loadavg } from "node:os";
import { parseArgs } from "node:util";

const MiB = 1024 * 1024;

/** "10GiB", "512MiB", "1024" (bytes). */
function parseSize(text: string): number {
    const match = /^(\d+(?:\.\d+)?)\s*(KiB|MiB|GiB|TiB)?$/i.exec(text.trim());
    if (!match) throw new Error(`${text}: not a size (e.g. 10GiB, 512MiB)`);
    const unit = { kib: 2 ** 10, mib: 2 ** 20, gib: 2 ** 30, tib: 2 ** 40 }[(match[2] ?? "").toLowerCase()] ?? 1;
    return Math.round(Number(match[1]) * unit);
}

const { values: flags } = parseArgs({
    options: {
        "small-files": { type: "string" },
        "large-total": { type: "string" },
        "large-file": { type: "string" },
        transfers: { type: "string", default: "32" },
        "cold-only": { type: "boolean", default: false },
        only: { type: "string" },
        data: { type: "string" },
    },
});
const SMALL_FILES = Number(flags["small-files"] ?? process.env.BENCH_SMALL_FILES ?? 10_000);
const LARGE_TOTAL = flags["large-total"] ? parseSize(flags["large-total"]) : Number(process.env.BENCH_BIG_FILE_MIB ?? 1024) * MiB;
const LARGE_FILE = Math.min(LARGE_TOTAL, flags["large-file"] ? parseSize(flags["large-file"]) : 1024 * MiB);
const TRANSFERS = flags.transfers!;
const COLD_ONLY = flags["cold-only"]!;

interface Row {
    dataset: string;
    measure: string;
    skymount: number;
    rclone?: number;
    /** The 1-minute load average when the data set's measurements ended. */
    load: number;
}

async function benchDataset(name: string, dir: string, rows: Row[]): Promise<void> {
    const testbed = loadTestbedInfo();
    const suffix = Date.now().toString(36);
    const backend = mkdtempSync(path.join(tmpdir(), "skymount-bench-"));
    const stack = await LocalWorkspace.createOrSelectStack(
        { stackName: "bench", workDir: path.join(__dirname, "programs", "sync") },
        { envVars: { PULUMI_BACKEND_URL: `file://${backend}`, PULUMI_CONFIG_PASSPHRASE: "bench" } },
    );
    await stack.setAllConfig({ bucket: { value: `bench-sky-${name}-${suffix}` }, source: { value: dir } });
    const rcloneBucket = `bench:bench-rclone-${name}-${suffix}`;
    let rcloneBucketLeft = true;
    try {
        const coldScan = await timed(() => scanTree(dir));
        const warmScan = await timed(() => scanTree(dir));
        // The sync engine alone, without Pulumi: scan (warm), then the sync's own store and upload pool.
        const engineBucket = `bench-engine-${name}-${suffix}`;
        rclone(testbed, ["mkdir", `bench:${engineBucket}`]);
        const store = openObjectStore(
            { kind: "s3", endpoint: testbed.s3.endpoint, region: testbed.s3.region, pathStyle: true },
            { accessKey: testbed.s3.accessKey, secretKey: testbed.s3.secretKey },
            engineBucket,
        );
        const engine = await timed(async () => {
            const scan = await scanTree(dir);
            await runPool(
                Object.entries(scan.manifest).map(([file, fingerprint]) => ({
                    label: file,
                    run: () => store.upload(file, path.join(dir, file), sizeOfFingerprint(fingerprint)),
                    bytes: uploadFootprint(sizeOfFingerprint(fingerprint)),
                })),
                uploadPool(),
            );
        });
        store.close();
        rclone(testbed, ["purge", `bench:${engineBucket}`]);
        rclone(testbed, ["mkdir", rcloneBucket]);
        const rcloneCold = await timed(() => rclone(testbed, ["sync", dir, rcloneBucket, "--transfers", TRANSFERS]));
        if (COLD_ONLY) {
            rclone(testbed, ["purge", rcloneBucket]);
            rcloneBucketLeft = false;
        }
        const cold = await timed(() => stack.up());
        if (COLD_ONLY) {
            const load = loadavg()[0];
            rows.push(
                { dataset: name, measure: "cold upload (pulumi up)", skymount: cold.seconds, rclone: rcloneCold.seconds, load },
                { dataset: name, measure: "cold upload, sync engine alone", skymount: engine.seconds, rclone: rcloneCold.seconds, load },
                { dataset: name, measure: "scan, cold hash cache", skymount: coldScan.seconds, load },
                { dataset: name, measure: "scan, warm hash cache", skymount: warmScan.seconds, load },
            );
            return;
        }
        // Three previews, reported by their median: a single one varies by about 0.1 s here.
        const previews: number[] = [];
        for (let i = 0; i < 3; i++) {
            const preview = await timed(() => stack.preview());
            if (JSON.stringify(preview.value.changeSummary) !== JSON.stringify({ same: 4 }))
                throw new Error(`no-op preview found changes: ${JSON.stringify(preview.value.changeSummary)}`);
            previews.push(preview.seconds);
        }
        const noop = await timed(() => stack.up());
        const rcloneNoop = await timed(() => rclone(testbed, ["sync", dir, rcloneBucket, "--transfers", TRANSFERS]));
        const load = loadavg()[0];
        if (JSON.stringify(noop.value.summary.resourceChanges) !== JSON.stringify({ same: 4 }))
            throw new Error(`no-op up changed something: ${JSON.stringify(noop.value.summary.resourceChanges)}`);
        rows.push(
            { dataset: name, measure: "cold upload (pulumi up)", skymount: cold.seconds, rclone: rcloneCold.seconds, load },
            { dataset: name, measure: "cold upload, sync engine alone", skymount: engine.seconds, rclone: rcloneCold.seconds, load },
            { dataset: name, measure: "no-op resync (pulumi up)", skymount: noop.seconds, rclone: rcloneNoop.seconds, load },
            {
                dataset: name,
                measure: `no-op pulumi preview (median of ${previews.map((p) => p.toFixed(2)).join(", ")})`,
                skymount: median(previews),
                load,
            },
            { dataset: name, measure: "scan, cold hash cache", skymount: coldScan.seconds, load },
            { dataset: name, measure: "scan, warm hash cache", skymount: warmScan.seconds, load },
        );
    } finally {
        await stack.destroy().catch((err) => console.error(`destroy: ${err.message}`));
        await stack.workspace.removeStack("bench").catch(() => undefined);
        try {
            if (rcloneBucketLeft) rclone(testbed, ["purge", rcloneBucket]);
        } catch (err) {
            console.error(`cleanup: ${(err as Error).message}`);
        }
        rmSync(backend, { recursive: true, force: true });
    }
}

/** `dir` holding `count` small files, or the large files: made unless already there (a reused --data directory). */
function ensureSmall(dir: string): void {
    if (!existsSync(dir)) makeSmallFiles(dir, SMALL_FILES);
}

function ensureLarge(dir: string): void {
    if (existsSync(dir)) return;
    mkdirSync(dir, { recursive: true });
    for (let i = 0, left = LARGE_TOTAL; left > 0; i++, left -= LARGE_FILE)
        makeBigFile(path.join(dir, `big${i}.bin`), Math.min(LARGE_FILE, left));
}

function describeDataset(name: string): string {
    if (name === "small") return `${SMALL_FILES} small files`;
    const files = Math.ceil(LARGE_TOTAL / LARGE_FILE);
    return files === 1 ? `1 file, ${LARGE_TOTAL / MiB} MiB` : `${files} files, ${(LARGE_TOTAL / 2 ** 30).toFixed(1)} GiB`;
}

async function main(): Promise<void> {
    installPackedSkymount(path.join(__dirname, "programs", "sync"));
    const root = flags.data ?? mkdtempSync(path.join(tmpdir(), "skymount-bench-data-"));
    const rows: Row[] = [];
    try {
        if (flags.only !== "large") {
            const small = path.join(root, `small-${SMALL_FILES}`);
            ensureSmall(small);
            await benchDataset("small", small, rows);
        }
        if (flags.only !== "small") {
            const large = path.join(root, `large-${LARGE_TOTAL}-${LARGE_FILE}`);
            ensureLarge(large);
            await benchDataset("large", large, rows);
        }
    } finally {
        if (!flags.data) rmSync(root, { recursive: true, force: true });
    }
    const lines = [
        `| data set | measure | skymount (s) | rclone sync --transfers ${TRANSFERS} (s) | skymount / rclone | load |`,
        `|---|---|---|---|---|---|`,
        ...rows.map(
            (r) =>
                `| ${describeDataset(r.dataset)} | ${r.measure} | ${r.skymount.toFixed(2)} | ${r.rclone?.toFixed(2) ?? "—"} | ${r.rclone ? ratio(r.skymount, r.rclone) : "—"} | ${r.load.toFixed(1)} |`,
        ),
    ];
    mkdirSync(path.join(__dirname, "results"), { recursive: true });
    writeFileSync(path.join(__dirname, "results", "sync.md"), lines.join("\n") + "\n");
    console.log(lines.join("\n"));
}

main().catch((err) => {
    console.error(err);
    process.exit(1);
});
