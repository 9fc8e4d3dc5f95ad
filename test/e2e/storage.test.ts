// SkyStorage against MinIO: create and fill a bucket from a local tree (ignore rules, a symlink,
// nested directories, a 64 MiB multipart file), resync only what changed, never touch foreign
// objects, persistent and ephemeral destroy, and bad input refused at preview.
import { DeleteBucketCommand, HeadBucketCommand, HeadObjectCommand, ListBucketsCommand } from "@aws-sdk/client-s3";
import type { Stack } from "@pulumi/pulumi/automation";
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { Storage } from "../../src";
import { requireTestbed, s3ClientFor, stackFor, uniqueName } from "./support/testbed";

const BIG_FILE_BYTES = 64 * 1024 * 1024;

function makeTree(): string {
    const dir = mkdtempSync(path.join(tmpdir(), "skymount-tree-"));
    mkdirSync(path.join(dir, "nested", "deep"), { recursive: true });
    mkdirSync(path.join(dir, "cache"));
    mkdirSync(path.join(dir, ".git"));
    writeFileSync(path.join(dir, "a.txt"), "version 1\n");
    writeFileSync(path.join(dir, "nested", "deep", "b.txt"), "deep\n");
    writeFileSync(path.join(dir, "big.bin"), randomBytes(BIG_FILE_BYTES));
    writeFileSync(path.join(dir, "scratch.tmp"), "ignored by pattern\n");
    writeFileSync(path.join(dir, "cache", "x"), "ignored by anchored directory\n");
    writeFileSync(path.join(dir, ".git", "HEAD"), "ref: refs/heads/main\n");
    writeFileSync(path.join(dir, ".skyignore"), "# test rules\n*.tmp\n/cache/\n");
    symlinkSync("a.txt", path.join(dir, "link.txt"));
    return dir;
}

describe("SkyStorage on the testbed's S3 server", () => {
    const testbed = requireTestbed();
    const s3 = s3ClientFor(testbed);
    const client = new Storage({
        endpoint: testbed.s3.endpoint,
        region: testbed.s3.region,
        pathStyle: true,
        accessKey: testbed.s3.accessKey,
        secretKey: testbed.s3.secretKey,
    });
    const tree = makeTree();
    const bucket = uniqueName("store");
    const stacks: Array<{ stack: Stack; backendDir: string }> = [];
    let stack: Stack;

    const newStack = async (args: object) => {
        const made = await stackFor("storage", { args: JSON.stringify(args) });
        stacks.push(made);
        return made.stack;
    };
    /** The bucket's keys: the source's files and nothing of skymount's own. */
    const userKeys = async () => await client.ls(bucket);
    const lastModified = async (key: string) =>
        (await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }))).LastModified!.getTime();

    before(async () => {
        stack = await newStack({ name: bucket, source: tree });
    });

    after(async () => {
        for (const made of stacks) {
            await made.stack.destroy().catch(() => undefined);
            await made.stack.workspace.removeStack("e2e").catch(() => undefined);
            rmSync(made.backendDir, { recursive: true, force: true });
        }
        for (const key of await client.ls(bucket).catch(() => [])) await client.rm(bucket, key);
        await s3.send(new DeleteBucketCommand({ Bucket: bucket })).catch(() => undefined);
        client.close();
        rmSync(tree, { recursive: true, force: true });
    });

    it("creates the bucket and uploads the tree, minus ignored files, .git and symlinks", async () => {
        const result = await stack.up();
        assert.equal(result.summary.result, "succeeded");
        assert.deepEqual(await userKeys(), [".skyignore", "a.txt", "big.bin", "nested/deep/b.txt"]);
        assert.deepEqual(result.outputs.syncSummaries.value, [
            "4 added (.skyignore, a.txt, big.bin, nested/deep/b.txt); 0 changed; 0 removed",
        ]);
        const copy = path.join(tree, "..", `${path.basename(tree)}-big.bin`);
        await client.download(bucket, "big.bin", copy);
        const digest = (file: string) => createHash("sha256").update(readFileSync(file)).digest("hex");
        assert.equal(digest(copy), digest(path.join(tree, "big.bin")));
        rmSync(copy);
    });

    it("a second up with no change does nothing", async () => {
        const preview = await stack.preview();
        assert.deepEqual(preview.changeSummary, { same: 4 });
    });

    it("a changed file: preview names exactly it, up uploads only it", async () => {
        const bigBefore = await lastModified("big.bin");
        await new Promise((r) => setTimeout(r, 1100));
        writeFileSync(path.join(tree, "a.txt"), "version 2\n");
        const preview = await stack.preview({ diff: true });
        assert.deepEqual(preview.changeSummary, { update: 1, same: 3 });
        assert.match(preview.stdout, /"0 added; 1 changed \(a\.txt\); 0 removed"/);
        const result = await stack.up();
        assert.deepEqual(result.outputs.syncSummaries.value, ["0 added; 1 changed (a.txt); 0 removed"]);
        const object = path.join(tree, "..", `${path.basename(tree)}-a.txt`);
        await client.download(bucket, "a.txt", object);
        assert.equal(readFileSync(object, "utf8"), "version 2\n");
        rmSync(object);
        assert.equal(await lastModified("big.bin"), bigBefore, "big.bin was uploaded again");
    });

    it("a deleted file's object goes; an object put there by someone else stays", async () => {
        const foreign = path.join(tree, "..", `${path.basename(tree)}-foreign.txt`);
        writeFileSync(foreign, "not skymount's\n");
        await client.upload(bucket, foreign, "foreign.txt");
        rmSync(foreign);
        unlinkSync(path.join(tree, "nested", "deep", "b.txt"));
        const result = await stack.up();
        assert.deepEqual(result.outputs.syncSummaries.value, ["0 added; 0 changed; 1 removed (nested/deep/b.txt)"]);
        assert.deepEqual(await userKeys(), [".skyignore", "a.txt", "big.bin", "foreign.txt"]);
        assert.equal(await client.exists(bucket, "foreign.txt"), true);
    });

    it("destroy keeps a persistent bucket and every object in it", async () => {
        await stack.destroy();
        await s3.send(new HeadBucketCommand({ Bucket: bucket }));
        assert.deepEqual(await userKeys(), [".skyignore", "a.txt", "big.bin", "foreign.txt"]);
    });

    it("destroy empties and deletes a bucket that is not persistent", async () => {
        const ephemeral = uniqueName("ephemeral");
        // A source of its own, kept under its basename: the tree's .skyignore does not apply to it.
        const temporary = await newStack({ name: ephemeral, sources: [path.join(tree, "cache")], persistent: false });
        await temporary.up();
        assert.deepEqual(await client.ls(ephemeral), ["cache/x"]);
        await temporary.destroy();
        await assert.rejects(s3.send(new HeadBucketCommand({ Bucket: ephemeral })), { name: "NotFound" });
    });

    it("refuses bad input at preview, before anything is created", async () => {
        const cases: Array<[object, RegExp]> = [
            [{ name: "Bad_Bucket", source: tree }, /name: "Bad_Bucket": may contain only lowercase letters, digits, '\.' and '-'/],
            [{ name: uniqueName("missing"), source: path.join(tree, "nope") }, /source: ".*nope": local path does not exist/],
            [{ name: uniqueName("both"), source: "s3://other-bucket" }, /name: ".*": must not be given with a bucket URI source/],
        ];
        for (const [args, message] of cases) {
            const bad = await newStack(args);
            await assert.rejects(bad.preview(), message);
            const name = (args as { name: string }).name;
            const buckets = (await s3.send(new ListBucketsCommand({}))).Buckets ?? [];
            assert.ok(!buckets.some((b) => b.Name === name), `${name} was created`);
        }
    });
});
