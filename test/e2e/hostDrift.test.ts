// Drift that `pulumi refresh` sees on hosts: what skymount made, changed out of band (an fstab entry
// removed, a bind mount unmounted or made writable, a bucket's FUSE mount unmounted), is reported by
// refresh on exactly the resources it concerns, and `up` (or `up --refresh`) reruns exactly those
// commands and nothing else; the data is readable again, and a refresh with no drift changes nothing.
// One stack spans two hosts of each kind: h1 and h2 without an init system, s1 and s2 booting systemd,
// where a bucket's boot entry is its service rather than an fstab line (s1 has its unit file removed
// where h1 has its fstab entry removed, s2 its unit disabled; otherwise s1 and s2 take h1's and h2's faults).
import { CreateBucketCommand, DeleteBucketCommand, DeleteObjectsCommand, ListObjectsV2Command, PutObjectCommand } from "@aws-sdk/client-s3";
import type { Stack } from "@pulumi/pulumi/automation";
import assert from "node:assert/strict";
import { readFileSync, rmSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { fuseMountDir, mountUnitFile } from "./support/hostMounts";
import { onHost, readTree, requireTestbed, s3ClientFor, stackFor, TestbedHost, uniqueName } from "./support/testbed";

interface StateResource {
    urn: string;
    type: string;
    outputs?: { drift?: string };
}

describe("host drift and refresh", () => {
    const testbed = requireTestbed();
    const [h1, h2] = testbed.hosts;
    const [s1, s2] = testbed.systemdHosts;
    const hosts = [h1, h2, s1, s2];
    const s3 = s3ClientFor(testbed);
    const bucket = uniqueName("hdrift");
    const ro = `/${bucket}`;
    const rw = `/${bucket}-w`;
    const volumes = [
        { bucket, mount: ro },
        { bucket, mount: rw, prefix: "w", readOnly: false },
    ];
    // Per host: the install, and per volume its share of the bucket's FUSE mount and its bind mount; plus stack and component.
    const resourceCount = hosts.length * 5 + 2;
    let stack: Stack;
    let backendDir: string;

    const fuseDir = (host: TestbedHost) => fuseMountDir(host, bucket);
    /** geesefs serving this test's bucket on a host (the hosts without init share one pid namespace). */
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
        assert.ok(h2 && s2, "the testbed needs two hosts and two systemd hosts: up --hosts 2 --systemd-hosts 2");
        await s3.send(new CreateBucketCommand({ Bucket: bucket }));
        await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "data.txt", Body: "data\n" }));
        await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "w/out.txt", Body: "out\n" }));
        ({ stack, backendDir } = await stackFor("volumes", {
            volumes: JSON.stringify(volumes),
            hosts: hosts.map((h) => h.name).join(","),
        }));
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
        for (const host of hosts) assert.equal(await onHost(host, `cat ${ro}/data.txt ${rw}/out.txt`), "data\nout");
        const started = Date.now();
        const refresh = await stack.refresh();
        console.log(`refresh of ${resourceCount} resources without drift: ${((Date.now() - started) / 1000).toFixed(1)} s`);
        assert.deepEqual(refresh.summary.resourceChanges, { same: resourceCount });
        assert.deepEqual(await drifted(), []);
        const up = await stack.up();
        assert.deepEqual(up.summary.resourceChanges, { same: resourceCount });
    });

    it("refresh reports a boot entry removed or disabled on one host and a bind mount unmounted on the other, and nothing else", async () => {
        const mountDir1 = await fuseDir(h1);
        assert.match(mountDir1, /^\/var\/lib\/skymount\/mnt\//);
        const pids = await Promise.all(hosts.map(geesefsPid));
        assert.ok(
            pids.every((pid) => /^\d+$/.test(pid)),
            pids.join(" "),
        );
        const unitFile = await mountUnitFile(s1, bucket);
        const unit = unitFile.split("/").pop()!;
        // Out of band: the entry (and its "# skymount:<id>" tag line) leaves h1's fstab; h2's read-only volume is unmounted.
        await onHost(
            h1,
            `flock /run/skymount-fstab.lock awk -v d="${mountDir1}" '{ l[++n] = $0 } END { for (i = 1; i <= n; i++) { if (i < n && index(l[i], "# skymount:") == 1 && split(l[i + 1], f, " ") >= 2 && f[2] == d) { i++; continue } print l[i] } }' /etc/fstab > /tmp/${bucket}.fstab && cat /tmp/${bucket}.fstab > /etc/fstab && rm -f /tmp/${bucket}.fstab`,
        );
        const entries = () => onHost(h1, `awk -v d="${mountDir1}" '$2 == d' /etc/fstab | wc -l`);
        assert.equal(await entries(), "0");
        await onHost(h2, `umount ${ro}`);
        // On the systemd hosts: s1's unit file removed (and systemd told), s2's unit disabled; s2's read-only volume unmounted.
        await onHost(s1, `rm ${unitFile} && systemctl daemon-reload`);
        await onHost(s2, `systemctl disable ${unit} 2>/dev/null && umount ${ro}`);

        const refresh = await stack.refresh();
        // h1, s1 and s2: both volumes' holds of the bucket's FUSE mount check its boot entry; h2 and s2: the volume unmounted.
        assert.deepEqual(refresh.summary.resourceChanges, { update: 8, same: resourceCount - 8 });
        const found = await drifted();
        const expected = [`h1-mount${ro}`, `h1-mount${rw}`, `h2-present${ro}`, `s1-mount${ro}`, `s1-mount${rw}`];
        assert.deepEqual(found, [...expected, `s2-mount${ro}`, `s2-mount${rw}`, `s2-present${ro}`]);
        const state = (await stack.exportStack()).deployment.resources as StateResource[];
        const driftOf = (name: string) => state.find((r) => r.urn.endsWith(`vol-${name}`))!.outputs!.drift!;
        assert.match(driftOf(`h1-mount${ro}`), /\/etc\/fstab: the entry for \/var\/lib\/skymount\/mnt\/\S+ is missing or changed/);
        assert.match(driftOf(`s1-mount${rw}`), new RegExp(`${unitFile} is missing \\(a reboot would not remount /var/lib/skymount/mnt/`));
        assert.match(driftOf(`s2-mount${ro}`), new RegExp(`${unit} is not enabled \\(a reboot would not remount`));
        for (const host of ["h2", "s2"]) assert.match(driftOf(`${host}-present${ro}`), new RegExp(`${ro} is not mounted`));
        // The refreshed state keeps the connection and the keys secret.
        const text = readTree(backendDir);
        assert.ok(!text.includes(readFileSync(h1.privateKeyPath, "utf8").split("\n")[1]), "the SSH private key is in plaintext state");
        assert.ok(!text.includes(testbed.s3.secretKey), "the S3 secret key is in plaintext state");

        // The next up reruns exactly those eight commands.
        const preview = await stack.preview();
        assert.deepEqual(preview.changeSummary, { update: 8, same: resourceCount - 8 });
        const up = await stack.up();
        assert.deepEqual(up.summary.resourceChanges, { update: 8, same: resourceCount - 8 });
        assert.equal(await entries(), "1");
        // The entry is back ahead of the binds that point into it (boot mounts in file order).
        const order = await onHost(
            h1,
            `grep -n -e "^\\S* ${mountDir1} " -e "requires-mounts-for=${mountDir1}[ ,]" /etc/fstab | cut -d: -f1`,
        );
        const [fuseLine, ...bindLines] = order.split("\n").map(Number);
        assert.ok(bindLines.length === 2 && bindLines.every((l) => l > fuseLine), order);
        // The unit is back and enabled on the systemd hosts, its service still the same geesefs.
        for (const host of [s1, s2]) assert.equal(await onHost(host, `systemctl is-enabled ${unit}`), "enabled", host.name);
        for (const host of [h2, s2]) assert.equal(await onHost(host, `cat ${ro}/data.txt`), "data");
        assert.deepEqual(await Promise.all(hosts.map(geesefsPid)), pids, "no mount was redone");
        assert.deepEqual(await drifted(), []);
    });

    it("up --refresh repairs a FUSE mount unmounted and a volume made writable, exactly those", async () => {
        const pids = [await geesefsPid(h2), await geesefsPid(s2)];
        for (const host of [h1, s1]) await onHost(host, `umount -l ${await fuseDir(host)}`);
        for (const host of [h2, s2]) await onHost(host, `mount -o remount,bind,ro ${rw}`);
        const started = Date.now();
        const up = await stack.up({ refresh: true });
        console.log(`up --refresh repairing 10 resources on 4 hosts: ${((Date.now() - started) / 1000).toFixed(1)} s`);
        // h1 and s1: both volumes' holds of its FUSE mount and their bind mounts; h2 and s2: the volume that turned read-only.
        assert.deepEqual(up.summary.resourceChanges, { update: 10, same: resourceCount - 10 });
        for (const host of hosts) assert.equal(await onHost(host, `cat ${ro}/data.txt ${rw}/out.txt`), "data\nout", host.name);
        for (const host of [h2, s2]) await onHost(host, `echo new > ${rw}/new.txt && rm ${rw}/new.txt`);
        assert.deepEqual([await geesefsPid(h2), await geesefsPid(s2)], pids, "h2's and s2's mounts were not redone");
        assert.deepEqual(await drifted(), []);
    });

    it("afterwards a refresh finds nothing and an up runs no remote command", async () => {
        const refresh = await stack.refresh();
        assert.deepEqual(refresh.summary.resourceChanges, { same: resourceCount });
        const up = await stack.up();
        assert.deepEqual(up.summary.resourceChanges, { same: resourceCount });
    });
});
