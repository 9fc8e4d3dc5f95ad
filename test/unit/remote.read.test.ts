// RemoteCommand's read (`pulumi refresh`): it runs the stored `check`; as made, the state stays as it
// is; drift is recorded and makes the next diff a rerun of exactly that command; an unreachable host
// keeps its state. Through a fake transport, and through skymount's own provider (managedCrud) over a
// real SSH server (ssh2's, in this process), with the connection secret on the way out.
import * as rpc from "@pulumi/pulumi/runtime/rpc";
import assert from "node:assert/strict";
import { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import type { Server } from "ssh2";
import "../../src/remote";
import { commandProvider } from "../../src/remote/commandProvider";
import { outputsOf } from "../../src/remote/commandDiff";
import { ExecResult, HostTransport, HostUnreachableError } from "../../src/remote/transport";
import { managedCrud } from "../../src/resource/ownProvider";
import { SSH_KEYS } from "./fixtures";
import { ed25519KeyPair } from "../support/sshKeyPair";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const ssh2 = require("ssh2") as typeof import("ssh2");

interface Target {
    host: string;
}

/** Answers each command from a table; counts what ran. */
function fakeTransport(answers: Record<string, ExecResult | "unreachable">) {
    const ran: string[] = [];
    const transport: HostTransport<Target> = {
        describe: (t) => `fake@${t.host}`,
        exec: async (_t, command) => {
            ran.push(command);
            const answer = answers[command];
            if (answer === "unreachable") throw new HostUnreachableError("no route to host");
            return answer ?? { stdout: "", stderr: "", exitCode: 0 };
        },
        placeOf: (t) => [t.host],
    };
    return { transport, ran };
}

/** The state of a command that ran `mount`: its outputs. */
const made = outputsOf({ connection: { host: "h" }, create: "mount", delete: "umount", check: "probe" }, { stdout: "mounted", stderr: "" });

describe("RemoteCommand read", () => {
    it("without a check: the state as it is, nothing run", async () => {
        const { transport, ran } = fakeTransport({});
        const { check: _, ...old } = made;
        assert.deepEqual(await commandProvider(transport).read!("id", old), { id: "id", props: old });
        assert.deepEqual(ran, []);
    });

    it("as made: the state unchanged, so refresh shows nothing and the next diff runs nothing", async () => {
        const { transport } = fakeTransport({ probe: { stdout: "bucket b: mounted at /m, as made", stderr: "", exitCode: 0 } });
        const crud = commandProvider(transport);
        const read = await crud.read!("id", made);
        assert.deepEqual(read, { id: "id", props: made });
        const diff = await crud.diff!("id", read.props, { connection: made.connection, create: "mount", delete: "umount", check: "probe" });
        assert.equal(diff.changes, false);
    });

    it("drift: recorded from the check's findings; the next diff reruns the command, whose outputs drop it", async () => {
        const { transport, ran } = fakeTransport({
            probe: { stdout: "bucket b is not mounted at /m\n/etc/fstab: the entry for /m is missing", stderr: "", exitCode: 1 },
            mount: { stdout: "mounted again", stderr: "", exitCode: 0 },
        });
        const crud = commandProvider(transport);
        const read = await crud.read!("id", made);
        assert.equal(read.props!.drift, "bucket b is not mounted at /m; /etc/fstab: the entry for /m is missing");
        const news = { connection: made.connection, create: "mount", delete: "umount", check: "probe" };
        const diff = await crud.diff!("id", read.props, news);
        assert.deepEqual({ changes: diff.changes, replaces: diff.replaces }, { changes: true, replaces: [] });
        const updated = await crud.update!("id", read.props, news);
        assert.deepEqual(ran, ["probe", "mount"]);
        assert.equal(updated.outs.drift, undefined);
        assert.equal(updated.outs.stdout, "mounted again");
        // Repaired: a later refresh that finds it as made clears nothing more.
    });

    it("a check that fails without findings says its status and error output", async () => {
        const { transport } = fakeTransport({ probe: { stdout: "", stderr: "sudo: a password is required", exitCode: 1 } });
        assert.equal(
            (await commandProvider(transport).read!("id", made)).props!.drift,
            "check exited with 1: sudo: a password is required",
        );
    });

    it("a drift that healed by itself is dropped by the next refresh", async () => {
        const { transport } = fakeTransport({ probe: { stdout: "ok", stderr: "", exitCode: 0 } });
        assert.deepEqual(await commandProvider(transport).read!("id", { ...made, drift: "was gone" }), { id: "id", props: made });
    });

    it("an unreachable host keeps the state as it was, with a warning", async () => {
        const { transport } = fakeTransport({ probe: "unreachable" });
        const warnings: string[] = [];
        const original = console.error;
        console.error = (message: string) => warnings.push(message);
        try {
            assert.deepEqual(await commandProvider(transport).read!("id", made), { id: "id", props: made });
        } finally {
            console.error = original;
        }
        assert.deepEqual(warnings, ["warning: could not check fake@h: host unreachable (no route to host); state kept"]);
    });

    it("a new check alone is stored by an update that runs nothing", async () => {
        const { transport, ran } = fakeTransport({});
        const crud = commandProvider(transport);
        const news = { connection: made.connection, create: "mount", delete: "umount", check: "probe2" };
        assert.equal((await crud.diff!("id", made, news)).changes, true);
        const updated = await crud.update!("id", made, news);
        assert.deepEqual(ran, []);
        assert.deepEqual(updated.outs, { ...outputsOf(news, { stdout: "mounted", stderr: "" }) });
        assert.equal(updated.outs.check, "probe2");
    });
});

describe("RemoteCommand read through skymount's own provider, over SSH", () => {
    let server: Server;
    let port: number;
    const secret = (value: unknown) => ({ [rpc.specialSigKey]: rpc.specialSecretSig, value });
    const urn = "urn:pulumi:dev::proj::skymount:index:SkyVolume$skymount:index:RemoteCommand::x";

    before(async () => {
        const accepted = ssh2.utils.parseKey(SSH_KEYS.public) as import("ssh2").ParsedKey;
        const hostKey = ed25519KeyPair();
        // A host whose "check-gone" command finds drift and whose "check-ok" finds none.
        server = new ssh2.Server({ hostKeys: [hostKey.private] }, (client) => {
            client.on("error", () => undefined);
            client.on("authentication", (ctx) =>
                ctx.method === "publickey" && ctx.key.data.equals(accepted.getPublicSSH()) ? ctx.accept() : ctx.reject(["publickey"]),
            );
            client.on("session", (accept) =>
                accept().on("exec", (acceptExec, _reject, info) => {
                    const stream = acceptExec();
                    if (info.command === "check-gone") stream.write("/data is not mounted\n");
                    else stream.write("as made\n");
                    stream.exit(info.command === "check-gone" ? 1 : 0);
                    stream.end();
                }),
            );
        });
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        port = (server.address() as AddressInfo).port;
    });
    after(() => server.close());

    const state = (check: string) => ({
        connection: secret({ host: "127.0.0.1", port, privateKey: SSH_KEYS.private }),
        create: "mount",
        check,
        stdout: "",
        stderr: "",
    });

    it("records drift and keeps the connection secret", async () => {
        const result = await managedCrud.read("id", urn, state("check-gone"));
        assert.equal(result.props!.drift, "/data is not mounted");
        assert.deepEqual(result.props!.connection, state("check-gone").connection);
    });

    it("as made: returns the state it got", async () => {
        assert.deepEqual(await managedCrud.read("id", urn, state("check-ok")), { id: "id", props: state("check-ok") });
    });
});
