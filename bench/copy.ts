// Server-side copy at scale through `pulumi up`, as a user runs it: a prefix of BENCH_COPY_OBJECTS
// objects (default 100,000) of another bucket copied by SkyStorage (`sources: ["s3://<source>/set/"]`,
// one BucketCopy), then a no-op `up`, a refresh, one source object changed and `up` again, and
// destroy. Each step's peak memory is sampled as bench:scale samples it (every Node process below
// this one, bench/support/processRss.ts): the dynamic provider is the process that copies, the
// program the one that lists the source and records the listing. With --rclone, `rclone copy` of the
// same prefix on the same server in the same run (rclone also copies server-side within one remote).
//   npm run bench:copy -- [--rclone]            (the testbed must be up)
// The source bucket (bench-copy-source-<N>) is filled once and kept for the next run. `testbed down` removes it with the rest of MinIO's data.
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
const TAR_OBJECTS = 10_000;
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

/** A ustar header for a regular file (POSIX.1-1988; names here stay under 100 bytes). */
function tarHeader(name: string, size: number): Buffer {
    const header = Buffer.alloc(512);
    const octal = (value: number, width: number) => value.toString(8).padStart(width - 1, "0") + "\0";
    header.write(name, 0, 100, "utf8");
    header.write(octal(0o644, 8), 100);
    header.write(octal(0, 8), 108);
    header.write(octal(0, 8), 116);
    header.write(octal(size, 12), 124);
    header.write(octal(Math.floor(Date.now() / 1000), 12), 136);
    header.write("        ", 148); // the checksum counts its own field as spaces
    header.write("0", 156);
    header.write("ustar\0", 257);
    header.write("00", 263);
    const sum = header.reduce((total, byte) => total + byte, 0);
    header.write(octal(sum, 7) + " ", 148);
    return header;
}

/**
 * Puts whichever of the OBJECTS source objects are missing (all of them on a fresh testbed). One PUT
 * per object ran at 28 objects/s under load 30 (an hour for 100,000), so they go as tar archives of
 * TAR_OBJECTS that MinIO unpacks into objects on arrival (`snowball-auto-extract`): each object is
 * stored as if put alone, with its MD5 ETag.
 */
async function fillSource(s3: S3Client, bucket: string): Promise<number> {
    await s3.send(new CreateBucketCommand({ Bucket: bucket })).catch((err: Error) => {
        if (err.name !== "BucketAlreadyOwnedByYou") throw err;
    });
    const present = await listKeys(s3, bucket, "set/");
    const missing = Array.from({ length: OBJECTS }, (_, i) => i).filter((i) => !present.has(keyOf(i)));
    for (let at = 0; at < missing.length; at += TAR_OBJECTS) {
        const parts: Buffer[] = [];
        for (const i of missing.slice(at, at + TAR_OBJECTS)) {
            const body = Buffer.from(`object ${i}\n`);
            parts.push(tarHeader(keyOf(i), body.length), body, Buffer.alloc((512 - (body.length % 512)) % 512));
        }
        parts.push(Buffer.alloc(1024)); // two zero blocks end the archive
        const Body = Buffer.concat(parts);
        await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "fill.tar", Body, Metadata: { "snowball-auto-extract": "true" } }));
    }
    const now = (await listKeys(s3, bucket, "set/")).size;
    if (now !== OBJECTS) throw new Error(`${bucket} holds ${now} objects under set/ after the fill, not ${OBJECTS}`);
    return missing.length;
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
