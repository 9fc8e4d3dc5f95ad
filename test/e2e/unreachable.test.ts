// A host that is gone does not block `pulumi destroy`: the delete of a command on it gives up after
// its dial timeout and destroy finishes (the host's files are its own business once it is gone).
import { CreateBucketCommand, DeleteBucketCommand, DeleteObjectCommand } from "@aws-sdk/client-s3";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";
import { after, describe, it } from "node:test";
import { onHost, requireTestbed, s3ClientFor, stackFor, uniqueName } from "./support/testbed";

describe("destroy with a host that no longer answers", () => {
    const testbed = requireTestbed();
    const s3 = s3ClientFor(testbed);
    const gone = testbed.hosts[testbed.hosts.length - 1];
    const bucket = uniqueName("gone");
    const link = (state: "up" | "down") => execFileSync("ip", ["link", "set", gone.netns, state]);

    after(async () => {
        link("up");
        await onHost(gone, `rm -f /var/tmp/skymount-smoke-${bucket}.runs`).catch(() => undefined);
        await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: "k" })).catch(() => undefined);
        await s3.send(new DeleteBucketCommand({ Bucket: bucket })).catch(() => undefined);
    });

    it("finishes, skipping the commands on the unreachable host", async () => {
        await s3.send(new CreateBucketCommand({ Bucket: bucket }));
        const { stack, backendDir } = await stackFor("smoke", { bucket, objectKey: "k", payload: "p" });
        try {
            await stack.up();
            // The host's side of the testbed network goes away: it stops answering at all.
            link("down");
            const started = Date.now();
            const result = await stack.destroy();
            assert.equal(result.summary.result, "succeeded");
            assert.ok(Date.now() - started < 120_000, "destroy took more than two minutes");
            // The skipped delete says which host and why (the serialized provider once lost the reason).
            const output = `${result.stdout}\n${result.stderr}`;
            assert.match(
                output,
                new RegExp(`skipped delete on root@${gone.address.replace(/\./g, "\\.")}:22: host unreachable \\((?!undefined)`),
            );
            assert.equal(((await stack.exportStack()).deployment as { resources?: unknown[] }).resources?.length ?? 0, 0);
            // The reachable hosts were cleaned up as usual.
            assert.equal(await onHost(testbed.hosts[0], `ls /var/tmp/skymount-smoke-${bucket}.runs 2>/dev/null || true`), "");
        } finally {
            await stack.workspace.removeStack("e2e").catch(() => undefined);
            rmSync(backendDir, { recursive: true, force: true });
        }
    });
});
