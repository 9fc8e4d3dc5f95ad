// An interrupted `pulumi up` converges on rerun. The CLI and every process it started are killed
// with SIGKILL while the source sync is uploading (as when a laptop sleeps or CI times out), leaving
// operations pending in the state and the backend's lock held; after `pulumi cancel` (which drops
// the lock) the next `up` must finish the job: every file in the bucket, the
// bucket mounted, then a no-op up, then a clean destroy.
import { HeadBucketCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import type { Stack } from "@pulumi/pulumi/automation";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { onHost, programsDir, requireTestbed, s3ClientFor, stackFor, uniqueName } from "./support/testbed";

const FILES = 3000;

/** Processes (other than this test) whose working directory is `dir`: the plugins a run started there. */
function pluginsIn(dir: string): number[] {
    return readdirSync("/proc")
        .filter((entry) => /^\d+$/.test(entry) && Number(entry) !== process.pid)
        .filter((pid) => {
            try {
                return readlinkSync(`/proc/${pid}/cwd`) === dir;
            } catch {
                return false;
            }
        })
        .map(Number);
}

describe("an interrupted up", () => {
    const testbed = requireTestbed();
    const host = testbed.hosts[testbed.hosts.length - 1];
    const s3 = s3ClientFor(testbed);
    const bucket = uniqueName("interrupted");
    const mount = `/${uniqueName("interrupted")}`;
    const source = mkdtempSync(path.join(tmpdir(), "skymount-interrupt-"));
    let stack: Stack;
    let backendDir: string;

    const objectCount = async (): Promise<number> => {
        let count = 0;
        let token: string | undefined;
        do {
            const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
            count += (page.Contents ?? []).length;
            token = page.NextContinuationToken;
        } while (token);
        return count;
    };

    before(async () => {
        for (let i = 0; i < FILES; i++) {
            const dir = path.join(source, `part-${i % 30}`);
            mkdirSync(dir, { recursive: true });
            writeFileSync(path.join(dir, `${i}.bin`), `${i}\n`.repeat(800));
        }
        ({ stack, backendDir } = await stackFor("interrupt", { bucket, source, mount }));
    });

    after(async () => {
        for (const pid of pluginsIn(path.join(programsDir, "interrupt"))) process.kill(pid, "SIGKILL");
        await stack?.cancel().catch(() => undefined);
        await stack?.destroy().catch(() => undefined);
        rmSync(source, { recursive: true, force: true });
        if (backendDir) rmSync(backendDir, { recursive: true, force: true });
    });

    it("killed while syncing, it leaves operations pending in the state", async () => {
        const up = spawn("pulumi", ["up", "--yes", "--skip-preview", "--non-interactive", "--stack", "e2e"], {
            cwd: path.join(programsDir, "interrupt"),
            env: { ...process.env, PULUMI_BACKEND_URL: `file://${backendDir}`, PULUMI_CONFIG_PASSPHRASE: "skymount-e2e" },
            // Its own process group: the kill takes the CLI, the language host and the program.
            detached: true,
            stdio: "ignore",
        });
        const exited = new Promise<void>((resolve) => up.on("exit", () => resolve()));
        const deadline = Date.now() + 120_000;
        let uploaded = 0;
        while (Date.now() < deadline) {
            uploaded = await objectCount().catch(() => 0);
            if (uploaded >= 50) break;
            await new Promise((r) => setTimeout(r, 100));
        }
        process.kill(-up.pid!, "SIGKILL");
        await exited;
        // The engine starts plugins in process groups of their own, so the dynamic provider (which does
        // the uploads) outlives the group kill. A dead run takes its plugins with it: kill every process
        // started in this program's directory, as the death of the machine running `up` would.
        const survivors = pluginsIn(path.join(programsDir, "interrupt"));
        for (const pid of survivors) process.kill(pid, "SIGKILL");
        assert.ok(survivors.length > 0, "the dynamic provider was running when up was killed");
        assert.ok(uploaded >= 50 && uploaded < FILES, `killed with ${uploaded} of ${FILES} files uploaded`);
        const statePath = path.join(backendDir, ".pulumi", "stacks", "skymount-e2e-interrupt", "e2e.json");
        const state = JSON.parse(readFileSync(statePath, "utf8"));
        const pending = (state.checkpoint.latest.pending_operations ?? []).map((op: { resource: { urn: string } }) =>
            op.resource.urn.split("::").pop(),
        );
        assert.ok(pending.includes("data-sync-source"), `the sync was in flight: pending ${JSON.stringify(pending)}`);
    });

    it("the next up (after `pulumi cancel` drops the dead run's lock) finishes: every file in the bucket, mounted on the host", async () => {
        // What a user runs after a crash: the file backend kept the killed CLI's lock.
        await assert.rejects(stack.up(), /the stack is currently locked/);
        await stack.cancel();
        await stack.up();
        assert.equal(await objectCount(), FILES);
        const listed = await onHost(host, `find ${mount} -type f | wc -l`);
        assert.equal(Number(listed.trim()), FILES);
        assert.equal((await onHost(host, `cat ${mount}/part-7/7.bin | head -n 1`)).trim(), "7");
    });

    it("then a second up changes nothing", async () => {
        const noop = await stack.up();
        // Stack, SkyStorage, bucket, sync, SkyVolume, install, mount, present.
        assert.deepEqual(noop.summary.resourceChanges, { same: 8 });
    });

    it("and destroy removes the mount and the bucket it created", async () => {
        await stack.destroy();
        assert.equal(
            (
                await onHost(host, `mountpoint -q ${mount} && echo mounted || echo gone; [ -e ${mount} ] && echo exists || echo absent`)
            ).trim(),
            "gone\nabsent",
        );
        await assert.rejects(s3.send(new HeadBucketCommand({ Bucket: bucket })), /NotFound|404/);
        assert.deepEqual(
            readdirSync(path.join(backendDir, ".pulumi", "stacks", "skymount-e2e-interrupt")).filter((f) => f.endsWith(".json")).length,
            1,
        );
    });
});
