// The chaos soak, short (tools/soak/soak.ts; `npm run soak` runs it for longer on a testbed of its
// own): read-write MOUNT and MOUNT_CACHED volumes on a plain host and a systemd host, writers and
// readers on both, and for a minute (and until each kind has come once) geesefs killed, MinIO
// restarted, a link cut and the systemd host rebooted, at random (the seed is printed;
// SKYMOUNT_SOAK_SEED replays one). Then every file whose close succeeded must be in its bucket with
// its checksum, every write must have been answered, and every volume must serve a read and a write.
import { DeleteBucketCommand, DeleteObjectsCommand } from "@aws-sdk/client-s3";
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { listObjects } from "../../tools/soak/audit";
import { FAULT_KINDS } from "../../tools/soak/faults";
import { bucketOf, SOAK_VOLUMES } from "../../tools/soak/layout";
import { reportLines, SoakReport } from "../../tools/soak/report";
import { runSoak } from "../../tools/soak/soak";
import { requireTestbed, s3ClientFor } from "./support/testbed";

const MINUTES = 1;

describe("chaos soak: writers and readers while faults of every kind come and go", () => {
    const testbed = requireTestbed();
    const s3 = s3ClientFor(testbed);
    const seed = Number(process.env.SKYMOUNT_SOAK_SEED ?? Math.floor(Math.random() * 1_000_000));
    let report: SoakReport;

    before(async () => {
        const hosts = [testbed.hosts[0], testbed.systemdHosts[0]];
        assert.ok(hosts[1], "the testbed needs a systemd host: up --systemd-hosts 1");
        report = await runSoak({
            testbed,
            hosts,
            seed,
            minutes: MINUTES,
            gapSeconds: [3, 8],
            log: (line) => console.log(`[soak] ${line}`),
        });
        for (const line of reportLines(report)) console.log(`[figure] ${line}`);
    });

    after(async () => {
        if (!report) return;
        for (const volume of SOAK_VOLUMES) {
            const bucket = bucketOf(report.bucket, volume);
            const keys = [...(await listObjects(s3, bucket, volume.prefix).catch(() => new Map<string, number>())).keys()].map((Key) => ({
                Key,
            }));
            for (let i = 0; i < keys.length; i += 1000)
                await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys.slice(i, i + 1000) } }));
            await s3.send(new DeleteBucketCommand({ Bucket: bucket })).catch(() => undefined);
        }
    });

    it(`seed ${seed}: a fault of every kind was injected, and each volume it hit served again`, () => {
        for (const kind of FAULT_KINDS) assert.ok(report.faults.byKind[kind] >= 1, `no ${kind}: ${JSON.stringify(report.faults.byKind)}`);
        assert.deepEqual(
            report.faults.list.filter((f) => f.error).map((f) => `${f.kind} ${f.target}: ${f.error}`),
            [],
        );
        assert.equal(report.heals.notHealed, 0, JSON.stringify(report.faults.list));
    });

    it("every file whose close returned success is in its bucket, with its checksum", () => {
        assert.ok(report.files.ok > 0, "nothing was written");
        assert.deepEqual(report.lost, []);
    });

    it("every write was answered (success or an error), and no reader saw wrong bytes of a stored file", () => {
        assert.deepEqual(report.files.unanswered, []);
        assert.deepEqual(report.reads.mismatchedOkFiles, []);
        assert.ok(report.reads.verified > 0, "no reader verified a file");
    });

    it("every volume serves a read and a write at the end", () => {
        assert.deepEqual(
            Object.entries(report.servingAtEnd).filter(([, why]) => why !== ""),
            [],
        );
        assert.equal(report.passed, true);
    });
});
