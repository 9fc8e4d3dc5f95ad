// COPY volumes: a local, read-only snapshot of a bucket (or a prefix of one). The bucket is mounted
// read-only with geesefs for the copy only, read with parallel copies into a staging directory that
// replaces the previous copy in one rename, and unmounted again. (Server-side copies between
// buckets are BucketCopy, src/sync/bucketCopy.ts.)
import { PROGRESS_LINE_PREFIX } from "../internal/progressLine";
import { FSTAB_FUNCTIONS } from "./fstab";
import { mountProgramArgs } from "./fstabLine";
import { MOUNT_HELPER } from "./hostPaths";
import { environmentCommand } from "./mountWrapper";
import { CopyVolumePlan, GeesefsOptions } from "./plan";
import { bashScript, quote } from "./shell";

/** Files copied at once: geesefs serves parallel reads, and one `cp` at a time is latency-bound. */
export const COPY_PARALLELISM = 16;

/** Seconds between two progress lines of a copy. */
const COPY_PROGRESS_SECONDS = 5;

/** The copy's fingerprint on the host (`<dir>.spec`): what it is of; a change re-copies. */
export function copyVolumeFingerprint(copy: CopyVolumePlan, options: GeesefsOptions): string {
    return `${copy.fuse.endpoint} ${copy.fuse.bucket}/${copy.prefix} ${mountProgramArgs(copy.fuse, options).join(" ")}`;
}

function copyVariables(copy: CopyVolumePlan): string[] {
    return [
        `bucket=${quote(copy.fuse.bucket)}`,
        `prefix=${quote(copy.prefix)}`,
        `dir=${quote(copy.dir)}`,
        `fuse_dir=${quote(copy.fuse.dir)}`,
        `creds=${quote(copy.fuse.credentialsFile)}`,
        `log_file=${quote(copy.fuse.logFile)}`,
    ];
}

export function renderCopyVolumeScript(copy: CopyVolumePlan, options: GeesefsOptions): string {
    // The mount's environment (Azure: AZURE_CONFIG_DIR, a path, not a secret), without its wrapper.
    const environment = environmentCommand(copy.fuse.wrapper?.environment);
    const mountCommand = [...environment, MOUNT_HELPER, ...mountProgramArgs(copy.fuse, options)].map(quote).join(" ");
    return bashScript(`copy ${copy.fuse.bucket}/${copy.prefix} to ${copy.dir}`, [
        ...copyVariables(copy),
        `spec=${quote(copyVolumeFingerprint(copy, options))}`,
        ...FSTAB_FUNCTIONS,
        ...(copy.fuse.hasCredentials
            ? [
                  'mkdir -p "$(dirname "$creds")" && chmod 0700 "$(dirname "$creds")"',
                  "umask 077",
                  'cat > "$creds"',
                  '[ -s "$creds" ] || fail "no credentials for bucket $bucket arrived on stdin"',
                  "umask 022",
              ]
            : ["cat > /dev/null"]),
        `cleanup() { unmount "$fuse_dir"; rmdir "$fuse_dir" 2>/dev/null || true; rm -f "$creds";${copy.fuse.credentialsDir ? ' rmdir "$(dirname "$creds")" 2>/dev/null || true;' : ""} }`,
        "trap cleanup EXIT",
        'if [ -d "$dir" ] && [ "$(cat "$dir.spec" 2>/dev/null)" = "$spec" ]; then',
        '  echo "copy of $bucket${prefix:+/$prefix}: $dir (unchanged)"',
        "  exit 0",
        "fi",
        'mkdir -p "$fuse_dir" "$(dirname "$log_file")"',
        'unmount "$fuse_dir"',
        // geesefs daemonizes; its stdio must not hold the SSH session's pipes open.
        `${mountCommand} < /dev/null > "$log_file.start" 2>&1 || { cat "$log_file.start" >&2; fail "mounting bucket $bucket to copy it failed"; }`,
        '{ timeout 20 ls -f -- "$fuse_dir" || [ $? = 141 ]; } | head -n 1 > /dev/null || fail "bucket $bucket does not answer (credentials, endpoint or bucket wrong?)"',
        'src="$fuse_dir${prefix:+/$prefix}"',
        '[ -d "$src" ] || fail "prefix \'$prefix\' does not exist in bucket $bucket"',
        'staging="$dir.partial"',
        'rm -rf "$staging" && mkdir -p "$staging"',
        '(cd "$src" && find . -mindepth 1 -type d -print0) | (cd "$staging" && xargs -0 -r mkdir -p)',
        // Listed once: its count is the total the progress lines, printed while the copy runs, count to.
        "files=$(mktemp)",
        '(cd "$src" && find . -type f -print0) > "$files"',
        "total=$(tr -cd '\\0' < \"$files\" | wc -c)",
        // The loop's sleep holds no pipe of the SSH session, so the command ends when the copy does.
        `( while sleep ${COPY_PROGRESS_SECONDS} < /dev/null > /dev/null 2>&1; do echo "${PROGRESS_LINE_PREFIX}copy of $bucket\${prefix:+/$prefix}: $(find "$staging" -type f | wc -l)/$total files, $(du -sh "$staging" | cut -f1)" >&2; done ) &`,
        "progress_pid=$!",
        `copied=0; (cd "$src" && xargs -0 -r -P ${COPY_PARALLELISM} -n 32 cp --parents -t "$staging" < "$files") || copied=$?`,
        'kill "$progress_pid" 2>/dev/null || true',
        'rm -f "$files"',
        '[ "$copied" = 0 ] || fail "copying bucket $bucket${prefix:+/$prefix} failed"',
        'if [ -d "$dir" ]; then mv "$dir" "$dir.old"; fi',
        'mv "$staging" "$dir"',
        'rm -rf "$dir.old"',
        'echo "$spec" > "$dir.spec"',
        'echo "copy of $bucket${prefix:+/$prefix}: $(find "$dir" -type f | wc -l) files, $(du -sh "$dir" | cut -f1) in $dir"',
    ]);
}

export function renderUncopyVolumeScript(copy: CopyVolumePlan): string {
    return bashScript(`remove the copy ${copy.dir}`, [
        ...copyVariables(copy),
        ...FSTAB_FUNCTIONS,
        'unmount "$fuse_dir"',
        // Only skymount's own copy directories: the volume's path itself was released before.
        'rm -rf "$dir" "$dir.partial" "$dir.old" "$dir.spec" "$creds"',
        ...(copy.fuse.credentialsDir ? ['rmdir "$(dirname "$creds")" 2>/dev/null || true'] : []),
        'rmdir "$fuse_dir" 2>/dev/null || true',
        'echo "removed the copy of $bucket${prefix:+/$prefix}"',
    ]);
}
