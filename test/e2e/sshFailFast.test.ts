// Errors that retrying cannot fix fail `up` at once, naming the host: a private key the host refuses,
// and a host presenting another host key. (A refused or timed-out connection is still retried until
// the dial timeout: unreachable.test.ts.)
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { requireTestbed, stackFor } from "./support/testbed";
import { ed25519KeyPair } from "../support/sshKeyPair";

describe("up with a connection that can never work", () => {
    const testbed = requireTestbed();
    const h1 = testbed.hosts[0];
    const dir = mkdtempSync(path.join(tmpdir(), "skymount-failfast-"));
    const wrongKey = path.join(dir, "wrong_ed25519");
    writeFileSync(wrongKey, ed25519KeyPair().private, { mode: 0o600 });
    const target = `root@${h1.address}:${h1.port}`.replace(/\./g, "\\.");
    const stacks: Array<{ stack: import("@pulumi/pulumi/automation").Stack; backendDir: string }> = [];

    after(async () => {
        for (const { stack, backendDir } of stacks) {
            await stack.destroy().catch(() => undefined);
            await stack.workspace.removeStack("e2e").catch(() => undefined);
            rmSync(backendDir, { recursive: true, force: true });
        }
        rmSync(dir, { recursive: true, force: true });
    });

    const failsFast = async (config: Record<string, string>, reason: RegExp) => {
        const made = await stackFor("job", { run: "sleep 1", ...config });
        stacks.push(made);
        const started = Date.now();
        await assert.rejects(made.stack.up(), (err: Error) => {
            assert.match(err.message, new RegExp(`${target}: ${reason.source}`));
            return true;
        });
        const seconds = (Date.now() - started) / 1000;
        // The whole `up` (engine start, program, one dial) in well under the 300 s a retried dial took.
        assert.ok(seconds < 30, `up took ${seconds} s`);
        return seconds;
    };

    it("a private key the host refuses", async () => {
        const seconds = await failsFast(
            { privateKeyPath: wrongKey },
            /authentication failed \(All configured authentication methods failed\)/,
        );
        console.log(`wrong private key: up failed after ${seconds.toFixed(1)} s`);
    });

    it("a host presenting another host key", async () => {
        const seconds = await failsFast({ privateKeyPath: h1.privateKeyPath, hostKey: ed25519KeyPair().public }, /host key mismatch/);
        console.log(`host key mismatch: up failed after ${seconds.toFixed(1)} s`);
    });
});
