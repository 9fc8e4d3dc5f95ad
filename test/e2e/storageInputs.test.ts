// SkyStorage whose S3 endpoint, region and keys are outputs of a resource the same stack creates, as
// a MinIO or R2 made in the program would be: the first preview plans the bucket and its sync with
// the endpoint unknown, `up` fills the bucket, a second `up` changes nothing, and the source is given
// relative to the program's directory.
import type { Stack } from "@pulumi/pulumi/automation";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { Storage } from "../../src";
import { requireTestbed, stackFor, uniqueName } from "./support/testbed";

describe("SkyStorage with its endpoint and keys from a resource in the same stack", () => {
    const testbed = requireTestbed();
    const client = new Storage({
        endpoint: testbed.s3.endpoint,
        region: testbed.s3.region,
        pathStyle: true,
        accessKey: testbed.s3.accessKey,
        secretKey: testbed.s3.secretKey,
    });
    const tree = mkdtempSync(path.join(tmpdir(), "skymount-inputs-"));
    const bucket = uniqueName("inputs");
    let made: { stack: Stack; backendDir: string };

    before(async () => {
        writeFileSync(path.join(tree, "a.txt"), "a\n");
        // Relative to the program's directory, where the program (and so SkyStorage) runs.
        const source = path.relative(path.join(__dirname, "programs", "storageInputs"), tree);
        made = await stackFor("storageInputs", { name: bucket, source });
    });

    after(async () => {
        await made.stack.destroy().catch(() => undefined);
        await made.stack.workspace.removeStack("e2e").catch(() => undefined);
        rmSync(made.backendDir, { recursive: true, force: true });
        client.close();
        rmSync(tree, { recursive: true, force: true });
    });

    it("previews the bucket and its sync while the endpoint is unknown", async () => {
        const preview = await made.stack.preview();
        assert.equal(preview.changeSummary.create, 5, JSON.stringify(preview.changeSummary));
    });

    it("fills the bucket once the endpoint is known, and a second up changes nothing", async () => {
        const first = await made.stack.up();
        assert.equal(first.summary.result, "succeeded");
        assert.equal(first.outputs.endpoint.value, testbed.s3.endpoint.replace(/\/+$/, ""));
        assert.deepEqual(first.outputs.syncSummaries.value, ["1 added (a.txt); 0 changed; 0 removed"]);
        assert.deepEqual(
            (await client.ls(bucket)).filter((k) => !k.startsWith(".skymount/")),
            ["a.txt"],
        );
        const second = await made.stack.up();
        assert.deepEqual(second.summary.resourceChanges, { same: 5 });
    });
});
