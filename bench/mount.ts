// Mount benchmark on the testbed: SkyVolume's bootstrap (fresh hosts, no-op, one-volume change),
// and read/write throughput through the geesefs mount against direct SDK GET/PUT from the same host
// to the same MinIO: 1 GiB sequential, and 1,000 small files (16 at a time on both sides).
//   npm run bench:mount           (restarts the testbed: fresh hosts)
import { LocalWorkspace } from "@pulumi/pulumi/automation";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { repoRoot, TestbedHost, TestbedInfo } from "../scripts/testbed/info";
import { up as testbedUp } from "../scripts/testbed/testbed";
import { Storage } from "../src";
import { execOverSsh } from "../src/remote/sshExec";
import { makeBigFile, makeSmallFiles, ratio, rclone, removeBucket, timed } from "./support";

const BIG_MIB = Number(process.env.BENCH_BIG_FILE_MIB ?? 1024);
const SMALL_FILES = Number(process.env.BENCH_SMALL_FILES_MOUNT ?? 1000);

async function sh(host: TestbedHost, command: string, stdin?: string): Promise<string> {
    const { readFileSync } = await import("node:fs");
    const result = await execOverSsh(
        { host: host.address, port: host.port, user: host.user, privateKey: readFileSync(host.privateKeyPath, "utf8") },
        command,
        stdin,
    );
    if (result.exitCode !== 0) throw new Error(`${host.name}: ${command}: ${result.stderr}`);
    return result.stdout;
}

/** Seconds a shell snippet takes on the host. */
async function hostSeconds(host: TestbedHost, snippet: string): Promise<number> {
    const ms = await sh(host, `s=$(date +%s%N); ${snippet}; echo $(( ($(date +%s%N) - s) / 1000000 ))`);
    return Number(ms.trim().split("\n").pop()) / 1000;
}

async function sdkSeconds(host: TestbedHost, testbed: TestbedInfo, request: object): Promise<number> {
    const stdin = JSON.stringify({
        endpoint: testbed.s3.endpoint,
        region: testbed.s3.region,
        accessKey: testbed.s3.accessKey,
        secretKey: testbed.s3.secretKey,
        ...request,
    });
    return Number((await sh(host, `cd '${repoRoot}' && node --import tsx bench/hostClient.ts 2>/dev/null`, stdin)).trim());
}

async function main(): Promise<void> {
    const testbed = await testbedUp({ hosts: 2 });
    const [h1] = testbed.hosts;
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
        // Per host: install, one FUSE mount, two bind mounts; plus the stack and the component.
        const resources = testbed.hosts.length * 4 + 2;
        if (JSON.stringify(noop.value.summary.resourceChanges) !== JSON.stringify({ same: resources }))
            throw new Error(`no-op up changed something: ${JSON.stringify(noop.value.summary.resourceChanges)}`);
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
    mkdirSync(path.join(__dirname, "results"), { recursive: true });
    writeFileSync(path.join(__dirname, "results", "mount.md"), rows.join("\n") + "\n");
    console.log(rows.join("\n"));
}

main().catch((err) => {
    console.error(err);
    process.exit(1);
});
