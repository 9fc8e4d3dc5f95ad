// SkyStorage with store gcs through the real engine and the GCP stand-in (tools/standins/gcp/),
// installed into this test's own PULUMI_HOME at the version of @pulumi/gcp in the lockfile. One stack
// holds a persistent bucket and an ephemeral one (fewer engine runs): preview checks the buckets,
// creates nothing and leaves what depends on a service account's email unknown; `up` makes the
// buckets on the testbed's MinIO, their service accounts, bindings and HMAC keys in GCP's formats;
// the server itself refuses the reader's key a write and the writer's key another bucket (the
// bindings, applied by the stand-in as MinIO policies, which keys follow as bindings change); a second
// `up` changes nothing; `destroy` keeps the persistent bucket (no Delete reaches the provider) and
// deletes the ephemeral one with its objects. The recorded calls prove the stand-in served the
// program: without it, nothing passes.
// No endpoint is overridden: under tools/testbed/with-cloud-names.sh skymount's sync of a local source
// reaches https://<bucket>.storage.googleapis.com (virtual-hosted, SigV4 with the writer's HMAC key) as
// on GCS, through the testbed's TLS front.
import { GetObjectCommand, HeadBucketCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { LocalWorkspace, PulumiCommand, Stack } from "@pulumi/pulumi/automation";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { CALL_LOG_ENV, readCalls, RecordedCall } from "../../tools/standins/callLog";
import { gcsBucketModel } from "../../tools/standins/gcp/bucket";
import { gcpIamModels } from "../../tools/standins/gcp/iam";
import { GCS_ACCESS_KEY_ENV, GCS_S3_ENDPOINT_ENV, GCS_SECRET_KEY_ENV } from "../../tools/standins/gcp/dataPlane";
import { installStandin, standinVersion } from "../../tools/standins/install";
import { namesReached, pulumiWithCloudNames } from "./support/cloudNames";
import { programsDir, requireTestbed, s3ClientFor, uniqueName } from "./support/testbed";

const BUCKET_TYPE = "gcp:storage/bucket:Bucket";
const PROJECT = "skymount-standin";
type Keys = { accessKey: string; secretKey: string };
type Made = { id: string; outs: Record<string, unknown> };

describe("SkyStorage on Google Cloud Storage through the real engine and the GCP stand-in", () => {
    const testbed = requireTestbed();
    const s3 = s3ClientFor(testbed);
    const work = mkdtempSync(path.join(tmpdir(), "skymount-standin-gcp-"));
    const pulumiHome = path.join(work, "pulumi-home");
    const callLog = path.join(work, "calls.jsonl");
    const source = path.join(work, "source");
    const standinEnv = {
        [GCS_S3_ENDPOINT_ENV]: testbed.s3.endpoint,
        [GCS_ACCESS_KEY_ENV]: testbed.s3.accessKey,
        [GCS_SECRET_KEY_ENV]: testbed.s3.secretKey,
    };
    const stacks: Stack[] = [];
    const name = uniqueName("standin-gcs");
    const scratch = uniqueName("standin-gcs-eph");
    const buckets: string[] = [name, scratch];
    let pulumi: PulumiCommand;
    let seen = 0;
    /** The calls recorded since the last look. */
    const newCalls = (): RecordedCall[] => {
        const calls = readCalls(callLog);
        const fresh = calls.slice(seen);
        seen = calls.length;
        return fresh;
    };
    const made = (calls: RecordedCall[], type: string): Made[] =>
        calls.filter((c) => c.method === "create" && c.type === type).map((c) => c.result as Made);
    const bucketExists = async (bucket: string) =>
        await s3.send(new HeadBucketCommand({ Bucket: bucket })).then(
            () => true,
            () => false,
        );
    const keysOf = async (bucket: string) =>
        ((await s3.send(new ListObjectsV2Command({ Bucket: bucket }))).Contents ?? []).map((o) => o.Key!).sort();
    /** A client that signs with an HMAC key, as geesefs does through GCS's XML API. */
    const signingWith = (key: Keys) =>
        new S3Client({
            endpoint: testbed.s3.endpoint,
            region: testbed.s3.region,
            forcePathStyle: true,
            credentials: { accessKeyId: key.accessKey, secretAccessKey: key.secretKey },
            maxAttempts: 1,
        });
    const put = async (key: Keys, bucket: string, objectKey: string) => {
        const client = signingWith(key);
        try {
            await client.send(new PutObjectCommand({ Bucket: bucket, Key: objectKey, Body: `${objectKey}\n` }));
            return "allowed";
        } catch (err) {
            return (err as Error).name;
        } finally {
            client.destroy();
        }
    };

    async function newStack(): Promise<Stack> {
        const backendDir = path.join(work, "state");
        mkdirSync(backendDir);
        const stack = await LocalWorkspace.createOrSelectStack(
            { stackName: "standin", workDir: path.join(programsDir, "standinGcp") },
            {
                pulumiCommand: pulumi,
                envVars: {
                    ...standinEnv,
                    PULUMI_HOME: pulumiHome,
                    PULUMI_BACKEND_URL: `file://${backendDir}`,
                    PULUMI_CONFIG_PASSPHRASE: "skymount-e2e",
                    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
                    [CALL_LOG_ENV]: callLog,
                },
            },
        );
        stacks.push(stack);
        await stack.setAllConfig({
            name: { value: name },
            scratch: { value: scratch },
            project: { value: PROJECT },
            source: { value: source },
        });
        return stack;
    }

    before(async () => {
        pulumi = await pulumiWithCloudNames(path.join(work, "pulumi-cli"));
        mkdirSync(path.join(source, "nested"), { recursive: true });
        writeFileSync(path.join(source, "a.txt"), "alpha\n");
        writeFileSync(path.join(source, "nested", "b.txt"), "beta\n");
        installStandin("gcp", standinVersion("gcp"), pulumiHome);
    });

    after(async () => {
        for (const stack of stacks) {
            await stack.destroy().catch(() => undefined);
            await stack.workspace.removeStack(stack.name, { force: true }).catch(() => undefined);
            rmSync(path.join(programsDir, "standinGcp", `Pulumi.${stack.name}.yaml`), { force: true });
        }
        Object.assign(process.env, standinEnv);
        for (const bucket of buckets) await gcsBucketModel.delete(bucket, { forceDestroy: true }).catch(() => undefined);
        s3.destroy();
        rmSync(work, { recursive: true, force: true });
    });

    describe("a persistent bucket (skymount's default) and an ephemeral one (persistent: false), in one stack", () => {
        let stack: Stack;
        let keys: { writer: Keys; reader: Keys; scratchWriter: Keys };

        it("preview: the stand-in checks the buckets, creates nothing, and the keys' service account email is unknown", async () => {
            stack = await newStack();
            const preview = await stack.preview({ diff: true });
            const calls = newCalls();
            const checked = calls.filter((c) => c.method === "check" && c.type === BUCKET_TYPE).map((c) => c.inputs?.name);
            assert.deepEqual(
                [...new Set(checked)].sort(),
                [name, scratch].sort(),
                `the stand-in never checked both buckets: ${JSON.stringify(calls)}`,
            );
            assert.deepEqual(
                calls.filter((c) => c.method !== "check"),
                [],
            );
            assert.equal(await bucketExists(name), false);
            // An HMAC key takes its service account's email, which only Create gives.
            assert.match(preview.stdout, /HmacKey: \(create\)[^+]*serviceAccountEmail\s*: \[unknown\]/, preview.stdout);
            assert.match(preview.stdout, /BucketIAMMember: \(create\)[^+]*member\s*: \[unknown\]/, preview.stdout);
        });

        it("up: the buckets on MinIO, service accounts, bindings and HMAC keys in GCP's formats; skymount's sync fills the bucket", async () => {
            const result = await stack.up();
            assert.equal(result.summary.result, "succeeded");
            const calls = newCalls();
            const madeBuckets = made(calls, BUCKET_TYPE);
            assert.deepEqual(
                madeBuckets.map((b) => [b.id, b.outs.forceDestroy]).sort(),
                [
                    [name, false],
                    [scratch, true],
                ].sort(),
            );
            const bucket = madeBuckets.find((b) => b.id === name)!;
            assert.equal(bucket.outs.url, `gs://${name}`);
            assert.equal(bucket.outs.selfLink, `https://www.googleapis.com/storage/v1/b/${name}`);
            assert.equal(bucket.outs.location, "US-CENTRAL1");
            assert.equal(await bucketExists(name), true);
            const accounts = made(calls, "gcp:serviceaccount/account:Account");
            assert.equal(accounts.length, 4);
            for (const account of accounts) {
                assert.match(String(account.outs.email), new RegExp(`^sky-[0-9a-f]{12}-r[ow]@${PROJECT}\\.iam\\.gserviceaccount\\.com$`));
                assert.equal(account.id, `projects/${PROJECT}/serviceAccounts/${String(account.outs.email)}`);
            }
            const bindings = made(calls, "gcp:storage/bucketIAMMember:BucketIAMMember").filter((b) => b.outs.bucket === name);
            assert.deepEqual(bindings.map((b) => b.outs.role).sort(), ["roles/storage.objectUser", "roles/storage.objectViewer"]);
            for (const binding of bindings)
                assert.equal(binding.id, `b/${name}/${String(binding.outs.role)}/${String(binding.outs.member).toLowerCase()}`);
            const hmacKeys = made(calls, "gcp:storage/hmacKey:HmacKey");
            assert.equal(hmacKeys.length, 4);
            for (const key of hmacKeys) {
                assert.match(String(key.outs.accessId), /^GOOG1E[A-Z0-9]{55}$/);
                assert.equal(key.id, `projects/${PROJECT}/hmacKeys/${String(key.outs.accessId)}`);
                assert.equal(key.outs.secret, "[secret]");
            }
            const outputs = result.outputs;
            keys = { writer: outputs.writerKeys.value, reader: outputs.readerKeys.value, scratchWriter: outputs.scratchWriterKeys.value };
            for (const key of Object.values(keys)) assert.ok(hmacKeys.some((k) => k.outs.accessId === key.accessKey));
            assert.equal(outputs.bucket.value, name);
            assert.deepEqual(await keysOf(name), ["a.txt", "nested/b.txt"]);
            assert.deepEqual(outputs.syncSummaries.value, ["2 added (a.txt, nested/b.txt); 0 changed; 0 removed"]);
            // The sync reached the bucket under GCS's own virtual-hosted name, through the TLS front.
            assert.ok(namesReached(testbed).includes(`${name}.storage.googleapis.com`), namesReached(testbed).join(" "));
        });

        it("the server enforces the bindings: the reader's HMAC key reads but is refused a write; the writer's writes its bucket only", async () => {
            assert.equal(await put(keys.writer, name, "from-writer.txt"), "allowed");
            const reader = signingWith(keys.reader);
            const got = await reader.send(new GetObjectCommand({ Bucket: name, Key: "a.txt" }));
            assert.equal(await got.Body!.transformToString(), "alpha\n");
            reader.destroy();
            assert.equal(await put(keys.reader, name, "from-reader.txt"), "AccessDenied");
            assert.equal(await put(keys.writer, scratch, "elsewhere.txt"), "AccessDenied");
            assert.equal(await put(keys.scratchWriter, scratch, "left-behind.txt"), "allowed");
        });

        it("a second up changes nothing: no create, update or delete reaches the stand-in", async () => {
            const result = await stack.up();
            assert.equal(result.summary.result, "succeeded");
            assert.deepEqual(Object.keys(result.summary.resourceChanges ?? {}), ["same"]);
            assert.deepEqual(
                newCalls().filter((c) => c.method !== "check" && c.method !== "diff"),
                [],
            );
        });

        it("destroy keeps the persistent bucket and its objects, deletes the ephemeral one with its objects, and revokes the keys", async () => {
            assert.equal((await stack.destroy()).summary.result, "succeeded");
            const deletes = newCalls().filter((c) => c.method === "delete");
            assert.deepEqual(
                deletes.filter((c) => c.type === BUCKET_TYPE).map((c) => [c.id, c.error]),
                [[scratch, undefined]],
            );
            assert.equal(await bucketExists(scratch), false);
            assert.equal(deletes.filter((c) => c.type === "gcp:storage/hmacKey:HmacKey").length, 4);
            assert.deepEqual(await keysOf(name), ["a.txt", "from-writer.txt", "nested/b.txt"]);
            assert.equal(await put(keys.writer, name, "after-destroy.txt"), "InvalidAccessKeyId");
        });

        it("the stand-in refuses to delete a bucket that holds objects unless forceDestroy is set", async () => {
            Object.assign(process.env, standinEnv);
            await assert.rejects(gcsBucketModel.delete(name, { forceDestroy: false }), /containing objects without `force_destroy`/);
            assert.equal(await bucketExists(name), true);
        });
    });

    it("an HMAC key follows its service account's bindings as they change (the models on MinIO, without the engine)", async () => {
        Object.assign(process.env, standinEnv);
        const bound = uniqueName("standin-gcs-bind");
        buckets.push(bound);
        await gcsBucketModel.create({ name: bound, location: "EU", project: PROJECT });
        const account = await gcpIamModels["gcp:serviceaccount/account:Account"].create({
            accountId: "sky-bindings-test",
            project: PROJECT,
        });
        const member = `serviceAccount:${String(account.outs.email)}`;
        const key = await gcpIamModels["gcp:storage/hmacKey:HmacKey"].create({ serviceAccountEmail: account.outs.email, project: PROJECT });
        const keys = { accessKey: String(key.outs.accessId), secretKey: String(key.outs.secret) };
        const bindings = gcpIamModels["gcp:storage/bucketIAMMember:BucketIAMMember"];
        try {
            assert.equal(await put(keys, bound, "unbound.txt"), "AccessDenied");
            const viewer = await bindings.create({ bucket: bound, role: "roles/storage.objectViewer", member });
            assert.equal(await put(keys, bound, "viewer.txt"), "AccessDenied");
            const user = await bindings.create({ bucket: bound, role: "roles/storage.objectUser", member });
            assert.equal(await put(keys, bound, "user.txt"), "allowed");
            await bindings.delete(user.id, user.outs);
            assert.equal(await put(keys, bound, "user-again.txt"), "AccessDenied");
            await bindings.delete(viewer.id, viewer.outs);
        } finally {
            await gcpIamModels["gcp:storage/hmacKey:HmacKey"].delete(key.id, key.outs);
            await gcpIamModels["gcp:serviceaccount/account:Account"].delete(account.id, account.outs);
        }
    });
});
