# An arm64 Debian root holding only the C libraries Node.js links against, so the release's
# linux-arm64 plugin can run here under qemu-user (release.test.ts): a user-mode emulator runs an
# arm64 executable, but its dynamic loader and libc must come from arm64 packages. Sourced by
# tools/setup.sh; the packages are fetched once from Debian (arm64 added as a foreign architecture)
# into $SKYMOUNT_ARM64_ROOT.
ARM64_ROOT_PACKAGES=(libc6:arm64 libgcc-s1:arm64 libstdc++6:arm64)

prepare_arm64_root() {
  [ -f "$SKYMOUNT_ARM64_ROOT/.complete" ] && { echo "setup: arm64 root cached at $SKYMOUNT_ARM64_ROOT"; return; }
  if ! dpkg --print-foreign-architectures | grep -qx arm64; then
    dpkg --add-architecture arm64
    apt-get update -qq
  fi
  local debs
  debs=$(mktemp -d)
  (cd "$debs" && apt-get download -qq -o APT::Sandbox::User=root "${ARM64_ROOT_PACKAGES[@]}")
  rm -rf "$SKYMOUNT_ARM64_ROOT" && mkdir -p "$SKYMOUNT_ARM64_ROOT"
  for deb in "$debs"/*.deb; do dpkg-deb -x "$deb" "$SKYMOUNT_ARM64_ROOT"; done
  rm -rf "$debs"
  touch "$SKYMOUNT_ARM64_ROOT/.complete"
  echo "setup: arm64 root with ${ARM64_ROOT_PACKAGES[*]} at $SKYMOUNT_ARM64_ROOT"
}
