// Azure Blob on the testbed: Azurite (which verifies SharedKey signatures) and the two SSH hosts.
// SkyStorage's azure block with an existing account's key: containers made through the Blob API, a source tree synced into it (a changed file alone
// re-uploaded), mounted with geesefs on both hosts (a prefix presented read-only, another written
// on one host and read on the other and through the Blob API, a COPY snapshot), a reboot, an idle
// second up, and a destroy that keeps the persistent container and removes the scratch one, which
// a server-side copy (Copy Blob inside the account) fills from a prefix of a third container. The
// account key must appear in no state file, fstab, host process command line or log.
import type { Stack } from "@pulumi/pulumi/automation";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { execOverSsh } from "../../src/remote/sshExec";
import { BlobClient, blobPath } from "../../src/clients/azureBlobClient";
import { openCopyStore } from "../../src/sync/protocols/registry";
import { connectionTo, eventually, onHost, readTree, requireTestbed, stackFor, uniqueName } from "./support/testbed";

const IRIS = "sepal_length,sepal_width,petal_length,petal_width,species\n5.1,3.5,1.4,0.2,0\n";
const VOLUME_PATHS = ["/azdata", "/azall", "/azout", "/azsnap"];
/** Pids of geesefs processes serving an Azure container on this host (the hosts share one pid namespace). */
const AZURE_GEESEFS_PIDS = `me=$(readlink /proc/self/ns/mnt); for p in $(pgrep -x geesefs); do [ "$(readlink /proc/$p/ns/mnt 2>/dev/null)" = "$me" ] && tr '\\0' ' ' < /proc/$p/cmdline | grep -q ' wasb://' && echo $p; done | sort`;

describe("Azure Blob volumes and sync on the testbed", () => {
    const testbed = requireTestbed();
    const [h1, h2] = testbed.hosts;
    const blobs = new BlobClient({ endpoint: testbed.azure.endpoint, account: testbed.azure.account, key: testbed.azure.key });
    // Azure container names: 3-63 lowercase letters, digits and single hyphens.
    const container = uniqueName("az");
    const scratch = uniqueName("azscratch");
    const copySource = uniqueName("azsrc");
    const sourceDir = mkdtempSync(path.join(tmpdir(), "skymount-azure-src-"));
    const outputs: string[] = [];
    let stack: Stack;
    let backendDir: string;

    const etag = async (blob: string, inContainer = container) =>
        (await blobs.request("HEAD", blobPath(inContainer, blob), {}, [200])).headers.etag;
    const putText = (inContainer: string, blob: string, text: string) =>
        blobs.putBlob(inContainer, blob, { length: Buffer.byteLength(text), open: () => Buffer.from(text) });
    const up = async () => {
        const result = await stack.up({ onOutput: (out) => outputs.push(out) });
        assert.equal(result.summary.result, "succeeded");
        return result;
    };

    before(async () => {
        assert.ok(testbed.hosts.length >= 2, "the testbed needs two hosts");
        assert.ok(testbed.azure, "the testbed has no Azure Blob service (testbed.json: azure)");
        mkdirSync(path.join(sourceDir, "iris"));
        writeFileSync(path.join(sourceDir, "iris", "iris.csv"), IRIS);
        writeFileSync(path.join(sourceDir, "iris", "notes.txt"), "v1\n");
        // Past the 32 MiB threshold: uploaded in parallel blocks and committed with one block list.
        writeFileSync(path.join(sourceDir, "big.bin"), Buffer.alloc(40 * 1024 * 1024, 7));
        await blobs.createContainer(copySource);
        await putText(copySource, "sets/iris/a.csv", "a1\n");
        await putText(copySource, "sets/iris/deep/b.csv", "b1\n");
        await putText(copySource, "sets/other.txt", "not copied\n");
        // The URL form users give; the copy goes through the account's endpoint (Azurite's here).
        const copyFrom = `https://${testbed.azure.account}.blob.core.windows.net/${copySource}/sets/iris`;
        ({ stack, backendDir } = await stackFor("azure", { container, scratch, sourceDir, copyFrom }));
    });

    after(async () => {
        await stack?.destroy().catch(() => undefined);
        await stack?.workspace.removeStack("e2e").catch(() => undefined);
        if (backendDir) rmSync(backendDir, { recursive: true, force: true });
        rmSync(sourceDir, { recursive: true, force: true });
        await blobs.deleteContainer(container).catch(() => undefined);
        await blobs.deleteContainer(scratch).catch(() => undefined);
        await blobs.deleteContainer(copySource).catch(() => undefined);
        blobs.destroy();
    });

    it("up creates the containers, syncs the tree and mounts it on both hosts", async () => {
        assert.equal(await blobs.containerExists(container), false);
        await up();
        assert.equal(await blobs.containerExists(container), true);
        assert.equal(await blobs.containerExists(scratch), true);
        // "out" is the directory marker geesefs wrote when the writable volume made its prefix.
        // Every blob: skymount keeps nothing of its own in the container.
        const userBlobs = async (c: string) => (await blobs.listAllBlobs(c)).sort();
        assert.deepEqual(await userBlobs(container), ["big.bin", "iris/iris.csv", "iris/notes.txt", "out"]);
        assert.equal(
            (await blobs.request("GET", blobPath(container, "big.bin"), {}, [200])).headers["content-length"],
            String(40 * 1024 * 1024),
        );
        // The copied prefix lands under its basename; the rest of the source container does not.
        assert.deepEqual(await userBlobs(scratch), ["iris/a.csv", "iris/deep/b.csv"]);
        assert.equal(await blobs.getBlobText(scratch, "iris/deep/b.csv"), "b1\n");
        for (const host of testbed.hosts) {
            assert.equal(await onHost(host, "cat /azdata/iris.csv"), IRIS.trimEnd(), host.name);
            assert.equal(await onHost(host, "ls /azall"), "big.bin\niris\nout", host.name);
            assert.equal(await onHost(host, "cat /azsnap/notes.txt"), "v1", host.name);
            // One FUSE mount of the container per host, through the mount's own wrapper.
            assert.equal(
                await onHost(host, `awk '$3 == "fuse.geesefs" && $2 ~ "^/var/lib/skymount/mnt/${container}-" { print $1 }' /proc/mounts`),
                container,
            );
            assert.match(
                await onHost(host, "cat /etc/fstab"),
                new RegExp(
                    `^/etc/skymount/credentials/azure-[0-9a-f]{10}/geesefs#wasb://${container} /var/lib/skymount/mnt/${container}-[0-9a-f]{10} fuse _netdev,--endpoint=${testbed.azure.endpoint},`,
                    "m",
                ),
            );
        }
    });

    it("refuses writes to read-only volumes with EROFS", async () => {
        for (const target of ["/azdata/new.txt", "/azall/new.txt", "/azsnap/new.txt"]) {
            assert.match(await onHost(h1, `touch ${target} 2>&1 || true`), /Read-only file system/, target);
        }
    });

    it("shares writes: a file written on host 1 is seen on host 2 and in the container", async () => {
        await onHost(h1, "echo 'model v1' > /azout/model.txt");
        assert.equal(await eventually("model.txt on h2", () => onHost(h2, "cat /azout/model.txt")), "model v1");
        assert.equal(await blobs.getBlobText(container, "out/model.txt"), "model v1\n");
    });

    it("re-uploads a changed file alone", async () => {
        const before = { iris: await etag("iris/iris.csv"), big: await etag("big.bin"), notes: await etag("iris/notes.txt") };
        writeFileSync(path.join(sourceDir, "iris", "notes.txt"), "v2\n");
        const result = await up();
        assert.equal(result.outputs.summary.value, "0 added; 1 changed (iris/notes.txt); 0 removed");
        assert.deepEqual(result.summary.resourceChanges, { update: 1, same: result.summary.resourceChanges!.same });
        assert.equal(await blobs.getBlobText(container, "iris/notes.txt"), "v2\n");
        assert.notEqual(await etag("iris/notes.txt"), before.notes);
        assert.equal(await etag("iris/iris.csv"), before.iris);
        assert.equal(await etag("big.bin"), before.big);
    });

    it("copies a changed source blob alone, and never writes to the source container", async () => {
        const before = await etag("iris/deep/b.csv", scratch);
        const sourceEtags = await Promise.all(["sets/iris/deep/b.csv", "sets/other.txt"].map((b) => etag(b, copySource)));
        await putText(copySource, "sets/iris/a.csv", "a2\n");
        const preview = await stack.preview();
        assert.equal(preview.changeSummary.update, 1);
        const result = await up();
        assert.equal(result.outputs.copySummary.value, "0 added; 1 changed (a.csv); 0 removed");
        assert.equal(await blobs.getBlobText(scratch, "iris/a.csv"), "a2\n");
        assert.equal(await etag("iris/deep/b.csv", scratch), before);
        assert.deepEqual(await Promise.all(["sets/iris/deep/b.csv", "sets/other.txt"].map((b) => etag(b, copySource))), sourceEtags);
        // A copy pins the version it listed: a source changed since then fails instead of landing.
        const store = openCopyStore(
            { kind: "azure", endpoint: testbed.azure.endpoint },
            { accessKey: testbed.azure.account, secretKey: testbed.azure.key },
        );
        try {
            const stale = { bucket: copySource, key: "sets/iris/a.csv", fingerprint: `3:${String(before).replace(/"/g, "")}` };
            await assert.rejects(
                store.copy(stale, scratch, "iris/stale.csv"),
                /sets\/iris\/a.csv changed since it was listed; run up again/,
            );
        } finally {
            store.close();
        }
    });

    it("a second up with no change runs nothing", async () => {
        const pids = await onHost(h1, AZURE_GEESEFS_PIDS);
        const preview = await stack.preview();
        assert.deepEqual(Object.keys(preview.changeSummary), ["same"]);
        const result = await up();
        assert.deepEqual(Object.keys(result.summary.resourceChanges!), ["same"]);
        assert.equal(await onHost(h1, AZURE_GEESEFS_PIDS), pids, "no mount was redone");
    });

    it("brings the mounts back after a reboot (geesefs killed, then what boot runs: mount -a)", async () => {
        await onHost(h1, `${AZURE_GEESEFS_PIDS} | xargs -r kill -9`);
        await assert.rejects(onHost(h1, "cat /azdata/iris.csv"), /exited with/);
        await onHost(
            h1,
            `for m in $(awk '$2 ~ "^/var/lib/skymount/mnt/${container}-|^/(azdata|azall|azout|azsnap)$" { print $2 }' /proc/mounts | sort -r); do umount -l "$m"; done; mount -a`,
        );
        assert.equal(await onHost(h1, "cat /azdata/iris.csv"), IRIS.trimEnd());
        assert.equal(await onHost(h1, "cat /azsnap/notes.txt"), "v1");
        assert.match(await onHost(h1, "touch /azall/x 2>&1 || true"), /Read-only file system/);
        await onHost(h1, "echo 'after reboot' > /azout/reboot.txt");
        assert.equal(await eventually("reboot.txt on h2", () => onHost(h2, "cat /azout/reboot.txt")), "after reboot");
    });

    it("keeps the account key out of state, fstab, host command lines and logs", async () => {
        const key = testbed.azure.key;
        assert.ok(!readTree(backendDir).includes(key), "the account key is in plaintext state");
        assert.ok(!outputs.join("\n").includes(key), "the account key is in pulumi's output");
        for (const host of testbed.hosts) {
            // The key travels on stdin (never in this probe's own command line); only a count comes back.
            // grep reads the key from a file: as an argument it would be in grep's own command line.
            const probe = `k=$(mktemp); cat > "$k"; { cat /etc/fstab; cat /proc/[0-9]*/cmdline 2>/dev/null | tr '\\0' '\\n'; cat /var/log/skymount/* 2>/dev/null; } | grep -cFf "$k" || true; rm -f "$k"`;
            const result = await execOverSsh(connectionTo(host), probe, key);
            assert.equal(result.stdout.trim(), "0", `${host.name}: ${result.stderr}`);
        }
    });

    it("destroy unmounts, leaves the hosts clean, keeps the persistent container and removes the scratch one", async () => {
        const result = await stack.destroy();
        assert.equal(result.summary.result, "succeeded");
        for (const host of testbed.hosts) {
            assert.equal(await onHost(host, `grep -c '${container}' /proc/mounts /etc/fstab | grep -v ':0$' || true`), "", host.name);
            assert.equal(await onHost(host, `ls -d ${VOLUME_PATHS.join(" ")} 2>/dev/null || true`), "", host.name);
            assert.equal(await onHost(host, "ls -d /etc/skymount/credentials/azure-* 2>/dev/null || true"), "", host.name);
        }
        assert.equal(await blobs.containerExists(container), true);
        assert.deepEqual((await blobs.listAllBlobs(container)).filter((b) => !b.startsWith("out") && !b.startsWith(".skymount/")).sort(), [
            "big.bin",
            "iris/iris.csv",
            "iris/notes.txt",
        ]);
        assert.equal(await blobs.containerExists(scratch), false);
        assert.deepEqual((await blobs.listAllBlobs(copySource)).sort(), ["sets/iris/a.csv", "sets/iris/deep/b.csv", "sets/other.txt"]);
    });
});
