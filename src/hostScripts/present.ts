// Present a volume at its path: a bind mount of `<bucket mount>/<prefix>`, read-only when the volume
// is, even if its bucket's FUSE mount writes for another volume (writes then fail with EROFS).
// A real, non-empty directory at the path is an error: skymount never wipes data.
import { createHash } from "node:crypto";
import { STATE_ROOT } from "./hostPaths";
import { PresentPlan } from "./plan";
import { FSTAB_FUNCTIONS } from "./fstab";
import { MOUNT_FUNCTIONS } from "./mountFunctions";
import { bashScript, quote } from "./shell";
import { mountServiceName } from "./systemdUnits";

export function presentId(present: PresentPlan): string {
    return createHash("sha256").update(present.target).digest("hex").slice(0, 10);
}

/** What a volume shows: a bucket's FUSE mount, or a local copy of (a prefix of) a bucket. */
export interface PresentOrigin {
    /** The FUSE mount point, or the copy's directory. */
    dir: string;
    bucket: string;
    /** The origin's fingerprint (its fstab line, or the copy's fingerprint): when it changes, the bind mount is re-made. */
    fingerprint: string;
    fuse: boolean;
}

function presentVariables(present: PresentPlan, origin: PresentOrigin): string[] {
    const id = presentId(present);
    return [
        `tag=${quote(`present:${id}`)}`,
        `source=${quote(present.source)}`,
        `target=${quote(present.target)}`,
        `mount_dir=${quote(origin.dir)}`,
        `marker=${quote(`${STATE_ROOT}/presents/${id}`)}`,
    ];
}

/** A volume's fstab entry, in the present script's shell variables ($source, $target, $mount_dir).
 *  x-systemd.requires-mounts-for names the FUSE mount the bind points into: the supervisor and the
 *  mount script find a mount's binds by it. On systemd hosts the FUSE mount is a service, which
 *  x-systemd.requires orders first; mount(8) ignores both (x-* options never reach the kernel). */
export function presentFstabEntry(present: PresentPlan, origin: PresentOrigin): string {
    const systemdOptions = origin.fuse
        ? `x-systemd.requires-mounts-for=$mount_dir,x-systemd.requires=${mountServiceName(present.mountId)}`
        : "x-systemd.requires-mounts-for=$mount_dir";
    return `$source $target none ${present.readOnly ? "bind,ro" : "bind"},${systemdOptions} 0 0`;
}

/** The origin's fingerprint is part of the script: when the FUSE mount or the copy is re-made, the bind
 *  mount that pointed into the old one must be re-made too. */
export function renderPresentScript(present: PresentPlan, origin: PresentOrigin): string {
    return bashScript(`present ${origin.bucket}/${present.prefix} at ${present.target}${present.readOnly ? " read-only" : ""}`, [
        `origin_spec=${quote(origin.fingerprint)}`,
        ...presentVariables(present, origin),
        `prefix=${quote(present.prefix)}`,
        `bucket=${quote(origin.bucket)}`,
        ...FSTAB_FUNCTIONS,
        ...MOUNT_FUNCTIONS,
        `mkdir -p ${quote(`${STATE_ROOT}/presents`)}`,
        origin.fuse
            ? 'mountpoint -q "$mount_dir" || fail "bucket $bucket is not mounted at $mount_dir"'
            : '[ -d "$mount_dir" ] || fail "the copy of bucket $bucket is missing at $mount_dir"',
        'if is_mounted "$target"; then',
        '  [ -f "$marker" ] || fail "$target is already a mount point that skymount did not make"',
        '  release "$target"',
        "fi",
        '[ ! -e "$target" ] || [ -d "$target" ] || fail "$target exists and is not a directory"',
        "created=$(sed -n 's/^created=//p' \"$marker\" 2>/dev/null || true)",
        'if [ -d "$target" ]; then',
        '  if [ -z "$created" ] && [ -n "$(ls -A "$target")" ]; then',
        '    fail "$target is a non-empty directory; skymount never wipes data: empty it or choose another mount path"',
        "  fi",
        "  created=${created:-0}",
        "else",
        '  mkdir -p "$target"',
        "  created=1",
        "fi",
        'echo "created=$created" > "$marker"',
        'if [ ! -d "$source" ]; then',
        ...(present.readOnly
            ? ["  fail \"prefix '$prefix' does not exist in bucket $bucket, and a read-only volume cannot create it\""]
            : ['  mkdir -p "$source"']),
        "fi",
        'mount --bind "$source" "$target"',
        ...(present.readOnly ? ['fstab_reading mount -o remount,bind,ro "$target"'] : []),
        `fstab_set "$tag" "${presentFstabEntry(present, origin)}"`,
        // The volume answers: its first entries only. `ls -f` prints as it reads and dies of SIGPIPE (141)
        // once head has a line, so a prefix of 100,000 objects is not listed in full (that took over 20 s).
        '{ timeout 20 ls -f -- "$target" || [ $? = 141 ]; } | head -n 1 > /dev/null',
        `echo "$target: $bucket\${prefix:+/$prefix} (${present.readOnly ? "read-only" : "read-write"})"`,
    ]);
}

export function renderUnpresentScript(present: PresentPlan, origin: PresentOrigin): string {
    return bashScript(`stop presenting ${present.target}`, [
        ...presentVariables(present, origin),
        ...FSTAB_FUNCTIONS,
        ...MOUNT_FUNCTIONS,
        // A process holding a file open there: detached lazily after a few seconds, with a warning;
        // destroy never hangs on it, and what it writes still reaches the bucket when it closes.
        'release "$target"',
        'fstab_remove "$tag"',
        // Only a directory skymount made, and only if empty.
        'if grep -qs \'^created=1$\' "$marker"; then rmdir "$target" 2>/dev/null || true; fi',
        'rm -f "$marker"',
        'echo "$target: released"',
    ]);
}
