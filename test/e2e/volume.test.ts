// SkyVolume on real hosts: geesefs over FUSE against MinIO, on the testbed's SSH hosts.
// The Skyward guide's flow (a dataset read-only under a prefix, an output prefix read-write), the
// SkyPilot shared-file-system case, deduplication, idempotency, a one-volume change, a reboot, a
// protected non-empty directory, and a clean destroy that keeps every object.
import {
    CreateBucketCommand,
    DeleteBucketCommand,
    DeleteObjectsCommand,
    GetObjectCommand,
    ListObjectsV2Command,
    PutObjectCommand,
} from "@aws-sdk/client-s3";
import type { Stack } from "@pulumi/pulumi/automation";
import assert from "node:assert/strict";
import { readFileSync, rmSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { eventually, onHost, readTree, requireTestbed, s3ClientFor, stackFor, uniqueName } from "./support/testbed";

interface VolumeConfig {
    bucket: string;
    mount: string;
    prefix?: string;
    readOnly?: boolean;
    mode?: string;
}

const IRIS = "sepal_length,sepal_width,petal_length,petal_width,species\n5.1,3.5,1.4,0.2,0\n";
const VOLUME_PATHS = ["/data", "/all", "/other", "/output", "/results", "/snapshot", "/cached"];

/** Pids of geesefs processes serving this host (the testbed's hosts share one pid namespace). */
const GEESEFS_PIDS = `me=$(readlink /proc/self/ns/mnt); for p in $(pgrep -x geesefs); do [ "$(readlink /proc/$p/ns/mnt 2>/dev/null)" = "$me" ] && echo "$p $(tr '\\0' ' ' < /proc/$p/cmdline | cut -d' ' -f2)"; done | sort`;
const FUSE_MOUNTS = `awk '$3 == "fuse.geesefs" && $2 ~ "^/var/lib/skymount/mnt/" { print $1 }' /proc/mounts | sort`;

describe("SkyVolume on the testbed", () => {
    const testbed = requireTestbed();
    const [h1, h2] = testbed.hosts;
    const s3 = s3ClientFor(testbed);
    const data = uniqueName("data");
    const out = uniqueName("out");
    const cached = uniqueName("cached");
    const volumes: VolumeConfig[] = [
        { bucket: data, mount: "/data", prefix: "iris/" },
        { bucket: data, mount: "/all" },
        { bucket: data, mount: "/other", prefix: "other" },
        { bucket: out, mount: "/output", prefix: "experiment-001", readOnly: false },
        { bucket: out, mount: "/results" },
        { bucket: data, mount: "/snapshot", prefix: "iris", mode: "COPY" },
        { bucket: cached, mount: "/cached", mode: "MOUNT_CACHED" },
    ];
    // Per host: install, and per volume its bucket (a share of the bucket's one FUSE mount, or a copy) and its bind mount; plus stack and component.
    const resourceCount = testbed.hosts.length * (1 + 2 * volumes.length) + 2;
    let stack: Stack;
    let backendDir: string;

    const configure = (list: VolumeConfig[]) => stack.setConfig("volumes", { value: JSON.stringify(list) });

    before(async () => {
        assert.ok(testbed.hosts.length >= 2, "the testbed needs two hosts");
        for (const bucket of [data, out, cached]) await s3.send(new CreateBucketCommand({ Bucket: bucket }));
        await s3.send(new PutObjectCommand({ Bucket: data, Key: "iris/iris.csv", Body: IRIS }));
        await s3.send(new PutObjectCommand({ Bucket: cached, Key: "weights.bin", Body: "w".repeat(64 * 1024) }));
        await s3.send(new PutObjectCommand({ Bucket: data, Key: "other/x.txt", Body: "x\n" }));
        ({ stack, backendDir } = await stackFor("volumes", { volumes: JSON.stringify(volumes) }));
    });

    after(async () => {
        await stack?.destroy().catch(() => undefined);
        await stack?.workspace.removeStack("e2e").catch(() => undefined);
        rmSync(backendDir, { recursive: true, force: true });
        for (const bucket of [data, out, cached]) {
            const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
            const keys = (listed.Contents ?? []).map((o) => ({ Key: o.Key! }));
            if (keys.length) await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys } }));
            await s3.send(new DeleteBucketCommand({ Bucket: bucket }));
        }
    });

    it("up mounts every volume on every host, one FUSE mount per bucket", async () => {
        const result = await stack.up();
        assert.equal(result.summary.result, "succeeded");
        assert.deepEqual(result.outputs.mounted.value, [
            ...testbed.hosts.flatMap((h) => [
                `${h.name}:/all <- ${data} (ro)`,
                `${h.name}:/cached <- ${cached} (ro)`,
                `${h.name}:/data <- ${data}/iris (ro)`,
                `${h.name}:/other <- ${data}/other (ro)`,
                `${h.name}:/output <- ${out}/experiment-001 (rw)`,
                `${h.name}:/results <- ${out} (ro)`,
                `${h.name}:/snapshot <- ${data}/iris (copy)`,
            ]),
        ]);
        for (const host of testbed.hosts) {
            assert.equal(await onHost(host, "cat /data/iris.csv"), IRIS.trimEnd());
            assert.equal(await onHost(host, "ls /all"), "iris\nother");
            assert.equal(await onHost(host, "cat /other/x.txt"), "x");
            // Three mounted volumes on the data bucket, two on the output bucket: two FUSE mounts.
            // The COPY volume's temporary mount is gone; its files are local.
            assert.deepEqual((await onHost(host, FUSE_MOUNTS)).split("\n"), [data, out, cached].sort());
            // Each through skymount's mount helper, as boot will mount it.
            const fstabSources = await onHost(host, "awk '$2 ~ \"^/var/lib/skymount/mnt/\" { print $1, $3 }' /etc/fstab | sort");
            assert.deepEqual(
                fstabSources.split("\n"),
                [data, out, cached].sort().map((b) => `/usr/local/sbin/skymount-geesefs#${b} fuse`),
            );
            assert.equal(await onHost(host, "cat /snapshot/iris.csv"), IRIS.trimEnd());
            assert.notEqual(await onHost(host, "awk '$2 == \"/snapshot\" { print $3 }' /proc/mounts"), "fuse.geesefs");
            // MOUNT_CACHED: geesefs runs with a disk cache of its own.
            assert.equal((await onHost(host, "cat /cached/weights.bin")).length, 64 * 1024);
            const cachedArgs = await onHost(
                host,
                `${GEESEFS_PIDS} | awk '$2 == "${cached}" { print $1 }' | while read -r p; do tr '\\0' ' ' < /proc/$p/cmdline; done`,
            );
            assert.match(cachedArgs, /--cache=\/var\/cache\/skymount\//);
            // ... on a file system of the asked size (256 MB less ext4's own metadata).
            const cacheMb = Number(
                await onHost(host, "df -BM --output=size,target | awk '$2 ~ \"^/var/cache/skymount/\" { print $1 + 0 }'"),
            );
            assert.ok(cacheMb > 200 && cacheMb <= 256, `cache file system of ${cacheMb} MB`);
        }
    });

    it("keeps the S3 secret and the SSH key out of plaintext state", () => {
        const state = readTree(backendDir);
        assert.ok(!state.includes(testbed.s3.secretKey), "the S3 secret key is in plaintext state");
        assert.ok(!state.includes(readFileSync(h1.privateKeyPath, "utf8").split("\n")[1]), "the SSH private key is in plaintext state");
    });

    it("refuses writes to read-only volumes, even on a bucket mounted read-write", async () => {
        for (const path of ["/data/new.txt", "/results/new.txt", "/snapshot/new.txt"]) {
            const answer = await onHost(h1, `touch ${path} 2>&1 || true`);
            assert.match(answer, /Read-only file system/, path);
        }
    });

    it("shares writes: a file written on host 1 is seen on host 2 and in the bucket", async () => {
        await onHost(h1, "echo 'model v1' > /output/model.txt");
        assert.equal(await eventually("model.txt on h2", () => onHost(h2, "cat /output/model.txt")), "model v1");
        const object = await s3.send(new GetObjectCommand({ Bucket: out, Key: "experiment-001/model.txt" }));
        assert.equal(await object.Body!.transformToString(), "model v1\n");
        assert.equal(
            await eventually("model.txt under /results", () => onHost(h2, "cat /results/experiment-001/model.txt"), 70_000),
            "model v1",
        );
    });

    it("a second up with no change runs no remote command", async () => {
        const pids = await onHost(h1, GEESEFS_PIDS);
        const preview = await stack.preview();
        assert.deepEqual(preview.changeSummary, { same: resourceCount });
        const result = await stack.up();
        assert.deepEqual(result.summary.resourceChanges, { same: resourceCount });
        assert.equal(await onHost(h1, GEESEFS_PIDS), pids, "no mount was redone");
    });

    it("changing one volume's prefix re-presents only that volume", async () => {
        const pids = await onHost(h1, GEESEFS_PIDS);
        await configure(volumes.map((v) => (v.mount === "/other" ? { ...v, prefix: "iris" } : v)));
        const result = await stack.up();
        assert.deepEqual(result.summary.resourceChanges, { update: testbed.hosts.length, same: resourceCount - testbed.hosts.length });
        assert.equal(await onHost(h1, "cat /other/iris.csv"), IRIS.trimEnd());
        assert.equal(await onHost(h1, GEESEFS_PIDS), pids, "the bucket's FUSE mount was not redone");
        await configure(volumes);
        await stack.up();
        assert.equal(await onHost(h1, "cat /other/x.txt"), "x");
    });

    it("brings the mounts back after a reboot (geesefs killed, then what boot runs: mount -a)", async () => {
        await onHost(h1, `${GEESEFS_PIDS} | cut -d' ' -f1 | xargs -r kill -9`);
        await assert.rejects(onHost(h1, "cat /data/iris.csv"), /exited with/);
        // A booted machine starts with an empty mount table: drop the dead mounts, then mount -a.
        await onHost(
            h1,
            'for m in $(awk \'$2 ~ "^/var/lib/skymount/mnt/|^/var/cache/skymount/|^/(data|all|other|output|results|snapshot|cached)$" { print $2 }\' /proc/mounts | sort -r); do umount -l "$m"; done; mount -a',
        );
        assert.equal(await onHost(h1, "cat /data/iris.csv"), IRIS.trimEnd());
        assert.equal(await onHost(h1, "cat /snapshot/iris.csv"), IRIS.trimEnd());
        assert.match(await onHost(h1, "touch /results/x 2>&1 || true"), /Read-only file system/);
        await onHost(h1, "echo 'after reboot' > /output/reboot.txt");
        assert.equal(await eventually("reboot.txt on h2", () => onHost(h2, "cat /output/reboot.txt")), "after reboot");
    });

    it("refuses to mount over a non-empty directory and leaves its files alone", async () => {
        await onHost(h1, "mkdir -p /blocked && echo keep > /blocked/precious.txt");
        await configure([...volumes, { bucket: data, mount: "/blocked" }]);
        await assert.rejects(stack.up(), /\/blocked is a non-empty directory; skymount never wipes data/);
        assert.equal(await onHost(h1, "cat /blocked/precious.txt"), "keep");
        await configure(volumes);
        const result = await stack.up();
        assert.equal(result.summary.result, "succeeded");
        await onHost(h1, "rm -rf /blocked");
    });

    it("destroy unmounts everything, leaves the hosts clean and every object in place", async () => {
        const result = await stack.destroy();
        assert.equal(result.summary.result, "succeeded");
        for (const host of testbed.hosts) {
            assert.equal(await onHost(host, "grep -c skymount /proc/mounts /etc/fstab | grep -v ':0$' || true"), "", host.name);
            assert.equal(await onHost(host, "ls -A /var/cache/skymount"), "", host.name);
            assert.equal(await onHost(host, `ls -d ${VOLUME_PATHS.join(" ")} 2>/dev/null || true`), "", host.name);
            assert.equal(
                await onHost(host, "ls -A /etc/skymount/credentials /var/lib/skymount/mnt /var/lib/skymount/copies"),
                "/etc/skymount/credentials:\n\n/var/lib/skymount/copies:\n\n/var/lib/skymount/mnt:",
                host.name,
            );
        }
        const keys = async (bucket: string) =>
            ((await s3.send(new ListObjectsV2Command({ Bucket: bucket }))).Contents ?? []).map((o) => o.Key).sort();
        assert.deepEqual(await keys(data), ["iris/iris.csv", "other/x.txt"]);
        // "experiment-001/" is the directory object geesefs wrote when the writable volume made its prefix.
        assert.deepEqual(await keys(out), ["experiment-001/", "experiment-001/model.txt", "experiment-001/reboot.txt"]);
    });
});
