// The data path's workloads: what each does on the host through a mount (a shell snippet on the
// directory where the bucket's root appears) and through the SDK (a request of bench/hostClient.ts),
// at sizes scaled by --scale (1 is the published benchmark's).
import { HOST_BENCH_DIR } from "../support/host";

export const MIB = 2 ** 20;

/** Every size the workloads use, at scale 1: 1 GiB, 2 GiB, 10,000 and 100,000 files. */
export interface Sizes {
    bigBytes: number;
    modelBytes: number;
    smallReads: number;
    checkpointBytes: number;
    smallWritesFew: number;
    smallWritesMany: number;
    listObjects: number;
}

export function sizesAt(scale: number): Sizes {
    const bytes = (mib: number) => Math.max(1, Math.round(mib * scale)) * MIB;
    const count = (n: number) => Math.max(16, Math.round(n * scale));
    return {
        bigBytes: bytes(1024),
        modelBytes: bytes(2048),
        smallReads: count(10_000),
        checkpointBytes: bytes(2048),
        smallWritesFew: count(1_000),
        smallWritesMany: count(10_000),
        listObjects: count(100_000),
    };
}

/** Where the host keeps the written inputs, made before any clock starts. */
export const HOST_SOURCES = `${HOST_BENCH_DIR}/src`;

/** The engines a workload is measured with: the SDK (the limit), SkyVolume's MOUNT and MOUNT_CACHED
 *  (geesefs with skymount's flags), COPY (skymount's copy method, then the read on the copy), rclone
 *  mount as SkyPilot runs it for MOUNT and for MOUNT_CACHED, and the host's own disk (checkpoint). */
export type EngineName = "sdk" | "mount" | "cached" | "copy" | "rclone" | "rcloneCached" | "local";
export const ENGINE_LABELS: Record<EngineName, string> = {
    sdk: "direct SDK (the limit)",
    mount: "SkyVolume MOUNT",
    cached: "SkyVolume MOUNT_CACHED",
    copy: "SkyVolume COPY (copy, then read)",
    rclone: "rclone mount (SkyPilot MOUNT)",
    rcloneCached: "rclone mount (SkyPilot MOUNT_CACHED, preset)",
    local: "host's disk",
};

/** SkyPilot's MOUNT_CACHED presets (FileMountType), for the workload that matches each. */
export type RclonePreset = "DATASET_RO" | "DATASET_RW" | "MODEL_CHECKPOINT_RO" | "MODEL_CHECKPOINT_RW";

export interface Workload {
    id: string;
    title: string;
    /** Reads open the bucket read-only (the default volume), writes read-write. */
    writes: boolean;
    engines: EngineName[];
    preset: RclonePreset;
    /** Through a mount: the snippet, given where the bucket's root is and (writes) the directory to write. */
    snippet(root: string, out: string): string;
    /** COPY: what is copied to the host's disk (a path under the bucket's root). */
    copies?: string;
    /** The same work through the SDK: a request of the host client, given the key prefix to write. */
    sdk(outPrefix: string): object;
    /** Writes: the objects that must be in the bucket under the written prefix, and after close, a `sync`. */
    durable?: { count: number; size?: number; sync?: boolean };
}

const READERS = 4;
const SMALL_WRITE_BYTES = 4096;
const MOUNTS: EngineName[] = ["mount", "cached", "rclone", "rcloneCached"];

/** xargs's batch for `count` files 16 at a time: 32 a process, fewer when there are not 16 × 32. */
function batch(count: number): number {
    return Math.max(1, Math.min(32, Math.floor(count / 16)));
}

function smallWrites(id: string, count: number): Workload {
    return {
        id,
        title: `write ${count} files of 4 KiB, 16 at a time, durable on close`,
        writes: true,
        engines: ["sdk", ...MOUNTS],
        preset: "DATASET_RW",
        snippet: (_root, out) =>
            `mkdir -p ${out} && cd ${HOST_SOURCES}/small && ls | head -n ${count} | xargs -P 16 -n ${batch(count)} cp -t ${out}`,
        sdk: (prefix) => {
            const files = Array.from({ length: count }, (_, i) => `${HOST_SOURCES}/small/f${String(i).padStart(6, "0")}.bin`);
            return { op: "put", keys: files.map((f) => `${prefix}/${f.split("/").pop()}`), files, concurrency: 16 };
        },
        durable: { count, size: SMALL_WRITE_BYTES },
    };
}

export function workloads(sizes: Sizes): Workload[] {
    const quarter = sizes.modelBytes / READERS;
    return [
        {
            id: "seqRead",
            title: `sequential read, ${sizes.bigBytes / MIB} MiB`,
            writes: false,
            engines: ["sdk", ...MOUNTS, "copy"],
            preset: "DATASET_RO",
            snippet: (root) => `cat ${root}/data/big.bin > /dev/null`,
            copies: "data/big.bin",
            sdk: () => ({ op: "get", keys: ["data/big.bin"], concurrency: 1 }),
        },
        {
            id: "modelLoad",
            title: `model load: ${READERS} readers of one ${sizes.modelBytes / MIB} MiB file, a quarter each`,
            writes: false,
            engines: ["sdk", ...MOUNTS, "copy"],
            preset: "MODEL_CHECKPOINT_RO",
            snippet: (root) =>
                `for i in $(seq 0 ${READERS - 1}); do dd if=${root}/data/model.bin of=/dev/null bs=4M iflag=skip_bytes,count_bytes skip=$((i * ${quarter})) count=${quarter} status=none & done; wait`,
            copies: "data/model.bin",
            sdk: () => ({
                op: "get",
                keys: ["data/model.bin"],
                ranges: Array.from({ length: READERS }, (_, i) => [i * quarter, (i + 1) * quarter - 1]),
            }),
        },
        {
            id: "smallRead",
            title: `read ${sizes.smallReads} files of 1-8 KiB, 16 at a time`,
            writes: false,
            engines: ["sdk", ...MOUNTS, "copy"],
            preset: "DATASET_RO",
            snippet: (root) => `cd ${root}/data/small && find . -type f -print0 | xargs -0 -P 16 -n 32 cat > /dev/null`,
            copies: "data/small",
            sdk: () => ({ op: "get", prefix: "data/small/", concurrency: 16 }),
        },
        {
            id: "seqWrite",
            title: `sequential write, ${sizes.bigBytes / MIB} MiB`,
            writes: true,
            engines: ["sdk", ...MOUNTS],
            preset: "DATASET_RW",
            snippet: (_root, out) => `mkdir -p ${out} && cp ${HOST_SOURCES}/big.bin ${out}/big.bin`,
            sdk: (prefix) => ({ op: "put", keys: [`${prefix}/big.bin`], files: [`${HOST_SOURCES}/big.bin`], concurrency: 1 }),
            durable: { count: 1, size: sizes.bigBytes },
        },
        {
            id: "checkpoint",
            title: `checkpoint: ${sizes.checkpointBytes / MIB} MiB written, closed, then \`sync\``,
            writes: true,
            engines: ["sdk", ...MOUNTS, "local"],
            preset: "MODEL_CHECKPOINT_RW",
            snippet: (_root, out) => `mkdir -p ${out} && dd if=${HOST_SOURCES}/checkpoint.bin of=${out}/checkpoint.bin bs=4M status=none`,
            sdk: (prefix) => ({
                op: "put",
                keys: [`${prefix}/checkpoint.bin`],
                files: [`${HOST_SOURCES}/checkpoint.bin`],
                concurrency: 1,
            }),
            durable: { count: 1, size: sizes.checkpointBytes, sync: true },
        },
        smallWrites("smallWriteFew", sizes.smallWritesFew),
        smallWrites("smallWriteMany", sizes.smallWritesMany),
        {
            id: "listing",
            title: `\`ls -lR\` of a ${sizes.listObjects}-object prefix (100 directories)`,
            writes: false,
            engines: ["sdk", ...MOUNTS],
            preset: "DATASET_RO",
            snippet: (root) => `ls -lR ${root}/data/list > /dev/null`,
            sdk: () => ({ op: "list", prefix: "data/list/" }),
        },
    ];
}

/** The host's write inputs: the big file, the checkpoint and the small files, random bytes. */
export function sourcesSnippet(sizes: Sizes): string {
    const small = Math.max(sizes.smallWritesFew, sizes.smallWritesMany);
    return [
        `rm -rf ${HOST_SOURCES} && mkdir -p ${HOST_SOURCES}/small`,
        `head -c ${sizes.bigBytes} /dev/urandom > ${HOST_SOURCES}/big.bin`,
        `head -c ${sizes.checkpointBytes} /dev/urandom > ${HOST_SOURCES}/checkpoint.bin`,
        `head -c ${small * SMALL_WRITE_BYTES} /dev/urandom | split -a 6 -d -b ${SMALL_WRITE_BYTES} --additional-suffix=.bin - ${HOST_SOURCES}/small/f`,
    ].join(" && ");
}
