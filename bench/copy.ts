// Server-side copy at scale through `pulumi up`, as a user runs it: a prefix of BENCH_COPY_OBJECTS
// objects (default 100,000) of another bucket copied by SkyStorage (`sources: ["s3://<source>/set/"]`,
// one BucketCopy), then a no-op `up`, a refresh, one source object changed and `up` again, and
// destroy. Each step's peak memory is sampled as bench:scale samples it (every Node process below
// this one, bench/support/processRss.ts): the dynamic provider is the process that copies, the
// program the one that lists the source and records the listing. With --rclone, `rclone copy` of the
// same prefix on the same server in the same run (rclone also copies server-side within one remote).
//   npm run bench:copy -- [--rclone]            (the testbed must be up)
// The source bucket (bench-copy-source-<N>) is filled once and kept for the next run: 100,000 PUTs
// take minutes. `testbed down` removes it with the rest of MinIO's data.
import { CreateBucketCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { LocalWorkspace } from "@pulumi/pulumi/automation";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { installPackedSkymount } from "../tools/packInstall";
import { loadTestbedInfo, TestbedInfo } from "../tools/testbed/info";
import { rclone, ratio, removeBucket, timed } from "./support";
import { describePeak, RssPeak, withRssPeak } from "./support/processRss";

const OBJECTS = Number(process.env.BENCH_COPY_OBJECTS ?? 100_000);
const PUTS_IN_FLIGHT = 64;
const MiB = 2 ** 20;
const keyOf = (i: number) => `set/d${i % 100}/o${i}.bin`;

function s3Of(testbed: TestbedInfo): S3Client {
    return new S3Client({
        endpoint: testbed.s3.endpoint,
        region: testbed.s3.region,
        forcePathStyle: true,
        credentials: { accessKeyId: testbed.s3.accessKey, secretAccessKey: testbed.s3.secretKey },
    });
}

/** The keys under `prefix`, page by page. */
async function listKeys(s3: S3Client, bucket: string, prefix: string): Promise<Set<string>> {
    const keys = new Set<string>();
    let token: string | undefined;
    do {
        const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
        for (const o of page.Contents ?? []) keys.add(o.Key!);
        token = page.NextContinuationToken;
    } while (token);
    return keys;
}

/** Puts whichever of the OBJECTS source objects are missing (all of them on a fresh testbed). */
async function fillSource(s3: S3Client, bucket: string): Promise<number> {
    await s3.send(new CreateBucketCommand({ Bucket: bucket })).catch((err: Error) => {
        if (err.name !== "BucketAlreadyOwnedByYou") throw err;
    });
    const present = await listKeys(s3, bucket, "set/");
    let next = 0;
    let put = 0;
    const worker = async () => {
        while (next < OBJECTS) {
            const i = next++;
            if (present.has(keyOf(i))) continue;
            await s3.send(new PutObjectCommand({ Bucket: bucket, Key: keyOf(i), Body: `object ${i}\n` }));
            put++;
        }
    };
    await Promise.all(Array.from({ length: PUTS_IN_FLIGHT }, worker));
    return put;
}

function assertChanges(what: string, changes: Record<string, number> | undefined, expected: Record<string, number>): void {
    const got = Object.fromEntries(Object.entries(changes ?? {}).filter(([op]) => op !== "same"));
    if (JSON.stringify(got) !== JSON.stringify(expected))
        throw new Error(`${what}: expected ${JSON.stringify(expected)} besides "same", got ${JSON.stringify(changes)}`);
}

interface Step {
    what: string;
    seconds: number;
    peak: RssPeak;
}

const mib = (bytes: number | undefined) => (bytes === undefined ? "—" : (bytes / MiB).toFixed(0));

function table(steps: Step[]): string {
    return [
        "| step | time (s) | peak RSS, all Node processes (MiB) | dynamic provider, its peak (MiB) | program, its peak (MiB) |",
        "|---|---|---|---|---|",
        ...steps.map(
            (s) =>
                `| ${s.what} | ${s.seconds.toFixed(1)} | ${mib(s.peak.totalBytes)} | ${mib(s.peak.largestByRole["dynamic provider"])} | ${mib(s.peak.largestByRole["program"])} |`,
        ),
    ].join("\n");
}

async function main(): Promise<void> {
    const testbed = loadTestbedInfo();
    const suffix = Date.now().toString(36);
    const source = `bench-copy-source-${OBJECTS}`;
    const destination = `bench-copy-dst-${suffix}`;
    const rcloneDestination = `bench-copy-rclone-${suffix}`;
    const s3 = s3Of(testbed);
    const filled = await timed(() => fillSource(s3, source));
    console.log(`source ${source}: ${filled.value} of ${OBJECTS} objects put in ${filled.seconds.toFixed(1)} s`);
    const programDir = path.join(__dirname, "programs", "copy");
    installPackedSkymount(programDir);
    const backend = mkdtempSync(path.join(tmpdir(), "skymount-bench-copy-"));
    const stack = await LocalWorkspace.createOrSelectStack(
        { stackName: "copy", workDir: programDir },
        { envVars: { PULUMI_BACKEND_URL: `file://${backend}`, PULUMI_CONFIG_PASSPHRASE: "bench" } },
    );
    await stack.setAllConfig({ bucket: { value: destination }, source: { value: `s3://${source}/set/` } });
    const steps: Step[] = [];
    const step = async <T>(what: string, run: () => Promise<T>): Promise<T> => {
        const measured = await withRssPeak(() => timed(run));
        steps.push({ what, seconds: measured.value.seconds, peak: measured.peak });
        console.log(
            `${what}: ${measured.value.seconds.toFixed(1)} s, peak RSS ${mib(measured.peak.totalBytes)} MiB (${describePeak(measured.peak)})`,
        );
        return measured.value.value;
    };
    const rows: string[] = [];
    try {
        const created = await step(`copy ${OBJECTS} objects (\`up\`)`, () => stack.up());
        const made = created.summary.resourceChanges ?? {};
        assertChanges("copy", made, { create: made.create ?? 0 });
        const copied = (await listKeys(s3, destination, "set/")).size;
        if (copied !== OBJECTS) throw new Error(`the destination holds ${copied} objects under set/, not ${OBJECTS}`);
        const noop = await step("no-op `up`", () => stack.up());
        assertChanges("no-op up", noop.summary.resourceChanges, {});
        const refreshed = await step("refresh", () => stack.refresh());
        assertChanges("refresh", refreshed.summary.resourceChanges, {});
        await s3.send(new PutObjectCommand({ Bucket: source, Key: keyOf(7), Body: `object 7, changed ${suffix}\n` }));
        const updated = await step(`1 of ${OBJECTS} changed (\`up\`)`, () => stack.up());
        assertChanges("update", updated.summary.resourceChanges, { update: 1 });
        await s3.send(new PutObjectCommand({ Bucket: source, Key: keyOf(7), Body: `object 7\n` }));
        await step("destroy", () => stack.destroy());
        rows.push(table(steps));
        if (process.argv.includes("--rclone")) {
            rclone(testbed, ["mkdir", `bench:${rcloneDestination}`]);
            const args = ["copy", `bench:${source}/set`, `bench:${rcloneDestination}/set`, "--transfers", "16", "--checkers", "16"];
            const rcloneCopy = await timed(() => rclone(testbed, args));
            const create = steps[0].seconds;
            rows.push(
                "",
                `rclone copy --transfers 16 of the same ${OBJECTS} objects: ${rcloneCopy.seconds.toFixed(1)} s (skymount's \`up\` / rclone: ${ratio(create, rcloneCopy.seconds)}).`,
            );
        }
    } finally {
        if (rows.length === 0) await stack.destroy().catch((err) => console.error(`destroy: ${(err as Error).message}`));
        await stack.workspace.removeStack("copy", { force: true }).catch(() => undefined);
        s3.destroy();
        if (process.argv.includes("--rclone")) await removeBucket(testbed, rcloneDestination);
        rmSync(backend, { recursive: true, force: true });
    }
    mkdirSync(path.join(__dirname, "results"), { recursive: true });
    writeFileSync(path.join(__dirname, "results", "copy.md"), rows.join("\n") + "\n");
    console.log(rows.join("\n"));
}

main().catch((err) => {
    console.error(err);
    process.exit(1);
});
