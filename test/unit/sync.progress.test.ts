// The progress of a sync or copy: the line's form, at most one line per interval (fake clock), a
// final line however the work ends, and the hook around a pool's tasks.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { runPool } from "../../src/sync/pool/pool";
import { formatBytes, formatCount, progressIntervalMs, ProgressReporter, withProgress } from "../../src/sync/pool/progress";

const MiB = 1024 * 1024;

/** A clock the test moves, and the lines said. */
function harness(total = { files: 10_000, bytes: 1.2 * 1024 * MiB }) {
    let now = 1_000_000;
    const progress: string[] = [];
    const final: string[] = [];
    const reporter = new ProgressReporter(
        total,
        "uploaded",
        { progress: (l) => progress.push(l), final: (l) => final.push(l) },
        () => now,
        5_000,
    );
    return { reporter, progress, final, advance: (ms: number) => (now += ms) };
}

describe("progress lines", () => {
    it("sizes in binary units, one decimal below 10, and counts with thousands separators", () => {
        assert.deepEqual([0, 512, 1536, 120 * MiB, 1.2 * 1024 * MiB, 35 * MiB, 3 * 1024 ** 4].map(formatBytes), [
            "0 B",
            "512 B",
            "1.5 KiB",
            "120 MiB",
            "1.2 GiB",
            "35 MiB",
            "3.0 TiB",
        ]);
        assert.deepEqual([0, 999, 1234, 10_000, 1_234_567].map(formatCount), ["0", "999", "1,234", "10,000", "1,234,567"]);
    });

    it('says "done/total files, bytes/total, rate" at most once per interval', () => {
        const { reporter, progress, advance } = harness();
        for (let i = 0; i < 1233; i++) reporter.filesDone(1, 0);
        advance(4_000);
        reporter.filesDone(1, 120 * MiB);
        assert.deepEqual(progress, [], "nothing within the first interval");
        advance(1_000);
        reporter.filesDone(1, 0);
        assert.deepEqual(progress, ["1,235/10,000 files, 120 MiB/1.2 GiB, 24 MiB/s"]);
        advance(4_999);
        reporter.filesDone(1, 0);
        reporter.tick();
        assert.equal(progress.length, 1, "still within the interval after the last line");
        advance(1);
        reporter.tick();
        assert.deepEqual(progress[1], "1,236/10,000 files, 120 MiB/1.2 GiB, 12 MiB/s");
    });

    it("a timer tick says a line while one long file is still uploading", () => {
        const { reporter, progress, advance } = harness({ files: 1, bytes: 10 * 1024 * MiB });
        advance(6_000);
        reporter.tick();
        assert.deepEqual(progress, ["0/1 files, 0 B/10 GiB, 0 B/s"]);
    });

    it("the final line says what was done and in how long, and that it stopped when it did", () => {
        const done = harness({ files: 2, bytes: 3 * MiB });
        done.reporter.filesDone(1, MiB);
        done.reporter.filesDone(1, 2 * MiB);
        done.advance(2_000);
        done.reporter.finish();
        assert.deepEqual(done.final, ["uploaded 2/2 files, 3.0 MiB/3.0 MiB in 2.0 s, 1.5 MiB/s"]);
        const stopped = harness({ files: 2, bytes: 3 * MiB });
        stopped.reporter.filesDone(1, MiB);
        stopped.advance(1_000);
        stopped.reporter.finish();
        assert.deepEqual(stopped.final, ["uploaded 1/2 files, 1.0 MiB/3.0 MiB in 1.0 s, 1.0 MiB/s (stopped: 1/2 files, 1.0 MiB/3.0 MiB)"]);
    });

    it("SKYMOUNT_PROGRESS_SECONDS sets the interval; anything but a positive number keeps 5 s", () => {
        assert.equal(progressIntervalMs({ SKYMOUNT_PROGRESS_SECONDS: "1" }), 1000);
        assert.equal(progressIntervalMs({ SKYMOUNT_PROGRESS_SECONDS: "0.5" }), 500);
        for (const bad of [undefined, "", "0", "-1", "soon"]) assert.equal(progressIntervalMs({ SKYMOUNT_PROGRESS_SECONDS: bad }), 5000);
    });
});

describe("withProgress around a pool", () => {
    const lines = () => {
        const said: string[] = [];
        return { said, lines: { progress: (l: string) => said.push(`progress ${l}`), final: (l: string) => said.push(`final ${l}`) } };
    };

    it("runs every task once through the pool, counting each when it is done, then one final line", async () => {
        const { said, lines: to } = lines();
        const ran: string[] = [];
        const tasks = ["a", "b", "c"].map((label) => ({ label, bytes: 1024, run: async () => void ran.push(label) }));
        await withProgress(
            tasks,
            "copied",
            to,
            (wrapped) => runPool(wrapped, 2),
            () => 0,
            60_000,
        );
        assert.deepEqual(ran.sort(), ["a", "b", "c"]);
        assert.deepEqual(said, ["final copied 3/3 files, 3.0 KiB/3.0 KiB in 0.0 s, -"]);
    });

    it("still says the final line when a task fails, and the failure goes through", async () => {
        const { said, lines: to } = lines();
        const tasks = [
            { label: "ok", bytes: 1, run: async () => undefined },
            {
                label: "bad",
                bytes: 1,
                run: async () => {
                    throw new Error("refused");
                },
            },
        ];
        await assert.rejects(
            withProgress(
                tasks,
                "uploaded",
                to,
                (wrapped) => runPool(wrapped, 1),
                () => 0,
                60_000,
            ),
            /1\/2 done; 1 failed; first: bad: refused/,
        );
        assert.equal(said.length, 1);
        assert.match(said[0], /^final uploaded 1\/2 files, .*\(stopped: 1\/2 files, 1 B\/2 B\)$/);
    });

    it("says nothing when there is nothing to do", async () => {
        const { said, lines: to } = lines();
        await withProgress([], "uploaded", to, (wrapped) => runPool(wrapped, 4));
        assert.deepEqual(said, []);
    });

    it("with a real clock, a timer says lines while a slow task runs", async () => {
        const { said, lines: to } = lines();
        const slow = { label: "slow", bytes: 10, run: () => new Promise<void>((r) => setTimeout(r, 260)) };
        await withProgress([slow], "uploaded", to, (wrapped) => runPool(wrapped, 1), Date.now, 100);
        const progress = said.filter((l) => l.startsWith("progress "));
        assert.ok(progress.length >= 1 && progress.length <= 3, said.join("\n"));
        assert.match(progress[0], /^progress 0\/1 files, 0 B\/10 B, 0 B\/s$/);
        assert.match(said.at(-1)!, /^final uploaded 1\/1 files, 10 B\/10 B in 0\.\d s, /);
    });

    it("pulls lazily given tasks one at a time: never more made than the pool has in flight, plus one", async () => {
        const { said, lines: to } = lines();
        let made = 0;
        let running = 0;
        let mostAhead = 0;
        const tasks = (function* () {
            for (let i = 0; i < 50; i++) {
                made++;
                mostAhead = Math.max(mostAhead, made - running);
                yield { label: `f${i}`, bytes: 2, run: () => new Promise<void>((r) => setImmediate(r)) };
            }
        })();
        await withProgress({ tasks, files: 50, bytes: 100 }, "uploaded", to, (wrapped) =>
            runPool(
                (function* () {
                    for (const task of wrapped) {
                        yield { ...task, run: async () => void (running++, await task.run()) };
                    }
                })(),
                4,
            ),
        );
        assert.equal(made, 50);
        assert.ok(mostAhead <= 5, `${mostAhead} tasks made ahead of the ones started`);
        assert.match(said.at(-1)!, /^final uploaded 50\/50 files, 100 B\/100 B in /);
    });
});
