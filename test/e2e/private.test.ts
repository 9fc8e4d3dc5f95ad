// Volumes on a shared machine: the stack logs in as a non-root user with passwordless sudo (as on
// every cloud image), and other local accounts of the host try the volumes. Private by default
// (neither list, read nor write), then shared with the login's group (a member reads and writes, a
// non-member still cannot), then with everyone (others read). skymount's keys, logs and state stay
// root's alone throughout. On two hosts: h1 (no init system) and s1 (booting systemd, where each
// bucket's geesefs is a service).
import { CreateBucketCommand, DeleteBucketCommand, DeleteObjectsCommand, ListObjectsV2Command, PutObjectCommand } from "@aws-sdk/client-s3";
import type { Stack } from "@pulumi/pulumi/automation";
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { execOverSsh } from "../../src/remote/sshExec";
import { connectionTo, onHost, requireTestbed, s3ClientFor, stackFor, TestbedHost, uniqueName } from "./support/testbed";

/** The SSH login (sudo), a member of its group, and an account of its own. */
const LOGIN = "skylogin";
const MEMBER = "skymember";
const STRANGER = "skystranger";

/** Whether `command` succeeds when `user` runs it on the host (root runs `runuser` to become them). */
async function succeedsAs(host: TestbedHost, user: string, command: string): Promise<boolean> {
    const result = await execOverSsh(connectionTo(host), `runuser -u ${user} -- sh -c '${command}' > /dev/null 2>&1`);
    return result.exitCode === 0;
}

/** What a user can do with a volume: list it, read a file, write a new one. */
async function accessOf(host: TestbedHost, user: string, dir: string, file: string) {
    return {
        list: await succeedsAs(host, user, `ls ${dir}`),
        read: await succeedsAs(host, user, `cat ${dir}/${file}`),
        write: await succeedsAs(host, user, `echo ${user} > ${dir}/by-${user}.txt`),
    };
}

describe("volumes private to their login user on a shared machine", () => {
    const testbed = requireTestbed();
    const [h1] = testbed.hosts;
    const [s1] = testbed.systemdHosts;
    const hosts = [h1, s1];
    const s3 = s3ClientFor(testbed);
    const bucket = uniqueName("private");
    const volumes = [
        { bucket, mount: "/team", readOnly: false },
        { bucket, mount: "/snapshot", mode: "COPY" },
    ];
    let stack: Stack;
    let backendDir: string;

    const upWith = async (geesefs: Record<string, unknown>) => {
        await stack.setConfig("geesefs", { value: JSON.stringify(geesefs) });
        const result = await stack.up();
        assert.equal(result.summary.result, "succeeded");
    };

    before(async () => {
        await s3.send(new CreateBucketCommand({ Bucket: bucket }));
        await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "plan.txt", Body: "the team's plan\n" }));
        assert.ok(s1, "the testbed needs a systemd host: up --systemd-hosts 1");
        for (const host of hosts) {
            // A locked account ("!" password) may not log in over SSH without PAM: "*" has no password
            // and is not locked, as on cloud images. Every account authenticates with the testbed's key.
            await onHost(
                host,
                [
                    `id ${LOGIN} > /dev/null 2>&1 || useradd -m -s /bin/bash -p '*' ${LOGIN}`,
                    `echo '${LOGIN} ALL=(ALL) NOPASSWD:ALL' > /etc/sudoers.d/${LOGIN} && chmod 0440 /etc/sudoers.d/${LOGIN}`,
                    `id ${MEMBER} > /dev/null 2>&1 || useradd -m -s /bin/sh -G ${LOGIN} ${MEMBER}`,
                    `id ${STRANGER} > /dev/null 2>&1 || useradd -m -s /bin/sh ${STRANGER}`,
                ].join(" && "),
            );
        }
        ({ stack, backendDir } = await stackFor("volumes", {
            volumes: JSON.stringify(volumes),
            user: LOGIN,
            hosts: hosts.map((h) => h.name).join(","),
        }));
    });

    after(async () => {
        await stack?.destroy().catch(() => undefined);
        await stack?.workspace.removeStack("e2e").catch(() => undefined);
        if (backendDir) rmSync(backendDir, { recursive: true, force: true });
        const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
        const keys = (listed.Contents ?? []).map((o) => ({ Key: o.Key! }));
        if (keys.length) await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys } }));
        await s3.send(new DeleteBucketCommand({ Bucket: bucket }));
    });

    it("by default the login user reads and writes, and no other account can list, read or write", async () => {
        await upWith({});
        for (const host of hosts) {
            const on = `on ${host.name}`;
            assert.deepEqual(await accessOf(host, LOGIN, "/team", "plan.txt"), { list: true, read: true, write: true }, on);
            assert.equal(await succeedsAs(host, LOGIN, "cat /snapshot/plan.txt"), true, on);
            for (const user of [MEMBER, STRANGER]) {
                assert.deepEqual(
                    await accessOf(host, user, "/team", "plan.txt"),
                    { list: false, read: false, write: false },
                    `${user} ${on}`,
                );
                assert.equal(await succeedsAs(host, user, "ls /snapshot"), false, `${user} lists the copy ${on}`);
                assert.equal(await succeedsAs(host, user, "cat /snapshot/plan.txt"), false, `${user} reads the copy ${on}`);
            }
            assert.equal(
                await onHost(host, "stat -c '%U %a' /team /team/plan.txt /snapshot/plan.txt"),
                `${LOGIN} 700\n${LOGIN} 600\n${LOGIN} 600`,
                on,
            );
        }
    });

    it("keeps keys, logs, the supervisor's state and the caches from other accounts", async () => {
        const paths = ["/etc/skymount/credentials", "/var/log/skymount", "/var/lib/skymount/supervised", "/var/cache/skymount"];
        for (const host of hosts) {
            for (const path of paths) assert.equal(await succeedsAs(host, STRANGER, `ls ${path}`), false, `${host.name}:${path}`);
            const files = await onHost(host, "ls -d /etc/skymount/credentials/* /var/log/skymount/*.log /var/lib/skymount/specs/*");
            for (const file of files.split("\n")) {
                assert.equal(await succeedsAs(host, STRANGER, `cat ${file}`), false, `${host.name}:${file}`);
                assert.equal(await succeedsAs(host, LOGIN, `cat ${file}`), false, `${host.name}:${file} without sudo`);
            }
        }
    });

    it("shared with the group, a member reads and writes and a non-member still cannot", async () => {
        await upWith({ shareWith: "group" });
        for (const host of hosts) {
            const on = `on ${host.name}`;
            // Each host writes its own file, so the one host's is not there before the other's write.
            const file = `by-${MEMBER}-${host.name}.txt`;
            assert.equal(await succeedsAs(host, MEMBER, `ls /team && cat /team/plan.txt && echo hi > /team/${file}`), true, on);
            assert.equal(await succeedsAs(host, MEMBER, "cat /snapshot/plan.txt"), true, on);
            assert.deepEqual(await accessOf(host, STRANGER, "/team", "plan.txt"), { list: false, read: false, write: false }, on);
            assert.equal(await succeedsAs(host, STRANGER, "cat /snapshot/plan.txt"), false, on);
            // The member's file is in the bucket, owned by the login user like every other.
            assert.equal(await onHost(host, `stat -c '%U %a' /team/${file}`), `${LOGIN} 660`, on);
        }
    });

    it("shared with everyone, every account reads", async () => {
        await upWith({ shareWith: "everyone" });
        for (const host of hosts) {
            const on = `on ${host.name}`;
            assert.equal(await succeedsAs(host, STRANGER, "ls /team && cat /team/plan.txt"), true, on);
            assert.equal(await succeedsAs(host, STRANGER, "cat /snapshot/plan.txt"), true, on);
            // The copy stays read-only for all: its bind mount is.
            assert.equal(await succeedsAs(host, LOGIN, "touch /snapshot/new.txt"), false, on);
        }
    });
});
