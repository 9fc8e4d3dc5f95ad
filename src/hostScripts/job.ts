// Scripts for a node's own work: unpack the workdir, run `setup` once per change, start `run`.
import { JOB_LOG, JOB_PGID, JOB_PID, WORKDIR } from "./hostPaths";
import { bashScript, quote } from "./shell";

export { JOB_LOG, WORKDIR } from "./hostPaths";

/** Unpacks the base64 tar.gz on stdin into the workdir. Replaces only a workdir skymount made. */
export function renderWorkdirScript(archiveSha256: string): string {
    return bashScript(`unpack the workdir into ${WORKDIR}`, [
        `dir=${quote(WORKDIR)}`,
        `archive=${quote(archiveSha256)}`,
        'marker="$dir.skymount"',
        'fail() { echo "skymount: $*" >&2; exit 1; }',
        'if [ -d "$dir" ] && [ ! -f "$marker" ] && [ -n "$(ls -A "$dir")" ]; then',
        '  fail "$dir is a non-empty directory skymount did not make; skymount never wipes data: move it away"',
        "fi",
        'rm -rf "$dir.new" && mkdir -p "$dir.new"',
        'base64 -d | tar -xz -C "$dir.new"',
        'rm -rf "$dir" && mv "$dir.new" "$dir"',
        'echo "$archive" > "$marker"',
        'echo "workdir: $(find "$dir" -type f | wc -l) files in $dir"',
    ]);
}

export function renderRemoveWorkdirScript(): string {
    return bashScript(`remove ${WORKDIR}`, [`dir=${quote(WORKDIR)}`, 'if [ -f "$dir.skymount" ]; then rm -rf "$dir" "$dir.skymount"; fi']);
}

/** `setup` runs in the workdir, in the foreground: `pulumi up` waits for it and fails with it. */
export function renderSetupScript(setup: string, dependsOn: string): string {
    return bashScript("setup", [
        `# reruns when this changes: ${dependsOn.replace(/[^A-Za-z0-9]/g, "")}`,
        `mkdir -p ${quote(WORKDIR)} && cd ${quote(WORKDIR)}`,
        `bash -euo pipefail -c ${quote(setup)}`,
    ]);
}

/** Seconds a stopped `run` gets between SIGTERM and SIGKILL. */
export const RUN_STOP_GRACE_SECONDS = 10;

/** Marks every process of a `run` (inherited by its children): a stop only signals a group that has it,
 *  never a group that merely reuses a recorded number after a reboot. */
const RUN_GROUP_VARIABLE = "SKYMOUNT_RUN_GROUP";

/**
 * `stop_run`: stops the recorded run as a process group (the job and every child it forked), TERM
 * first, KILL after the grace period, and waits until the group is gone.
 */
function stopRunFunction(graceSeconds: number): string[] {
    return [
        `pgid_file=${quote(JOB_PGID)}`,
        `pid_file=${quote(JOB_PID)}`,
        // Members of the group that carry the run's mark.
        "run_members() {",
        '  local p; for p in $(pgrep -g "$1" 2>/dev/null); do',
        `    tr '\\0' '\\n' < "/proc/$p/environ" 2>/dev/null | grep -qx "${RUN_GROUP_VARIABLE}=$1" && echo "$p"`,
        "  done; return 0",
        "}",
        "stop_run() {",
        '  local pgid i; pgid=$(cat "$pgid_file" 2>/dev/null || true)',
        '  if [ -n "$pgid" ] && [ -n "$(run_members "$pgid")" ]; then',
        '    kill -TERM -- "-$pgid" 2>/dev/null || true',
        `    for i in $(seq ${graceSeconds * 5}); do [ -n "$(run_members "$pgid")" ] || break; sleep 0.2; done`,
        '    if [ -n "$(run_members "$pgid")" ]; then',
        `      echo "run (process group $pgid) still running ${graceSeconds} s after SIGTERM: SIGKILL"`,
        '      kill -KILL -- "-$pgid" 2>/dev/null || true',
        '      for i in $(seq 25); do [ -n "$(run_members "$pgid")" ] || break; sleep 0.2; done',
        "    fi",
        '    echo "run (process group $pgid) stopped"',
        "  fi",
        '  rm -f "$pgid_file" "$pid_file"',
        "}",
    ];
}

/**
 * `run` starts detached (a training job outlives `pulumi up`), logging to a file, in a session and
 * process group of its own (setsid), so that a rerun or a delete stops it and every child it forked.
 * The group's number is recorded by the job's first process itself (as session leader its pid is the
 * group's), before the user's command runs.
 */
export function renderRunScript(run: string, dependsOn: string): string {
    return bashScript("start run", [
        `# restarts when this changes: ${dependsOn.replace(/[^A-Za-z0-9]/g, "")}`,
        ...stopRunFunction(RUN_STOP_GRACE_SECONDS),
        'fail() { echo "skymount: $*" >&2; exit 1; }',
        `log=${quote(JOB_LOG)}`,
        'mkdir -p "$(dirname "$pid_file")" "$(dirname "$log")" ' + quote(WORKDIR),
        "stop_run",
        `cd ${quote(WORKDIR)}`,
        // $1: where to record the group; then the command to become (`exec` keeps the leader's pid).
        `setsid nohup bash -c 'echo "$$" > "$1.new" && mv -f "$1.new" "$1" && export ${RUN_GROUP_VARIABLE}=$$ && shift && exec "$@"' skymount-run "$pgid_file" bash -c ${quote(run)} < /dev/null > "$log" 2>&1 &`,
        'for i in $(seq 50); do [ -s "$pgid_file" ] && break; sleep 0.1; done',
        '[ -s "$pgid_file" ] || fail "run did not start"',
        'cp "$pgid_file" "$pid_file"',
        'echo "run started (process group $(cat "$pgid_file")), logging to $log"',
    ]);
}

export function renderStopRunScript(graceSeconds = RUN_STOP_GRACE_SECONDS): string {
    return bashScript("stop run", [...stopRunFunction(graceSeconds), "stop_run"]);
}
