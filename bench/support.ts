// Shared by the benchmarks: data sets, timing, the rclone baseline and the report.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { closeSync, mkdirSync, openSync, writeSync } from "node:fs";
import * as path from "node:path";
import { DeleteBucketCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import { TestbedInfo } from "../tools/testbed/info";
import { createS3Client } from "../src/clients/s3Client";
import { deleteKeys } from "../src/sync/protocols/s3Transfer";

export async function timed<T>(fn: () => Promise<T> | T): Promise<{ seconds: number; value: T }> {
    const started = process.hrtime.bigint();
    const value = await fn();
    return { seconds: Number(process.hrtime.bigint() - started) / 1e9, value };
}

/** The middle of an odd number of measurements. */
export function median(values: number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)];
}

/** `count` files of 1–8 KiB in 100 directories. */
export function makeSmallFiles(dir: string, count: number): void {
    for (let i = 0; i < count; i++) {
        const sub = path.join(dir, `d${String(i % 100).padStart(2, "0")}`);
        if (i < 100) mkdirSync(sub, { recursive: true });
        const fd = openSync(path.join(sub, `f${i}.bin`), "w");
        writeSync(fd, randomBytes(1024 * (1 + (i % 8))));
        closeSync(fd);
    }
}

/** One file of `bytes` random bytes. */
export function makeBigFile(file: string, bytes: number): void {
    mkdirSync(path.dirname(file), { recursive: true });
    const fd = openSync(file, "w");
    const chunk = 8 * 1024 * 1024;
    for (let written = 0; written < bytes; written += chunk) writeSync(fd, randomBytes(Math.min(chunk, bytes - written)));
    closeSync(fd);
}

/** The remote "bench:" for rclone: the testbed's MinIO, configured through the environment (no config file). */
export function rcloneEnv(testbed: TestbedInfo): Record<string, string> {
    return {
        RCLONE_CONFIG: "/dev/null",
        RCLONE_CONFIG_BENCH_TYPE: "s3",
        RCLONE_CONFIG_BENCH_PROVIDER: "Minio",
        RCLONE_CONFIG_BENCH_ENDPOINT: testbed.s3.endpoint,
        RCLONE_CONFIG_BENCH_REGION: testbed.s3.region,
        RCLONE_CONFIG_BENCH_ACCESS_KEY_ID: testbed.s3.accessKey,
        RCLONE_CONFIG_BENCH_SECRET_ACCESS_KEY: testbed.s3.secretKey,
        RCLONE_CONFIG_BENCH_FORCE_PATH_STYLE: "true",
    };
}

/** rclone (Debian's) against the testbed's MinIO; configuration through the environment. */
export function rclone(testbed: TestbedInfo, args: string[]): void {
    const env: NodeJS.ProcessEnv = { ...process.env, ...rcloneEnv(testbed) };
    // rclone 1.60's AWS SDK cannot use this sandbox's AWS_CA_BUNDLE; and no config file is needed.
    delete env.AWS_CA_BUNDLE;
    execFileSync("rclone", args, { env, stdio: ["ignore", "ignore", "inherit"] });
}

export function ratio(a: number, b: number): string {
    return (a / b).toFixed(2);
}

/** Deletes every object (directory markers too) and the bucket; reports instead of throwing. */
export async function removeBucket(testbed: TestbedInfo, bucket: string): Promise<void> {
    const s3 = createS3Client({
        endpoint: testbed.s3.endpoint,
        region: testbed.s3.region,
        pathStyle: true,
        accessKey: testbed.s3.accessKey,
        secretKey: testbed.s3.secretKey,
    });
    try {
        for (;;) {
            const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
            const keys = (page.Contents ?? []).map((o) => o.Key!);
            if (keys.length === 0) break;
            await deleteKeys(s3, bucket, keys);
        }
        await s3.send(new DeleteBucketCommand({ Bucket: bucket }));
    } catch (err) {
        console.error(`cleanup of ${bucket}: ${(err as Error).message}`);
    } finally {
        s3.destroy();
    }
}
