#!/usr/bin/env bash
# Installs fuse3 from apt, geesefs from a URL (only when its sha256 matches), skymount's mount
# helper, which every geesefs mount goes through, and its supervisor, started here (on systemd
# hosts as a service).

# Given: geesefs_url, geesefs_sha256, geesefs_bin (where it goes), apt_source (a sources.list line
# for fuse3, or empty), private_dirs (skymount's directories: keys, logs, state, caches), progress (the prefix
# of a progress line), helper and helper_text (the mount helper), supervisor and supervisor_text,
# supervisor_unit, supervisor_unit_file and supervisor_unit_text (its systemd service).
: "${geesefs_url?}" "${geesefs_sha256?}" "${geesefs_bin?}" "${apt_source?}" "${private_dirs?}" "${progress?}"
: "${helper?}" "${helper_text?}" "${supervisor?}" "${supervisor_text?}" "${supervisor_unit?}" "${supervisor_unit_file?}" "${supervisor_unit_text?}"
set -euo pipefail

# A new VM is still running cloud-init (and apt) when SSH opens: let it finish first.
if command -v cloud-init > /dev/null 2>&1; then cloud-init status --wait > /dev/null 2>&1 || true; fi
export DEBIAN_FRONTEND=noninteractive
# Cloud images run apt at first boot; wait for the lock instead of failing on it.
apt_get() { apt-get -o DPkg::Lock::Timeout=300 "$@"; }
# An install killed halfway (an interrupted `up`) leaves dpkg half-configured, and every later
# apt-get refuses to run until it is finished.
if [ -n "$(ls -A /var/lib/dpkg/updates 2>/dev/null)" ]; then dpkg --configure -a; fi
if ! command -v fusermount3 >/dev/null 2>&1; then
  if [ -n "$apt_source" ]; then echo "$apt_source" > /etc/apt/sources.list.d/skymount.list; fi
  echo "${progress}installing fuse3 (apt-get)" >&2
  apt_get update -qq
  # Without its man pages: installing them makes dpkg's man-db trigger rebuild the manual index, which
  # was 85% of this step's time (10-12 s of 12 on a loaded testbed host, against 1.6 s without).
  apt_get install -y -qq -o 'DPkg::Options::=--path-exclude=/usr/share/man/*' fuse3 >/dev/null
fi
# Keys, logs (geesefs's name objects), the supervisor's state and the disk caches (bucket data) are
# root's alone (hostPaths.ts, PRIVATE_DIRS).
mkdir -p "${private_dirs[@]}"
chmod 0700 "${private_dirs[@]}"

current=$(sha256sum "$geesefs_bin" 2>/dev/null | cut -d' ' -f1 || true)
if [ "$current" != "$geesefs_sha256" ]; then
  case "$(uname -m)" in x86_64) ;; *) echo "skymount: geesefs: unsupported architecture $(uname -m)" >&2; exit 1 ;; esac
  tmp=$(mktemp /usr/local/bin/.geesefs.XXXXXX)
  trap 'rm -f "$tmp"' EXIT
  echo "${progress}downloading geesefs" >&2
  curl -fsSL --retry 3 -o "$tmp" "$geesefs_url"
  got=$(sha256sum "$tmp" | cut -d' ' -f1)
  if [ "$got" != "$geesefs_sha256" ]; then
    echo "skymount: geesefs from $geesefs_url has sha256 $got, expected $geesefs_sha256: not installed" >&2
    exit 1
  fi
  chmod 0755 "$tmp"
  mv -f "$tmp" "$geesefs_bin"
  trap - EXIT
fi

# install_program PATH TEXT: writes a program atomically (a running copy keeps its old inode); sets
# `changed=1` when it differs.
install_program() {
  local program=$1
  mkdir -p "$(dirname "$program")"
  tmp=$(mktemp "$program.XXXXXX")
  trap 'rm -f "$tmp"' EXIT
  printf '%s' "$2" > "$tmp"
  chmod 0755 "$tmp"
  if cmp -s "$tmp" "$program"; then rm -f "$tmp"; else mv -f "$tmp" "$program"; changed=1; fi
  trap - EXIT
}
changed=
install_program "$helper" "$helper_text"
# Only a change of the supervisor restarts it.
changed=
install_program "$supervisor" "$supervisor_text"
if [ -d /run/systemd/system ]; then
  printf '%s' "$supervisor_unit_text" > "$supervisor_unit_file"
  systemctl daemon-reload
  systemctl enable "$supervisor_unit" > /dev/null 2>&1
  if [ -n "$changed" ]; then systemctl restart "$supervisor_unit"; else systemctl start "$supervisor_unit"; fi
else
  # A supervisor of an older version hands over to the new one.
  if [ -n "$changed" ]; then "$supervisor" stop; fi
  "$supervisor" start
fi
echo "geesefs $("$geesefs_bin" --version 2>&1 | awk '{print $NF}') and $(fusermount3 --version 2>&1) ready"
