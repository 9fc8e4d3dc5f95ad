// The chaos soak's count (tools/soak/audit.ts, report.ts): what a writer's log says about each file,
// the heal figures, and the seeded generator that makes a run replayable.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseReaderLog, parseWriterLog } from "../../tools/soak/audit";
import { FaultRecord, healFigures } from "../../tools/soak/report";
import { seededRng } from "../../tools/soak/rng";

describe("the soak's count", () => {
    it("a writer's log: ok, failed with the call and error, cut short by a restart, never answered", () => {
        const outcomes = parseWriterLog(
            [
                "start 1 100",
                "begin a 10",
                "ok a 3",
                "begin b 10",
                "failed b open 107 Transport_endpoint_is_not_connected",
                "begin c 10",
                "start 2 200",
                "begin d 10",
                "ok d 1",
                "begin e 10",
                "",
            ].join("\n"),
        );
        assert.deepEqual(outcomes.ok, ["a", "d"]);
        assert.deepEqual(outcomes.failed, [{ file: "b", call: "open", error: "open: Transport_endpoint_is_not_connected (errno 107)" }]);
        assert.deepEqual(outcomes.interrupted, ["c"]);
        assert.deepEqual(outcomes.unanswered, ["e"]);
    });

    it("a stopped writer leaves nothing unanswered", () => {
        assert.deepEqual(parseWriterLog("start 1 1\nbegin a 1\nok a 1\nstopped 1\n").unanswered, []);
    });

    it("a reader's log: verified, mismatched paths, errors", () => {
        const outcomes = parseReaderLog("start 1\nverified /v/x\nmismatch /v/y 3 abc\nerror /v/z read 5\nerror /v list 107\n");
        assert.deepEqual(outcomes, { verified: 1, mismatched: ["/v/y"], errors: 2 });
    });

    it("heal figures: min, median and max over every volume a fault hit, and those not healed", () => {
        const fault = (healedMs: Record<string, number | null>): FaultRecord => ({
            kind: "link-cut",
            target: "h1",
            atSeconds: 0,
            downMs: 0,
            detail: "",
            healedMs,
            agentsStarted: 0,
        });
        assert.deepEqual(healFigures([fault({ a: 400, b: 100 }), fault({ a: 300, b: null }), fault({ a: 200 })]), {
            count: 4,
            minMs: 100,
            medianMs: 250,
            maxMs: 400,
            notHealed: 1,
        });
        assert.deepEqual(healFigures([]), { count: 0, minMs: 0, medianMs: 0, maxMs: 0, notHealed: 0 });
    });

    it("one seed, one schedule; another seed, another", () => {
        const draw = (seed: number) => {
            const rng = seededRng(seed);
            return [rng.between(10, 40), rng.pick(["h1", "s1"]), ...rng.shuffle([1, 2, 3, 4]), rng.next()];
        };
        assert.deepEqual(draw(2026), draw(2026));
        assert.notDeepEqual(draw(2026), draw(2027));
        const rng = seededRng(7);
        for (let i = 0; i < 1000; i++) {
            const x = rng.between(3, 8);
            assert.ok(x >= 3 && x < 8, String(x));
        }
    });
});
