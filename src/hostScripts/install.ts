// Install script: fuse3 from apt, geesefs from a URL (installed only when its sha256 matches),
// skymount's mount helper, which every geesefs mount goes through, and its supervisor, started here
// (on systemd hosts as a service).
import { PROGRESS_LINE_PREFIX } from "../internal/progressLine";
import { InstallPlan } from "./plan";
import { GEESEFS_BINARY, MOUNT_HELPER, SUPERVISOR, SYSTEMD_UNIT_DIR } from "./hostPaths";
import { renderMountHelper } from "./mountHelper";
import { bashScript, quote } from "./shell";
import { renderSupervisor } from "./supervisor";
import { renderSupervisorService, SUPERVISOR_SERVICE } from "./systemdUnits";

/** Writes a program atomically (a running copy keeps its old inode); sets `changed=1` when it differs. */
function installProgram(path: string, text: string): string[] {
    return [
        `program=${quote(path)}`,
        'mkdir -p "$(dirname "$program")"',
        'tmp=$(mktemp "$program.XXXXXX")',
        "trap 'rm -f \"$tmp\"' EXIT",
        `printf '%s' ${quote(text)} > "$tmp"`,
        'chmod 0755 "$tmp"',
        'if cmp -s "$tmp" "$program"; then rm -f "$tmp"; else mv -f "$tmp" "$program"; changed=1; fi',
        "trap - EXIT",
    ];
}

export function renderInstallScript(plan: InstallPlan): string {
    return bashScript("install fuse3 and geesefs", [
        `geesefs_url=${quote(plan.geesefsUrl)}`,
        `geesefs_sha256=${quote(plan.geesefsSha256)}`,
        `geesefs_bin=${quote(GEESEFS_BINARY)}`,
        // A new VM is still running cloud-init (and apt) when SSH opens: let it finish first.
        "if command -v cloud-init > /dev/null 2>&1; then cloud-init status --wait > /dev/null 2>&1 || true; fi",
        "export DEBIAN_FRONTEND=noninteractive",
        // Cloud images run apt at first boot; wait for the lock instead of failing on it.
        'apt_get() { apt-get -o DPkg::Lock::Timeout=300 "$@"; }',
        // An install killed halfway (an interrupted `up`) leaves dpkg half-configured, and every later
        // apt-get refuses to run until it is finished.
        'if [ -n "$(ls -A /var/lib/dpkg/updates 2>/dev/null)" ]; then dpkg --configure -a; fi',
        "if ! command -v fusermount3 >/dev/null 2>&1; then",
        ...(plan.aptSource ? [`  echo ${quote(plan.aptSource)} > /etc/apt/sources.list.d/skymount.list`] : []),
        `  echo ${quote(`${PROGRESS_LINE_PREFIX}installing fuse3 (apt-get)`)} >&2`,
        "  apt_get update -qq",
        // Without its man pages: installing them makes dpkg's man-db trigger rebuild the manual index, which
        // was 85% of this step's time (10-12 s of 12 on a loaded testbed host, against 1.6 s without).
        "  apt_get install -y -qq -o 'DPkg::Options::=--path-exclude=/usr/share/man/*' fuse3 >/dev/null",
        "fi",
        ...(plan.allowOther ? ["grep -qs '^user_allow_other' /etc/fuse.conf || echo user_allow_other >> /etc/fuse.conf"] : []),
        'current=$( [ -f "$geesefs_bin" ] && sha256sum "$geesefs_bin" | cut -d\' \' -f1 || true)',
        'if [ "$current" != "$geesefs_sha256" ]; then',
        '  case "$(uname -m)" in x86_64) ;; *) echo "skymount: geesefs: unsupported architecture $(uname -m)" >&2; exit 1 ;; esac',
        "  tmp=$(mktemp /usr/local/bin/.geesefs.XXXXXX)",
        "  trap 'rm -f \"$tmp\"' EXIT",
        `  echo ${quote(`${PROGRESS_LINE_PREFIX}downloading geesefs`)} >&2`,
        '  curl -fsSL --retry 3 -o "$tmp" "$geesefs_url"',
        "  got=$(sha256sum \"$tmp\" | cut -d' ' -f1)",
        '  if [ "$got" != "$geesefs_sha256" ]; then',
        '    echo "skymount: geesefs from $geesefs_url has sha256 $got, expected $geesefs_sha256: not installed" >&2',
        "    exit 1",
        "  fi",
        '  chmod 0755 "$tmp"',
        '  mv -f "$tmp" "$geesefs_bin"',
        "  trap - EXIT",
        "fi",
        `helper=${quote(MOUNT_HELPER)}`,
        'mkdir -p "$(dirname "$helper")"',
        'tmp=$(mktemp "$helper.XXXXXX")',
        "trap 'rm -f \"$tmp\"' EXIT",
        `printf '%s' ${quote(renderMountHelper())} > "$tmp"`,
        'chmod 0755 "$tmp"',
        'mv -f "$tmp" "$helper"',
        "trap - EXIT",
        "changed=",
        ...installProgram(SUPERVISOR, renderSupervisor()),
        "if [ -d /run/systemd/system ]; then",
        `  unit_file=${quote(`${SYSTEMD_UNIT_DIR}/${SUPERVISOR_SERVICE}`)}`,
        `  printf '%s' ${quote(renderSupervisorService())} > "$unit_file"`,
        "  systemctl daemon-reload",
        `  systemctl enable ${SUPERVISOR_SERVICE} > /dev/null 2>&1`,
        `  if [ -n "$changed" ]; then systemctl restart ${SUPERVISOR_SERVICE}; else systemctl start ${SUPERVISOR_SERVICE}; fi`,
        "else",
        // A supervisor of an older version hands over to the new one.
        `  if [ -n "$changed" ]; then ${quote(SUPERVISOR)} stop; fi`,
        `  ${quote(SUPERVISOR)} start`,
        "fi",
        'echo "geesefs $("$geesefs_bin" --version 2>&1 | awk \'{print $NF}\') and $(fusermount3 --version 2>&1) ready"',
    ]);
}
