// Faults on the storage side, on the testbed: the S3 server goes away in the middle of a sync. The
// server is the testbed's MinIO behind a proxy that only this stack uses, so stopping the proxy
// takes the server away from this stack alone. Every object is compared with the local tree after
// the rerun: nothing is lost, and only what the interrupted run had not uploaded is sent again.
import { DeleteBucketCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import type { Stack } from "@pulumi/pulumi/automation";
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { Storage } from "../../src";
import { startStoppableProxy, StoppableProxy } from "./support/stoppableProxy";
import { requireTestbed, s3ClientFor, stackFor, uniqueName } from "./support/testbed";

const FILES = 200;
const FILE_BYTES = 48 * 1024;
const TREE_BYTES = FILES * FILE_BYTES;

describe("the S3 server stopped mid-sync", () => {
    const testbed = requireTestbed();
    const s3 = s3ClientFor(testbed);
    const client = new Storage({ ...testbed.s3, pathStyle: true });
    const bucket = uniqueName("fault-s3-stop");
    const tree = mkdtempSync(path.join(tmpdir(), "skymount-fault-"));
    let proxy: StoppableProxy;
    let stack: Stack;
    let backendDir: string;
    /** Objects in the bucket when the interrupted up had failed: key → last modified. */
    let uploadedBefore: Map<string, number>;

    const objects = async () => {
        const all = new Map<string, { etag: string; modified: number }>();
        let token: string | undefined;
        do {
            const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
            for (const o of page.Contents ?? []) all.set(o.Key!, { etag: o.ETag!.replace(/"/g, ""), modified: o.LastModified!.getTime() });
            token = page.NextContinuationToken;
        } while (token);
        return all;
    };

    before(async () => {
        for (let i = 0; i < FILES; i++) {
            mkdirSync(path.join(tree, `p${i % 10}`), { recursive: true });
            writeFileSync(path.join(tree, `p${i % 10}`, `${i}.bin`), randomBytes(FILE_BYTES));
        }
        proxy = await startStoppableProxy(testbed.s3.endpoint);
        const s3Compatible = {
            endpoint: proxy.endpoint,
            region: testbed.s3.region,
            accessKey: testbed.s3.accessKey,
            secretKey: testbed.s3.secretKey,
        };
        ({ stack, backendDir } = await stackFor("storage", { args: JSON.stringify({ name: bucket, source: tree, s3Compatible }) }));
    });

    after(async () => {
        await proxy?.start().catch(() => undefined);
        await stack?.destroy().catch(() => undefined);
        for (const key of await client.ls(bucket).catch(() => [])) await client.rm(bucket, key);
        await s3.send(new DeleteBucketCommand({ Bucket: bucket })).catch(() => undefined);
        await proxy?.close();
        client.close();
        rmSync(tree, { recursive: true, force: true });
        if (backendDir) rmSync(backendDir, { recursive: true, force: true });
    });

    it("fails within 60 s with an error that names the endpoint", async () => {
        const stoppedAt = proxy.stopAfterUploads(0.9 * FILES);
        let failedAt = 0;
        await assert.rejects(
            stack.up().finally(() => (failedAt = Date.now())),
            (err: Error) => {
                const endpoint = proxy.endpoint.replace(/[.]/g, "\\.");
                assert.match(
                    err.message,
                    new RegExp(`sync of ${tree}/? to ${bucket}/ at ${endpoint}: .*(ECONNREFUSED|ECONNRESET|socket hang up)`),
                );
                return true;
            },
        );
        const detectSeconds = (failedAt - (await stoppedAt)) / 1000;
        console.log(`# S3 server stopped: up failed ${detectSeconds.toFixed(1)} s after the server went away`);
        assert.ok(detectSeconds < 60, `up failed ${detectSeconds} s after the server went away`);
        uploadedBefore = new Map([...(await objects())].map(([key, o]) => [key, o.modified]));
        assert.ok(
            uploadedBefore.size >= 0.9 * FILES && uploadedBefore.size < FILES,
            `${uploadedBefore.size} of ${FILES} uploaded before the cut`,
        );
    });

    it("the rerun, with the server back, uploads only what is missing and converges: nothing lost", async () => {
        await proxy.start();
        proxy.reset();
        // Last-modified times have a resolution of a second: a re-upload must show.
        await new Promise((r) => setTimeout(r, 1100));
        const started = Date.now();
        const up = await stack.up();
        console.log(`# S3 server back: the rerun converged in ${((Date.now() - started) / 1000).toFixed(1)} s`);
        assert.equal(up.summary.result, "succeeded");
        // The summary says what the run found already there.
        assert.match(
            up.outputs.syncSummaries.value[0],
            new RegExp(`^${FILES} added \\(.*\\); 0 changed; 0 removed; ${uploadedBefore.size} already in the bucket$`),
        );
        const stored = await objects();
        for (let i = 0; i < FILES; i++) {
            const key = `p${i % 10}/${i}.bin`;
            const local = createHash("md5")
                .update(readFileSync(path.join(tree, key)))
                .digest("hex");
            assert.equal(stored.get(key)?.etag, local, `${key} holds the local file`);
        }
        const resent = [...stored].filter(([key, o]) => uploadedBefore.get(key) !== o.modified).map(([key]) => key);
        assert.equal(resent.length, FILES - uploadedBefore.size, "exactly the objects missing after the cut went up");
        const sent = proxy.sent();
        console.log(
            `# resume: ${resent.length} files re-sent, ${sent} bytes through the proxy (${((100 * sent) / TREE_BYTES).toFixed(1)}% of the tree)`,
        );
        assert.ok(sent <= 0.15 * TREE_BYTES, `${sent} bytes sent again, ${((100 * sent) / TREE_BYTES).toFixed(1)}% of the tree`);
        assert.deepEqual((await stack.preview()).changeSummary, { same: 4 });
    });
});
