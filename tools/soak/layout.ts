// Where the soak's parts live: the read-write volumes every writer host mounts (a bucket per volume,
// since one bucket has one FUSE mount, so one mode, per host), and the agents' files on each host.
import type { TestbedHost } from "../testbed/info";

export interface SoakVolume {
    dir: string;
    /** The volume's prefix in the bucket: its files are the objects "<prefix>/<file>". */
    prefix: string;
    mode: "MOUNT" | "MOUNT_CACHED";
}

/** The bucket of `volume` in the soak whose buckets are named "<base>-<prefix>". */
export function bucketOf(base: string, volume: SoakVolume): string {
    return `${base}-${volume.prefix}`;
}

export const SOAK_VOLUMES: readonly SoakVolume[] = [
    { dir: "/soak-mount", prefix: "mount", mode: "MOUNT" },
    { dir: "/soak-cached", prefix: "cached", mode: "MOUNT_CACHED" },
];

/** On each host's own disk (a systemd host's survives its reboots): the agents' scripts, logs and pid files. */
export const AGENT_DIR = "/var/lib/skymount-soak";

export function writerLog(volume: SoakVolume): string {
    return `${AGENT_DIR}/writer-${volume.prefix}.log`;
}

export const READER_LOG = `${AGENT_DIR}/reader.log`;

/** "h1:/soak-mount": a volume on a host, as reports name it. */
export function volumeLabel(host: TestbedHost, volume: SoakVolume): string {
    return `${host.name}:${volume.dir}`;
}
