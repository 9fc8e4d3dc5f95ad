// Scripts for a node's own work: unpack the workdir, run `setup` once per change, start `run`.
import { JOB_LOG, JOB_PID, WORKDIR } from "./hostPaths";
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

/** `run` starts detached (a training job outlives `pulumi up`), logging to a file; a rerun stops the previous one. */
export function renderRunScript(run: string, dependsOn: string): string {
    return bashScript("start run", [
        `# restarts when this changes: ${dependsOn.replace(/[^A-Za-z0-9]/g, "")}`,
        `pid_file=${quote(JOB_PID)}`,
        `log=${quote(JOB_LOG)}`,
        'mkdir -p "$(dirname "$pid_file")" "$(dirname "$log")" ' + quote(WORKDIR),
        'if [ -f "$pid_file" ]; then kill "$(cat "$pid_file")" 2>/dev/null || true; fi',
        `cd ${quote(WORKDIR)}`,
        `setsid nohup bash -c ${quote(run)} < /dev/null > "$log" 2>&1 &`,
        'echo $! > "$pid_file"',
        'echo "run started (pid $(cat "$pid_file")), logging to $log"',
    ]);
}

export function renderStopRunScript(): string {
    return bashScript("stop run", [
        `pid_file=${quote(JOB_PID)}`,
        'if [ -f "$pid_file" ]; then kill "$(cat "$pid_file")" 2>/dev/null || true; rm -f "$pid_file"; fi',
    ]);
}
