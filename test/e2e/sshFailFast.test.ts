// Errors that retrying cannot fix fail `up` at once, naming the host: a private key the host refuses,
// and a host presenting another host key. (A refused or timed-out connection is still retried until
// the dial timeout: unreachable.test.ts.) On a host of each kind: h1 (no init system) and s1 (booting
// systemd, whose sshd is a service).
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { requireTestbed, stackFor, TestbedHost } from "./support/testbed";
import { ed25519KeyPair } from "../support/sshKeyPair";

describe("up with a connection that can never work", () => {
    const testbed = requireTestbed();
    const hosts = [testbed.hosts[0], testbed.systemdHosts[0]];
    const dir = mkdtempSync(path.join(tmpdir(), "skymount-failfast-"));
    const wrongKey = path.join(dir, "wrong_ed25519");
    writeFileSync(wrongKey, ed25519KeyPair().private, { mode: 0o600 });
    const stacks: Array<{ stack: import("@pulumi/pulumi/automation").Stack; backendDir: string }> = [];

    after(async () => {
        for (const { stack, backendDir } of stacks) {
            await stack.destroy().catch(() => undefined);
            await stack.workspace.removeStack("e2e").catch(() => undefined);
            rmSync(backendDir, { recursive: true, force: true });
        }
        rmSync(dir, { recursive: true, force: true });
    });

    const failsFast = async (host: TestbedHost, config: Record<string, string>, reason: RegExp) => {
        const target = `root@${host.address}:${host.port}`.replace(/\./g, "\\.");
        const made = await stackFor("job", { run: "sleep 1", host: host.name, ...config });
        stacks.push(made);
        const started = Date.now();
        await assert.rejects(made.stack.up(), (err: Error) => {
            assert.match(err.message, new RegExp(`${target}: ${reason.source}`));
            return true;
        });
        const seconds = (Date.now() - started) / 1000;
        // The whole `up` (engine start, program, one dial) in less than the 300 s a retried dial took
        // before the up could even fail: 4 s on a quiet machine, 76–118 s on this 2-core machine at load
        // average 35–47 (the engine's start and the program, not the dial).
        assert.ok(seconds < 240, `up took ${seconds} s`);
        return seconds;
    };

    for (const host of hosts) {
        it(`a private key the host refuses (${host?.name ?? "a systemd host: up --systemd-hosts 1"})`, async () => {
            const seconds = await failsFast(
                host,
                { privateKeyPath: wrongKey },
                /authentication failed \(All configured authentication methods failed\)/,
            );
            console.log(`[figure] ${host.name}: wrong private key: up failed after ${seconds.toFixed(1)} s`);
        });

        it(`a host presenting another host key (${host?.name ?? "a systemd host: up --systemd-hosts 1"})`, async () => {
            const seconds = await failsFast(
                host,
                { privateKeyPath: host.privateKeyPath, hostKey: ed25519KeyPair().public },
                /host key mismatch/,
            );
            console.log(`[figure] ${host.name}: host key mismatch: up failed after ${seconds.toFixed(1)} s`);
        });
    }
});
