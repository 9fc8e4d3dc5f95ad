// Drift that `pulumi refresh` sees on hosts: what skymount made, changed out of band (an fstab entry
// removed, a bind mount unmounted or made writable, a bucket's FUSE mount unmounted), is reported by
// refresh on exactly the resources it concerns, and `up` (or `up --refresh`) reruns exactly those
// commands and nothing else; the data is readable again, and a refresh with no drift changes nothing.
import { CreateBucketCommand, DeleteBucketCommand, DeleteObjectsCommand, ListObjectsV2Command, PutObjectCommand } from "@aws-sdk/client-s3";
import type { Stack } from "@pulumi/pulumi/automation";
import assert from "node:assert/strict";
import { readFileSync, rmSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { onHost, readTree, requireTestbed, s3ClientFor, stackFor, TestbedHost, uniqueName } from "./support/testbed";

interface StateResource {
    urn: string;
    type: string;
    outputs?: { drift?: string };
}

describe("host drift and refresh", () => {
    const testbed = requireTestbed();
    const [h1, h2] = testbed.hosts;
    const s3 = s3ClientFor(testbed);
    const bucket = uniqueName("hdrift");
    const ro = `/${bucket}`;
    const rw = `/${bucket}-w`;
    const volumes = [
        { bucket, mount: ro },
        { bucket, mount: rw, prefix: "w", readOnly: false },
    ];
    // Per host: install, one FUSE mount, two bind mounts; plus the stack and the component.
    // Per host: the install, and per volume its share of the bucket's FUSE mount and its bind mount; plus stack and component.
    const resourceCount = testbed.hosts.length * 5 + 2;
    let stack: Stack;
    let backendDir: string;

    /** The FUSE mount point of this test's bucket on a host (from its fstab entry). */
    const fuseDir = (host: TestbedHost) => onHost(host, `awk '$1 ~ "#${bucket}$" { print $2 }' /etc/fstab`);
    /** geesefs serving this test's bucket on a host (the hosts share one pid namespace). */
    const geesefsPid = (host: TestbedHost) =>
        onHost(
            host,
            `me=$(readlink /proc/self/ns/mnt); for p in $(pgrep -x geesefs); do [ "$(readlink /proc/$p/ns/mnt 2>/dev/null)" = "$me" ] && tr '\\0' ' ' < /proc/$p/cmdline | grep -q " ${bucket} " && echo $p; done; true`,
        );
    /** Resource names whose state records drift: "<host>-<kind>…". */
    const drifted = async () =>
        ((await stack.exportStack()).deployment.resources as StateResource[])
            .filter((r) => r.outputs?.drift)
            .map((r) => r.urn.split("::").pop()!.replace(/^vol-/, ""))
            .sort();

    before(async () => {
        assert.ok(testbed.hosts.length >= 2, "the testbed needs two hosts");
        await s3.send(new CreateBucketCommand({ Bucket: bucket }));
        await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "data.txt", Body: "data\n" }));
        await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "w/out.txt", Body: "out\n" }));
        ({ stack, backendDir } = await stackFor("volumes", { volumes: JSON.stringify(volumes) }));
    });

    after(async () => {
        await stack?.destroy().catch(() => undefined);
        await stack?.workspace.removeStack("e2e").catch(() => undefined);
        rmSync(backendDir, { recursive: true, force: true });
        const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
        const keys = (listed.Contents ?? []).map((o) => ({ Key: o.Key! }));
        if (keys.length) await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys } }));
        await s3.send(new DeleteBucketCommand({ Bucket: bucket }));
    });

    it("up mounts; a refresh with no drift changes nothing", async () => {
        await stack.up();
        for (const host of testbed.hosts) assert.equal(await onHost(host, `cat ${ro}/data.txt ${rw}/out.txt`), "data\nout");
        const started = Date.now();
        const refresh = await stack.refresh();
        console.log(`refresh of ${resourceCount} resources without drift: ${((Date.now() - started) / 1000).toFixed(1)} s`);
        assert.deepEqual(refresh.summary.resourceChanges, { same: resourceCount });
        assert.deepEqual(await drifted(), []);
        const up = await stack.up();
        assert.deepEqual(up.summary.resourceChanges, { same: resourceCount });
    });

    it("refresh reports an fstab entry removed on one host and a bind mount unmounted on the other, and nothing else", async () => {
        const [mountDir1, pid1, pid2] = [await fuseDir(h1), await geesefsPid(h1), await geesefsPid(h2)];
        assert.match(mountDir1, /^\/var\/lib\/skymount\/mnt\//);
        // Out of band: the entry (and its "# skymount:<id>" tag line) leaves h1's fstab; h2's read-only volume is unmounted.
        await onHost(
            h1,
            `flock /run/skymount-fstab.lock awk -v d="${mountDir1}" '{ l[++n] = $0 } END { for (i = 1; i <= n; i++) { if (i < n && index(l[i], "# skymount:") == 1 && split(l[i + 1], f, " ") >= 2 && f[2] == d) { i++; continue } print l[i] } }' /etc/fstab > /tmp/${bucket}.fstab && cat /tmp/${bucket}.fstab > /etc/fstab && rm -f /tmp/${bucket}.fstab`,
        );
        const entries = () => onHost(h1, `awk -v d="${mountDir1}" '$2 == d' /etc/fstab | wc -l`);
        assert.equal(await entries(), "0");
        await onHost(h2, `umount ${ro}`);

        const refresh = await stack.refresh();
        // h1: both volumes' holds of the bucket's FUSE mount check its fstab entry; h2: the volume unmounted.
        assert.deepEqual(refresh.summary.resourceChanges, { update: 3, same: resourceCount - 3 });
        const found = await drifted();
        assert.deepEqual(found, [`h1-mount${ro}`, `h1-mount${rw}`, `h2-present${ro}`]);
        const state = (await stack.exportStack()).deployment.resources as StateResource[];
        const driftOf = (name: string) => state.find((r) => r.urn.endsWith(`vol-${name}`))!.outputs!.drift!;
        assert.match(driftOf(found[0]), /\/etc\/fstab: the entry for \/var\/lib\/skymount\/mnt\/\S+ is missing or changed/);
        assert.match(driftOf(found[2]), new RegExp(`${ro} is not mounted`));
        // The refreshed state keeps the connection and the keys secret.
        const text = readTree(backendDir);
        assert.ok(!text.includes(readFileSync(h1.privateKeyPath, "utf8").split("\n")[1]), "the SSH private key is in plaintext state");
        assert.ok(!text.includes(testbed.s3.secretKey), "the S3 secret key is in plaintext state");

        // The next up reruns exactly those three commands.
        const preview = await stack.preview();
        assert.deepEqual(preview.changeSummary, { update: 3, same: resourceCount - 3 });
        const up = await stack.up();
        assert.deepEqual(up.summary.resourceChanges, { update: 3, same: resourceCount - 3 });
        assert.equal(await entries(), "1");
        // The entry is back ahead of the binds that point into it (boot mounts in file order).
        const order = await onHost(
            h1,
            `grep -n -e "^\\S* ${mountDir1} " -e "requires-mounts-for=${mountDir1}[ ,]" /etc/fstab | cut -d: -f1`,
        );
        const [fuseLine, ...bindLines] = order.split("\n").map(Number);
        assert.ok(bindLines.length === 2 && bindLines.every((l) => l > fuseLine), order);
        assert.equal(await onHost(h2, `cat ${ro}/data.txt`), "data");
        assert.equal(await geesefsPid(h1), pid1, "h1's mount was not redone");
        assert.equal(await geesefsPid(h2), pid2, "h2's mount was not redone");
        assert.deepEqual(await drifted(), []);
    });

    it("up --refresh repairs a FUSE mount unmounted and a volume made writable, exactly those", async () => {
        const pid2 = await geesefsPid(h2);
        await onHost(h1, `umount -l ${await fuseDir(h1)}`);
        await onHost(h2, `mount -o remount,bind,ro ${rw}`);
        const started = Date.now();
        const up = await stack.up({ refresh: true });
        console.log(`up --refresh repairing 5 resources: ${((Date.now() - started) / 1000).toFixed(1)} s`);
        // h1: both volumes' holds of its FUSE mount and their bind mounts; h2: the volume that turned read-only.
        assert.deepEqual(up.summary.resourceChanges, { update: 5, same: resourceCount - 5 });
        for (const host of testbed.hosts) assert.equal(await onHost(host, `cat ${ro}/data.txt ${rw}/out.txt`), "data\nout");
        await onHost(h2, `echo new > ${rw}/new.txt && rm ${rw}/new.txt`);
        assert.equal(await geesefsPid(h2), pid2, "h2's mount was not redone");
        assert.deepEqual(await drifted(), []);
    });

    it("afterwards a refresh finds nothing and an up runs no remote command", async () => {
        const refresh = await stack.refresh();
        assert.deepEqual(refresh.summary.resourceChanges, { same: resourceCount });
        const up = await stack.up();
        assert.deepEqual(up.summary.resourceChanges, { same: resourceCount });
    });
});
