// Two stacks that mount one bucket on one host share its one FUSE mount. When they ask for other
// mount options, the second `up` fails naming the other holder, the option and both values, and the
// mount stays as the first made it; with the same options both are served by one geesefs. Both stacks
// span h1 (no init system) and s1 (booting systemd, where the mount is a service): each host's mount
// command refuses on its own.
import { CreateBucketCommand, DeleteBucketCommand, DeleteObjectsCommand, ListObjectsV2Command, PutObjectCommand } from "@aws-sdk/client-s3";
import { LocalWorkspace, Stack } from "@pulumi/pulumi/automation";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { onHost, programsDir, requireTestbed, s3ClientFor, TestbedHost, uniqueName } from "./support/testbed";

describe("holders of one bucket on one host agree or are told", () => {
    const testbed = requireTestbed();
    const [h1] = testbed.hosts;
    const [s1] = testbed.systemdHosts;
    const hosts = [h1, s1];
    const s3 = s3ClientFor(testbed);
    const bucket = uniqueName("holders");
    const backendDir = mkdtempSync(path.join(tmpdir(), "skymount-holders-"));
    const stacks: Stack[] = [];
    /** The geesefs processes of this bucket's mount on a host, with their command lines. */
    const geesefsOn = (host: TestbedHost) =>
        onHost(
            host,
            `me=$(readlink /proc/self/ns/mnt); for p in $(pgrep -x geesefs); do [ "$(readlink /proc/$p/ns/mnt)" = "$me" ] && tr '\\0' ' ' < /proc/$p/cmdline | grep -F " ${bucket} " | sed "s/^/$p /"; done; true`,
        );

    const stackNamed = async (name: string, mount: string, geesefs: Record<string, unknown>) => {
        const stack = await LocalWorkspace.createOrSelectStack(
            { stackName: name, workDir: path.join(programsDir, "volumes") },
            { envVars: { PULUMI_BACKEND_URL: `file://${backendDir}`, PULUMI_CONFIG_PASSPHRASE: "skymount-e2e" } },
        );
        await stack.setAllConfig({
            volumes: { value: JSON.stringify([{ bucket, mount }]) },
            geesefs: { value: JSON.stringify(geesefs) },
            hosts: { value: hosts.map((h) => h.name).join(",") },
        });
        stacks.push(stack);
        return stack;
    };
    const upFails = async (stack: Stack) => {
        try {
            await stack.up();
        } catch (err) {
            return (err as Error).message;
        }
        assert.fail(`${stack.name}: up succeeded`);
    };

    /** The geesefs processes of this bucket's mount on every host. */
    const geesefsOfBucket = async () => (await Promise.all(hosts.map(geesefsOn))).join("\n");
    /** Each host's mount command refused on its own: a failure on each host, and the refusal (the
     *  engine shows each failure twice: on its row and in the diagnostics). */
    const refusedOnEach = (message: string, refusal: RegExp) => {
        for (const host of hosts) {
            const target = `root@${host.address.replace(/\./g, "\\.")}:22`;
            assert.match(message, new RegExp(`(create|update) on ${target} exited with 1`), host.name);
        }
        assert.ok([...message.matchAll(new RegExp(refusal.source, "g"))].length >= hosts.length, message);
    };

    before(async () => {
        assert.ok(s1, "the testbed needs a systemd host: up --systemd-hosts 1");
        await s3.send(new CreateBucketCommand({ Bucket: bucket }));
        await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "x.txt", Body: "x\n" }));
    });

    after(async () => {
        for (const stack of stacks) {
            await stack.destroy().catch(() => undefined);
            await stack.workspace.removeStack(stack.name).catch(() => undefined);
        }
        rmSync(backendDir, { recursive: true, force: true });
        const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
        const keys = (listed.Contents ?? []).map((o) => ({ Key: o.Key! }));
        if (keys.length) await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys } }));
        await s3.send(new DeleteBucketCommand({ Bucket: bucket }));
    });

    it("a second stack asking for other options fails naming the holder, the option and both values; the mount is untouched", async () => {
        const a = await stackNamed("holders-a", "/holder-a", {});
        assert.equal((await a.up()).summary.result, "succeeded");
        const served = await geesefsOfBucket();
        assert.equal(served.split("\n").length, hosts.length, served);
        assert.doesNotMatch(served, /--memory-limit/);
        const b = await stackNamed("holders-b", "/holder-b", { memoryLimitMb: 300, statCacheTtlSeconds: 5 });
        const message = await upFails(b);
        refusedOnEach(message, new RegExp(`bucket ${bucket} at /var/lib/skymount/mnt/${bucket}-\\w+ has one FUSE mount on this host`));
        assert.match(
            message,
            /held by skymount-e2e-volumes\/holders-a\/vol:\/holder-a \(\/var\/lib\/skymount\/holders\/\w+\/\w+\) with other options:/,
        );
        assert.match(message, /--memory-limit: unset there, 300 here/);
        assert.match(message, /--stat-cache-ttl: 60s there, 5s here/);
        assert.equal(await geesefsOfBucket(), served, "stack A's mount kept its geesefs and options");
        for (const host of hosts) assert.equal(await onHost(host, "cat /holder-a/x.txt"), "x");
    });

    it("with the same options both stacks share one geesefs; then a change by either is refused while the other holds", async () => {
        const served = await geesefsOfBucket();
        const b = await stackNamed("holders-b", "/holder-b", {});
        assert.equal((await b.up()).summary.result, "succeeded");
        for (const host of hosts) assert.equal(await onHost(host, "cat /holder-b/x.txt"), "x");
        assert.equal(await geesefsOfBucket(), served, "one FUSE mount, shared");
        const a = await stackNamed("holders-a", "/holder-a", { memoryLimitMb: 300 });
        refusedOnEach(
            await upFails(a),
            /held by skymount-e2e-volumes\/holders-b\/vol:\/holder-b .* with other options:\n\s+--memory-limit: unset there, 300 here/,
        );
        assert.equal(await geesefsOfBucket(), served);
        // Once B is gone, A's change goes through.
        assert.equal((await b.destroy()).summary.result, "succeeded");
        assert.equal((await a.up()).summary.result, "succeeded");
        const changed = await geesefsOfBucket();
        assert.equal(changed.split("\n").length, hosts.length, changed);
        for (const line of changed.split("\n")) assert.match(line, /--memory-limit=300/);
    });
});
