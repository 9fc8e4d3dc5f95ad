// From validated volumes to what each host gets: one FUSE mount per (endpoint, bucket), or per
// (endpoint, bucket, prefix) for volumes reached through the host's identity where that may list only
// a prefix (mountedPrefix.ts), and each volume presented at its path by a bind mount. Pure and
// deterministic: the same volumes in any order give the same plan, so reordering `volumes` changes
// nothing on the hosts.
import { createHash } from "node:crypto";
import { CopyVolumePlan, FuseMountPlan, GeesefsOptions, InstallPlan, PresentPlan } from "../hostScripts/plan";
import { LOG_DIR, STATE_ROOT } from "../hostScripts/hostPaths";
import { mountFamily } from "../storeFamilies/registry";
import { mountedPrefixes, normalizePrefix } from "./mountedPrefix";
import { SkyVolumeSpec, VolumeMode } from "./spec";
import { ShareWith } from "../model/enums";

/** MOUNT_CACHED's disk cache when no size is given (SkyPilot's rclone cache defaults to 10G too). */
export const DEFAULT_CACHE_SIZE_MB = 10 * 1024;
/** Metadata cache for read-only mounts: datasets rarely change under a running job. */
export const READ_ONLY_STAT_CACHE_TTL_SECONDS = 60;
/** Metadata cache for writable mounts: short, so files written on one host appear on the others. */
export const READ_WRITE_STAT_CACHE_TTL_SECONDS = 1;

export interface VolumePlan {
    install: InstallPlan;
    geesefs: GeesefsOptions;
    mounts: FuseMountPlan[];
    copies: CopyVolumePlan[];
    presents: PresentPlan[];
}

function shortHash(...parts: string[]): string {
    return createHash("sha256").update(parts.join("\n")).digest("hex").slice(0, 10);
}

/** The mount's geesefs settings that depend on its store family: resolved here into plain plan
 *  data (what to mount, the family's flags, where the key goes, a wrapper), so the renderers know no
 *  store. `keyName` is unique per mount. Called once the mount's credentials are settled. */
function withStoreSettings(mount: FuseMountFields, keyName: string): FuseMountPlan {
    const geesefs = mountFamily(mount.store).geesefs;
    const keyFile = geesefs.keyFile(keyName);
    const flags = geesefs.flags({ ...mount, credentialsFile: keyFile.file });
    return {
        ...mount,
        api: geesefs.api,
        credentialsFile: keyFile.file,
        ...(keyFile.dir !== undefined ? { credentialsDir: keyFile.dir } : {}),
        source: geesefs.source(mount.bucket, mount.prefix),
        ...flags,
        ...(geesefs.wrapper ? { wrapper: geesefs.wrapper({ bucket: mount.bucket, keyDir: keyFile.dir }) } : {}),
    };
}

/** A mount before its family's settings: what the volumes decide. */
type FuseMountFields = Omit<
    FuseMountPlan,
    "api" | "credentialsFile" | "credentialsDir" | "source" | "protocolFlags" | "accessFlags" | "wrapper"
>;

/** What every host installs: geesefs and fuse3. */
export function planInstall(spec: Pick<SkyVolumeSpec, "geesefs" | "aptSource">): InstallPlan {
    const geesefs = spec.geesefs ?? {};
    return {
        geesefsUrl: geesefs.url ?? "",
        geesefsSha256: geesefs.sha256 ?? "",
        aptSource: spec.aptSource,
    };
}

/** Assumes `validateSkyVolume(spec)` returned no issues. */
export function planSkyVolume(spec: SkyVolumeSpec): VolumePlan {
    const geesefs = spec.geesefs ?? {};
    const mounts = new Map<string, FuseMountFields>();
    const copies: CopyVolumePlan[] = [];
    const presents: PresentPlan[] = [];
    const mountedPrefix = mountedPrefixes(spec.volumes);
    spec.volumes.forEach((volume, index) => {
        const mode = (volume.mode ?? "MOUNT") as VolumeMode;
        const readOnly = volume.readOnly ?? true;
        const { storage } = volume;
        const store = mountFamily(storage.store).name;
        if (mode === "COPY") {
            const prefix = normalizePrefix(volume.prefix);
            const id = shortHash(storage.endpoint, storage.bucket, prefix, volume.mount);
            const dir = `${STATE_ROOT}/copies/${storage.bucket}-${id}`;
            copies.push({
                id,
                prefix,
                dir,
                fuse: withStoreSettings(
                    {
                        id: `copy-${id}`,
                        store,
                        bucket: storage.bucket,
                        // The copy's own mount, of its prefix: credentials scoped to the prefix copy it.
                        prefix,
                        endpoint: storage.endpoint,
                        region: storage.region ?? "us-east-1",
                        pathStyle: storage.pathStyle ?? false,
                        dir: `${STATE_ROOT}/copying/${id}`,
                        readWrite: false,
                        cached: false,
                        cacheSizeMb: 0,
                        credentialsFrom: index,
                        hasCredentials: storage.hasCredentials,
                        logFile: `${LOG_DIR}/copy-${id}.log`,
                        statCacheTtlSeconds: READ_ONLY_STAT_CACHE_TTL_SECONDS,
                    },
                    `copy-${id}`,
                ),
            });
            presents.push({ volume: index, mountId: id, fromCopy: true, source: dir, prefix, target: volume.mount, readOnly: true });
            return;
        }
        const prefix = normalizePrefix(volume.prefix);
        // The root mount's id is the (endpoint, bucket) hash alone.
        const mounted = mountedPrefix[index];
        const id = mounted ? shortHash(storage.endpoint, storage.bucket, mounted) : shortHash(storage.endpoint, storage.bucket);
        let mount = mounts.get(id);
        if (!mount) {
            mount = {
                id,
                store,
                bucket: storage.bucket,
                prefix: mounted,
                endpoint: storage.endpoint,
                region: storage.region ?? "us-east-1",
                pathStyle: storage.pathStyle ?? false,
                dir: `${STATE_ROOT}/mnt/${storage.bucket}-${id}`,
                readWrite: false,
                cached: mode === "MOUNT_CACHED",
                cacheSizeMb: geesefs.cacheSizeMb ?? DEFAULT_CACHE_SIZE_MB,
                credentialsFrom: index,
                hasCredentials: storage.hasCredentials,
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
        presents.push({
            volume: index,
            mountId: id,
            fromCopy: false,
            // A prefix's own mount shows the prefix at its root.
            source: prefix && !mount.prefix ? `${mount.dir}/${prefix}` : mount.dir,
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
        install: planInstall(spec),
        geesefs: {
            memoryLimitMb: geesefs.memoryLimitMb,
            uid: geesefs.uid,
            gid: geesefs.gid,
            shareWith: geesefs.shareWith as ShareWith | undefined,
            fsyncOnClose: geesefs.fsyncOnClose ?? true,
            statCacheTtlSeconds: geesefs.statCacheTtlSeconds,
        },
        mounts: [...mounts.values()].map((m) => withStoreSettings(m, m.id)).sort((a, b) => a.dir.localeCompare(b.dir)),
        copies: copies.sort((a, b) => a.dir.localeCompare(b.dir)),
        presents: presents.sort((a, b) => a.target.localeCompare(b.target)),
    };
}
