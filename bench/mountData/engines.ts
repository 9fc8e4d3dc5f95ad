// How each engine brings the data bucket up on the host for one measured run, and takes it down
// again: every run gets a fresh mount process (and an empty cache), so no run reads what an earlier
// one left in geesefs's or rclone's memory, its disk cache or the kernel's page cache.
//   MOUNT, MOUNT_CACHED: geesefs with the flags skymount wrote into the host's fstab for a volume of
//     that mode and access (programs/mountData), on the data bucket;
//   COPY: skymount's copy method (copyVolume.sh: a read-only geesefs mount, `find`, 16 `cp` at a time)
//     into a directory on the host's disk;
//   rclone: `rclone mount` as SkyPilot runs it (sky/data/mounting_utils.py): plain for MOUNT on
//     S3-compatible stores, and for MOUNT_CACHED with --vfs-cache-mode full and the preset of the
//     workload's FileMountType (MountCachedConfig).
import { readdirSync, readFileSync } from "node:fs";
import { TestbedHost, TestbedInfo } from "../../tools/testbed/info";
import { HOST_BENCH_DIR, rcloneOnHost, sh } from "../support/host";
import { EngineName, RclonePreset } from "./workloads";

/** geesefs flags for one mode and access, as fstab gives them ("--flag=value" and plain options). */
export type GeesefsFlags = Record<"mount-ro" | "mount-rw" | "cached-ro" | "cached-rw", string[]>;

/** The options of each skymount mount on the host, by its bucket's suffix (`<prefix>-mount-ro`…). */
export async function fstabFlags(host: TestbedHost, bucketPrefix: string): Promise<GeesefsFlags> {
    const fstab = await sh(host, "cat /etc/fstab");
    const flagsOf = (name: string) => {
        const line = fstab.split("\n").find((l) => l.split(/\s+/)[0]?.endsWith(`#${bucketPrefix}-${name}`));
        if (!line) throw new Error(`${host.name}: no fstab entry for bucket ${bucketPrefix}-${name}:\n${fstab}`);
        return line.split(/\s+/)[3].split(",");
    };
    return {
        "mount-ro": flagsOf("mount-ro"),
        "mount-rw": flagsOf("mount-rw"),
        "cached-ro": flagsOf("cached-ro"),
        "cached-rw": flagsOf("cached-rw"),
    };
}

/** SkyPilot's rclone presets: read chunk size, and for writes the transfers (checkers derived as it
 *  does). Debian 12's rclone 1.60 has no --vfs-read-chunk-streams (1.68's), the presets' other knob. */
const PRESETS: Record<RclonePreset, string[]> = {
    DATASET_RO: ["--vfs-read-chunk-size", "8M", "--read-only"],
    DATASET_RW: ["--vfs-read-chunk-size", "8M", "--transfers", "16", "--checkers", String(checkers(16))],
    MODEL_CHECKPOINT_RO: ["--vfs-read-chunk-size", "32M", "--read-only"],
    MODEL_CHECKPOINT_RW: ["--vfs-read-chunk-size", "32M", "--transfers", "8", "--checkers", String(checkers(8))],
};

function checkers(transfers: number): number {
    return Math.max(4, Math.min(2 * transfers, Math.floor(30 + 1.2 * transfers)));
}

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export interface RunTarget {
    /** Where the bucket's root (or the copy's) appears on the host. */
    root: string;
    /** What to remove on the host after the run (mount points, caches, copies). */
    scratch: string[];
}

export interface EngineContext {
    host: TestbedHost;
    testbed: TestbedInfo;
    bucket: string;
    flags: GeesefsFlags;
}

/** A command that leaves a daemon behind: its stdio must not hold the SSH session's pipes open. */
function daemon(command: string, tag: string): string {
    const start = `${HOST_BENCH_DIR}/log/${tag}.start`;
    return `{ ${command} < /dev/null > ${start} 2>&1 || { cat ${start} >&2; exit 1; }; }`;
}

/** geesefs with skymount's flags: the "--" ones as given, the rest (allow_other, ro…) as -o. The cache
 *  of a MOUNT_CACHED flag set moves into a directory of this run on the same cache file system. */
function geesefsCommand(flags: string[], source: string, dir: string, tag: string): { command: string; scratch: string[] } {
    const scratch: string[] = [];
    const args = flags
        .filter((f) => f !== "_netdev")
        .flatMap((f) => {
            if (f.startsWith("--cache=")) {
                const cache = `${f.slice("--cache=".length)}/bench-${tag}`;
                scratch.push(cache);
                return [`--cache=${cache}`];
            }
            if (f.startsWith("--log-file=")) return [`--log-file=${HOST_BENCH_DIR}/log/${tag}.log`];
            return f.startsWith("--") ? [f] : ["-o", f];
        });
    const mkdirs = [dir, ...scratch, `${HOST_BENCH_DIR}/log`].join(" ");
    return {
        command: `mkdir -p ${mkdirs} && ${daemon(`/usr/local/bin/geesefs ${args.map(q).join(" ")} ${q(source)} ${dir}`, tag)}`,
        scratch,
    };
}

/** Brings the bucket up for one run of a mount engine (or COPY's read-only mount): the root to use. */
export async function startEngine(
    ctx: EngineContext,
    engine: EngineName,
    writes: boolean,
    preset: RclonePreset,
    tag: string,
): Promise<RunTarget> {
    const dir = `${HOST_BENCH_DIR}/mnt/${tag}`;
    if (engine === "mount" || engine === "cached" || engine === "copy") {
        const flags = ctx.flags[`${engine === "cached" ? "cached" : "mount"}-${writes ? "rw" : "ro"}`];
        const { command, scratch } = geesefsCommand(flags, ctx.bucket, dir, tag);
        await sh(ctx.host, command);
        return { root: dir, scratch: [dir, ...scratch] };
    }
    if (engine === "rclone" || engine === "rcloneCached") {
        const log = `${HOST_BENCH_DIR}/log/${tag}.log`;
        const cache = `${HOST_BENCH_DIR}/rclone-cache/${tag}`;
        const common = ["--daemon", "--allow-other", "--log-file", log];
        const cached = [
            ...["--daemon-wait", "10s", "--log-level", "INFO", "--vfs-cache-mode", "full", "--dir-cache-time", "10s"],
            ...["--vfs-cache-poll-interval", "10s", "--vfs-write-back", "1s", "--vfs-cache-max-size", "10G"],
            ...["--cache-dir", cache, "--vfs-fast-fingerprint", ...PRESETS[preset]],
        ];
        const args = [...common, ...(engine === "rcloneCached" ? cached : writes ? [] : ["--read-only"])];
        await sh(
            ctx.host,
            `mkdir -p ${dir} ${cache} ${HOST_BENCH_DIR}/log && ${daemon(rcloneOnHost(ctx.testbed, `mount bench:${ctx.bucket} ${dir} ${args.join(" ")}`), tag)}`,
        );
        return { root: dir, scratch: [dir, cache] };
    }
    throw new Error(`${engine} is not a mount engine`);
}

/** The mount process serving `dir` (hosts share this machine's process table): its pid, if any. */
function mountProcess(dir: string): number | undefined {
    for (const entry of readdirSync("/proc")) {
        if (!/^\d+$/.test(entry)) continue;
        let args: string[];
        try {
            args = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0");
        } catch {
            continue;
        }
        if (/(^|\/)(geesefs|rclone)$/.test(args[0]) && args.includes(dir)) return Number(entry);
    }
    return undefined;
}

/** Peak resident memory of the mount process serving `dir` so far, in MiB (VmHWM). */
export function peakRssMib(dir: string): number | undefined {
    const pid = mountProcess(dir);
    if (pid === undefined) return undefined;
    try {
        const kib = /^VmHWM:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
        return kib === undefined ? undefined : Number(kib) / 1024;
    } catch {
        return undefined;
    }
}

/** Unmounts, waits for the mount process to end (rclone uploads what it still holds), removes scratch. */
export async function stopEngine(ctx: EngineContext, target: RunTarget): Promise<void> {
    await sh(ctx.host, `if mountpoint -q ${target.root}; then fusermount3 -u ${target.root} || umount -l ${target.root}; fi`);
    for (let i = 0; i < 600 && mountProcess(target.root) !== undefined; i++) await new Promise((r) => setTimeout(r, 100));
    // Never through a mount that is still there: that would delete the bucket's objects.
    const scratch = target.scratch.join(" ");
    await sh(
        ctx.host,
        `for d in ${scratch}; do if mountpoint -q "$d"; then echo "$d is still mounted" >&2; exit 1; fi; done; rm -rf ${scratch}`,
    );
}
