// skymount as an installed npm package, the way users run it: a program importing "skymount" from
// its node_modules (the `npm pack` tarball). Its dynamic providers are serialized as
// `require("skymount/dist/...")`, resolved when the provider runs (the other layouts:
// providerLayouts.test.ts). So this test checks that layout end to end: the bucket filled and
// mounted, a no-op preview, a one-file change, destroy.
import { GetObjectCommand, HeadBucketCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import type { Stack } from "@pulumi/pulumi/automation";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { buildSkymount, installPackedSkymount } from "../../tools/packInstall";
import { onHost, programsDir, requireTestbed, s3ClientFor, stackFor, uniqueName } from "./support/testbed";

describe("skymount installed from its npm package", () => {
    const testbed = requireTestbed();
    const [h1] = testbed.hosts;
    const s3 = s3ClientFor(testbed);
    const bucket = uniqueName("installed");
    const mount = `/${uniqueName("installed")}`;
    const source = mkdtempSync(path.join(tmpdir(), "skymount-installed-"));
    const programDir = path.join(programsDir, "installed");
    let stack: Stack;
    let backendDir: string;

    before(async () => {
        mkdirSync(path.join(source, "nested"));
        writeFileSync(path.join(source, "a.txt"), "alpha\n");
        writeFileSync(path.join(source, "nested", "b.txt"), "beta\n");
        buildSkymount();
        installPackedSkymount(programDir);
        ({ stack, backendDir } = await stackFor("installed", { bucket, source, mount }));
    });

    after(async () => {
        await stack?.destroy().catch(() => undefined);
        await stack?.workspace.removeStack("e2e").catch(() => undefined);
        rmSync(backendDir, { recursive: true, force: true });
        rmSync(source, { recursive: true, force: true });
        rmSync(path.join(programDir, "node_modules"), { recursive: true, force: true });
    });

    it("up fills the bucket and mounts it, with every provider requiring the installed package", async () => {
        const result = await stack.up();
        assert.equal(result.summary.result, "succeeded");
        assert.deepEqual(result.outputs.mounted.value, [`${h1.name}:${mount} <- ${bucket} (ro)`]);
        const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
        const keys = (listed.Contents ?? []).map((o) => o.Key!).filter((key) => !key.startsWith(".skymount/"));
        assert.deepEqual(keys.sort(), ["a.txt", "nested/b.txt"]);
        assert.equal(await onHost(h1, `cat ${mount}/nested/b.txt`), "beta");
        // The layout under test: serialized providers refer to the package instead of inlining it.
        const deployment = (await stack.exportStack()).deployment as {
            resources: Array<{ type: string; outputs?: { __provider?: string } }>;
        };
        const providers = deployment.resources.filter((r) => r.outputs?.__provider);
        assert.ok(providers.length >= 4, `${providers.length} dynamic resources`);
        for (const r of providers) {
            // A few KB that name the package's module (src/resource/moduleReference.ts), not its code.
            assert.match(r.outputs!.__provider!, /specifier: "skymount\/dist\//, r.type);
            assert.ok(r.outputs!.__provider!.length < 4096, `${r.type}: a serialized provider of ${r.outputs!.__provider!.length} bytes`);
        }
    });

    it("a no-op preview finds nothing to do", async () => {
        const preview = await stack.preview();
        assert.deepEqual(Object.keys(preview.changeSummary), ["same"]);
    });

    it("a changed file is uploaded alone", async () => {
        writeFileSync(path.join(source, "a.txt"), "alpha, changed\n");
        const result = await stack.up();
        assert.deepEqual(result.outputs.syncSummaries.value, ["0 added; 1 changed (a.txt); 0 removed"]);
        const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: "a.txt" }));
        assert.equal(await object.Body!.transformToString(), "alpha, changed\n");
    });

    it("destroy unmounts and removes the bucket it made", async () => {
        const result = await stack.destroy();
        assert.equal(result.summary.result, "succeeded");
        assert.equal(await onHost(h1, `grep -c ' ${mount} ' /proc/mounts || true`), "0");
        await assert.rejects(s3.send(new HeadBucketCommand({ Bucket: bucket })), { name: "NotFound" });
    });
});
