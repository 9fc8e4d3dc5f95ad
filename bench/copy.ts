// Server-side copy at scale: a prefix of BENCH_COPY_OBJECTS objects (default 100,000) copied by
// BucketCopy's provider logic, run in this process so its time and peak RSS are the copy's own (the
// program's listing and record, then create: the destination listed page by page, copies through the
// bounded pool, the record put in the bucket). rclone copy of the same prefix on the same server in
// the same run for comparison (rclone also copies server-side within one S3 remote).
//   npm run bench:copy            (the testbed must be up)
import { CreateBucketCommand } from "@aws-sdk/client-s3";
import { mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { loadTestbedInfo } from "../tools/testbed/info";
import { createS3Client } from "../src/clients/s3Client";
import { s3Sdk } from "../src/clients/s3Sdk";
import { bucketCopyProvider } from "../src/sync/resources/bucketCopy";
import { recordLocally } from "../src/sync/records/manifestRecord";
import { listPrefix } from "../src/sync/protocols/serverCopy";
import { runPool } from "../src/sync/pool/pool";
import { rclone, ratio, removeBucket, timed } from "./support";

const OBJECTS = Number(process.env.BENCH_COPY_OBJECTS ?? 100_000);

async function main(): Promise<void> {
    const testbed = loadTestbedInfo();
    const suffix = Date.now().toString(36);
    const source = `bench-copy-src-${suffix}`;
    const destination = `bench-copy-dst-${suffix}`;
    const rcloneDestination = `bench-copy-rclone-${suffix}`;
    const credentials = { accessKey: testbed.s3.accessKey, secretKey: testbed.s3.secretKey };
    const target = { kind: "s3" as const, endpoint: testbed.s3.endpoint, region: testbed.s3.region, pathStyle: true };
    const s3 = createS3Client({ ...target, ...credentials });
    const rows: string[] = [];
    try {
        for (const bucket of [source, destination, rcloneDestination]) await s3.send(new CreateBucketCommand({ Bucket: bucket }));
        const filled = await timed(() =>
            runPool(
                // Made as the pool pulls them: the fill must not count in the copy's peak memory.
                (function* () {
                    for (let i = 0; i < OBJECTS; i++) {
                        yield {
                            label: String(i),
                            run: async () =>
                                void (await s3.send(
                                    new (s3Sdk().PutObjectCommand)({
                                        Bucket: source,
                                        Key: `set/d${i % 100}/o${i}.bin`,
                                        Body: `object ${i}\n`,
                                    }),
                                )),
                        };
                    }
                })(),
                64,
            ),
        );
        console.log(`source filled: ${OBJECTS} objects in ${filled.seconds.toFixed(1)} s`);
        const rssBefore = process.memoryUsage().rss;
        // What the program does (listSource): list, record locally by digest.
        const listed = await timed(async () => {
            return recordLocally(await listPrefix(s3, source, "set/"));
        });
        const inputs = {
            target,
            credentials,
            sourceBucket: source,
            sourcePrefix: "set/",
            bucket: destination,
            keyPrefix: "set/",
            manifestDigest: listed.value.digest,
            fileCount: listed.value.files,
            totalBytes: listed.value.bytes,
            deleteOnDestroy: true,
        };
        const copied = await timed(() => bucketCopyProvider.create(inputs));
        const peakRss = process.resourceUsage().maxRSS * 1024;
        const noop = await timed(() => bucketCopyProvider.update!("id", { ...inputs, summary: "" }, inputs));
        const rcloneCopy = await timed(() =>
            rclone(testbed, ["copy", `bench:${source}/set`, `bench:${rcloneDestination}/set`, "--transfers", "16", "--checkers", "16"]),
        );
        const count = Object.keys(await listPrefix(s3, destination, "set/")).length;
        if (count !== OBJECTS) throw new Error(`the destination holds ${count} objects, not ${OBJECTS}`);
        rows.push(
            `| measure | skymount | rclone copy --transfers 16 | skymount / rclone |`,
            `|---|---|---|---|`,
            `| list ${OBJECTS} objects and record the listing (program) | ${listed.seconds.toFixed(1)} s | — | — |`,
            `| copy ${OBJECTS} objects server-side (provider create) | ${copied.seconds.toFixed(1)} s | ${rcloneCopy.seconds.toFixed(1)} s | ${ratio(copied.seconds, rcloneCopy.seconds)} |`,
            `| no-op update (records equal: nothing listed) | ${noop.seconds.toFixed(2)} s | — | — |`,
            `| peak RSS of the process (listing + copy) | ${(peakRss / 2 ** 20).toFixed(0)} MiB (${((peakRss - rssBefore) / 2 ** 20).toFixed(0)} MiB over the start) | — | — |`,
        );
        // Said before the clean-up, which deletes three buckets of OBJECTS objects.
        console.log(rows.join("\n"));
    } finally {
        s3.destroy();
        for (const bucket of [source, destination, rcloneDestination]) await removeBucket(testbed, bucket);
    }
    mkdirSync(path.join(__dirname, "results"), { recursive: true });
    writeFileSync(path.join(__dirname, "results", "copy.md"), rows.join("\n") + "\n");
    console.log(rows.join("\n"));
}

main().catch((err) => {
    console.error(err);
    process.exit(1);
});
