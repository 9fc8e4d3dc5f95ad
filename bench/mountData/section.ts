// `npm run bench:mount -- data [--runs N] [--scale X]`: the data path on one host of a fresh testbed
// instance, each workload N times (5 unless --runs or BENCH_DATA_RUNS), at sizes times X (1 unless
// --scale or BENCH_DATA_SCALE; 0.01 is a quick validation), with every engine of workloads.ts, runs
// interleaved (run 1 of every engine, then run 2…) so a slow minute of the machine hits all alike.
import { LocalWorkspace } from "@pulumi/pulumi/automation";
import { CreateBucketCommand } from "@aws-sdk/client-s3";
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { instance } from "../../tools/testbed/info";
import { down as testbedDown, up as testbedUp } from "../../tools/testbed/testbed";
import { createS3Client } from "../../src/clients/s3Client";
import { installHostClient, sh } from "../support/host";
import { removeBucket, timed } from "../support";
import { EngineContext, fstabFlags } from "./engines";
import { fillDataBucket } from "./fill";
import { measure } from "./measure";
import { report, Run } from "./report";
import { ENGINE_LABELS, sizesAt, sourcesSnippet, workloads } from "./workloads";

const PROGRAM = path.join(__dirname, "..", "programs", "mountData");

/** Takes --runs N and --scale X out of the command line (into BENCH_DATA_RUNS, BENCH_DATA_SCALE). */
export function takeDataFlags(argv: string[]): string[] {
    const rest: string[] = [];
    for (let i = 0; i < argv.length; i++) {
        if (argv[i] === "--runs") process.env.BENCH_DATA_RUNS = argv[++i];
        else if (argv[i] === "--scale") process.env.BENCH_DATA_SCALE = argv[++i];
        else rest.push(argv[i]);
    }
    return rest;
}

function positive(name: string, fallback: number): number {
    const value = Number(process.env[name] ?? fallback);
    if (!(value > 0)) throw new Error(`${name}: ${process.env[name]}: must be a number above 0`);
    return value;
}

const load = () => Number(readFileSync("/proc/loadavg", "utf8").split(" ")[0]);

export async function dataPath(): Promise<string[]> {
    const runs = positive("BENCH_DATA_RUNS", 5);
    const scale = positive("BENCH_DATA_SCALE", 1);
    const sizes = sizesAt(scale);
    const testbed = await testbedUp({ hosts: 1 });
    const [host] = testbed.hosts;
    const stamp = Date.now().toString(36);
    const bucket = `bench-data-${stamp}`;
    const bucketPrefix = `bench-flags-${stamp}`;
    const flagBuckets = ["mount-ro", "mount-rw", "cached-ro", "cached-rw"].map((n) => `${bucketPrefix}-${n}`);
    const s3 = createS3Client({ ...testbed.s3, pathStyle: true });
    const backend = mkdtempSync(path.join(tmpdir(), "skymount-bench-state-"));
    // The program imports skymount as packed into programs/mount (bench/mount.ts's main).
    cpSync(path.join(PROGRAM, "..", "mount", "node_modules"), path.join(PROGRAM, "node_modules"), { recursive: true });
    const stack = await LocalWorkspace.createOrSelectStack(
        { stackName: "data", workDir: PROGRAM },
        { envVars: { PULUMI_BACKEND_URL: `file://${backend}`, PULUMI_CONFIG_PASSPHRASE: "bench" } },
    );
    try {
        for (const b of [bucket, ...flagBuckets]) await s3.send(new CreateBucketCommand({ Bucket: b }));
        const filled = await timed(() => fillDataBucket(s3, bucket, sizes));
        console.log(`data: bucket ${bucket} filled in ${filled.seconds.toFixed(0)} s`);
        await installHostClient(host);
        await sh(host, sourcesSnippet(sizes));
        await stack.setAllConfig({ bucketPrefix: { value: bucketPrefix } });
        await stack.up();
        const ctx: EngineContext = { host, testbed, bucket, flags: await fstabFlags(host, bucketPrefix) };
        const results: Run[] = [];
        const all = workloads(sizes);
        for (const workload of all) {
            for (let run = 1; run <= runs; run++) {
                for (const engine of workload.engines) {
                    const started = load();
                    const m = await measure(ctx, s3, workload, engine, `${workload.id}-${engine}-${run}`.toLowerCase());
                    results.push({ workload: workload.id, engine, run, load: started, ...m });
                    const close = m.closeSeconds === undefined ? "" : `, close ${m.closeSeconds.toFixed(2)} s`;
                    console.log(`data: ${workload.id} run ${run} ${ENGINE_LABELS[engine]}: ${m.seconds.toFixed(2)} s${close}`);
                }
            }
        }
        const rclone = (await sh(host, "command -v rclone && rclone version | head -n 1")).trim().split("\n");
        const geesefs = (await sh(host, "/usr/local/bin/geesefs --version 2>&1 | head -n 1")).trim();
        return report(all, results, [
            `Data path on one host of testbed instance "${instance.name || "default"}", ${runs} runs per cell, sizes at scale ${scale}` +
                ` (data bucket filled in ${filled.seconds.toFixed(0)} s); ${geesefs}; ${rclone.slice(1).join(" ")} at ${rclone[0]}` +
                ` (this machine's Debian package, which the host sees through its overlay root).`,
            `geesefs flags (skymount's fstab entries): MOUNT read-only \`${ctx.flags["mount-ro"].join(",")}\`;` +
                ` MOUNT read-write \`${ctx.flags["mount-rw"].join(",")}\`; MOUNT_CACHED read-write \`${ctx.flags["cached-rw"].join(",")}\`.`,
        ]);
    } finally {
        await stack.destroy().catch((err) => console.error(`destroy: ${err.message}`));
        await stack.workspace.removeStack("data").catch(() => undefined);
        for (const b of [bucket, ...flagBuckets]) await removeBucket(testbed, b);
        s3.destroy();
        rmSync(backend, { recursive: true, force: true });
        if (process.env.BENCH_KEEP_TESTBED !== "1") await testbedDown(() => undefined);
    }
}
