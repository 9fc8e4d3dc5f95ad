# shellcheck shell=bash
# How a FUSE mount's owner and fingerprint are worked out on the host: shared by the mount script
# and its check (refresh), so that both agree.
# Given: owner_uid and owner_gid (the volume's uid and gid, or empty).
: "${owner_uid?}" "${owner_gid?}"

# owner_ids: "UID GID", the files' owner: the SSH login user's (root stays root) unless uid or gid is
# given. The login user is resolved here, at mount time: it is unknown at preview, and the fstab line
# the plan renders (the present scripts' fingerprint) stays the same whoever logs in. Scripts run
# through `sudo -n` for a user who is not root (runScriptCommand), so that user is $SUDO_USER.
owner_ids() {
  local login_user
  login_user=${SUDO_USER:-$(id -un)}
  printf '%s %s' "${owner_uid:-$(id -u "$login_user")}" "${owner_gid:-$(id -g "$login_user")}"
}

# owned LINE: LINE (an fstab line or a unit's text) with the mount's owner resolved.
owned() {
  local s=$1 uid gid
  read -r uid gid <<< "$(owner_ids)"
  if [ -z "$owner_uid" ]; then s=${s/,--uid=0,/,--uid=$uid,}; fi
  if [ -z "$owner_gid" ]; then s=${s/,--gid=0,/,--gid=$gid,}; fi
  printf '%s' "$s"
}

# mount_spec FSTAB_LINE CREDS_HASH CACHED CACHE_MB SYSTEMD: the mount's fingerprint on the host
# (specs/<id>): its fstab line (owner resolved), its keys' hash, its cache's size (when CACHED) and
# whether systemd runs it (SYSTEMD not empty): a change of any remounts, draining the old geesefs first.
mount_spec() {
  printf '%s' "$1 $2${3:+ cache=${4}M}${5:+ systemd}"
}
