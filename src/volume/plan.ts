// From validated volumes to what each host gets: one FUSE mount per (endpoint, bucket), and each
// volume presented at its path by a bind mount. Pure and deterministic: the same volumes in any
// order give the same plan, so reordering `volumes` changes nothing on the hosts.
import { createHash } from "node:crypto";
import { SkyVolumeSpec, VolumeMode } from "./spec";

/** Where skymount keeps its mounts and state on a host. */
export const STATE_ROOT = "/var/lib/skymount";
export const CREDENTIALS_DIR = "/etc/skymount/credentials";
export const LOG_DIR = "/var/log/skymount";

/** MOUNT_CACHED's disk cache when no size is given (SkyPilot's rclone cache defaults to 10G too). */
export const DEFAULT_CACHE_SIZE_MB = 10 * 1024;
/** Metadata cache for read-only mounts: datasets rarely change under a running job. */
export const READ_ONLY_STAT_CACHE_TTL_SECONDS = 60;
/** Metadata cache for writable mounts: short, so files written on one host appear on the others. */
export const READ_WRITE_STAT_CACHE_TTL_SECONDS = 1;

/** The API geesefs speaks to the bucket: S3 (every store but Azure), or Azure Blob (wasb://). */
export type BlobApi = "s3" | "azure";

export interface FuseMountPlan {
    /** Stable key: a hash of endpoint and bucket. Names child resources and files on the host. */
    id: string;
    api: BlobApi;
    bucket: string;
    endpoint: string;
    region: string;
    pathStyle: boolean;
    /** The mount point, keyed by bucket and endpoint so the same bucket name on two endpoints never collides. */
    dir: string;
    readWrite: boolean;
    cached: boolean;
    /** MOUNT_CACHED: the size of the file system that holds the disk cache. */
    cacheSizeMb: number;
    /** Index of the volume whose credentials the mount uses (a writable one when any writes). */
    credentialsFrom: number;
    hasCredentials: boolean;
    /** S3: an AWS shared-config file. Azure: `<dir>/config`, the [storage] ini geesefs reads from
     *  AZURE_CONFIG_DIR=<dir>, next to the mount's `geesefs` wrapper that sets it. */
    credentialsFile: string;
    logFile: string;
    statCacheTtlSeconds: number;
}

export interface CopyPlan {
    /** Stable key: a hash of endpoint, bucket, prefix and target. */
    id: string;
    /** A temporary read-only FUSE mount of the bucket the copy is read through. */
    fuse: FuseMountPlan;
    prefix: string;
    /** The local copy; presented read-only at the volume's path. */
    dir: string;
}

export interface PresentPlan {
    /** Index into the user's `volumes`. */
    volume: number;
    /** The FUSE mount (MOUNT, MOUNT_CACHED) or the copy (COPY) this volume shows. */
    mountId: string;
    fromCopy: boolean;
    /** The directory shown: `<mount dir>/<prefix>`, or the copy's directory. */
    source: string;
    prefix: string;
    target: string;
    readOnly: boolean;
}

export interface InstallPlan {
    geesefsUrl: string;
    geesefsSha256: string;
    aptSource?: string;
    allowOther: boolean;
}

export interface GeesefsOptions {
    memoryLimitMb?: number;
    /** Writable mounts: close() waits until the data is in the bucket. */
    fsyncOnClose: boolean;
    uid?: number;
    gid?: number;
    allowOther: boolean;
    statCacheTtlSeconds?: number;
}

export interface VolumePlan {
    install: InstallPlan;
    geesefs: GeesefsOptions;
    mounts: FuseMountPlan[];
    copies: CopyPlan[];
    presents: PresentPlan[];
}

function shortHash(...parts: string[]): string {
    return createHash("sha256").update(parts.join("\n")).digest("hex").slice(0, 10);
}

function blobApiOf(store: string | undefined): BlobApi {
    return store === "azure" ? "azure" : "s3";
}

/** Where a mount's keys live: Azure's get a directory of their own (AZURE_CONFIG_DIR). */
function credentialsFileFor(api: BlobApi, name: string): string {
    return api === "azure" ? `${CREDENTIALS_DIR}/azure-${name}/config` : `${CREDENTIALS_DIR}/${name}`;
}

function normalizePrefix(prefix: string | undefined): string {
    return (prefix ?? "").replace(/\/+$/, "");
}

/** Assumes `validateSkyVolume(spec)` returned no issues. */
export function planSkyVolume(spec: SkyVolumeSpec): VolumePlan {
    const geesefs = spec.geesefs ?? {};
    const mounts = new Map<string, FuseMountPlan>();
    const copies: CopyPlan[] = [];
    const presents: PresentPlan[] = [];
    spec.volumes.forEach((volume, index) => {
        const mode = (volume.mode ?? "MOUNT") as VolumeMode;
        const readOnly = volume.readOnly ?? true;
        const { storage } = volume;
        const api = blobApiOf(storage.store);
        if (mode === "COPY") {
            const prefix = normalizePrefix(volume.prefix);
            const id = shortHash(storage.endpoint, storage.bucket, prefix, volume.mount);
            const dir = `${STATE_ROOT}/copies/${storage.bucket}-${id}`;
            copies.push({
                id,
                prefix,
                dir,
                fuse: {
                    id: `copy-${id}`,
                    api,
                    bucket: storage.bucket,
                    endpoint: storage.endpoint,
                    region: storage.region ?? "us-east-1",
                    pathStyle: storage.pathStyle ?? false,
                    dir: `${STATE_ROOT}/copying/${id}`,
                    readWrite: false,
                    cached: false,
                    cacheSizeMb: 0,
                    credentialsFrom: index,
                    hasCredentials: storage.hasCredentials,
                    credentialsFile: credentialsFileFor(api, `copy-${id}`),
                    logFile: `${LOG_DIR}/copy-${id}.log`,
                    statCacheTtlSeconds: READ_ONLY_STAT_CACHE_TTL_SECONDS,
                },
            });
            presents.push({ volume: index, mountId: id, fromCopy: true, source: dir, prefix, target: volume.mount, readOnly: true });
            return;
        }
        const id = shortHash(storage.endpoint, storage.bucket);
        let mount = mounts.get(id);
        if (!mount) {
            mount = {
                id,
                api,
                bucket: storage.bucket,
                endpoint: storage.endpoint,
                region: storage.region ?? "us-east-1",
                pathStyle: storage.pathStyle ?? false,
                dir: `${STATE_ROOT}/mnt/${storage.bucket}-${id}`,
                readWrite: false,
                cached: mode === "MOUNT_CACHED",
                cacheSizeMb: geesefs.cacheSizeMb ?? DEFAULT_CACHE_SIZE_MB,
                credentialsFrom: index,
                hasCredentials: storage.hasCredentials,
                credentialsFile: credentialsFileFor(api, id),
                logFile: `${LOG_DIR}/${id}.log`,
                statCacheTtlSeconds: 0,
            };
            mounts.set(id, mount);
        }
        if (!readOnly && !mount.readWrite) {
            // The mount writes if any volume on it writes, and then uses that volume's credentials.
            mount.readWrite = true;
            mount.credentialsFrom = index;
            mount.hasCredentials = storage.hasCredentials;
        }
        const prefix = normalizePrefix(volume.prefix);
        presents.push({
            volume: index,
            mountId: id,
            fromCopy: false,
            source: prefix ? `${mount.dir}/${prefix}` : mount.dir,
            prefix,
            target: volume.mount,
            readOnly,
        });
    });
    for (const mount of mounts.values()) {
        mount.statCacheTtlSeconds =
            geesefs.statCacheTtlSeconds ?? (mount.readWrite ? READ_WRITE_STAT_CACHE_TTL_SECONDS : READ_ONLY_STAT_CACHE_TTL_SECONDS);
    }
    return {
        install: {
            geesefsUrl: geesefs.url ?? "",
            geesefsSha256: geesefs.sha256 ?? "",
            aptSource: spec.aptSource,
            allowOther: geesefs.allowOther ?? false,
        },
        geesefs: {
            memoryLimitMb: geesefs.memoryLimitMb,
            uid: geesefs.uid,
            gid: geesefs.gid,
            allowOther: geesefs.allowOther ?? false,
            fsyncOnClose: geesefs.fsyncOnClose ?? true,
            statCacheTtlSeconds: geesefs.statCacheTtlSeconds,
        },
        mounts: [...mounts.values()].sort((a, b) => a.dir.localeCompare(b.dir)),
        copies: copies.sort((a, b) => a.dir.localeCompare(b.dir)),
        presents: presents.sort((a, b) => a.target.localeCompare(b.target)),
    };
}
