# shellcheck shell=bash
# How a FUSE mount's owner and fingerprint are worked out on the host: shared by the mount script
# and its check (refresh), so that both agree.
# Given: owner_uid and owner_gid (the volume's uid and gid, or empty), allow_other_given (1 when
# allowOther was given).
: "${owner_uid?}" "${owner_gid?}" "${allow_other_given?}"

# owned LINE: LINE (an fstab line or a unit's text) with the mount's owner resolved.
# Files belong to the SSH login user (root stays root) unless uid or gid is given, and a mount owned
# by anyone but root gets allow_other unless allowOther is given (FUSE lets only the mount's owner
# in otherwise, not even root). The login user is resolved here, at mount time: it is unknown at
# preview, and the fstab line the plan renders (the present scripts' fingerprint) stays the same
# whoever logs in. Scripts run through `sudo -n` for a user who is not root (runScriptCommand), so
# that user is $SUDO_USER.
owned() {
  local s=$1 login_user uid gid
  login_user=${SUDO_USER:-$(id -un)}
  uid=${owner_uid:-$(id -u "$login_user")}
  gid=${owner_gid:-$(id -g "$login_user")}
  if [ -z "$owner_uid" ]; then s=${s/,--uid=0,/,--uid=$uid,}; fi
  if [ -z "$owner_gid" ]; then s=${s/,--gid=0,/,--gid=$gid,}; fi
  if [ -z "$allow_other_given" ] && [ "$uid" != 0 ]; then s=${s/,--uid=/,allow_other,--uid=}; fi
  printf '%s' "$s"
}

# mount_spec FSTAB_LINE CREDS_HASH CACHED CACHE_MB SYSTEMD: the mount's fingerprint on the host
# (specs/<id>): its fstab line (owner resolved), its keys' hash, its cache's size (when CACHED) and
# whether systemd runs it (SYSTEMD not empty): a change of any remounts, draining the old geesefs first.
mount_spec() {
  printf '%s' "$1 $2${3:+ cache=${4}M}${5:+ systemd}"
}
