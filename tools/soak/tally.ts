// The soak's count once its writers have stopped: every writer's and reader's log fetched from its
// host and set against the bucket (audit.ts), into the report's files, reads and lost sections.
import type { S3Client } from "@aws-sdk/client-s3";
import type { TestbedHost } from "../testbed/info";
import { fetchLog } from "./agents";
import { listObjects, LostFile, lostFiles, parseReaderLog, parseWriterLog } from "./audit";
import { bucketOf, READER_LOG, SOAK_VOLUMES, writerLog } from "./layout";
import type { SoakReport } from "./report";

export type Tally = Pick<SoakReport, "files" | "reads" | "lost">;

/** `bucket`: the soak's base name ("<bucket>-<prefix>" per volume). */
export async function tally(s3: S3Client, bucket: string, hosts: TestbedHost[]): Promise<Tally> {
    const files: Tally["files"] = {
        written: 0,
        ok: 0,
        failed: 0,
        failedByError: {},
        interruptedByReboot: 0,
        unanswered: [],
        failedYetStored: 0,
    };
    const lost: LostFile[] = [];
    /** Per volume directory: the files whose writer was told its close succeeded. */
    const okByDir = new Map<string, Set<string>>();
    for (const volume of SOAK_VOLUMES) {
        const objects = await listObjects(s3, bucketOf(bucket, volume), volume.prefix);
        const ok: string[] = [];
        for (const host of hosts) {
            const outcomes = parseWriterLog(await fetchLog(host, writerLog(volume)));
            ok.push(...outcomes.ok);
            files.written += outcomes.ok.length + outcomes.failed.length + outcomes.interrupted.length + outcomes.unanswered.length;
            files.failed += outcomes.failed.length;
            files.interruptedByReboot += outcomes.interrupted.length;
            files.unanswered.push(...outcomes.unanswered.map((file) => `${host.name}:${volume.dir}/${file}`));
            for (const failure of outcomes.failed) {
                files.failedByError[failure.error] = (files.failedByError[failure.error] ?? 0) + 1;
                if (objects.has(`${volume.prefix}/${failure.file}`)) files.failedYetStored++;
            }
        }
        files.ok += ok.length;
        okByDir.set(volume.dir, new Set(ok));
        lost.push(...(await lostFiles(s3, bucketOf(bucket, volume), volume.prefix, ok, objects)));
    }
    const reads: Tally["reads"] = { verified: 0, mismatchedOkFiles: [], mismatchedOther: 0, errors: 0 };
    for (const host of hosts) {
        const outcomes = parseReaderLog(await fetchLog(host, READER_LOG));
        reads.verified += outcomes.verified;
        reads.errors += outcomes.errors;
        for (const path of outcomes.mismatched) {
            const dir = path.slice(0, path.lastIndexOf("/"));
            if (okByDir.get(dir)?.has(path.slice(dir.length + 1))) reads.mismatchedOkFiles.push(`${host.name}:${path}`);
            else reads.mismatchedOther++;
        }
    }
    return { files, reads, lost };
}
