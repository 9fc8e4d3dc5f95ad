// Storage: a small client for any S3-compatible endpoint, usable outside Pulumi too (upload a
// dataset before `pulumi up`, fetch results after), like Skyward's Storage.
import type { S3Client } from "@aws-sdk/client-s3";
import { s3Sdk } from "../clients/s3Sdk";
import { createWriteStream, mkdirSync, readdirSync, statSync } from "node:fs";
import * as path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createS3Client } from "../clients/s3Client";
import { runPool } from "../sync/pool/pool";
import { uploadFile } from "../sync/protocols/s3Transfer";

export interface StorageOptions {
    /** The S3 API endpoint with scheme; omit for AWS S3. */
    endpoint?: string;
    /** Defaults to "us-east-1". */
    region?: string;
    /** Path-style addressing. Defaults to false. */
    pathStyle?: boolean;
    accessKey?: string;
    secretKey?: string;
    /** Files transferred at once by directory uploads. Defaults to 16. */
    concurrency?: number;
}

export class Storage {
    private readonly s3: S3Client;
    private readonly concurrency: number;

    constructor(options: StorageOptions) {
        this.s3 = createS3Client({
            endpoint: options.endpoint,
            region: options.region ?? "us-east-1",
            pathStyle: options.pathStyle ?? false,
            accessKey: options.accessKey,
            secretKey: options.secretKey,
        });
        this.concurrency = options.concurrency ?? 16;
    }

    /** Uploads a file (to `key`, default its basename) or a directory (under `key/`, default the bucket root). */
    async upload(bucket: string, localPath: string, key?: string): Promise<string[]> {
        const stat = statSync(localPath);
        if (!stat.isDirectory()) {
            const target = key ?? path.basename(localPath);
            await uploadFile(this.s3, bucket, target, localPath, stat.size);
            return [target];
        }
        const base = key ? `${key.replace(/\/+$/, "")}/` : "";
        const files: Array<{ key: string; file: string; size: number }> = [];
        for (const entry of readdirSync(localPath, { recursive: true, withFileTypes: true })) {
            if (!entry.isFile()) continue;
            const file = path.join(entry.parentPath, entry.name);
            files.push({ key: base + path.relative(localPath, file).split(path.sep).join("/"), file, size: statSync(file).size });
        }
        await runPool(
            files.map((f) => ({ label: f.key, run: () => uploadFile(this.s3, bucket, f.key, f.file, f.size) })),
            this.concurrency,
        );
        return files.map((f) => f.key).sort();
    }

    async download(bucket: string, key: string, localPath: string): Promise<void> {
        const object = await this.s3.send(new (s3Sdk().GetObjectCommand)({ Bucket: bucket, Key: key }));
        mkdirSync(path.dirname(localPath), { recursive: true });
        await pipeline(object.Body as Readable, createWriteStream(localPath));
    }

    /** Keys under `prefix`, in order. */
    async ls(bucket: string, prefix = ""): Promise<string[]> {
        const keys: string[] = [];
        for (let token: string | undefined; ;) {
            const page = await this.s3.send(
                new (s3Sdk().ListObjectsV2Command)({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
            );
            keys.push(...(page.Contents ?? []).map((o) => o.Key!));
            if (!page.IsTruncated) return keys.sort();
            token = page.NextContinuationToken;
        }
    }

    async exists(bucket: string, key: string): Promise<boolean> {
        try {
            await this.s3.send(new (s3Sdk().HeadObjectCommand)({ Bucket: bucket, Key: key }));
            return true;
        } catch (err) {
            if ((err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return false;
            throw err;
        }
    }

    async rm(bucket: string, key: string): Promise<void> {
        await this.s3.send(new (s3Sdk().DeleteObjectCommand)({ Bucket: bucket, Key: key }));
    }

    close(): void {
        this.s3.destroy();
    }
}
