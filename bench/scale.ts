// Scale benchmark: one SkyStorage syncing trees of 10,000 / 100,000 / 1,000,000 small files through
// `pulumi up` as a user runs it, with `rclone sync --transfers 32` on the same tree and MinIO in the
// same run. Per tree: cold upload (both), the stack's state size, the no-op preview, a one-file
// change, a refresh, destroy, and the peak memory of the program and the providers together.
//   npm run bench:scale -- [--files 10000,100000,1000000] [--no-rclone] [--refresh-only]    (the testbed must be up)
// --no-rclone leaves out rclone's upload (a rerun that needs only skymount's rows). --refresh-only
// takes the cold `up` and the refresh alone (no rclone, previews, one-file change or destroy: the
// bucket stays on the testbed's MinIO until `testbed down`), for the largest trees' refresh memory.
// Trees are made once under $SKYMOUNT_BENCH_TREES (default ~/.cache/skymount/bench-trees) and reused:
// a million files take minutes to write. The fleet rows (2/8/16/32 hosts) come from bench:mount.
import { LocalWorkspace, Stack } from "@pulumi/pulumi/automation";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import * as path from "node:path";
import { installPackedSkymount } from "../tools/packInstall";
import { loadTestbedInfo } from "../tools/testbed/info";
import { median, ratio, rclone, timed } from "./support";
import { describePeak, withRssPeak } from "./support/processRss";
import { ensureTree } from "./support/tree";

const MiB = 1024 * 1024;

interface ScaleRow {
    files: number;
    treeBytes: number;
    coldUp: number;
    rcloneCold: number;
    coldRssBytes: number;
    stateBytes: number;
    noopPreview: number[];
    noopPreviewRssBytes: number;
    oneFileUp: number;
    oneFileRssBytes: number;
    refresh: number;
    refreshRssBytes: number;
    destroy: number;
}

const refreshOnly = process.argv.includes("--refresh-only");
const withRclone = !refreshOnly && !process.argv.includes("--no-rclone");

function argList(name: string, fallback: number[]): number[] {
    const at = process.argv.indexOf(name);
    if (at < 0) return fallback;
    const values = (process.argv[at + 1] ?? "").split(",").map(Number);
    if (values.some((v) => !Number.isInteger(v) || v < 1))
        throw new Error(`${name}: ${process.argv[at + 1]}: must be whole numbers, comma-separated`);
    return values;
}

/** 1–4 KiB: small files, like image shards and text records. */
const sizeOf = (i: number) => 1024 * (1 + (i % 4));

function assertSame(what: string, changes: Record<string, number> | undefined): void {
    const other = Object.entries(changes ?? {}).filter(([op]) => op !== "same");
    if (other.length > 0) throw new Error(`${what} found changes: ${JSON.stringify(changes)}`);
}

/** One file added next to the tree's, `up`: exactly one update. */
async function oneFileChange(stack: Stack, added: string, files: number, log: (line: string) => void) {
    writeFileSync(added, `one more file, ${path.basename(added)}\n`);
    const run = await withRssPeak(() => timed(() => stack.up()));
    log(
        `scale ${files}: one-file up ${run.value.seconds.toFixed(1)} s, peak RSS ${(run.peak.totalBytes / MiB).toFixed(0)} MiB (${describePeak(run.peak)})`,
    );
    const changes = run.value.value.summary.resourceChanges ?? {};
    if (changes.update !== 1) throw new Error(`one-file change: expected 1 update, got ${JSON.stringify(changes)}`);
    return { seconds: run.value.seconds, rssBytes: run.peak.totalBytes };
}

async function benchTree(files: number, log: (line: string) => void): Promise<ScaleRow> {
    const testbed = loadTestbedInfo();
    const treesRoot = process.env.SKYMOUNT_BENCH_TREES ?? path.join(homedir(), ".cache", "skymount", "bench-trees");
    const tree = await ensureTree(path.join(treesRoot, `small-${files}`), { files, sizeOf, sizes: "1-4 KiB" });
    log(`scale ${files}: tree ${tree.created ? `made in ${tree.seconds.toFixed(1)} s` : "reused"} (${(tree.bytes / MiB).toFixed(0)} MiB)`);
    const suffix = Date.now().toString(36);
    const backend = mkdtempSync(path.join(tmpdir(), "skymount-bench-scale-"));
    const stack: Stack = await LocalWorkspace.createOrSelectStack(
        { stackName: "scale", workDir: path.join(__dirname, "programs", "sync") },
        { envVars: { PULUMI_BACKEND_URL: `file://${backend}`, PULUMI_CONFIG_PASSPHRASE: "bench" } },
    );
    await stack.setAllConfig({ bucket: { value: `bench-scale-${files}-${suffix}` }, source: { value: tree.dir } });
    const rcloneBucket = `bench:bench-scale-rclone-${files}-${suffix}`;
    // The one-file change adds a file next to the tree's and removes it afterwards, so the tree
    // itself stays as ensureTree made it and the next run reuses it.
    const added = path.join(tree.dir, `added-${suffix}.bin`);
    try {
        const cold = await withRssPeak(() => timed(() => stack.up()));
        log(
            `scale ${files}: cold up ${cold.value.seconds.toFixed(1)} s, peak RSS ${(cold.peak.totalBytes / MiB).toFixed(0)} MiB (${describePeak(cold.peak)})`,
        );
        const stateBytes = JSON.stringify((await stack.exportStack()).deployment).length;
        let rcloneCold = { seconds: NaN };
        if (withRclone) {
            rclone(testbed, ["mkdir", rcloneBucket]);
            rcloneCold = await timed(() => rclone(testbed, ["sync", tree.dir, rcloneBucket, "--transfers", "32"]));
        }
        log(`scale ${files}: rclone cold ${rcloneCold.seconds.toFixed(1)} s; state ${(stateBytes / 1024).toFixed(1)} KiB`);
        const previews: number[] = [];
        let previewRss = 0;
        for (let i = 0; i < (refreshOnly ? 0 : 3); i++) {
            const preview = await withRssPeak(() => timed(() => stack.preview()));
            assertSame("no-op preview", preview.value.value.changeSummary);
            previews.push(preview.value.seconds);
            previewRss = Math.max(previewRss, preview.peak.totalBytes);
        }
        const oneFile = refreshOnly ? { seconds: NaN, rssBytes: NaN } : await oneFileChange(stack, added, files, log);
        // Refresh reads the last run's record a batch at a time beside the bucket's listing (sync/engine/refresh.ts).
        const refreshRun = await withRssPeak(() => timed(() => stack.refresh()));
        log(
            `scale ${files}: refresh ${refreshRun.value.seconds.toFixed(1)} s, peak RSS ${(refreshRun.peak.totalBytes / MiB).toFixed(0)} MiB (${describePeak(refreshRun.peak)})`,
        );
        assertSame("refresh", refreshRun.value.value.summary.resourceChanges);
        const destroy = refreshOnly ? { seconds: NaN } : await timed(() => stack.destroy());
        return {
            files,
            treeBytes: tree.bytes,
            coldUp: cold.value.seconds,
            rcloneCold: rcloneCold.seconds,
            coldRssBytes: cold.peak.totalBytes,
            stateBytes,
            noopPreview: previews,
            noopPreviewRssBytes: previewRss,
            oneFileUp: oneFile.seconds,
            oneFileRssBytes: oneFile.rssBytes,
            refresh: refreshRun.value.seconds,
            refreshRssBytes: refreshRun.peak.totalBytes,
            destroy: destroy.seconds,
        };
    } finally {
        rmSync(added, { force: true });
        if (!refreshOnly) await stack.destroy().catch(() => undefined);
        await stack.workspace.removeStack("scale", { force: true }).catch(() => undefined);
        try {
            if (withRclone) rclone(testbed, ["purge", rcloneBucket]);
        } catch (err) {
            console.error(`cleanup: ${(err as Error).message}`);
        }
        rmSync(backend, { recursive: true, force: true });
    }
}

/** A figure, or "—" for a step this run left out. */
const shown = (value: number, digits: number) => (Number.isNaN(value) ? "—" : value.toFixed(digits));

function table(rows: ScaleRow[]): string {
    const lines = [
        "| files | data | cold `pulumi up` (s) | rclone sync --transfers 32 (s) | skymount / rclone | peak RSS, up (MiB) | state (KiB) | no-op preview (s, median of 3) | peak RSS, preview (MiB) | one-file change `up` (s) | peak RSS, one-file `up` (MiB) | refresh (s) | peak RSS, refresh (MiB) | destroy (s) |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ];
    for (const r of rows) {
        lines.push(
            `| ${r.files.toLocaleString("en-US")} | ${(r.treeBytes / MiB).toFixed(0)} MiB | ${r.coldUp.toFixed(1)} | ${shown(r.rcloneCold, 1)} | ${Number.isNaN(r.rcloneCold) ? "—" : ratio(r.coldUp, r.rcloneCold)} | ${(r.coldRssBytes / MiB).toFixed(0)} | ${(r.stateBytes / 1024).toFixed(1)} | ${r.noopPreview.length > 0 ? median(r.noopPreview).toFixed(2) : "—"} | ${r.noopPreview.length > 0 ? (r.noopPreviewRssBytes / MiB).toFixed(0) : "—"} | ${shown(r.oneFileUp, 1)} | ${shown(r.oneFileRssBytes / MiB, 0)} | ${r.refresh.toFixed(1)} | ${(r.refreshRssBytes / MiB).toFixed(0)} | ${shown(r.destroy, 1)} |`,
        );
    }
    return lines.join("\n");
}

async function main(): Promise<void> {
    const counts = argList("--files", [10_000, 100_000, 1_000_000]);
    installPackedSkymount(path.join(__dirname, "programs", "sync"));
    const rows: ScaleRow[] = [];
    const started = Date.now();
    for (const files of counts) {
        rows.push(await benchTree(files, console.log));
        console.log(table(rows));
    }
    const out = `${table(rows)}\n\nWhole run: ${((Date.now() - started) / 60_000).toFixed(1)} min.\n`;
    mkdirSync(path.join(__dirname, "results"), { recursive: true });
    writeFileSync(path.join(__dirname, "results", "scale.md"), out);
    console.log(out);
}

main().catch((err) => {
    console.error(err);
    process.exit(1);
});
