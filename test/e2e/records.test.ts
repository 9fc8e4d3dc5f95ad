// The bucket holds only the user's data: a dataset synced to a bucket's root and mounted at its root
// shows exactly the source's files on every host, as a MOUNT and as a COPY volume, and
// the bucket lists exactly the source. The sync's record rides in the state (secret), so a machine
// with an empty cache diffs and deletes exactly; a stack written when the records were kept in the
// bucket moves them out at its next up (legacyRecords.ts).
import { ListObjectsV2Command, PutObjectCommand } from "@aws-sdk/client-s3";
import type { Stack } from "@pulumi/pulumi/automation";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { gzipSync } from "node:zlib";
import { eventually, onHost, readTree, requireTestbed, s3ClientFor, stackFor, uniqueName } from "./support/testbed";

/** The dataset: class folders as torchvision's ImageFolder reads them, and a file at the root. */
const DATASET: Record<string, string> = {
    "README.txt": "iris, two classes\n",
    "setosa/1.csv": "5.1,3.5\n",
    "setosa/2.csv": "4.9,3.0\n",
    "virginica/1.csv": "6.3,3.3\n",
};

/** Every entry under `dir` on a host, files and folders, hidden ones included, relative and sorted. */
const entriesOn = (dir: string) => `cd ${dir} && find . -mindepth 1 | sed 's|^\\./||' | LC_ALL=C sort`;

/** The entries a tree of these files has: its files and every folder above them. */
function entriesOf(files: string[]): string {
    const entries = new Set<string>();
    for (const file of files) {
        const parts = file.split("/");
        for (let i = 1; i <= parts.length; i++) entries.add(parts.slice(0, i).join("/"));
    }
    return [...entries].sort().join("\n");
}

describe("a dataset at a bucket's root, mounted at its root", () => {
    const testbed = requireTestbed();
    const s3 = s3ClientFor(testbed);
    const bucket = uniqueName("dataset");
    const tree = mkdtempSync(path.join(tmpdir(), "skymount-dataset-"));
    const caches = ["a", "b"].map((machine) => mkdtempSync(path.join(tmpdir(), `skymount-cache-${machine}-`)));
    let stack: Stack;
    let backendDir: string;

    const keys = async () => ((await s3.send(new ListObjectsV2Command({ Bucket: bucket }))).Contents ?? []).map((o) => o.Key!).sort();
    const onMachine = (cache: string) => (stack.workspace.envVars.SKYMOUNT_CACHE = cache);
    const sourceFiles = () => Object.keys(DATASET).sort();

    before(async () => {
        for (const [file, body] of Object.entries(DATASET)) {
            mkdirSync(path.join(tree, path.dirname(file)), { recursive: true });
            writeFileSync(path.join(tree, file), body);
        }
        ({ stack, backendDir } = await stackFor("dataset", { bucket, source: tree }));
    });

    after(async () => {
        await stack?.destroy().catch(() => undefined);
        await stack?.workspace.removeStack("e2e").catch(() => undefined);
        for (const dir of [tree, backendDir, ...caches]) rmSync(dir, { recursive: true, force: true });
    });

    it("the bucket and every volume hold exactly the source", async () => {
        onMachine(caches[0]);
        const up = await stack.up();
        assert.equal(up.summary.result, "succeeded");
        assert.deepEqual(await keys(), sourceFiles());
        for (const host of testbed.hosts) {
            for (const mount of ["/data", "/snapshot"]) {
                assert.equal(await onHost(host, entriesOn(mount)), entriesOf(sourceFiles()), `${host.name}:${mount}`);
            }
        }
        // The record is in the state, encrypted (exportStack shows secrets; the backend's file must not).
        const sync = (await stack.exportStack()).deployment.resources.find((r: { type: string }) => r.type.endsWith(":BucketSync"));
        assert.equal(sync.outputs.recordKeptIn, "state");
        const secret = sync.outputs.record as { plaintext?: string } | string;
        const record = typeof secret === "string" ? secret : (JSON.parse(secret.plaintext!) as string);
        assert.match(record, /^H4sI/, "a gzip record, base64");
        assert.ok(!readTree(backendDir).includes(record), "the record is in the state in plaintext");
    });

    it("another machine (an empty cache) changes and removes exactly, from the state's record", async () => {
        onMachine(caches[1]);
        writeFileSync(path.join(tree, "setosa", "1.csv"), "5.0,3.6\n");
        unlinkSync(path.join(tree, "setosa", "2.csv"));
        await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "notes/foreign.txt", Body: "not the sync's" }));
        const preview = await stack.preview({ diff: true });
        assert.match(preview.stdout, /0 added; 1 changed \(setosa\/1\.csv\); 1 removed \(setosa\/2\.csv\)/);
        const up = await stack.up();
        assert.deepEqual(up.outputs.syncSummaries.value, ["0 added; 1 changed (setosa/1.csv); 1 removed (setosa/2.csv)"]);
        assert.deepEqual(await keys(), ["README.txt", "notes/foreign.txt", "setosa/1.csv", "virginica/1.csv"]);
        const [h1] = testbed.hosts;
        await eventually(
            "the MOUNT volume shows the change",
            async () => assert.equal(await onHost(h1, "ls /data/setosa"), "1.csv"),
            60_000,
        );
    });

    it("a state from when records were kept in the bucket: the next up deletes those records, nothing else", async () => {
        // What such a stack left: its record under .skymount/sync/ and a state without recordKeptIn.
        const deployment = (await stack.exportStack()).deployment;
        const sync = deployment.resources.find((r: { type: string }) => r.type.endsWith(":BucketSync"));
        for (const props of [sync.inputs, sync.outputs]) {
            delete props.recordKeptIn;
            delete props.record;
        }
        await stack.importStack({ version: 3, deployment });
        const digest = String(sync.outputs.manifestDigest);
        const old = [`.skymount/sync/manifest-${digest}.gz`, `.skymount/sync/manifest-${"0".repeat(64)}.gz`];
        for (const key of old) await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: gzipSync("old") }));
        await s3.send(new PutObjectCommand({ Bucket: bucket, Key: ".skymount/sync/notes.txt", Body: "the user's" }));
        const up = await stack.up();
        assert.equal(up.summary.result, "succeeded");
        assert.deepEqual(await keys(), [".skymount/sync/notes.txt", "README.txt", "notes/foreign.txt", "setosa/1.csv", "virginica/1.csv"]);
        const preview = await stack.preview();
        assert.deepEqual(preview.changeSummary?.update ?? 0, 0, "moved once: the next preview is a no-op");
    });
});
