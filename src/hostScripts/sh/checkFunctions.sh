# shellcheck shell=bash
# What every check (hostScripts/check.ts) is made of: its probes call `drift` for each finding, then
# `verdict` prints the findings and exits 1, or prints that all is as made and exits 0. Checks only
# look: they change nothing on the host.
# Given: probe_seconds, how long a check waits for a FUSE mount to list or stat (a live mount answers
# in well under that; a hung mount must not hang refresh).
: "${probe_seconds?}"

findings=()
drift() { findings+=("$*"); }

# fstab_entry TAG: the line after "# skymount:TAG" in /etc/fstab (where fstabFunctions.sh writes each entry so).
fstab_entry() { FSTAB_TAG="# skymount:$1" awk 'found { print; exit } $0 == ENVIRON["FSTAB_TAG"] { found = 1 }' /etc/fstab 2>/dev/null || true; }

# verdict AS_MADE: the findings, one a line, and exit 1; or AS_MADE and exit 0.
verdict() {
  if [ "${#findings[@]}" -gt 0 ]; then printf '%s\n' "${findings[@]}"; exit 1; fi
  echo "$1"
}
