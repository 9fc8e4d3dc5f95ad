// The four faults the soak injects, each undone before it returns (a link restored, MinIO started
// again, a rebooted host back): geesefs killed with SIGKILL on a host (the supervisor, or on a systemd
// host the bucket's unit, heals it), MinIO stopped and started, a host's link cut and restored, a
// systemd host rebooted. Durations come from the soak's seeded generator.
import { execFileSync } from "node:child_process";
import type { TestbedHost, TestbedInfo } from "../testbed/info";
import { startMinio, stopMinio } from "./minio";
import { mustOnHost, onHost } from "./remote";
import type { Rng } from "./rng";

export const FAULT_KINDS = ["geesefs-kill", "minio-restart", "link-cut", "reboot"] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface InjectedFault {
    /** The host it hit, or "minio". */
    target: string;
    /** How long the fault lasted before it was undone (0 for a kill, whose healing is the system's). */
    downMs: number;
    detail: string;
}

/** Kills every geesefs of the host (those of its own mount namespace: the testbed's plain hosts share
 *  one pid namespace with the machine and each other). */
async function killGeesefs(host: TestbedHost): Promise<InjectedFault> {
    const killed = await mustOnHost(
        host,
        [
            "me=$(readlink /proc/self/ns/mnt); n=0",
            `for p in $(pgrep -x geesefs); do [ "$(readlink /proc/$p/ns/mnt)" = "$me" ] && kill -9 $p && n=$((n + 1)); done`,
            "echo $n",
        ].join("\n"),
    );
    if (Number(killed) === 0) throw new Error(`${host.name}: no geesefs to kill`);
    return { target: host.name, downMs: 0, detail: `${killed.trim()} geesefs killed` };
}

async function restartMinio(testbed: TestbedInfo, rng: Rng): Promise<InjectedFault> {
    const downFor = Math.round(rng.between(2_000, 10_000));
    const started = Date.now();
    const stopped = await stopMinio(testbed.s3.endpoint);
    try {
        await new Promise((r) => setTimeout(r, downFor));
    } finally {
        await startMinio(stopped, testbed.s3.endpoint);
    }
    return { target: "minio", downMs: Date.now() - started, detail: `stopped for ${downFor} ms` };
}

export function setLink(host: TestbedHost, state: "up" | "down"): void {
    execFileSync("ip", ["link", "set", host.netns, state]);
}

async function cutLink(host: TestbedHost, rng: Rng): Promise<InjectedFault> {
    const downFor = Math.round(rng.between(3_000, 20_000));
    const started = Date.now();
    setLink(host, "down");
    try {
        await new Promise((r) => setTimeout(r, downFor));
    } finally {
        setLink(host, "up");
    }
    return { target: host.name, downMs: Date.now() - started, detail: `link down ${downFor} ms` };
}

/** `systemctl reboot`, then waits until the host answers from a new boot (its /run is fresh). */
async function reboot(host: TestbedHost): Promise<InjectedFault> {
    if (host.init !== "systemd") throw new Error(`${host.name} does not boot systemd`);
    await mustOnHost(host, "touch /run/skymount-soak-boot");
    const started = Date.now();
    await onHost(host, "systemctl reboot");
    const deadline = started + 180_000;
    for (;;) {
        const probe = await onHost(
            host,
            "systemctl is-system-running --wait >/dev/null 2>&1; ls /run/skymount-soak-boot 2>/dev/null || echo new-boot",
            {
                timeoutMs: 60_000,
            },
        );
        if (probe.ok && probe.stdout.trim() === "new-boot") break;
        if (Date.now() > deadline) throw new Error(`${host.name}: not back from its reboot within 180 s`);
        await new Promise((r) => setTimeout(r, 500));
    }
    return { target: host.name, downMs: Date.now() - started, detail: "rebooted" };
}

/** Injects one fault of `kind` on one of `hosts` (a reboot: the systemd host) and undoes it. */
export function injectFault(kind: FaultKind, testbed: TestbedInfo, hosts: TestbedHost[], rng: Rng): Promise<InjectedFault> {
    switch (kind) {
        case "geesefs-kill":
            return killGeesefs(rng.pick(hosts));
        case "minio-restart":
            return restartMinio(testbed, rng);
        case "link-cut":
            return cutLink(rng.pick(hosts), rng);
        case "reboot":
            return reboot(hosts.find((h) => h.init === "systemd") ?? hosts[0]);
    }
}

/** The hosts a fault of `kind` on `target` touches: all of them for the store. */
export function hostsHit(target: string, hosts: TestbedHost[]): TestbedHost[] {
    return target === "minio" ? hosts : hosts.filter((h) => h.name === target);
}
