import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { diffRemoteCommand, outputsOf, RemoteCommandState, scriptDigest } from "../../src/remote/commandDiff";

const base: RemoteCommandState = {
    connection: { host: "10.0.0.2", privateKey: "KEY" },
    create: "mount",
    delete: "umount",
};
/** What the state holds after a command ran with `inputs`: what every diff compares against. */
const stored = (inputs: RemoteCommandState) => outputsOf(inputs, { stdout: "", stderr: "" });

describe("diffRemoteCommand", () => {
    it("sees no change when nothing changed, so no command runs", () => {
        assert.deepEqual(diffRemoteCommand(stored(base), { ...base }), { changes: [], replaces: [] });
    });

    it("ignores the dial timeout, which does not change where the command runs", () => {
        assert.deepEqual(
            diffRemoteCommand(stored(base), { ...base, connection: { ...base.connection, dialTimeoutSeconds: 5 } }).changes,
            [],
        );
    });

    it("reruns on a changed script, stdin or host", () => {
        assert.deepEqual(diffRemoteCommand(stored(base), { ...base, create: "mount2" }), { changes: ["create"], replaces: [] });
        assert.deepEqual(diffRemoteCommand(stored(base), { ...base, stdin: "creds" }), { changes: ["stdin"], replaces: [] });
        assert.deepEqual(diffRemoteCommand(stored(base), { ...base, connection: { ...base.connection, host: "10.0.0.3" } }), {
            changes: ["connection"],
            replaces: [],
        });
    });

    it("replaces on changed triggers", () => {
        assert.deepEqual(diffRemoteCommand(stored({ ...base, triggers: [1] }), { ...base, triggers: [2] }), {
            changes: ["triggers"],
            replaces: ["triggers"],
        });
    });

    describe("against outputs, which keep create and update as digests", () => {
        const script = "set -eu\n" + "echo mounting\n".repeat(1000);
        const inputs: RemoteCommandState = { ...base, create: script, update: "remount" };
        const outputs = outputsOf(inputs, { stdout: "ok", stderr: "" });

        it("stores the digests, not the scripts, and keeps what delete and refresh run", () => {
            assert.equal((outputs as unknown as Record<string, unknown>).create, undefined);
            assert.equal((outputs as unknown as Record<string, unknown>).update, undefined);
            assert.deepEqual(outputs.scriptDigests, { create: scriptDigest(script), update: scriptDigest("remount") });
            assert.equal(outputs.delete, "umount");
            assert.equal(outputs.stdout, "ok");
            assert.ok(JSON.stringify(outputs).length < 400, "a script of 14 KB is not in the outputs");
        });

        it("sees no change for the same scripts, and a rerun for a changed one", () => {
            assert.deepEqual(diffRemoteCommand(outputs, { ...inputs }), { changes: [], replaces: [] });
            assert.deepEqual(diffRemoteCommand(outputs, { ...inputs, create: script + "x" }).changes, ["create"]);
            assert.deepEqual(diffRemoteCommand(outputs, { ...inputs, update: undefined }).changes, ["update"]);
        });
    });
});
