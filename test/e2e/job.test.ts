// `run` is a process group: a restart stops the old run and every child it forked (TERM, then KILL
// after the grace period), and destroy stops the last one. Checked on a testbed host through the
// recorded group and ps, on a host of each kind: h1 (no init system) and s1 (booting systemd).
import type { Stack } from "@pulumi/pulumi/automation";
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { onHost, requireTestbed, stackFor } from "./support/testbed";

const FORKING_RUN = (seconds: number) => `sleep ${seconds} & sleep ${seconds} & wait`;

const testbed = requireTestbed();

for (const host of [testbed.hosts[0], testbed.systemdHosts[0]])
    describe(`run as a process group on ${host?.name ?? "a systemd host: up --systemd-hosts 1"}`, () => {
        let stack: Stack;
        let backendDir: string;
        const groups: string[] = [];

        /** Live processes of a group, "pid args" each (zombies excluded: they run nothing). */
        const live = async (pgid: string) =>
            (await onHost(host, `ps -e -o pid=,pgid=,stat=,args= | awk '$2 == ${pgid} && $3 !~ /^Z/ { $2 = ""; $3 = ""; print }'`))
                .split("\n")
                .map((l) => l.replace(/\s+/g, " ").trim())
                .filter(Boolean);
        const recorded = () => onHost(host, "cat /var/lib/skymount/run.pgid");

        before(async () => {
            ({ stack, backendDir } = await stackFor("job", { run: FORKING_RUN(1000), host: host.name }));
        });

        after(async () => {
            await stack?.destroy().catch(() => undefined);
            await stack?.workspace.removeStack("e2e").catch(() => undefined);
            rmSync(backendDir, { recursive: true, force: true });
            // Whatever a failed step left behind: only the groups this test started.
            for (const pgid of groups) await onHost(host, `kill -KILL -- -${pgid} 2>/dev/null || true`).catch(() => undefined);
        });

        it("starts run in a process group of its own, recorded on the host", async () => {
            await stack.up();
            const pgid = await recorded();
            groups.push(pgid);
            assert.equal(await onHost(host, "cat /var/lib/skymount/run.pid"), pgid);
            const members = await live(pgid);
            assert.equal(members.length, 3, members.join("\n"));
            assert.equal(members.filter((m) => m.endsWith("sleep 1000")).length, 2, members.join("\n"));
            // A session of its own: the leader is the group.
            assert.equal(await onHost(host, `ps -o sid= -p ${pgid} | tr -d ' '`), pgid);
        });

        it("a changed run stops the old group, children included, and starts the new one", async () => {
            const old = groups[0];
            await stack.setConfig("run", { value: FORKING_RUN(1001) });
            const started = Date.now();
            const result = await stack.up();
            assert.deepEqual(result.summary.resourceChanges, { update: 1, same: result.summary.resourceChanges!.same });
            const tookMs = Date.now() - started;
            console.log(`[figure] ${host.name}: up restarting run: ${tookMs} ms`);
            assert.deepEqual(await live(old), [], "a process of the old run survived the restart");
            const pgid = await recorded();
            groups.push(pgid);
            assert.notEqual(pgid, old);
            assert.equal((await live(pgid)).filter((m) => m.endsWith("sleep 1001")).length, 2);
            // The stop waits at most its 10 s grace: the rest is the engine (30 s on h1 and 68 s on s1 once
            // seen, on a 2-core machine at load average 20).
            assert.ok(tookMs < 120_000, `up took ${tookMs} ms`);
        });

        it("destroy stops the run and its children", async () => {
            const pgid = groups[1];
            await stack.destroy();
            assert.deepEqual(await live(pgid), []);
            assert.equal(await onHost(host, "ls /var/lib/skymount/run.pgid /var/lib/skymount/run.pid 2>/dev/null || true"), "");
        });
    });
