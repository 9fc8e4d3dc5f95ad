import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { diffRemoteCommand, RemoteCommandState } from "../../src/remote/commandDiff";

const base: RemoteCommandState = {
    connection: { host: "10.0.0.2", privateKey: "KEY" },
    create: "mount",
    delete: "umount",
};

describe("diffRemoteCommand", () => {
    it("sees no change when nothing changed, so no command runs", () => {
        assert.deepEqual(diffRemoteCommand(base, { ...base }), { changes: [], replaces: [] });
    });

    it("ignores the dial timeout, which does not change where the command runs", () => {
        assert.deepEqual(diffRemoteCommand(base, { ...base, connection: { ...base.connection, dialTimeoutSeconds: 5 } }).changes, []);
    });

    it("reruns on a changed script, stdin or host", () => {
        assert.deepEqual(diffRemoteCommand(base, { ...base, create: "mount2" }), { changes: ["create"], replaces: [] });
        assert.deepEqual(diffRemoteCommand(base, { ...base, stdin: "creds" }), { changes: ["stdin"], replaces: [] });
        assert.deepEqual(diffRemoteCommand(base, { ...base, connection: { ...base.connection, host: "10.0.0.3" } }), {
            changes: ["connection"],
            replaces: [],
        });
    });

    it("replaces on changed triggers", () => {
        assert.deepEqual(diffRemoteCommand({ ...base, triggers: [1] }, { ...base, triggers: [2] }), {
            changes: ["triggers"],
            replaces: ["triggers"],
        });
    });
});
