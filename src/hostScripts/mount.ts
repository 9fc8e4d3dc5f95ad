// Mount and unmount scripts for one FUSE mount of a bucket. The mount goes through /etc/fstab,
// mount(8) and skymount's mount helper, exactly as boot will remount it, and is checked by a probe:
// FUSE mounters can exit 0 with nothing usable mounted.
import { FSTAB_FUNCTIONS } from "./fstab";
import { fstabLine } from "./fstabLine";
import { CACHE_ROOT, HEAL_LOCK, HOLDERS_DIR, LOG_DIR, STATE_ROOT, SUPERVISED_DIR, SUPERVISOR, SYSTEMD_UNIT_DIR } from "./hostPaths";
import { MOUNT_FUNCTIONS } from "./mountFunctions";
import { mountWrapperScript } from "./mountWrapper";
import { FuseMountPlan, GeesefsOptions } from "./plan";
import { bashScript, commentText, quote } from "./shell";
import { startSupervisorCommand } from "./supervisor";
import { mountServiceName, renderMountService } from "./systemdUnits";

/** Who holds a FUSE mount on a host: one stack's SkyVolume. Two stacks (or two SkyVolumes) mounting
 *  the same bucket on one host share its FUSE mount; it is unmounted when the last holder goes. */
export interface MountHolder {
    /** Unique per stack and SkyVolume, stable across runs: a file name on the host. */
    id: string;
    /** Said in the holder's file, for whoever wonders why a mount stays. */
    description: string;
}

/** A mount rendered without a holder (tests, COPY) counts as this one. */
export const DEFAULT_HOLDER: MountHolder = { id: "skymount", description: "skymount" };

const PROBE_SECONDS = 20;

function mountVariables(mount: FuseMountPlan): string[] {
    return [
        `id=${quote(mount.id)}`,
        `bucket=${quote(mount.bucket)}`,
        `dir=${quote(mount.dir)}`,
        `creds=${quote(mount.credentialsFile)}`,
        `log_file=${quote(mount.logFile)}`,
        `spec_file=${quote(`${STATE_ROOT}/specs/${mount.id}`)}`,
        `cache_dir=${quote(`${CACHE_ROOT}/${mount.id}`)}`,
        `cache_img=${quote(`${CACHE_ROOT}/${mount.id}.img`)}`,
        `holders=${quote(`${HOLDERS_DIR}/${mount.id}`)}`,
        `supervised_file=${quote(`${SUPERVISED_DIR}/${mount.id}`)}`,
        `unit=${quote(mountServiceName(mount.id))}`,
        `unit_file=${quote(`${SYSTEMD_UNIT_DIR}/${mountServiceName(mount.id)}`)}`,
        // Every step that may leave the supervisor's list holds the heal lock while it does.
        `heal_lock=${quote(HEAL_LOCK)}`,
    ];
}

/** The mount's owner: files belong to the SSH login user (root stays root) unless uid or gid
 *  is given, and a mount owned by anyone but root gets allow_other unless allowOther is given (FUSE
 *  lets only the mount's owner in otherwise, not even root). The login user is resolved on the host,
 *  at mount time: it is unknown at preview, and the fstab line the plan renders (the present scripts'
 *  fingerprint) stays the same whoever logs in. Scripts run through `sudo -n` for a user who is not
 *  root (runScriptCommand), so that user is $SUDO_USER. */
export function renderLoginOwner(options: GeesefsOptions): string[] {
    if (options.uid !== undefined && options.gid !== undefined && options.allowOtherGiven) return ["owned() { printf '%s' \"$1\"; }"];
    return [
        "login_user=${SUDO_USER:-$(id -un)}",
        `mount_uid=${options.uid ?? '$(id -u "$login_user")'}`,
        `mount_gid=${options.gid ?? '$(id -g "$login_user")'}`,
        "owned() {",
        "  local s=$1",
        ...(options.uid === undefined ? ["  s=${s/,--uid=0,/,--uid=$mount_uid,}"] : []),
        ...(options.gid === undefined ? ["  s=${s/,--gid=0,/,--gid=$mount_gid,}"] : []),
        ...(options.allowOtherGiven ? [] : ['  if [ "$mount_uid" != 0 ]; then s=${s/,--uid=/,allow_other,--uid=}; fi']),
        "  printf '%s' \"$s\"",
        "}",
    ];
}

/** MOUNT_CACHED: geesefs's disk cache lives on a file system of exactly the asked size (a sparse
 *  ext4 image on a loop device), since geesefs itself has no size limit. Its fstab entry comes
 *  before the bucket's, so boot mounts the cache first. */
function cacheLines(mount: FuseMountPlan): string[] {
    if (!mount.cached) return [];
    return [
        `cache_mb=${quote(mount.cacheSizeMb)}`,
        'unmount "$cache_dir"',
        'mkdir -p "$cache_dir"',
        'if [ ! -f "$cache_img" ] || [ "$(stat -c %s "$cache_img")" != "$((cache_mb * 1024 * 1024))" ]; then',
        '  rm -f "$cache_img"',
        '  truncate -s "${cache_mb}M" "$cache_img"',
        '  mkfs.ext4 -q -F -m 0 "$cache_img"',
        "fi",
        'fstab_set "cache:$id" "$cache_img $cache_dir ext4 loop,nofail 0 0"',
        'fstab_reading mount "$cache_dir"',
        'chmod 0700 "$cache_dir"',
    ];
}

/** Sets `spec`, the mount's fingerprint on the host (`specs/<id>`), from the shell variables the mount
 *  script sets ($fstab_line with the owner resolved, $creds_hash, $systemd); the check recomputes it. */
export function mountFingerprintLine(mount: FuseMountPlan): string {
    return `spec="$fstab_line $creds_hash${mount.cached ? ` cache=${mount.cacheSizeMb}M` : ""}\${systemd:+ systemd}"`;
}

/** The mount's fingerprint on the host (`specs/<id>`) is its fstab line (owner resolved), its keys'
 *  hash and its cache size: a change of any remounts, draining the old geesefs first. */
export function renderMountScript(mount: FuseMountPlan, options: GeesefsOptions, holder: MountHolder = DEFAULT_HOLDER): string {
    const wrapper = mount.wrapper;
    return bashScript(`mount bucket ${mount.bucket} at ${mount.dir}`, [
        ...mountVariables(mount),
        `holder_file=${quote(`${HOLDERS_DIR}/${mount.id}/${holder.id}`)}`,
        `fstab_line=${quote(fstabLine(mount, options))}`,
        `unit_text=${quote(renderMountService(mount, options))}`,
        ...FSTAB_FUNCTIONS,
        ...MOUNT_FUNCTIONS,
        `mkdir -p ${quote(`${STATE_ROOT}/specs`)} ${quote(LOG_DIR)} "$(dirname "$creds")" "$holders" ${quote(SUPERVISED_DIR)}`,
        'chmod 0700 "$(dirname "$creds")"',
        // Held before anything else: another holder's destroy, running now, then keeps the mount.
        `echo ${quote(commentText(holder.description))} > "$holder_file"`,
        ...renderLoginOwner(options),
        'fstab_line=$(owned "$fstab_line")',
        'unit_text=$(owned "$unit_text")',
        // systemd hosts run each mount as a service (systemdUnits.ts); the others through fstab.
        "systemd=; if [ -d /run/systemd/system ]; then systemd=1; fi",
        // Credentials come on stdin: never on a command line, in the environment or in a log.
        ...(mount.hasCredentials
            ? [
                  "umask 077",
                  'new_creds=$(mktemp "$creds.XXXXXX")',
                  "trap 'rm -f \"$new_creds\"' EXIT",
                  'cat > "$new_creds"',
                  '[ -s "$new_creds" ] || fail "no credentials for bucket $bucket arrived on stdin"',
                  "creds_hash=$(sha256sum < \"$new_creds\" | cut -d' ' -f1)",
              ]
            : ["cat > /dev/null", "creds_hash=none"]),
        mountFingerprintLine(mount),
        // The mount answers: its root's first entries only (`ls -f` dies of SIGPIPE once head has a line), so a
        // bucket with 100,000 objects at its root is not listed in full within the probe's seconds.
        `healthy() { mountpoint -q "$dir" && { timeout ${PROBE_SECONDS} ls -f -- "$dir" 2>/dev/null || [ $? = 141 ]; } | head -n 1 > /dev/null${mount.cached ? ' && mountpoint -q "$cache_dir"' : ""}; }`,
        // On the supervisor's list (what it heals), and the supervisor running.
        "supervise() {",
        `  { echo "$dir"; ${mount.cached ? 'echo "cache=$cache_dir"; ' : ""}} > "$supervised_file"`,
        `  ${startSupervisorCommand(SUPERVISOR)}`,
        "}",
        'if healthy && [ "$(cat "$spec_file" 2>/dev/null)" = "$spec" ]; then',
        // Its fstab entry may have been removed out of band (refresh reports it): put it back.
        '  [ -n "$systemd" ] || fstab_set "$id" "$fstab_line" "x-systemd.requires-mounts-for=$dir"',
        "  supervise",
        '  echo "bucket $bucket: mounted at $dir (unchanged)"',
        "  exit 0",
        "fi",
        // Off the list while this script unmounts and mounts: the supervisor must not remount it meanwhile.
        'exec 8> "$heal_lock"; flock -w 120 8 || fail "no heal lock after 120 s"; rm -f "$supervised_file"; exec 8>&-',
        // The bind mounts into the old mount hold it (and its geesefs, with the old keys) alive: they
        // go first and are re-made into the new one.
        'binds=$(mounted_binds_into "$dir")',
        'for t in $binds; do release "$t"; done',
        "placeholder $binds",
        'if [ -f "$unit_file" ] && [ -n "$systemd" ]; then systemctl stop "$unit" || true; fi',
        'drain_unmount "$dir"',
        ...cacheLines(mount),
        ...(mount.hasCredentials ? ['mv -f "$new_creds" "$creds"', "trap - EXIT"] : []),
        ...(wrapper
            ? [`printf '%s' ${quote(mountWrapperScript(wrapper))} > ${quote(wrapper.path)}`, `chmod 0700 ${quote(wrapper.path)}`]
            : []),
        'mkdir -p "$dir"',
        '[ -z "$(ls -A "$dir")" ] || fail "$dir holds files while unmounted; skymount never wipes data: move them away"',
        'if [ -n "$systemd" ]; then',
        // The service mounts it; an fstab entry as well would have systemd mount it a second time.
        '  fstab_remove "$id"',
        '  printf \'%s\n\' "$unit_text" > "$unit_file"',
        "  systemctl daemon-reload",
        '  systemctl enable "$unit" > /dev/null 2>&1',
        '  if ! systemctl restart "$unit"; then',
        '    journalctl -u "$unit" -n 20 --no-pager >&2 2>/dev/null || true; tail -n 20 "$log_file" >&2 2>/dev/null || true',
        '    fail "mounting bucket $bucket at $dir failed"',
        "  fi",
        "else",
        '  fstab_set "$id" "$fstab_line" "x-systemd.requires-mounts-for=$dir"',
        "  out=$(mktemp)",
        // geesefs daemonizes; its stdio must not hold the SSH session's pipes open.
        '  if ! fstab_reading mount "$dir" < /dev/null > "$out" 2>&1; then',
        '    cat "$out" >&2; tail -n 20 "$log_file" >&2 2>/dev/null || true',
        '    fail "mounting bucket $bucket at $dir failed"',
        "  fi",
        '  rm -f "$out"',
        "fi",
        'healthy || { tail -n 20 "$log_file" >&2 2>/dev/null || true; fail "bucket $bucket mounted at $dir but does not answer (credentials, endpoint or bucket wrong?)"; }',
        "rebind $binds",
        'echo "$spec" > "$spec_file"',
        "supervise",
        'echo "bucket $bucket: mounted at $dir"',
    ]);
}

/** Lets go of the mount for one holder; the last one unmounts it (cleanly: geesefs uploads what it
 *  holds; a busy mount is detached lazily after a few seconds, with a warning naming its users). */
export function renderUnmountScript(mount: FuseMountPlan, holder: MountHolder = DEFAULT_HOLDER): string {
    return bashScript(`unmount bucket ${mount.bucket} from ${mount.dir}`, [
        ...mountVariables(mount),
        `holder_file=${quote(`${HOLDERS_DIR}/${mount.id}/${holder.id}`)}`,
        ...FSTAB_FUNCTIONS,
        ...MOUNT_FUNCTIONS,
        'exec 8> "$heal_lock"; flock -w 120 8 || fail "no heal lock after 120 s"',
        'rm -f "$holder_file"',
        'if [ -n "$(ls -A "$holders" 2>/dev/null)" ]; then',
        '  echo "bucket $bucket: stays mounted at $dir for its other holders: $(cat "$holders"/* | paste -sd, -)"',
        "  exit 0",
        "fi",
        'rmdir "$holders" 2>/dev/null || true',
        // Off the supervisor's list before it is unmounted: it never remounts what destroy unmounts.
        'rm -f "$supervised_file"',
        "exec 8>&-",
        'if [ -f "$unit_file" ]; then',
        '  if [ -d /run/systemd/system ]; then systemctl disable --now "$unit" > /dev/null 2>&1 || true; fi',
        '  rm -f "$unit_file"',
        "  if [ -d /run/systemd/system ]; then systemctl daemon-reload; fi",
        "fi",
        'drain_unmount "$dir"',
        'fstab_remove "$id"',
        'rm -f "$creds" "$spec_file"',
        ...(mount.wrapper ? [`rm -f ${quote(mount.wrapper.path)}`] : []),
        ...(mount.credentialsDir ? [`rmdir ${quote(mount.credentialsDir)} 2>/dev/null || true`] : []),
        ...(mount.cached
            ? ['unmount "$cache_dir"', 'fstab_remove "cache:$id"', 'rmdir "$cache_dir" 2>/dev/null || true', 'rm -f "$cache_img"']
            : []),
        'rmdir "$dir" 2>/dev/null || true',
        'echo "bucket $bucket: unmounted from $dir"',
    ]);
}
