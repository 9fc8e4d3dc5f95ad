// The chaos soak's core, on a testbed that is up: one bucket mounted read-write (SOAK_VOLUMES) on
// each writer host by a Pulumi stack; writers and readers on every host; faults of every kind at
// random intervals from a seeded generator, each undone and its heal timed; then the quiesce (agents
// stopped after their current file), the count against the bucket, and a read and write probe of
// every volume. `npm run soak` (cli.ts) and test/e2e/soak.test.ts run it.
import type { TestbedHost, TestbedInfo } from "../testbed/info";
import { agentErrors, ensureAgents, installAgents, stopAgents } from "./agents";
import { FAULT_KINDS, FaultKind, hostsHit, injectFault, setLink } from "./faults";
import { bucketOf, SOAK_VOLUMES, volumeLabel } from "./layout";
import { VolumeOnHost, waitServing } from "./probe";
import { FaultRecord, healFigures, passed, SoakReport } from "./report";
import { seededRng } from "./rng";
import { createBucket, s3ClientOf, upSoakStack } from "./stack";
import { tally } from "./tally";

export interface SoakOptions {
    testbed: TestbedInfo;
    /** The hosts that mount the volumes and run writers and readers; reboots go to the systemd one. */
    hosts: TestbedHost[];
    seed: number;
    /** How long faults are injected (and then until each kind has come at least once). */
    minutes: number;
    /** The pause before each fault: uniform in [min, max] seconds. */
    gapSeconds?: [number, number];
    log?: (line: string) => void;
}

/** How long a volume may take to serve again after a fault before the heal counts as missed. */
const HEAL_WAIT_MS = 180_000;
/** How long the writers get to finish their current file at the end. */
const STOP_WAIT_SECONDS = 120;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runSoak(options: SoakOptions): Promise<SoakReport> {
    const { testbed, hosts, seed } = options;
    const log = options.log ?? console.log;
    const [gapMin, gapMax] = options.gapSeconds ?? [10, 40];
    const rng = seededRng(seed);
    const s3 = s3ClientOf(testbed);
    const bucket = `soak${seed}-${Date.now().toString(36)}`;
    const startedAt = new Date().toISOString();
    const everyVolume: VolumeOnHost[] = hosts.flatMap((host) => SOAK_VOLUMES.map((volume) => ({ host, volume })));
    const faults: FaultRecord[] = [];

    for (const volume of SOAK_VOLUMES) await createBucket(s3, bucketOf(bucket, volume));
    log(
        `soak: buckets ${SOAK_VOLUMES.map((v) => bucketOf(bucket, v)).join(" ")}; pulumi up of ${everyVolume.map((t) => volumeLabel(t.host, t.volume)).join(" ")}`,
    );
    const soakStack = await upSoakStack(bucket, hosts);
    try {
        for (const host of hosts) await installAgents(host);
        const started = async () => (await Promise.all(hosts.map((h) => ensureAgents(h, seed)))).reduce<number>((n, k) => n + (k ?? 0), 0);
        await started();

        const faultsFrom = Date.now();
        const deadline = faultsFrom + options.minutes * 60_000;
        let bag: FaultKind[] = [];
        for (;;) {
            const gap = rng.between(gapMin, gapMax) * 1000;
            // Past the minutes only until every kind has come once: a short run still meets them all.
            if (Date.now() + gap >= deadline && FAULT_KINDS.every((k) => faults.some((f) => f.kind === k))) break;
            await sleep(gap);
            await started();
            if (bag.length === 0) bag = rng.shuffle(FAULT_KINDS);
            const kind = bag.pop()!;
            const at = Date.now();
            const record: FaultRecord = {
                kind,
                target: "",
                atSeconds: Math.round((at - faultsFrom) / 1000),
                downMs: 0,
                detail: "",
                healedMs: {},
                agentsStarted: 0,
            };
            try {
                Object.assign(record, await injectFault(kind, testbed, hosts, rng));
            } catch (err) {
                record.error = (err as Error).message;
            }
            const hit = record.target ? hostsHit(record.target, hosts) : hosts;
            record.healedMs = await waitServing(
                everyVolume.filter((t) => hit.includes(t.host)),
                at,
                HEAL_WAIT_MS,
            );
            record.agentsStarted = await started();
            faults.push(record);
            log(
                `soak: +${record.atSeconds} s ${kind} ${record.target} (${record.detail}${record.error ? `; failed: ${record.error}` : ""}): served again after ` +
                    Object.entries(record.healedMs)
                        .map(([volume, ms]) => `${volume} ${ms === null ? "NEVER" : `${ms} ms`}`)
                        .join(", "),
            );
        }

        // Quiesce: every link up, every volume serving, then the agents stop after their current file.
        for (const host of hosts) setLink(host, "up");
        await waitServing(everyVolume, Date.now(), HEAL_WAIT_MS);
        const stuck = (
            await Promise.all(hosts.map(async (h) => (await stopAgents(h, seed, STOP_WAIT_SECONDS)).map((l) => `${h.name}:${l}`)))
        ).flat();
        if (stuck.length) log(`soak: agents still running ${STOP_WAIT_SECONDS} s after their stop: ${stuck.join(", ")}`);
        log("soak: agents stopped; counting against the bucket");
        const counted = await tally(s3, bucket, hosts);

        const serving = await waitServing(everyVolume, Date.now(), 60_000);
        const servingAtEnd = Object.fromEntries(
            Object.entries(serving).map(([v, ms]) => [v, ms === null ? "no read and write within 60 s" : ""]),
        );
        const byKind: Record<string, number> = Object.fromEntries(FAULT_KINDS.map((k) => [k, faults.filter((f) => f.kind === k).length]));
        const unfinished: Omit<SoakReport, "passed"> = {
            seed,
            minutes: options.minutes,
            startedAt,
            finishedAt: new Date().toISOString(),
            bucket,
            volumes: everyVolume.map((t) => volumeLabel(t.host, t.volume)),
            ...counted,
            faults: { byKind, list: faults },
            heals: {
                ...healFigures(faults),
                byKind: Object.fromEntries(FAULT_KINDS.map((k) => [k, healFigures(faults.filter((f) => f.kind === k))])),
            },
            servingAtEnd,
            agentErrors: Object.fromEntries(await Promise.all(hosts.map(async (h) => [h.name, await agentErrors(h)]))),
        };
        return { ...unfinished, passed: passed(unfinished) };
    } finally {
        for (const host of hosts) setLink(host, "up");
        await soakStack.dispose();
    }
}
