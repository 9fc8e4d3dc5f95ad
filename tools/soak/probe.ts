// Whether a volume serves: its directory lists, and a small file written through it (closed, so
// uploaded) reads back. Used to time each heal and to check every volume at the end.
import type { TestbedHost } from "../testbed/info";
import { SoakVolume, volumeLabel } from "./layout";
import { onHost } from "./remote";

/** How long one probe may take on the host before it counts as not serving. */
const PROBE_SECONDS = 8;
const POLL_MS = 500;

export interface VolumeOnHost {
    host: TestbedHost;
    volume: SoakVolume;
}

/** One probe: "" when the volume serves, else what failed. */
export async function probeVolume({ host, volume }: VolumeOnHost): Promise<string> {
    const file = `${volume.dir}/.soak-probe-${host.name}`;
    const stamp = `${Date.now()}`;
    const result = await onHost(
        host,
        `timeout -s KILL ${PROBE_SECONDS} sh -c 'ls ${volume.dir} > /dev/null && echo ${stamp} > ${file} && [ "$(cat ${file})" = ${stamp} ]'`,
        { timeoutMs: (PROBE_SECONDS + 10) * 1000 },
    );
    return result.ok ? "" : result.error || "the probe failed";
}

/** Probes each volume until it serves or `timeoutMs` passes; returns, per volume label, the
 *  milliseconds from `since` until it served (null: it did not). */
export async function waitServing(targets: VolumeOnHost[], since: number, timeoutMs: number): Promise<Record<string, number | null>> {
    const deadline = Date.now() + timeoutMs;
    const healed: Record<string, number | null> = {};
    await Promise.all(
        targets.map(async (target) => {
            const label = volumeLabel(target.host, target.volume);
            healed[label] = null;
            while (Date.now() < deadline) {
                if ((await probeVolume(target)) === "") {
                    healed[label] = Date.now() - since;
                    return;
                }
                await new Promise((r) => setTimeout(r, POLL_MS));
            }
        }),
    );
    return healed;
}
