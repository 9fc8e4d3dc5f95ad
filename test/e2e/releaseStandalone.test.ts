// What must keep working inside the released plugin, a Node.js single executable with no package on
// disk (docs/TOOLCHAIN.md, "Release artifacts"), beyond what the examples already run through it
// (release.test.ts): a sync of 300 files, more than the scan hashes inline, so the scan runs on its
// worker (started from the bundled asset's text) and the hashing on the tree's workers (from source
// text); the sync's progress reaches the engine as diagnostics on its resource (the engine log's gRPC
// client, required from the bundle); a no-op up changes nothing; destroy removes the bucket it made.
import { ListObjectsV2Command } from "@aws-sdk/client-s3";
import { EngineEvent, LocalWorkspace, Stack } from "@pulumi/pulumi/automation";
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { cleanPath, installRelease, pulumiHome, repoRoot, work } from "./support/release";
import { requireTestbed, s3ClientFor, uniqueName } from "./support/testbed";

const FILES = 300;

describe("a sync of 300 files through the released plugin, without Node.js", () => {
    const testbed = requireTestbed();
    const s3 = s3ClientFor(testbed);
    const bucket = uniqueName("rel-standalone");
    const source = path.join(work, "tree");
    let stack: Stack;

    before(async () => {
        await installRelease();
        for (let d = 0; d < 3; d++) {
            mkdirSync(path.join(source, `d${d}`), { recursive: true });
            for (let f = 0; f < FILES / 3; f++) writeFileSync(path.join(source, `d${d}`, `f${f}.txt`), `${d}/${f}\n`);
        }
        const backendDir = path.join(work, "standalone-state");
        mkdirSync(backendDir);
        stack = await LocalWorkspace.createOrSelectStack(
            { stackName: "standalone", workDir: path.join(repoRoot, "test", "e2e", "programs", "standalone") },
            {
                envVars: {
                    PATH: cleanPath,
                    PULUMI_HOME: pulumiHome,
                    PULUMI_BACKEND_URL: `file://${backendDir}`,
                    PULUMI_CONFIG_PASSPHRASE: "skymount-e2e",
                },
            },
        );
        await stack.setAllConfig({
            endpoint: { value: testbed.s3.endpoint },
            region: { value: testbed.s3.region },
            accessKey: { value: testbed.s3.accessKey },
            secretKey: { value: testbed.s3.secretKey, secret: true },
            bucket: { value: bucket },
            source: { value: source },
        });
    });

    after(async () => {
        await stack?.destroy().catch(() => undefined);
        await stack?.workspace.removeStack("standalone", { force: true }).catch(() => undefined);
    });

    it("uploads every file, its final line a diagnostic on the sync", async () => {
        const onSync: string[] = [];
        const onEvent = (event: EngineEvent) => {
            const diagnostic = event.diagnosticEvent;
            if (diagnostic?.urn?.includes("skymount:index:BucketSync::") && !diagnostic.ephemeral) onSync.push(diagnostic.message.trim());
        };
        const result = await stack.up({ onEvent });
        assert.equal(result.summary.result, "succeeded");
        assert.ok(
            onSync.some((line) => line.startsWith(`uploaded ${FILES}/${FILES} files, `)),
            JSON.stringify(onSync),
        );
        const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
        assert.equal((listed.Contents ?? []).filter((o) => !o.Key!.startsWith(".skymount/")).length, FILES);
    });

    it("a second up with no change changes nothing", async () => {
        const result = await stack.up();
        assert.deepEqual(Object.keys(result.summary.resourceChanges ?? {}), ["same"]);
    });

    it("destroy removes the bucket it made", async () => {
        const result = await stack.destroy();
        assert.equal(result.summary.result, "succeeded");
        await assert.rejects(s3.send(new ListObjectsV2Command({ Bucket: bucket })), /NoSuchBucket|does not exist/);
    });
});
