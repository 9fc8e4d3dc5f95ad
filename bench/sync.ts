// Sync benchmark: SkyStorage's source sync against `rclone sync --transfers 16`, same data, same
// MinIO, same run. Data sets: 10,000 small files, and one 1 GiB file. Measures a cold upload and a
// no-op resync; for SkyStorage also the no-op `pulumi preview` and the scan alone.
//   npm run bench:sync            (the testbed must be up: npm run testbed -- up)
import { LocalWorkspace } from "@pulumi/pulumi/automation";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { loadTestbedInfo } from "../scripts/testbed/info";
import { sizeOfFingerprint } from "../src/sync/fingerprint";
import { scanTree } from "../src/sync/manifest";
import { runPool } from "../src/sync/pool";
import { uploadFile } from "../src/sync/s3Transfer";
import { createS3Client } from "../src/clients/s3Client";
import { DEFAULT_SYNC_CONCURRENCY } from "../src/sync/bucketSync";
import { installPackedSkymount } from "../scripts/packInstall";
import { makeBigFile, makeSmallFiles, median, ratio, rclone, timed } from "./support";

const SMALL_FILES = Number(process.env.BENCH_SMALL_FILES ?? 10_000);
const BIG_FILE_BYTES = Number(process.env.BENCH_BIG_FILE_MIB ?? 1024) * 1024 * 1024;

interface Row {
    dataset: string;
    measure: string;
    skymount: number;
    rclone?: number;
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
    try {
        const coldScan = await timed(() => scanTree(dir));
        const warmScan = await timed(() => scanTree(dir));
        const cold = await timed(() => stack.up());
        // The sync engine alone, without Pulumi: scan, then the bounded pool of uploads.
        const engineBucket = `bench-engine-${name}-${suffix}`;
        const s3 = createS3Client({
            endpoint: testbed.s3.endpoint,
            region: testbed.s3.region,
            pathStyle: true,
            accessKey: testbed.s3.accessKey,
            secretKey: testbed.s3.secretKey,
        });
        rclone(testbed, ["mkdir", `bench:${engineBucket}`]);
        const engine = await timed(async () => {
            const scan = await scanTree(dir);
            await runPool(
                Object.entries(scan.manifest).map(([file, fingerprint]) => ({
                    label: file,
                    run: () => uploadFile(s3, engineBucket, file, path.join(dir, file), sizeOfFingerprint(fingerprint)),
                })),
                DEFAULT_SYNC_CONCURRENCY,
            );
        });
        s3.destroy();
        rclone(testbed, ["purge", `bench:${engineBucket}`]);
        rclone(testbed, ["mkdir", rcloneBucket]);
        const rcloneCold = await timed(() => rclone(testbed, ["sync", dir, rcloneBucket, "--transfers", "16"]));
        // Three previews, reported by their median: a single one varies by about 0.1 s here.
        const previews: number[] = [];
        for (let i = 0; i < 3; i++) {
            const preview = await timed(() => stack.preview());
            if (JSON.stringify(preview.value.changeSummary) !== JSON.stringify({ same: 4 }))
                throw new Error(`no-op preview found changes: ${JSON.stringify(preview.value.changeSummary)}`);
            previews.push(preview.seconds);
        }
        const noop = await timed(() => stack.up());
        const rcloneNoop = await timed(() => rclone(testbed, ["sync", dir, rcloneBucket, "--transfers", "16"]));
        if (JSON.stringify(noop.value.summary.resourceChanges) !== JSON.stringify({ same: 4 }))
            throw new Error(`no-op up changed something: ${JSON.stringify(noop.value.summary.resourceChanges)}`);
        rows.push(
            { dataset: name, measure: "cold upload (pulumi up)", skymount: cold.seconds, rclone: rcloneCold.seconds },
            { dataset: name, measure: "cold upload, sync engine alone", skymount: engine.seconds, rclone: rcloneCold.seconds },
            { dataset: name, measure: "no-op resync (pulumi up)", skymount: noop.seconds, rclone: rcloneNoop.seconds },
            {
                dataset: name,
                measure: `no-op pulumi preview (median of ${previews.map((p) => p.toFixed(2)).join(", ")})`,
                skymount: median(previews),
            },
            { dataset: name, measure: "scan, cold hash cache", skymount: coldScan.seconds },
            { dataset: name, measure: "scan, warm hash cache", skymount: warmScan.seconds },
        );
    } finally {
        await stack.destroy().catch((err) => console.error(`destroy: ${err.message}`));
        await stack.workspace.removeStack("bench").catch(() => undefined);
        try {
            rclone(testbed, ["purge", rcloneBucket]);
        } catch (err) {
            console.error(`cleanup: ${(err as Error).message}`);
        }
        rmSync(backend, { recursive: true, force: true });
    }
}

async function main(): Promise<void> {
    installPackedSkymount(path.join(__dirname, "programs", "sync"));
    const root = mkdtempSync(path.join(tmpdir(), "skymount-bench-data-"));
    const rows: Row[] = [];
    try {
        const small = path.join(root, "small");
        makeSmallFiles(small, SMALL_FILES);
        await benchDataset("small", small, rows);
        const big = path.join(root, "big");
        mkdirSync(big);
        makeBigFile(path.join(big, "big.bin"), BIG_FILE_BYTES);
        await benchDataset("big", big, rows);
    } finally {
        rmSync(root, { recursive: true, force: true });
    }
    const lines = [
        `| data set | measure | skymount (s) | rclone sync --transfers 16 (s) | skymount / rclone |`,
        `|---|---|---|---|---|`,
        ...rows.map(
            (r) =>
                `| ${r.dataset === "small" ? `${SMALL_FILES} small files` : `1 file, ${BIG_FILE_BYTES / 2 ** 20} MiB`} | ${r.measure} | ${r.skymount.toFixed(2)} | ${r.rclone?.toFixed(2) ?? "—"} | ${r.rclone ? ratio(r.skymount, r.rclone) : "—"} |`,
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
