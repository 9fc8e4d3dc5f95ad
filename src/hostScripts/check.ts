// Checks: what `pulumi refresh` runs on a host to see whether what a command made is still there
// (RemoteCommand's `check`, run by its `read`). Each renders a bash script (sh/*Check.sh, made of
// sh/checkFunctions.sh) that probes exactly what the matching script makes (install.ts, mount.ts,
// present.ts, copyVolume.ts, job.ts), prints one line per finding and exits 1 when anything differs,
// or prints one "as made" line and exits 0. Checks only look: they change nothing on the host, and
// every probe of a FUSE mount is bounded (a hung mount must not hang refresh).
import { createHash } from "node:crypto";
import { fstabLine } from "./fstabLine";
import { CACHE_ROOT, GEESEFS_BINARY, MOUNT_HELPER, PRIVATE_DIRS, STATE_ROOT, SYSTEMD_UNIT_DIR, WORKDIR } from "./hostPaths";
import { mountServiceName } from "./systemdUnits";
import { renderMountHelper } from "./mountHelper";
import { CopyVolumePlan, FuseMountPlan, GeesefsOptions, InstallPlan, PresentPlan } from "./plan";
import { mountSpecFunctions } from "./mount";
import { PresentOrigin, presentFstabEntry, presentId } from "./present";
import { copyVolumeFingerprint } from "./copyVolume";
import { renderScript, ScriptValue, shellFunctions } from "./scriptFiles";

/** How long a check waits for a FUSE mount to list or stat: a live mount answers in well under that. */
export const CHECK_PROBE_SECONDS = 5;

function checkScript(file: string, description: string, values: Record<string, ScriptValue>, functions: string[][] = []): string {
    return renderScript(file, {
        description: `check ${description}`,
        values,
        functions: [shellFunctions("checkFunctions.sh", { probe_seconds: CHECK_PROBE_SECONDS }), ...functions],
    });
}

function sha256(text: string): string {
    return createHash("sha256").update(text).digest("hex");
}

/** install: geesefs with the pinned checksum, skymount's mount helper as rendered, fuse3, its directories root's alone. */
export function renderInstallCheck(plan: InstallPlan): string {
    return checkScript("installCheck.sh", "fuse3, geesefs and the mount helper", {
        geesefs_bin: GEESEFS_BINARY,
        geesefs_sha256: plan.geesefsSha256,
        helper: MOUNT_HELPER,
        helper_sha256: sha256(renderMountHelper()),
        private_dirs: PRIVATE_DIRS,
    });
}

/** A bucket's FUSE mount: mounted and listable, its fstab entry, its key file as recorded, its cache. */
export function renderMountCheck(mount: FuseMountPlan, options: GeesefsOptions): string {
    return checkScript(
        "mountCheck.sh",
        `bucket ${mount.bucket} mounted at ${mount.dir}`,
        {
            id: mount.id,
            bucket: mount.bucket,
            dir: mount.dir,
            creds: mount.credentialsFile,
            spec_file: `${STATE_ROOT}/specs/${mount.id}`,
            fstab_line: fstabLine(mount, options),
            unit: mountServiceName(mount.id),
            unit_file: `${SYSTEMD_UNIT_DIR}/${mountServiceName(mount.id)}`,
            has_credentials: mount.hasCredentials,
            cached: mount.cached,
            cache_mb: mount.cacheSizeMb,
            cache_dir: `${CACHE_ROOT}/${mount.id}`,
        },
        // The owner and the fingerprint are worked out as the mount script works them out.
        [mountSpecFunctions(options)],
    );
}

/** A volume's bind mount: in place, showing its source, read-only if it should be, in fstab, listable. */
export function renderPresentCheck(present: PresentPlan, origin: PresentOrigin): string {
    return checkScript("presentCheck.sh", `${present.target} presenting ${origin.bucket}/${present.prefix}`, {
        tag: `present:${presentId(present)}`,
        source: present.source,
        target: present.target,
        read_only: present.readOnly,
        fstab_entry: presentFstabEntry(present, origin),
    });
}

/** A COPY volume's snapshot: its directory, and the fingerprint the copy recorded beside it. */
export function renderCopyCheck(copy: CopyVolumePlan, options: GeesefsOptions): string {
    return checkScript(
        "copyCheck.sh",
        `the copy of ${copy.fuse.bucket}/${copy.prefix} at ${copy.dir}`,
        {
            dir: copy.dir,
            spec: copyVolumeFingerprint(copy, options),
        },
        [mountSpecFunctions(options)],
    );
}

/** SkyCompute's workdir: the directory and the marker naming the archive it was unpacked from. (Its
 *  files may change: jobs write there.) */
export function renderWorkdirCheck(archiveSha256: string): string {
    return checkScript("workdirCheck.sh", `the workdir ${WORKDIR}`, { dir: WORKDIR, archive: archiveSha256 });
}
