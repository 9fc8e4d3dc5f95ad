// Resume benchmark: a sync interrupted at 90% of a 1 GiB, 2,000-file tree (the S3 server goes away:
// a proxy in front of the testbed's MinIO stops after 1,800 uploads), then `pulumi up` again with the
// server back. Measures the bytes the second up sends, against the tree; the target is at most 15%.
// Exits non-zero when the target is missed.
//   npm run bench:resume          (the testbed must be up: npm run testbed -- up)
// BENCH_RESUME_FILES and BENCH_RESUME_FILE_KIB shrink the tree for a quick check.
import { LocalWorkspace } from "@pulumi/pulumi/automation";
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { startStoppableProxy } from "../test/e2e/support/stoppableProxy";
import { loadTestbedInfo } from "../tools/testbed/info";
import { timed } from "./support";

const FILES = Number(process.env.BENCH_RESUME_FILES ?? 2000);
const FILE_BYTES = Number(process.env.BENCH_RESUME_FILE_KIB ?? 512) * 1024;
const TREE_BYTES = FILES * FILE_BYTES;
const CUT_AT = 0.9;
const TARGET = 0.15;

function makeTree(dir: string): void {
    for (let i = 0; i < FILES; i++) {
        const sub = path.join(dir, `d${String(i % 20).padStart(2, "0")}`);
        if (i < 20) mkdirSync(sub, { recursive: true });
        const fd = openSync(path.join(sub, `f${i}.bin`), "w");
        writeSync(fd, randomBytes(FILE_BYTES));
        closeSync(fd);
    }
}

const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

async function main(): Promise<void> {
    const testbed = loadTestbedInfo();
    const tree = mkdtempSync(path.join(tmpdir(), "skymount-bench-resume-"));
    const backend = mkdtempSync(path.join(tmpdir(), "skymount-bench-resume-state-"));
    const proxy = await startStoppableProxy(testbed.s3.endpoint);
    const stack = await LocalWorkspace.createOrSelectStack(
        { stackName: "bench", workDir: path.join(__dirname, "programs", "resume") },
        { envVars: { PULUMI_BACKEND_URL: `file://${backend}`, PULUMI_CONFIG_PASSPHRASE: "bench" } },
    );
    try {
        console.log(`making ${FILES} files of ${FILE_BYTES / 1024} KiB (${mib(TREE_BYTES)} MiB)…`);
        makeTree(tree);
        await stack.setAllConfig({
            bucket: { value: `bench-resume-${Date.now().toString(36)}` },
            source: { value: tree },
            endpoint: { value: proxy.endpoint },
        });
        const cut = proxy.stopAfterUploads(Math.round(CUT_AT * FILES));
        const first = await timed(() =>
            stack.up().then(
                () => {
                    throw new Error("the first up was meant to be interrupted, and finished");
                },
                (err: Error) => err,
            ),
        );
        const cutAt = await cut;
        const sentBefore = proxy.sent();
        console.log(
            `first up failed ${((Date.now() - cutAt) / 1000).toFixed(1)} s after the cut: ${first.value.message.match(/error: (sync of .*)/)?.[1] ?? first.value.message.slice(0, 300)}`,
        );

        await proxy.start();
        proxy.reset();
        const second = await timed(() => stack.up());
        const resent = proxy.sent();
        const share = resent / TREE_BYTES;

        const lines = [
            `# Resume after an interruption at ${CUT_AT * 100}% (${new Date().toISOString().slice(0, 10)})`,
            "",
            "| measure | value |",
            "|---|---|",
            `| tree | ${FILES} files, ${mib(TREE_BYTES)} MiB |`,
            `| sent before the cut (server gone after ${Math.round(CUT_AT * FILES)} uploads) | ${mib(sentBefore)} MiB |`,
            `| first up, until it failed | ${first.seconds.toFixed(1)} s |`,
            `| second up (server back): bytes sent | ${mib(resent)} MiB, ${(100 * share).toFixed(1)}% of the tree |`,
            `| second up: time | ${second.seconds.toFixed(1)} s |`,
            `| second up: summary | ${JSON.stringify(second.value.outputs.summary?.value)} |`,
            `| target: at most ${TARGET * 100}% of the tree re-sent | ${share <= TARGET ? "met" : "MISSED"} |`,
        ];
        console.log(lines.join("\n"));
        mkdirSync(path.join(__dirname, "results"), { recursive: true });
        writeFileSync(path.join(__dirname, "results", "resume.md"), lines.join("\n") + "\n");
        if (share > TARGET) process.exitCode = 1;
    } finally {
        await proxy.start().catch(() => undefined);
        await stack.destroy().catch((err) => console.error(`destroy: ${(err as Error).message}`));
        await proxy.close();
        rmSync(tree, { recursive: true, force: true });
        rmSync(backend, { recursive: true, force: true });
    }
}

main().catch((err) => {
    console.error(err);
    process.exit(1);
});
