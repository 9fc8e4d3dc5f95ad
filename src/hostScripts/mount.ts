// Mount and unmount scripts for one FUSE mount of a bucket (sh/mount.sh, sh/unmount.sh). The mount
// goes through /etc/fstab, mount(8) and skymount's mount helper, exactly as boot will remount it, and
// is checked by a probe: FUSE mounters can exit 0 with nothing usable mounted.
import { FSTAB_FUNCTIONS } from "./fstab";
import { fstabLine } from "./fstabLine";
import { CACHE_ROOT, HEAL_LOCK, HOLDERS_DIR, LOG_DIR, STATE_ROOT, SUPERVISED_DIR, SUPERVISOR, SYSTEMD_UNIT_DIR } from "./hostPaths";
import { HOLDER_FUNCTIONS } from "./holders";
import { MOUNT_FUNCTIONS } from "./mountFunctions";
import { mountWrapperScript } from "./mountWrapper";
import { FuseMountPlan, GeesefsOptions } from "./plan";
import { renderScript, ScriptValue, shellFunctions } from "./scriptFiles";
import { commentText } from "./shell";
import { mountServiceName, renderMountService } from "./systemdUnits";

/** Who holds a FUSE mount on a host: one volume of one stack's SkyVolume. Volumes (of one SkyVolume,
 *  of two, or of two stacks) on the same bucket share its FUSE mount; it is unmounted when the last
 *  holder goes. Holders of another group that ask for other options fail the mount (holders.ts). */
export interface MountHolder {
    /** Unique per stack, SkyVolume and volume, stable across runs: a file name on the host. */
    id: string;
    /** Said in the holder's file, for whoever wonders why a mount stays. */
    description: string;
    /** The holders whose commands render one plan (one stack's SkyVolume): they always agree. */
    group: string;
}

/** A mount rendered without a holder (tests, COPY) counts as this one. */
export const DEFAULT_HOLDER: MountHolder = { id: "skymount", description: "skymount", group: "skymount" };

/** The values the mount and unmount scripts share. */
function mountValues(mount: FuseMountPlan, holder: MountHolder): Record<string, ScriptValue> {
    return {
        id: mount.id,
        bucket: mount.bucket,
        dir: mount.dir,
        creds: mount.credentialsFile,
        spec_file: `${STATE_ROOT}/specs/${mount.id}`,
        supervised_file: `${SUPERVISED_DIR}/${mount.id}`,
        holders: `${HOLDERS_DIR}/${mount.id}`,
        holder_file: `${HOLDERS_DIR}/${mount.id}/${holder.id}`,
        unit: mountServiceName(mount.id),
        unit_file: `${SYSTEMD_UNIT_DIR}/${mountServiceName(mount.id)}`,
        // Every step that may leave the supervisor's list holds the heal lock while it does.
        heal_lock: HEAL_LOCK,
        cached: mount.cached,
        cache_dir: `${CACHE_ROOT}/${mount.id}`,
        cache_img: `${CACHE_ROOT}/${mount.id}.img`,
        wrapper_path: mount.wrapper?.path ?? "",
    };
}

/** The shell functions that resolve a mount's owner and fingerprint on the host (sh/mountSpec.sh),
 *  shared by the mount script and its check. */
export function mountSpecFunctions(options: GeesefsOptions): string[] {
    return shellFunctions("mountSpec.sh", {
        owner_uid: options.uid ?? "",
        owner_gid: options.gid ?? "",
    });
}

/** The mount's fingerprint on the host (`specs/<id>`) is its fstab line (owner resolved), its keys'
 *  hash and its cache size: a change of any remounts, draining the old geesefs first. */
export function renderMountScript(mount: FuseMountPlan, options: GeesefsOptions, holder: MountHolder = DEFAULT_HOLDER): string {
    return renderScript("mount.sh", {
        description: `mount bucket ${mount.bucket} at ${mount.dir}`,
        values: {
            ...mountValues(mount, holder),
            log_file: mount.logFile,
            specs_dir: `${STATE_ROOT}/specs`,
            log_dir: LOG_DIR,
            supervised_dir: SUPERVISED_DIR,
            supervisor: SUPERVISOR,
            holder_description: commentText(holder.description),
            holder_group: commentText(holder.group),
            fstab_line: fstabLine(mount, options),
            unit_text: renderMountService(mount, options),
            has_credentials: mount.hasCredentials,
            cache_mb: mount.cacheSizeMb,
            wrapper_text: mount.wrapper ? mountWrapperScript(mount.wrapper) : "",
            endpoint: mount.endpoint,
        },
        functions: [FSTAB_FUNCTIONS, MOUNT_FUNCTIONS, HOLDER_FUNCTIONS, mountSpecFunctions(options)],
    });
}

/** Lets go of the mount for one holder; the last one unmounts it (cleanly: geesefs uploads what it
 *  holds; a busy mount is detached lazily after a few seconds, with a warning naming its users). */
export function renderUnmountScript(mount: FuseMountPlan, holder: MountHolder = DEFAULT_HOLDER): string {
    return renderScript("unmount.sh", {
        description: `unmount bucket ${mount.bucket} from ${mount.dir}`,
        values: { ...mountValues(mount, holder), credentials_dir: mount.credentialsDir ?? "" },
        functions: [FSTAB_FUNCTIONS, MOUNT_FUNCTIONS],
    });
}
