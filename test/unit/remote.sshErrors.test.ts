// Which SSH failures fail at once and which are retried, on ssh2's error shapes and against a real
// SSH server (ssh2's own, in this process): a refused key and another host key fail in well under a
// second, naming the host; a refused connection is retried until the dial timeout.
import * as pulumi from "@pulumi/pulumi";
import assert from "node:assert/strict";
import { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import type { Server } from "ssh2";
import { sshHostIssues, sshHostSpecOf } from "../../src/remote/hostRules";
import { classifyDialError } from "../../src/remote/sshErrors";
import { dial } from "../../src/remote/sshExec";
import { hostKeyProblem, privateKeyProblem } from "../../src/remote/sshKeys";
import { HostUnreachableError } from "../../src/remote/transport";
import { SSH_KEYS } from "./fixtures";
import { ed25519KeyPair } from "../support/sshKeyPair";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const ssh2 = require("ssh2") as typeof import("ssh2");

describe("classifyDialError", () => {
    const cases: Array<[string, { message: string; level?: string; code?: string }, boolean]> = [
        ["a refused key", { message: "All configured authentication methods failed", level: "client-authentication" }, true],
        ["another host key", { message: "Host denied (verification failed)", level: "handshake" }, true],
        ["a key that does not parse", { message: "Cannot parse privateKey: Unsupported key format" }, true],
        ["a refused connection", { message: "connect ECONNREFUSED 10.0.0.1:22", level: "client-socket", code: "ECONNREFUSED" }, false],
        ["a connect timeout", { message: "connect ETIMEDOUT 10.0.0.1:22", level: "client-socket", code: "ETIMEDOUT" }, false],
        ["an unreachable host", { message: "connect EHOSTUNREACH 10.0.0.1:22", level: "client-socket", code: "EHOSTUNREACH" }, false],
        ["a handshake timeout", { message: "Timed out while waiting for handshake", level: "client-timeout" }, false],
        ["a reset", { message: "read ECONNRESET", level: "client-socket", code: "ECONNRESET" }, false],
    ];
    for (const [name, err, permanent] of cases) {
        it(`${name} is ${permanent ? "permanent" : "retried"}`, () => assert.equal(classifyDialError(err).permanent, permanent));
    }
});

describe("SSH keys", () => {
    it("a private key parses; garbage, a public key and an encrypted key do not", () => {
        assert.equal(privateKeyProblem(SSH_KEYS.private), undefined);
        assert.equal(privateKeyProblem("not a key"), "Unsupported key format");
        assert.equal(privateKeyProblem(SSH_KEYS.public), "this is a public key; give the private key");
        const encrypted = ed25519KeyPair({ passphrase: "pw", cipher: "aes256-ctr", rounds: 2 }).private;
        assert.equal(privateKeyProblem(encrypted), "Encrypted private OpenSSH key detected, but no passphrase given");
    });

    it("a host key line needs its key body", () => {
        assert.equal(hostKeyProblem(SSH_KEYS.public), undefined);
        assert.equal(hostKeyProblem(`${SSH_KEYS.public} root@host`), undefined);
        assert.match(hostKeyProblem("ssh-ed25519")!, /^must be "<type> <base64>"/);
    });

    it("a host without an address or a private key is refused, naming each", () => {
        const bare = sshHostSpecOf({ name: "h" } as Parameters<typeof sshHostSpecOf>[0]);
        assert.deepEqual(
            sshHostIssues([bare], "hosts").map((i) => `${i.path}: ${i.value}: ${i.rule}`),
            [
                "hosts[0].host: (not set): required: the host's address",
                "hosts[0].privateKey: (not set): required: the SSH private key skymount logs in with",
            ],
        );
    });

    it("only values known at preview are checked: an Output is left to the dial", () => {
        const known = sshHostSpecOf({ name: "h", host: "10.0.0.1", port: 2222, privateKey: "nope", hostKey: "ssh-ed25519" });
        assert.deepEqual(known, {
            name: "h",
            address: "10.0.0.1",
            port: 2222,
            privateKeyProblem: "Unsupported key format",
            hostKey: "ssh-ed25519",
            missing: [],
        });
        const unknown = sshHostSpecOf({
            name: "h",
            host: pulumi.output("10.0.0.1"),
            port: pulumi.output(0),
            privateKey: pulumi.secret("nope"),
        });
        assert.deepEqual(unknown, {
            name: "h",
            address: undefined,
            port: undefined,
            privateKeyProblem: undefined,
            hostKey: undefined,
            missing: [],
        });
    });
});

describe("dial", () => {
    const serverHostKey = ed25519KeyPair();
    const accepted = ssh2.utils.parseKey(SSH_KEYS.public) as import("ssh2").ParsedKey;
    let server: Server;
    let port: number;

    before(async () => {
        // Accepts only SSH_KEYS; its host key is serverHostKey.
        server = new ssh2.Server({ hostKeys: [serverHostKey.private] }, (client) => {
            client.on("authentication", (ctx) => {
                if (ctx.method === "publickey" && ctx.key.data.equals(accepted.getPublicSSH())) ctx.accept();
                else ctx.reject(["publickey"]);
            });
            client.on("error", () => undefined);
        });
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        port = (server.address() as AddressInfo).port;
    });
    after(() => server.close());

    const failsFast = async (connection: Parameters<typeof dial>[0], pattern: RegExp) => {
        const started = Date.now();
        await assert.rejects(dial(connection), (err: HostUnreachableError) => {
            assert.equal(err.name, "HostUnreachableError");
            assert.equal(err.permanent, true, err.message);
            assert.match(err.message, pattern);
            return true;
        });
        assert.ok(Date.now() - started < 5_000, `took ${Date.now() - started} ms`);
    };

    it("fails at once, naming the host, when the key is refused", async () => {
        const wrong = ed25519KeyPair().private;
        await failsFast(
            { host: "127.0.0.1", port, privateKey: wrong },
            new RegExp(`^root@127\\.0\\.0\\.1:${port}: authentication failed \\(All configured authentication methods failed\\)`),
        );
    });

    it("fails at once when the host presents another host key", async () => {
        const other = ed25519KeyPair().public;
        await failsFast({ host: "127.0.0.1", port, privateKey: SSH_KEYS.private, hostKey: other }, /: host key mismatch/);
    });

    it("fails before dialing when the key does not parse", async () => {
        await failsFast({ host: "127.0.0.1", port, privateKey: "garbage" }, /: the private key does not parse \(Unsupported key format\)/);
    });

    it("retries a refused connection until the dial timeout", async () => {
        const closed = await new Promise<number>((resolve) => {
            const probe = new ssh2.Server({ hostKeys: [serverHostKey.private] }, () => undefined);
            probe.listen(0, "127.0.0.1", () => {
                const free = (probe.address() as AddressInfo).port;
                probe.close(() => resolve(free));
            });
        });
        const started = Date.now();
        await assert.rejects(
            dial({ host: "127.0.0.1", port: closed, privateKey: SSH_KEYS.private, dialTimeoutSeconds: 3 }),
            (err: HostUnreachableError) => {
                assert.equal(err.permanent, false);
                assert.match(err.message, /^could not connect in 3 s \(\d+ attempts\): root@127\.0\.0\.1:\d+: connect ECONNREFUSED/);
                return true;
            },
        );
        assert.ok(Date.now() - started >= 2_000, "gave up before the dial timeout");
    });
});
