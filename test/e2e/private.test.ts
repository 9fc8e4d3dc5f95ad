// Volumes on a shared machine: the stack logs in as a non-root user with passwordless sudo (as on
// every cloud image), and other local accounts of the host try the volumes. Private by default
// (neither list, read nor write), then shared with the login's group (a member reads and writes, a
// non-member still cannot), then with everyone (others read). skymount's keys, logs and state stay
// root's alone throughout.
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
        for (const host of testbed.hosts) {
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
        ({ stack, backendDir } = await stackFor("volumes", { volumes: JSON.stringify(volumes), user: LOGIN }));
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
        assert.deepEqual(await accessOf(h1, LOGIN, "/team", "plan.txt"), { list: true, read: true, write: true });
        assert.equal(await succeedsAs(h1, LOGIN, "cat /snapshot/plan.txt"), true);
        for (const user of [MEMBER, STRANGER]) {
            assert.deepEqual(await accessOf(h1, user, "/team", "plan.txt"), { list: false, read: false, write: false }, user);
            assert.equal(await succeedsAs(h1, user, "ls /snapshot"), false, `${user} lists the copy`);
            assert.equal(await succeedsAs(h1, user, "cat /snapshot/plan.txt"), false, `${user} reads the copy`);
        }
        assert.equal(
            await onHost(h1, "stat -c '%U %a' /team /team/plan.txt /snapshot/plan.txt"),
            `${LOGIN} 700\n${LOGIN} 600\n${LOGIN} 600`,
        );
    });

    it("keeps keys, logs, the supervisor's state and the caches from other accounts", async () => {
        const paths = ["/etc/skymount/credentials", "/var/log/skymount", "/var/lib/skymount/supervised", "/var/cache/skymount"];
        for (const path of paths) assert.equal(await succeedsAs(h1, STRANGER, `ls ${path}`), false, path);
        for (const file of await onHost(h1, "ls -d /etc/skymount/credentials/* /var/log/skymount/*.log /var/lib/skymount/specs/*").then(
            (out) => out.split("\n"),
        )) {
            assert.equal(await succeedsAs(h1, STRANGER, `cat ${file}`), false, file);
            assert.equal(await succeedsAs(h1, LOGIN, `cat ${file}`), false, `${file} without sudo`);
        }
    });

    it("shared with the group, a member reads and writes and a non-member still cannot", async () => {
        await upWith({ shareWith: "group" });
        assert.deepEqual(await accessOf(h1, MEMBER, "/team", "plan.txt"), { list: true, read: true, write: true });
        assert.equal(await succeedsAs(h1, MEMBER, "cat /snapshot/plan.txt"), true);
        assert.deepEqual(await accessOf(h1, STRANGER, "/team", "plan.txt"), { list: false, read: false, write: false });
        assert.equal(await succeedsAs(h1, STRANGER, "cat /snapshot/plan.txt"), false);
        // The member's file is in the bucket, owned by the login user like every other.
        assert.equal(await onHost(h1, `stat -c '%U %a' /team/by-${MEMBER}.txt`), `${LOGIN} 660`);
    });

    it("shared with everyone, every account reads", async () => {
        await upWith({ shareWith: "everyone" });
        assert.equal(await succeedsAs(h1, STRANGER, "ls /team && cat /team/plan.txt"), true);
        assert.equal(await succeedsAs(h1, STRANGER, "cat /snapshot/plan.txt"), true);
        // The copy stays read-only for all: its bind mount is.
        assert.equal(await succeedsAs(h1, LOGIN, "touch /snapshot/new.txt"), false);
    });
});
