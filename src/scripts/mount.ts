// Mount and unmount scripts for one FUSE mount of a bucket. The mount goes through /etc/fstab,
// mount(8) and skymount's mount helper, exactly as boot will remount it, and is checked by a probe:
// FUSE mounters can exit 0 with nothing usable mounted.
import { FSTAB_FUNCTIONS } from "./fstab";
import { fstabLine } from "./fstabLine";
import { CACHE_ROOT, LOG_DIR, STATE_ROOT } from "./hostPaths";
import { mountWrapperScript } from "./mountWrapper";
import { FuseMountPlan, GeesefsOptions } from "./plan";
import { bashScript, quote } from "./shell";

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

/** The mount's fingerprint on the host (`specs/<id>`) is its fstab line, its keys' hash and its
 *  cache size: a change of any remounts. */
export function renderMountScript(mount: FuseMountPlan, options: GeesefsOptions): string {
    const wrapper = mount.wrapper;
    return bashScript(`mount bucket ${mount.bucket} at ${mount.dir}`, [
        ...mountVariables(mount),
        `fstab_line=${quote(fstabLine(mount, options))}`,
        ...FSTAB_FUNCTIONS,
        `mkdir -p ${quote(`${STATE_ROOT}/specs`)} ${quote(LOG_DIR)} "$(dirname "$creds")"`,
        'chmod 0700 "$(dirname "$creds")"',
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
        `spec="$fstab_line $creds_hash${mount.cached ? ` cache=${mount.cacheSizeMb}M` : ""}"`,
        `healthy() { mountpoint -q "$dir" && timeout ${PROBE_SECONDS} ls "$dir" > /dev/null 2>&1${mount.cached ? ' && mountpoint -q "$cache_dir"' : ""}; }`,
        'if healthy && [ "$(cat "$spec_file" 2>/dev/null)" = "$spec" ]; then',
        // Its fstab entry may have been removed out of band (refresh reports it): put it back.
        '  fstab_set "$id" "$fstab_line" "requires-mounts-for=$dir "',
        '  echo "bucket $bucket: mounted at $dir (unchanged)"',
        "  exit 0",
        "fi",
        'unmount "$dir"',
        ...cacheLines(mount),
        ...(mount.hasCredentials ? ['mv -f "$new_creds" "$creds"', "trap - EXIT"] : []),
        ...(wrapper
            ? [`printf '%s' ${quote(mountWrapperScript(wrapper))} > ${quote(wrapper.path)}`, `chmod 0700 ${quote(wrapper.path)}`]
            : []),
        'mkdir -p "$dir"',
        '[ -z "$(ls -A "$dir")" ] || fail "$dir holds files while unmounted; skymount never wipes data: move them away"',
        'fstab_set "$id" "$fstab_line" "requires-mounts-for=$dir "',
        "out=$(mktemp)",
        // geesefs daemonizes; its stdio must not hold the SSH session's pipes open.
        'if ! fstab_reading mount "$dir" < /dev/null > "$out" 2>&1; then',
        '  cat "$out" >&2; tail -n 20 "$log_file" >&2 2>/dev/null || true',
        '  fail "mounting bucket $bucket at $dir failed"',
        "fi",
        'rm -f "$out"',
        'healthy || { tail -n 20 "$log_file" >&2 2>/dev/null || true; fail "bucket $bucket mounted at $dir but does not answer (credentials, endpoint or bucket wrong?)"; }',
        'echo "$spec" > "$spec_file"',
        'echo "bucket $bucket: mounted at $dir"',
    ]);
}

export function renderUnmountScript(mount: FuseMountPlan): string {
    return bashScript(`unmount bucket ${mount.bucket} from ${mount.dir}`, [
        ...mountVariables(mount),
        ...FSTAB_FUNCTIONS,
        'unmount "$dir"',
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
