// A host that is gone does not block `pulumi destroy`: the delete of a command on it gives up after
// its dial timeout and destroy finishes (the host's files are its own business once it is gone). Two
// hosts are gone at once: h2 (no init system) and s1 (booting systemd).
import { CreateBucketCommand, DeleteBucketCommand, DeleteObjectCommand } from "@aws-sdk/client-s3";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";
import { after, describe, it } from "node:test";
import { onHost, requireTestbed, s3ClientFor, stackFor, uniqueName } from "./support/testbed";

describe("destroy with a host that no longer answers", () => {
    const testbed = requireTestbed();
    const s3 = s3ClientFor(testbed);
    const [h1, h2] = testbed.hosts;
    const [s1] = testbed.systemdHosts;
    const gone = [h2, s1];
    const bucket = uniqueName("gone");
    const link = (state: "up" | "down") => {
        for (const host of gone) execFileSync("ip", ["link", "set", host.netns, state]);
    };

    after(async () => {
        link("up");
        for (const host of gone) await onHost(host, `rm -f /var/tmp/skymount-smoke-${bucket}.runs`).catch(() => undefined);
        await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: "k" })).catch(() => undefined);
        await s3.send(new DeleteBucketCommand({ Bucket: bucket })).catch(() => undefined);
    });

    it("finishes, skipping the commands on the unreachable host", async () => {
        await s3.send(new CreateBucketCommand({ Bucket: bucket }));
        assert.ok(h2 && s1, "the testbed needs two hosts and a systemd host: up --hosts 2 --systemd-hosts 1");
        const hosts = [h1, ...gone].map((h) => h.name).join(",");
        const { stack, backendDir } = await stackFor("smoke", { bucket, objectKey: "k", payload: "p", hosts });
        try {
            await stack.up();
            // The host's side of the testbed network goes away: it stops answering at all.
            link("down");
            const started = Date.now();
            const result = await stack.destroy();
            assert.equal(result.summary.result, "succeeded");
            const tookMs = Date.now() - started;
            console.log(`[figure] destroy with ${gone.map((h) => h.name).join(" and ")} unreachable: ${tookMs} ms`);
            assert.ok(tookMs < 120_000, "destroy took more than two minutes");
            // The skipped delete says which host and why (the serialized provider once lost the reason).
            const output = `${result.stdout}\n${result.stderr}`;
            for (const host of gone) {
                const target = `root@${host.address.replace(/\./g, "\\.")}:22`;
                assert.match(output, new RegExp(`skipped delete on ${target}: host unreachable \\((?!undefined)`), host.name);
            }
            assert.equal(((await stack.exportStack()).deployment as { resources?: unknown[] }).resources?.length ?? 0, 0);
            // The reachable hosts were cleaned up as usual.
            assert.equal(await onHost(h1, `ls /var/tmp/skymount-smoke-${bucket}.runs 2>/dev/null || true`), "");
        } finally {
            await stack.workspace.removeStack("e2e").catch(() => undefined);
            rmSync(backendDir, { recursive: true, force: true });
        }
    });
});
