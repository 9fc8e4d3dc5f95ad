# The test hosts reach no Debian mirror, so the testbed serves them a local apt source holding the
# packages skymount's bootstrap installs (fuse3 and its library). Sourced by tools/setup.sh.
APT_MIRROR_PACKAGES=(fuse3 libfuse3-3)

prepare_apt_mirror() {
  local dir="$SKYMOUNT_CACHE/apt-mirror"
  if [ -f "$dir/Packages.gz" ] && [ "$(cat "$dir/.packages" 2>/dev/null)" = "${APT_MIRROR_PACKAGES[*]}" ]; then
    echo "setup: apt mirror cached at $dir"
    return 0
  fi
  rm -rf "$dir" && mkdir -p "$dir"
  (cd "$dir" && apt-get download -qq -o APT::Sandbox::User=root "${APT_MIRROR_PACKAGES[@]}" && dpkg-scanpackages --multiversion . /dev/null 2>/dev/null | gzip -9 > Packages.gz)
  echo "${APT_MIRROR_PACKAGES[*]}" > "$dir/.packages"
  echo "setup: apt mirror with ${APT_MIRROR_PACKAGES[*]} at $dir"
}
