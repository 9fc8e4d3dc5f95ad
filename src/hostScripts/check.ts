// Checks: what `pulumi refresh` runs on a host to see whether what a command made is still there
// (RemoteCommand's `check`, run by its `read`). Each renders a bash script that probes exactly what
// the matching script makes (install.ts, mount.ts, present.ts, copyVolume.ts, job.ts), prints one line
// per finding and exits 1 when anything differs, or prints one "as made" line and exits 0. Checks only
// look: they change nothing on the host, and every probe of a FUSE mount is bounded (a hung mount
// must not hang refresh).
import { createHash } from "node:crypto";
import { fstabLine } from "./fstabLine";
import { CACHE_ROOT, GEESEFS_BINARY, MOUNT_HELPER, STATE_ROOT, SYSTEMD_UNIT_DIR, WORKDIR } from "./hostPaths";
import { mountServiceName } from "./systemdUnits";
import { renderMountHelper } from "./mountHelper";
import { CopyVolumePlan, FuseMountPlan, GeesefsOptions, InstallPlan, PresentPlan } from "./plan";
import { mountFingerprintLine, renderLoginOwner } from "./mount";
import { PresentOrigin, presentFstabEntry, presentId } from "./present";
import { copyVolumeFingerprint } from "./copyVolume";
import { bashScript, quote } from "./shell";

/** How long a check waits for a FUSE mount to list or stat: a live mount answers in well under that. */
export const CHECK_PROBE_SECONDS = 5;

/** The probes, then the verdict: findings on stdout and exit 1, or `asMade` and exit 0. */
function checkScript(description: string, variables: string[], probes: string[], asMade: string): string {
    return bashScript(`check ${description}`, [
        ...variables,
        "findings=()",
        'drift() { findings+=("$*"); }',
        // The line after "# skymount:<tag>" in /etc/fstab (fstab.ts writes each entry so).
        'fstab_entry() { FSTAB_TAG="# skymount:$1" awk \'found { print; exit } $0 == ENVIRON["FSTAB_TAG"] { found = 1 }\' /etc/fstab 2>/dev/null || true; }',
        ...probes,
        'if [ "${#findings[@]}" -gt 0 ]; then printf \'%s\\n\' "${findings[@]}"; exit 1; fi',
        `echo ${asMade}`,
    ]);
}

function sha256(text: string): string {
    return createHash("sha256").update(text).digest("hex");
}

/** install: geesefs with the pinned checksum, skymount's mount helper as rendered, fuse3, allow_other. */
export function renderInstallCheck(plan: InstallPlan): string {
    return checkScript(
        "fuse3, geesefs and the mount helper",
        [
            `geesefs_bin=${quote(GEESEFS_BINARY)}`,
            `geesefs_sha256=${quote(plan.geesefsSha256)}`,
            `helper=${quote(MOUNT_HELPER)}`,
            `helper_sha256=${quote(sha256(renderMountHelper()))}`,
        ],
        [
            "got=$(sha256sum \"$geesefs_bin\" 2>/dev/null | cut -d' ' -f1 || true)",
            '[ "$got" = "$geesefs_sha256" ] || drift "geesefs at $geesefs_bin: sha256 ${got:-missing}, installed was $geesefs_sha256"',
            "got=$(sha256sum \"$helper\" 2>/dev/null | cut -d' ' -f1 || true)",
            '[ "$got" = "$helper_sha256" ] && [ -x "$helper" ] || drift "mount helper $helper: missing, changed or not executable"',
            'command -v fusermount3 > /dev/null 2>&1 || drift "fusermount3 (fuse3) is not installed"',
            ...(plan.allowOther ? ["grep -qs '^user_allow_other' /etc/fuse.conf || drift \"/etc/fuse.conf lacks user_allow_other\""] : []),
        ],
        '"install: as made"',
    );
}

/** A bucket's FUSE mount: mounted and listable, its fstab entry, its key file as recorded, its cache. */
export function renderMountCheck(mount: FuseMountPlan, options: GeesefsOptions): string {
    return checkScript(
        `bucket ${mount.bucket} mounted at ${mount.dir}`,
        [
            `id=${quote(mount.id)}`,
            `bucket=${quote(mount.bucket)}`,
            `dir=${quote(mount.dir)}`,
            `creds=${quote(mount.credentialsFile)}`,
            `spec_file=${quote(`${STATE_ROOT}/specs/${mount.id}`)}`,
            `fstab_line=${quote(fstabLine(mount, options))}`,
            `unit_file=${quote(`${SYSTEMD_UNIT_DIR}/${mountServiceName(mount.id)}`)}`,
            ...(mount.cached ? [`cache_dir=${quote(`${CACHE_ROOT}/${mount.id}`)}`] : []),
        ],
        [
            // The owner and the host's init are resolved as the mount script resolved them.
            ...renderLoginOwner(options),
            'fstab_line=$(owned "$fstab_line")',
            "systemd=; if [ -d /run/systemd/system ]; then systemd=1; fi",
            // A killed geesefs leaves a mount whose stat fails (ENOTCONN): mountpoint(1) says no.
            `if ! timeout ${CHECK_PROBE_SECONDS} mountpoint -q "$dir" 2>/dev/null; then`,
            '  drift "bucket $bucket is not mounted at $dir (or its geesefs is gone)"',
            `elif ! { timeout ${CHECK_PROBE_SECONDS} ls -f -- "$dir" 2>/dev/null || [ $? = 141 ]; } | head -n 1 > /dev/null; then`,
            `  drift "bucket $bucket at $dir does not list within ${CHECK_PROBE_SECONDS} s"`,
            "fi",
            'if [ -n "$systemd" ]; then',
            '  [ -f "$unit_file" ] || drift "$unit_file is missing (a reboot would not remount $dir)"',
            'elif [ "$(fstab_entry "$id")" != "$fstab_line" ]; then',
            '  drift "/etc/fstab: the entry for $dir is missing or changed (a reboot would not remount it)"',
            "fi",
            ...(mount.hasCredentials
                ? [
                      'if [ -s "$creds" ]; then creds_hash=$(sha256sum < "$creds" | cut -d\' \' -f1); else creds_hash=missing; drift "key file $creds is missing"; fi',
                  ]
                : ["creds_hash=none"]),
            mountFingerprintLine(mount),
            '[ "$(cat "$spec_file" 2>/dev/null)" = "$spec" ] || drift "the key file or the mount record ($spec_file) differs from what was mounted"',
            ...(mount.cached
                ? [
                      `timeout ${CHECK_PROBE_SECONDS} mountpoint -q "$cache_dir" 2>/dev/null || drift "the disk cache of $bucket is not mounted at $cache_dir"`,
                  ]
                : []),
        ],
        '"bucket $bucket: mounted at $dir, as made"',
    );
}

/** A volume's bind mount: in place, showing its source, read-only if it should be, in fstab, listable. */
export function renderPresentCheck(present: PresentPlan, origin: PresentOrigin): string {
    return checkScript(
        `${present.target} presenting ${origin.bucket}/${present.prefix}`,
        [
            `tag=${quote(`present:${presentId(present)}`)}`,
            `source=${quote(present.source)}`,
            `target=${quote(present.target)}`,
            `mount_dir=${quote(origin.dir)}`,
            `fstab_line="${presentFstabEntry(present, origin)}"`,
        ],
        [
            // The last mount at the path is what users see there.
            "options=$(awk -v t=\"$target\" '$2 == t { o = $4 } END { print o }' /proc/mounts)",
            'if [ -z "$options" ]; then',
            '  drift "$target is not mounted"',
            "else",
            // A bind mount's root is its source directory: same device and inode.
            `  seen=$(timeout ${CHECK_PROBE_SECONDS} stat -c %d:%i "$target" 2>/dev/null || echo unreachable)`,
            `  want=$(timeout ${CHECK_PROBE_SECONDS} stat -c %d:%i "$source" 2>/dev/null || echo unreachable)`,
            '  if [ "$seen" = unreachable ] || [ "$seen" != "$want" ]; then',
            '    drift "$target does not show $source (its bind mount is gone or points into a dead mount)"',
            // Its first entries only (as the present script's probe): a big prefix never lists in full in 5 s.
            `  elif ! { timeout ${CHECK_PROBE_SECONDS} ls -f -- "$target" 2>/dev/null || [ $? = 141 ]; } | head -n 1 > /dev/null; then`,
            `    drift "$target does not list within ${CHECK_PROBE_SECONDS} s"`,
            "  fi",
            present.readOnly
                ? '  case ",$options," in *,ro,*) ;; *) drift "$target is writable; it should be read-only" ;; esac'
                : '  case ",$options," in *,ro,*) drift "$target is read-only; it should be writable" ;; *) ;; esac',
            "fi",
            '[ "$(fstab_entry "$tag")" = "$fstab_line" ] || drift "/etc/fstab: the entry for $target is missing or changed (a reboot would not present it)"',
        ],
        `"$target: presented${present.readOnly ? " read-only" : ""}, as made"`,
    );
}

/** A COPY volume's snapshot: its directory, and the fingerprint the copy recorded beside it. */
export function renderCopyCheck(copy: CopyVolumePlan, options: GeesefsOptions): string {
    return checkScript(
        `the copy of ${copy.fuse.bucket}/${copy.prefix} at ${copy.dir}`,
        [`dir=${quote(copy.dir)}`, `spec=${quote(copyVolumeFingerprint(copy, options))}`],
        [
            'if [ ! -d "$dir" ]; then drift "the copy $dir is missing"',
            'elif [ "$(cat "$dir.spec" 2>/dev/null)" != "$spec" ]; then drift "the copy $dir is not the recorded one ($dir.spec differs)"',
            "fi",
        ],
        '"copy $dir: as made"',
    );
}

/** SkyCompute's workdir: the directory and the marker naming the archive it was unpacked from. (Its
 *  files may change: jobs write there.) */
export function renderWorkdirCheck(archiveSha256: string): string {
    return checkScript(
        `the workdir ${WORKDIR}`,
        [`dir=${quote(WORKDIR)}`, `archive=${quote(archiveSha256)}`],
        [
            'if [ ! -d "$dir" ]; then drift "the workdir $dir is missing"',
            'elif [ "$(cat "$dir.skymount" 2>/dev/null)" != "$archive" ]; then drift "the workdir $dir was not unpacked from this archive"',
            "fi",
        ],
        '"workdir $dir: as made"',
    );
}
