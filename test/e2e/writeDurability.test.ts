// No silent loss on the write path (docs/RELIABILITY.md), end to end on the testbed, for a read-write
// MOUNT volume (each file uploaded on close) and a read-write MOUNT_CACHED one (written back from its
// cache), on a host without an init system (h1: the supervisor remounts a killed geesefs) and one that
// boots systemd (s1: the bucket's unit restarts it): geesefs killed while a new checkpoint is written
// leaves the whole old object or the whole new one, never a part; a full cache file system fails the
// writer or keeps every byte it accepted; and files written just before `pulumi destroy` are all in
// the bucket afterwards. Each check reads the bucket with the S3 API and compares checksums with what
// the host wrote; each host writes under names of its own in the two shared buckets.
import { CreateBucketCommand, DeleteBucketCommand, DeleteObjectsCommand, GetObjectCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import { LocalWorkspace, Stack } from "@pulumi/pulumi/automation";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { MOUNT_FUNCTIONS } from "../../src/hostScripts/mountFunctions";
import { fuseMountDir } from "./support/hostMounts";
import { eventually, onHost, programsDir, requireTestbed, s3ClientFor, TestbedHost, uniqueName } from "./support/testbed";

const md5 = (bytes: Uint8Array) => createHash("md5").update(bytes).digest("hex");

describe("writes through read-write volumes are never silently lost", () => {
    const testbed = requireTestbed();
    const hosts = [testbed.hosts[0], testbed.systemdHosts[0]];
    const s3 = s3ClientFor(testbed);
    const buckets = { mount: uniqueName("wdmount"), cached: uniqueName("wdcached") };
    const base = `/${uniqueName("wd")}`;
    const paths = { mount: `${base}-mount`, cached: `${base}-cached` };
    const backendDir = mkdtempSync(path.join(tmpdir(), "skymount-durability-"));
    let stack: Stack;

    const sh = (host: TestbedHost, command: string) => onHost(host, `${MOUNT_FUNCTIONS.join("\n")}\n${command}`);
    /** Runs `row` on every host at once. */
    const onEachHost = async (row: (host: TestbedHost) => Promise<void>) => {
        await Promise.all(hosts.map(row));
    };
    const objectMd5 = async (bucket: string, key: string) =>
        md5(await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToByteArray());
    const keysIn = async (bucket: string, prefix: string) => {
        const keys: string[] = [];
        let token: string | undefined;
        do {
            const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
            keys.push(...(page.Contents ?? []).map((o) => o.Key!));
            token = page.NextContinuationToken;
        } while (token);
        return keys.sort();
    };

    before(async () => {
        assert.ok(hosts[0] && hosts[1], "the testbed needs a host and a systemd host: up --hosts 1 --systemd-hosts 1");
        for (const bucket of Object.values(buckets)) await s3.send(new CreateBucketCommand({ Bucket: bucket }));
        stack = await LocalWorkspace.createOrSelectStack(
            { stackName: "durability", workDir: path.join(programsDir, "faults") },
            { envVars: { PULUMI_BACKEND_URL: `file://${backendDir}`, PULUMI_CONFIG_PASSPHRASE: "skymount-e2e" } },
        );
        await stack.setAllConfig({
            volumes: {
                value: JSON.stringify([
                    { bucket: buckets.mount, mount: paths.mount, readOnly: false },
                    { bucket: buckets.cached, mount: paths.cached, readOnly: false, mode: "MOUNT_CACHED" },
                ]),
            },
            hosts: { value: hosts.map((h) => h.name).join(",") },
            accessKey: { value: testbed.s3.accessKey },
            secretKey: { value: testbed.s3.secretKey, secret: true },
        });
        assert.equal((await stack.up()).summary.result, "succeeded");
    });

    after(async () => {
        await stack?.destroy().catch(() => undefined);
        await stack?.workspace.removeStack("durability").catch(() => undefined);
        rmSync(backendDir, { recursive: true, force: true });
        for (const host of hosts) await onHost(host, `rm -f /tmp/${path.basename(base)}-*`).catch(() => undefined);
        for (const bucket of Object.values(buckets)) {
            const keys = (await keysIn(bucket, "").catch(() => [])).map((Key) => ({ Key }));
            for (let i = 0; i < keys.length; i += 1000)
                await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys.slice(i, i + 1000) } }));
            await s3.send(new DeleteBucketCommand({ Bucket: bucket })).catch(() => undefined);
        }
    });

    for (const kind of ["mount", "cached"] as const) {
        it(`${kind === "mount" ? "MOUNT" : "MOUNT_CACHED"}: geesefs killed while a new checkpoint is written leaves the whole old or the whole new object`, () =>
            onEachHost(async (host) => {
                const dir = paths[kind];
                const key = `ckpt-${host.name}.bin`;
                const fuseDir = await fuseMountDir(host, buckets[kind]);
                const [oldFile, newFile] = [`/tmp/${path.basename(base)}-${kind}-old`, `/tmp/${path.basename(base)}-${kind}-new`];
                // The old checkpoint (8 MiB), in the bucket before the fault; the new one (48 MiB) is cut short.
                const sums = (
                    await onHost(
                        host,
                        [
                            `head -c 8388608 /dev/urandom > ${oldFile}; head -c 50331648 /dev/urandom > ${newFile}`,
                            `cp ${oldFile} ${dir}/${key} && sync ${dir}/${key}`,
                            `md5sum < ${oldFile} | cut -d' ' -f1; md5sum < ${newFile} | cut -d' ' -f1`,
                        ].join("\n"),
                    )
                ).split("\n");
                await eventually(
                    `${host.name}: the old checkpoint is in the bucket`,
                    async () => assert.equal(await objectMd5(buckets[kind], key), sums[0]),
                    60_000,
                );
                await sh(
                    host,
                    [
                        `(cp ${newFile} ${dir}/${key}; sync ${dir}/${key}) < /dev/null > /dev/null 2>&1 &`,
                        // Mid-write: once some of the new bytes are in, before the copy ends.
                        `sleep 0.5; kill -9 $(geesefs_pids ${fuseDir})`,
                    ].join("\n"),
                );
                // The supervisor remounts (h1), the unit restarts geesefs (s1); whatever the bucket then
                // holds is one whole version.
                await eventually(`${host.name}: the mount serves again`, () => onHost(host, `ls ${dir} > /dev/null`), 60_000);
                const found = await objectMd5(buckets[kind], key);
                assert.ok(
                    sums.includes(found),
                    `${host.name}: ${key} in the bucket is neither the old (${sums[0]}) nor the new (${sums[1]}) checkpoint: ${found}`,
                );
                console.log(
                    `[figure] ${host.name} ${kind}: after geesefs was killed mid-checkpoint the bucket holds the ${found === sums[0] ? "old" : "new"} one`,
                );
            }));
    }

    it("MOUNT_CACHED with its cache file system full: a write fails with an error or every byte reaches the bucket", () =>
        onEachHost(async (host) => {
            const key = `big-${host.name}.bin`;
            const fuseDir = await fuseMountDir(host, buckets.cached);
            const cacheDir = `/var/cache/skymount/${fuseDir.slice(-10)}`;
            assert.equal(await onHost(host, `mountpoint -q ${cacheDir} && echo cache`), "cache");
            const source = `/tmp/${path.basename(base)}-big`;
            const outcome = await onHost(
                host,
                [
                    `head -c 100663296 /dev/urandom > ${source}; md5sum < ${source} | cut -d' ' -f1`,
                    `dd if=/dev/zero of=${cacheDir}/skymount-test-filler bs=1M 2> /dev/null || true`,
                    // 96 MiB into a volume whose cache has no room: the exit codes of the copy and of the flush.
                    `cp ${source} ${paths.cached}/${key} 2> /dev/null; echo $?; sync ${paths.cached}/${key} 2> /dev/null; echo $?`,
                    `rm -f ${cacheDir}/skymount-test-filler`,
                ].join("\n"),
            );
            const [sum, copied, flushed] = outcome.split("\n");
            console.log(`[figure] ${host.name} cache full: cp exited ${copied}, sync exited ${flushed}`);
            if (copied === "0" && flushed === "0") {
                // Accepted: then the bucket must hold every byte.
                await eventually(
                    `${host.name}: ${key} is whole in the bucket`,
                    async () => assert.equal(await objectMd5(buckets.cached, key), sum),
                    120_000,
                );
            } else {
                // Refused: the writer was told; what the bucket holds, if anything, is never a wrong file under the name.
                const keys = await keysIn(buckets.cached, key);
                if (keys.length) assert.equal(await objectMd5(buckets.cached, key), sum, `${host.name}: a partial ${key} in the bucket`);
            }
        }));

    it("200 files written just before `pulumi destroy`: all 200 are in each bucket afterwards", async () => {
        const listings = await Promise.all(
            hosts.map(async (host) => {
                const batch = `batch-${host.name}`;
                await onHost(
                    host,
                    [
                        `for dir in ${paths.mount} ${paths.cached}; do mkdir -p $dir/${batch}`,
                        `  for i in $(seq 1 200); do head -c $((4096 + i)) /dev/urandom > $dir/${batch}/f$i.bin; done`,
                        `done`,
                    ].join("\n"),
                );
                const sumsIn = (dir: string) => onHost(host, `cd ${dir}/${batch} && md5sum f*.bin | sort -k2`);
                return { batch, mount: await sumsIn(paths.mount), cached: await sumsIn(paths.cached) };
            }),
        );
        const result = await stack.destroy();
        assert.equal(result.summary.result, "succeeded");
        for (const listing of listings)
            for (const kind of ["mount", "cached"] as const) {
                const expected = new Map(listing[kind].split("\n").map((line) => line.split(/\s+/).reverse() as [string, string]));
                assert.equal(expected.size, 200);
                // geesefs keeps the directory made with mkdir as its marker object, `batch-<host>/`.
                const files = (await keysIn(buckets[kind], `${listing.batch}/`)).filter((key) => !key.endsWith("/"));
                assert.deepEqual(files, [...expected.keys()].map((name) => `${listing.batch}/${name}`).sort(), `${kind}: ${listing.batch}`);
                for (const [name, sum] of expected)
                    assert.equal(await objectMd5(buckets[kind], `${listing.batch}/${name}`), sum, `${kind}: ${listing.batch}/${name}`);
            }
    });
});
