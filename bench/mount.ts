// Mount benchmark on a testbed instance of its own (SKYMOUNT_TESTBED, "bench" unless set; restarted:
// fresh hosts), in sections:
//   throughput  SkyVolume's bootstrap (fresh hosts, no-op, one-volume change) on 2 hosts, and read/write
//               throughput through the geesefs mount against direct SDK GET/PUT from the same host to
//               the same MinIO: 1 GiB sequential, and 1,000 small files (16 at a time on both sides).
//   fleet       bootstrap and no-op `up` on 2, 8, 16, 32 hosts (BENCH_FLEET_HOSTS), with the engine's
//               --parallel from BENCH_PARALLEL (the engine's default when unset).
//   bigdir      a 100,000-object prefix listed and 10,000 of its files read through a MOUNT volume,
//               against rclone lsf / rclone copy run on the same host.
//   data        the data path on one host, N runs per cell: direct SDK calls, SkyVolume MOUNT,
//               MOUNT_CACHED and COPY, rclone mount with SkyPilot's settings (mountData.ts says more).
//   npm run bench:mount [-- throughput|fleet|bigdir|data ...] [--runs N] [--scale X]
//               (every section when none is named; --runs and --scale are the data section's)
import { LocalWorkspace } from "@pulumi/pulumi/automation";
import { CreateBucketCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { instance, TestbedHost } from "../tools/testbed/info";
import { down as testbedDown, up as testbedUp } from "../tools/testbed/testbed";
import { installPackedSkymount } from "../tools/packInstall";
import { Storage } from "../src";
import { EngineProfile, volumeStepKind } from "./engineProfile";
import { cpuBetween, machineCpu, processCpuSeconds } from "./support/cpu";
import { hostSeconds, installHostClient, sdkSeconds, sh } from "./support/host";
import { dataPath, takeDataFlags } from "./mountData/section";
import { bigDir } from "./mountBigDir";
import { assertNoChange, PARALLEL, s3Of, stackOf } from "./support/mountProgram";
import { makeBigFile, makeSmallFiles, ratio, rclone, removeBucket, timed } from "./support";

const BIG_MIB = Number(process.env.BENCH_BIG_FILE_MIB ?? 1024);
const SMALL_FILES = Number(process.env.BENCH_SMALL_FILES_MOUNT ?? 1000);

async function throughput(): Promise<string[]> {
    const testbed = await testbedUp({ hosts: 2 });
    const [h1] = testbed.hosts;
    await installHostClient(h1);
    const bucket = `bench-mount-${Date.now().toString(36)}`;
    const storage = new Storage({
        endpoint: testbed.s3.endpoint,
        region: testbed.s3.region,
        pathStyle: true,
        accessKey: testbed.s3.accessKey,
        secretKey: testbed.s3.secretKey,
    });
    const data = mkdtempSync(path.join(tmpdir(), "skymount-bench-mount-"));
    const backend = mkdtempSync(path.join(tmpdir(), "skymount-bench-state-"));
    rclone(testbed, ["mkdir", `bench:${bucket}`]);
    makeBigFile(path.join(data, "big.bin"), BIG_MIB * 2 ** 20);
    makeSmallFiles(path.join(data, "small"), SMALL_FILES);
    await storage.upload(bucket, data, "data");
    const smallKeys = (await storage.ls(bucket, "data/small/")).slice(0, SMALL_FILES);

    const stack = await LocalWorkspace.createOrSelectStack(
        { stackName: "bench", workDir: path.join(__dirname, "programs", "mount") },
        { envVars: { PULUMI_BACKEND_URL: `file://${backend}`, PULUMI_CONFIG_PASSPHRASE: "bench" } },
    );
    const rows: string[] = [];
    try {
        await stack.setAllConfig({ bucket: { value: bucket }, readPrefix: { value: "data" } });
        const fresh = await timed(() => stack.up());
        const noop = await timed(() => stack.up());
        await stack.setConfig("readPrefix", { value: "data/small" });
        const change = await timed(() => stack.up());
        assertNoChange(noop.value.summary.resourceChanges);
        await stack.setConfig("readPrefix", { value: "data" });
        await stack.up();
        rows.push(
            "| bootstrap | seconds |",
            "|---|---|",
            `| \`pulumi up\` on 2 fresh hosts (install fuse3 + geesefs, 1 mount, 2 volumes) | ${fresh.seconds.toFixed(1)} |`,
            `| no-op \`pulumi up\` | ${noop.seconds.toFixed(1)} |`,
            `| one volume's prefix changed | ${change.seconds.toFixed(1)} |`,
            "",
        );

        // Local inputs for the write tests, made on the host before any clock starts.
        await sh(
            h1,
            `head -c ${BIG_MIB}M /dev/urandom > /var/tmp/w.bin && mkdir -p /var/tmp/small && for i in $(seq 0 $((${SMALL_FILES} - 1))); do head -c 4096 /dev/urandom > /var/tmp/small/f$i.bin; done`,
        );
        const smallFiles = Array.from({ length: SMALL_FILES }, (_, i) => `/var/tmp/small/f${i}.bin`);
        const measures: Array<[string, number, number, number]> = [];
        const mib = (seconds: number, bytes: number) => bytes / 2 ** 20 / seconds;
        const mountRead = await hostSeconds(h1, "cat /bench-ro/big.bin > /dev/null");
        const sdkRead = await sdkSeconds(h1, testbed, { op: "get", bucket, keys: ["data/big.bin"], concurrency: 1 });
        measures.push([`sequential read, ${BIG_MIB} MiB`, mountRead, sdkRead, BIG_MIB * 2 ** 20]);
        const mountSmallRead = await hostSeconds(h1, "find /bench-ro/small -type f -print0 | xargs -0 -P 16 -n 32 cat > /dev/null");
        const sdkSmallRead = await sdkSeconds(h1, testbed, { op: "get", bucket, keys: smallKeys, concurrency: 16 });
        measures.push([`read ${SMALL_FILES} small files (1-8 KiB)`, mountSmallRead, sdkSmallRead, 0]);
        const mountWrite = await hostSeconds(h1, "cp /var/tmp/w.bin /bench-rw/w.bin");
        const sdkWrite = await sdkSeconds(h1, testbed, {
            op: "put",
            bucket,
            keys: ["sdk/w.bin"],
            files: ["/var/tmp/w.bin"],
            concurrency: 1,
        });
        measures.push([`sequential write, ${BIG_MIB} MiB (close waits for the upload)`, mountWrite, sdkWrite, BIG_MIB * 2 ** 20]);
        const mountSmallWrite = await hostSeconds(
            h1,
            "mkdir -p /bench-rw/small && cd /var/tmp/small && ls | xargs -P 16 -n 32 cp -t /bench-rw/small",
        );
        const sdkSmallWrite = await sdkSeconds(h1, testbed, {
            op: "put",
            bucket,
            keys: smallFiles.map((_, i) => `sdk/small/f${i}.bin`),
            files: smallFiles,
            concurrency: 16,
        });
        measures.push([`write ${SMALL_FILES} small files (4 KiB)`, mountSmallWrite, sdkSmallWrite, 0]);
        rows.push(
            "| throughput on a host | through the mount (s) | direct SDK (s) | mount speed / SDK speed |",
            "|---|---|---|---|",
            ...measures.map(
                ([what, m, s, bytes]) =>
                    `| ${what} | ${m.toFixed(2)}${bytes ? ` (${mib(m, bytes).toFixed(0)} MiB/s)` : ""} | ${s.toFixed(2)}${bytes ? ` (${mib(s, bytes).toFixed(0)} MiB/s)` : ""} | ${ratio(s, m)} |`,
            ),
        );
    } finally {
        await stack.destroy().catch((err) => console.error(`destroy: ${err.message}`));
        await stack.workspace.removeStack("bench").catch(() => undefined);
        await removeBucket(testbed, bucket);
        storage.close();
        rmSync(data, { recursive: true, force: true });
        rmSync(backend, { recursive: true, force: true });
    }
    return rows;
}

const FLEET_HOSTS = (process.env.BENCH_FLEET_HOSTS ?? "2,8,16,32").split(",").map(Number);

/** MiB a host holds: its processes' resident memory (sshd, geesefs, the supervisor) and its tmpfs files
 *  (the overlay root's upper layer: fuse3, the geesefs binary; /tmp; /run). */
async function hostMemoryMib(host: TestbedHost): Promise<number> {
    let rssKib = 0;
    const pids = execFileSync("ip", ["netns", "pids", host.netns], { encoding: "utf8" }).split("\n").filter(Boolean);
    for (const pid of pids) {
        const status = (() => {
            try {
                return readFileSync(`/proc/${pid}/status`, "utf8");
            } catch {
                return "";
            }
        })();
        rssKib += Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0);
    }
    const tmpfsKib = (await sh(host, "df -k --output=used / /tmp /run | tail -n +2"))
        .split("\n")
        .reduce((sum, line) => sum + Number(line.trim() || 0), 0);
    return (rssKib + tmpfsKib) / 1024;
}

/** Bootstrap and no-op `up` of the mount program on fresh fleets of growing size. */
async function fleet(): Promise<string[]> {
    const rows = [
        `| hosts | bootstrap \`up\` (s) | per host (s) | no-op \`up\` (s) | memory per mounted host (MiB) | state (KiB) | engine --parallel | CPU busy during bootstrap | CPU s: pulumi (engine, program, providers) / hosts |`,
        "|---|---|---|---|---|---|---|---|---|",
    ];
    const profiles: string[] = [];
    for (const hosts of FLEET_HOSTS) {
        const testbed = await testbedUp({ hosts });
        const bucket = `bench-fleet-${Date.now().toString(36)}`;
        const s3 = s3Of(testbed);
        await s3.send(new CreateBucketCommand({ Bucket: bucket }));
        await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "data/hello.txt", Body: "hello\n" }));
        s3.destroy();
        const backend = mkdtempSync(path.join(tmpdir(), "skymount-bench-state-"));
        const stack = await stackOf(`fleet-${hosts}`, backend);
        try {
            await stack.setAllConfig({ bucket: { value: bucket }, readPrefix: { value: "data" } });
            const profile = new EngineProfile();
            // CPU: the machine's, ours with the pulumi processes we reaped, and each host's processes
            // (a host's sshd reaps its sessions' commands).
            const hostCpu = () =>
                testbed.hosts
                    .flatMap((h) => execFileSync("ip", ["netns", "pids", h.netns], { encoding: "utf8" }).split("\n").filter(Boolean))
                    .reduce((sum, pid) => sum + processCpuSeconds(Number(pid)), 0);
            const [machineBefore, localBefore, hostsBefore] = [machineCpu(), processCpuSeconds("self"), hostCpu()];
            const fresh = await timed(() => stack.up({ parallel: PARALLEL, onEvent: profile.onEvent }));
            const cpu = cpuBetween(machineBefore, machineCpu());
            const localCpu = processCpuSeconds("self") - localBefore;
            const hostsCpu = hostCpu() - hostsBefore;
            const memory = (await Promise.all(testbed.hosts.map(hostMemoryMib))).reduce((a, b) => a + b, 0) / hosts;
            const stateKib = JSON.stringify((await stack.exportStack()).deployment).length / 1024;
            const noopProfile = new EngineProfile();
            const noop = await timed(() => stack.up({ parallel: PARALLEL, onEvent: noopProfile.onEvent }));
            assertNoChange(noop.value.summary.resourceChanges);
            rows.push(
                `| ${hosts} | ${fresh.seconds.toFixed(1)} | ${(fresh.seconds / hosts).toFixed(2)} | ${noop.seconds.toFixed(1)} | ${memory.toFixed(0)} | ${stateKib.toFixed(0)} | ${PARALLEL ?? "default"} | ${(cpu.busyShare * 100).toFixed(0)}% of ${cpu.cores} cores (${cpu.busySeconds.toFixed(0)} s) | ${localCpu.toFixed(0)} / ${hostsCpu.toFixed(0)} |`,
            );
            profiles.push(
                `${hosts} hosts, bootstrap: ${profile.phases(fresh.seconds)}; ${profile.summary(volumeStepKind).join("; ")}`,
                `${hosts} hosts, no-op: ${noopProfile.phases(noop.seconds)}`,
            );
            console.log(rows[rows.length - 1]);
            console.log(profiles.slice(-2).join("\n"));
        } finally {
            // The hosts go with the testbed: no destroy needed, only the stack's record.
            await stack.workspace.removeStack(`fleet-${hosts}`, { force: true }).catch(() => undefined);
            rmSync(backend, { recursive: true, force: true });
        }
    }
    await testbedDown(() => undefined);
    return [...rows, "", ...profiles.map((p) => `- ${p}`)];
}

const SECTIONS: Record<string, () => Promise<string[]>> = { throughput, fleet, bigdir: bigDir, data: dataPath };

async function main(): Promise<void> {
    const asked = takeDataFlags(process.argv.slice(2));
    const names = asked.length ? asked : Object.keys(SECTIONS);
    for (const name of names) if (!SECTIONS[name]) throw new Error(`unknown section ${name}: one of ${Object.keys(SECTIONS).join(", ")}`);
    console.log(`bench:mount on testbed instance "${instance.name || "default"}" (${instance.dir})`);
    mkdirSync(path.join(__dirname, "results"), { recursive: true });
    // The program imports skymount as npm users get it (programs/mount/index.ts says why).
    installPackedSkymount(path.join(__dirname, "programs", "mount"));
    for (const name of names) {
        const rows = await SECTIONS[name]();
        writeFileSync(path.join(__dirname, "results", name === "throughput" ? "mount.md" : `mount-${name}.md`), rows.join("\n") + "\n");
        console.log(rows.join("\n"));
    }
}

main().catch((err) => {
    console.error(err);
    process.exit(1);
});
