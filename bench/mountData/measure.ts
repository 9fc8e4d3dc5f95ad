// One measured run of one workload with one engine on the host. A read is timed around its snippet.
// A write is timed twice: until every writer's close returned, and until the bucket holds all it
// wrote (the host client polls the prefix from the moment the writers closed; when its first poll
// finds everything, the files were in the bucket when close returned: "durable on close").
import { ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { deleteKeys } from "../../src/sync/protocols/s3Transfer";
import { HOST_BENCH_DIR, HOST_CLIENT, hostSeconds, sdkSeconds, sh, storeOf } from "../support/host";
import { EngineContext, peakRssMib, startEngine, stopEngine } from "./engines";
import { EngineName, Workload } from "./workloads";

export interface Measure {
    /** Reads: the run's time. Writes: until the bucket held everything written. */
    seconds: number;
    /** Writes: until the last close returned (and `sync`, for the checkpoint). */
    closeSeconds?: number;
    /** The mount process's peak resident memory during the run. */
    rssMib?: number;
}

/** What COPY does (copyVolume.sh), from a read-only mount into a directory on the host's disk. */
function copySnippet(root: string, copies: string, local: string): string {
    if (!copies.endsWith("/") && copies.includes("."))
        return `mkdir -p ${local}/$(dirname ${copies}) && cp ${root}/${copies} ${local}/${copies}`;
    const src = `${root}/${copies}`;
    const dst = `${local}/${copies}`;
    return [
        `mkdir -p ${dst}`,
        `(cd ${src} && find . -mindepth 1 -type d -print0) | (cd ${dst} && xargs -0 -r mkdir -p)`,
        `(cd ${src} && find . -type f -print0 | xargs -0 -r -P 16 -n 32 cp --parents -t ${dst})`,
    ].join(" && ");
}

/** The snippet that times a write on the host: "<close ms> <durable ms>". */
function writeSnippet(workload: Workload, root: string, tag: string, wait: string): string {
    return [
        `timeout 900 node ${HOST_CLIENT} < ${wait}.req > ${wait}.out 2> ${wait}.err & w=$!`,
        `while [ ! -e ${wait}.ready ]; do kill -0 $w 2>/dev/null || break; sleep 0.01; done`,
        `s=$(date +%s%3N)`,
        `( ${workload.snippet(root, `${root}/out/${tag}`)} ) || { kill $w; echo "the write failed" >&2; exit 1; }`,
        `c=$(date +%s%3N)`,
        workload.durable?.sync ? "sync" : ":",
        `date +%s%3N > ${wait}.closing && mv ${wait}.closing ${wait}.closed`,
        `wait $w || { cat ${wait}.err >&2; exit 1; }`,
        `echo "$((c - s)) $(( $(cat ${wait}.out) - s ))"`,
        `rm -f ${wait}.*`,
    ].join("\n");
}

async function removePrefix(s3: S3Client, bucket: string, prefix: string): Promise<void> {
    for (;;) {
        const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
        const keys = (page.Contents ?? []).map((o) => o.Key!);
        if (keys.length === 0) return;
        await deleteKeys(s3, bucket, keys);
    }
}

export async function measure(ctx: EngineContext, s3: S3Client, workload: Workload, engine: EngineName, tag: string): Promise<Measure> {
    const { host, testbed, bucket } = ctx;
    const out = `out/${tag}`;
    if (engine === "sdk") {
        const seconds = await sdkSeconds(host, testbed, { bucket, ...workload.sdk(out) });
        if (workload.writes) await removePrefix(s3, bucket, `${out}/`);
        return { seconds, closeSeconds: workload.writes ? seconds : undefined };
    }
    if (engine === "local") {
        const dir = `${HOST_BENCH_DIR}/local/${tag}`;
        const [close, flushed] = (
            await sh(
                host,
                `s=$(date +%s%3N); ${workload.snippet(dir, dir)}; c=$(date +%s%3N); sync; echo "$((c - s)) $(( $(date +%s%3N) - s ))"; rm -rf ${dir}`,
            )
        )
            .trim()
            .split(" ")
            .map(Number);
        return { seconds: flushed / 1000, closeSeconds: close / 1000 };
    }
    const target = await startEngine(ctx, engine, workload.writes, workload.preset, tag);
    try {
        let result: Measure;
        if (engine === "copy") {
            const local = `${HOST_BENCH_DIR}/copy/${tag}`;
            target.scratch.push(local);
            result = {
                seconds: await hostSeconds(
                    host,
                    `${copySnippet(target.root, workload.copies!, local)} && ${workload.snippet(local, local)}`,
                ),
            };
        } else if (workload.writes) {
            const wait = `${HOST_BENCH_DIR}/wait-${tag}`;
            const durable = workload.durable!;
            const request = { ...storeOf(testbed), op: "wait", bucket, prefix: `${out}/`, count: durable.count, size: durable.size };
            await sh(host, `cat > ${wait}.req`, JSON.stringify({ ...request, readyFile: `${wait}.ready`, closedFile: `${wait}.closed` }));
            const [close, inBucket] = (await sh(host, writeSnippet(workload, target.root, tag, wait))).trim().split(" ").map(Number);
            result = { seconds: inBucket / 1000, closeSeconds: close / 1000 };
        } else {
            result = { seconds: await hostSeconds(host, workload.snippet(target.root, "")) };
        }
        result.rssMib = peakRssMib(target.root);
        return result;
    } finally {
        await stopEngine(ctx, target);
        if (workload.writes) await removePrefix(s3, bucket, `${out}/`);
    }
}
