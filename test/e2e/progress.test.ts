// What `pulumi up` shows while skymount works: a sync of a few thousand files reports progress on its
// BucketSync resource while it runs (status lines through the engine's Log RPC, not only a summary at
// the end), a host command's progress lines and output arrive as they are printed, and a failing
// command shows its output, with what it got on stdin blanked (a whole line of stdin is one secret).
import { DeleteBucketCommand } from "@aws-sdk/client-s3";
import type { EngineEvent, Stack } from "@pulumi/pulumi/automation";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { Storage } from "../../src";
import { requireTestbed, s3ClientFor, stackFor, uniqueName } from "./support/testbed";

const FILES = 3000;

interface Seen {
    at: number;
    urn?: string;
    message: string;
    ephemeral: boolean;
    severity: string;
}

/** Every diagnostic the engine reported during `run`, with the time it arrived. */
async function diagnostics(run: (onEvent: (e: EngineEvent) => void) => Promise<unknown>): Promise<{ seen: Seen[]; ended: number }> {
    const seen: Seen[] = [];
    await run((e) => {
        const d = e.diagnosticEvent;
        if (d && (d.severity as string) !== "debug") {
            seen.push({ at: Date.now(), urn: d.urn, message: d.message.trim(), ephemeral: d.ephemeral === true, severity: d.severity });
        }
    });
    return { seen, ended: Date.now() };
}

describe("progress and output through the engine", () => {
    const testbed = requireTestbed();
    const s3 = s3ClientFor(testbed);
    const client = new Storage({
        endpoint: testbed.s3.endpoint,
        region: testbed.s3.region,
        pathStyle: true,
        accessKey: testbed.s3.accessKey,
        secretKey: testbed.s3.secretKey,
    });
    const tree = mkdtempSync(path.join(tmpdir(), "skymount-progress-"));
    const bucket = uniqueName("progress");
    const stacks: Array<{ stack: Stack; backendDir: string }> = [];

    after(async () => {
        for (const made of stacks) {
            await made.stack.destroy().catch(() => undefined);
            await made.stack.workspace.removeStack("e2e").catch(() => undefined);
            rmSync(made.backendDir, { recursive: true, force: true });
        }
        for (const key of await client.ls(bucket).catch(() => [])) await client.rm(bucket, key);
        await s3.send(new DeleteBucketCommand({ Bucket: bucket })).catch(() => undefined);
        client.close();
        rmSync(tree, { recursive: true, force: true });
    });

    it(`a sync of ${FILES} files shows progress lines on its resource while it runs, then a final line`, async () => {
        for (let d = 0; d < 30; d++) {
            mkdirSync(path.join(tree, `d${d}`));
            for (let f = 0; f < FILES / 30; f++) writeFileSync(path.join(tree, `d${d}`, `f${f}.txt`), `${d}/${f}\n`.repeat(200));
        }
        const made = await stackFor("progress", { what: "sync", bucket, source: tree });
        stacks.push(made);
        // One line a second instead of every 5 s, so a sync of a few seconds shows several.
        made.stack.workspace.envVars.SKYMOUNT_PROGRESS_SECONDS = "1";
        let stdout = "";
        const { seen, ended } = await diagnostics((onEvent) =>
            made.stack.up({ onEvent, onOutput: (out) => (stdout += out) }).then((r) => assert.equal(r.summary.result, "succeeded")),
        );
        const onSync = seen.filter((s) => s.urn?.endsWith("$pulumi-nodejs:dynamic/skymount:BucketSync::storage-sync-source"));
        const intermediate = onSync.filter((s) => s.ephemeral && /^[\d,]+\/3,000 files, /.test(s.message));
        const final = onSync.filter((s) => !s.ephemeral && s.message.startsWith("uploaded 3,000/3,000 files, "));
        assert.ok(intermediate.length >= 2, `status lines on the sync: ${JSON.stringify(onSync, null, 1)}`);
        assert.equal(final.length, 1, JSON.stringify(onSync, null, 1));
        // While it ran: the first status line came well before the end, and counted fewer than all files.
        assert.ok(ended - intermediate[0].at > 1000, `first progress line ${ended - intermediate[0].at} ms before the end`);
        assert.ok(intermediate.some((s) => !s.message.startsWith("3,000/")));
        assert.match(intermediate[0].message, /^[\d,]+\/3,000 files, [\d.]+ [KMG]?i?B\/[\d.]+ [KMG]iB, [\d.]+ [KMG]?i?B\/s$/);
        // In `pulumi up`'s own output, on the resource's row.
        assert.match(stdout, /skymount:BucketSync storage-sync-source creating \(\d+s\) [\d,]+\/3,000 files, /);
        // The files, and the sync's manifest record under .skymount/.
        assert.equal((await client.ls(bucket)).filter((key) => !key.startsWith(".skymount/")).length, FILES);
        for (const s of intermediate) console.log(`+${((s.at - intermediate[0].at) / 1000).toFixed(1)} s: ${s.message}`);
        console.log(final[0].message);
    });

    it("destroy of a sync that is not persistent says how far its deletes went", async () => {
        const made = stacks[0];
        assert.ok(made, "the sync above made its stack");
        await made.stack.setConfig("persistent", { value: "false" });
        await made.stack.up();
        const { seen } = await diagnostics((onEvent) => made.stack.destroy({ onEvent }));
        const onSync = seen.filter((s) => s.urn?.endsWith("$pulumi-nodejs:dynamic/skymount:BucketSync::storage-sync-source"));
        const final = onSync.filter((s) => !s.ephemeral && s.message.startsWith("deleted 3,000/3,000 files, "));
        assert.equal(final.length, 1, JSON.stringify(onSync, null, 1));
        console.log(final[0].message);
        assert.deepEqual(await client.ls(bucket).catch(() => []), [], "the objects are gone");
    });

    it("a host command's progress lines arrive as printed; its failure shows its output, never its stdin", async () => {
        const secret = "s3cr3t-v4lue-" + Math.random().toString(36).slice(2);
        const create = [
            'echo "skymount-progress: step 1 of 2" >&2',
            "sleep 3",
            'echo "skymount-progress: step 2 of 2" >&2',
            "sleep 3",
            'read -r got; echo "got $got"',
            'echo "the end is near" >&2',
            "exit 3",
        ].join("; ");
        const made = await stackFor("progress", { what: "command", create });
        stacks.push(made);
        await made.stack.setConfig("stdin", { value: `password=${secret}`, secret: true });
        let stdout = "";
        let failure = "";
        const { seen, ended } = await diagnostics((onEvent) =>
            made.stack.up({ onEvent, onOutput: (out) => (stdout += out) }).catch((err: Error) => (failure = err.message)),
        );
        const onCommand = seen.filter((s) => s.urn?.endsWith("pulumi-nodejs:dynamic/skymount:RemoteCommand::command"));
        const steps = onCommand.filter((s) => s.ephemeral && s.message.startsWith("step "));
        assert.deepEqual(
            steps.map((s) => s.message),
            ["step 1 of 2", "step 2 of 2"],
            JSON.stringify(onCommand, null, 1),
        );
        // Each as printed: 3 s apart, the first 6 s before the command ended.
        assert.ok(steps[1].at - steps[0].at > 2000, `steps ${steps[1].at - steps[0].at} ms apart`);
        assert.ok(ended - steps[0].at > 5000);
        // The failure, on the resource: exit status and output, stdin blanked.
        const error = onCommand.find((s) => s.severity === "error");
        assert.ok(error, JSON.stringify(onCommand, null, 1));
        assert.match(error.message, /create on root@[\d.]+:\d+ exited with 3:\nthe end is near\ngot \[secret\]/);
        assert.doesNotMatch(error.message, /skymount-progress/);
        assert.ok(!stdout.includes(secret), "the secret was shown");
        assert.ok(!failure.includes(secret) && failure !== "", failure);
        assert.ok(!JSON.stringify(seen).includes(secret), "the secret was logged");

        // Every line as it arrives, with `logging: stdoutAndStderr`, still without the secret.
        await made.stack.setConfig("logging", { value: "stdoutAndStderr" });
        await made.stack.setConfig("create", { value: create.replace("exit 3", "exit 0") });
        const second = await diagnostics((onEvent) => made.stack.up({ onEvent, onOutput: (out) => (stdout += out) }));
        const lines = second.seen.filter((s) => s.urn?.endsWith("RemoteCommand::command") && !s.ephemeral).map((s) => s.message);
        // Two streams: their lines may interleave either way.
        assert.deepEqual(lines.sort(), ["got [secret]", "the end is near"]);
        assert.ok(!stdout.includes(secret) && !JSON.stringify(second.seen).includes(secret));
    });
});
