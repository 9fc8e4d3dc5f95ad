// A host that stays unreachable for the whole dial timeout: the environment can set that timeout
// (SKYMOUNT_DIAL_TIMEOUT_SECONDS), and a create or update that gives up names the host and says
// what to do; what waiting cannot heal keeps its own message.
import assert from "node:assert/strict";
import { createServer } from "node:net";
import { AddressInfo } from "node:net";
import { afterEach, describe, it } from "node:test";
import { outputsOf } from "../../src/remote/commandDiff";
import { commandProvider } from "../../src/remote/commandProvider";
import { DIAL_TIMEOUT_VARIABLE } from "../../src/remote/connection";
import { dial } from "../../src/remote/sshExec";
import { HostTransport, HostUnreachableError } from "../../src/remote/transport";
import { SSH_KEYS } from "./fixtures";

/** A transport whose every command fails to reach the host with `error`. */
function unreachable(error: HostUnreachableError): HostTransport<{ host: string }> {
    return {
        describe: (t) => `fake@${t.host}`,
        exec: async () => {
            throw error;
        },
        placeOf: (t) => [t.host],
    };
}

const state = { connection: { host: "h2" }, create: "mount", update: "remount", delete: "umount" };

describe("a host unreachable through the dial timeout", () => {
    afterEach(() => delete process.env[DIAL_TIMEOUT_VARIABLE]);

    it("fails create and update naming the host, the reason and what to do", async () => {
        const crud = commandProvider(
            unreachable(new HostUnreachableError("could not connect in 300 s (290 attempts): fake@h2: connect ETIMEDOUT")),
        );
        for (const [phase, run] of [
            ["create", () => crud.create!(state)],
            ["update", () => crud.update!("id", outputsOf({ ...state, create: "old" }, { stdout: "", stderr: "" }), state)],
        ] as const) {
            await assert.rejects(run(), (err: Error) => {
                assert.ok(!(err instanceof HostUnreachableError), "not a skippable unreachable host");
                assert.match(err.message, new RegExp(`^${phase} on fake@h2 failed: the host did not answer \\(could not connect in 300 s`));
                assert.match(err.message, /bring it back and run `pulumi up` again: what finished is kept, and what did not runs then/);
                assert.match(err.message, /If it is gone for good, remove it from the program's hosts/);
                assert.match(err.message, /SKYMOUNT_DIAL_TIMEOUT_SECONDS \(300 s by default\)/);
                return true;
            });
        }
    });

    it("what waiting cannot heal (a refused key) keeps its own message", async () => {
        const refused = new HostUnreachableError("fake@h2: the host refused the key", true);
        await assert.rejects(commandProvider(unreachable(refused)).create!(state), (err) => err === refused);
    });

    it("SKYMOUNT_DIAL_TIMEOUT_SECONDS sets the dial timeout of a connection that sets none", async () => {
        const closed = await new Promise<number>((resolve) => {
            const probe = createServer().listen(0, "127.0.0.1", () => {
                const free = (probe.address() as AddressInfo).port;
                probe.close(() => resolve(free));
            });
        });
        process.env[DIAL_TIMEOUT_VARIABLE] = "2";
        const started = Date.now();
        await assert.rejects(dial({ host: "127.0.0.1", port: closed, privateKey: SSH_KEYS.private }), (err: Error) =>
            /^could not connect in 2 s \(\d+ attempts\)/.test(err.message),
        );
        assert.ok(Date.now() - started < 10_000, "the default 300 s was used");
        process.env[DIAL_TIMEOUT_VARIABLE] = "soon";
        await assert.rejects(dial({ host: "127.0.0.1", port: closed, privateKey: SSH_KEYS.private }), (err: HostUnreachableError) => {
            assert.equal(err.permanent, true);
            assert.equal(err.message, "SKYMOUNT_DIAL_TIMEOUT_SECONDS: soon: must be a positive number of seconds");
            return true;
        });
    });
});
