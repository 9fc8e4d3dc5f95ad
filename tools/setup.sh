#!/usr/bin/env bash
# One command that brings a fresh machine to where `npm run demo` and `npm test` can run:
# Debian packages, npm dependencies, the Pulumi CLI (one already on PATH when recent enough, else a Go
# build), Go builds of its Node.js language host, geesefs and MinIO (all from registries, pinned in
# tools/versions.env), the SDK generator, the Python, Go and YAML language hosts (and a Python venv)
# for the other-language examples and tests, the local apt source the test hosts install fuse3 from,
# the Node.js executables the release's standalone plugin is made of, and an arm64 root to run the
# linux-arm64 one under qemu. Idempotent; a warm rerun
# takes seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
source tools/env.sh
source tools/versions.env
source tools/lib/gobuild.sh
source tools/lib/pulumi.sh
source tools/lib/geesefs.sh
source tools/lib/apt-mirror.sh
source tools/lib/crosslang.sh
source tools/lib/node-binaries.sh
source tools/lib/arm64-root.sh

started=$SECONDS
mkdir -p "$SKYMOUNT_CACHE" "$SKYMOUNT_BIN"

# Debian packages: FUSE and SSH for the test hosts, iproute2 for their namespaces, rclone for the
# benchmarks, dpkg-dev for the test hosts' local apt source, python3-venv for the cross-language test,
# shellcheck for the host scripts (src/hostScripts/sh), sudo for the test hosts' non-root logins (as on
# cloud images: test/e2e/private.test.ts; the hosts' roots are overlays of this machine's),
# qemu-user-static to run the release's linux-arm64 plugin, dnsmasq-base for the testbed's DNS server (the clouds' names).
DEBIAN_PACKAGES=(fuse3 openssh-server openssh-client iproute2 curl rclone dpkg-dev util-linux python3 python3-venv jq shellcheck sudo qemu-user-static dnsmasq-base)
missing=()
for p in "${DEBIAN_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# npm dependencies, reinstalled only when the lock file changed.
lock_hash=$(sha256sum package-lock.json | cut -c1-16)
if [ ! -f node_modules/.skymount-lock-hash ] || [ "$(cat node_modules/.skymount-lock-hash)" != "$lock_hash" ]; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_hash" > node_modules/.skymount-lock-hash
fi

# Go builds, each cached under $SKYMOUNT_CACHE keyed by version and build recipe.
provide_pulumi_cli
build_pulumi_language_nodejs
build_geesefs
go_build_cached minio "$MINIO_VERSION" github.com/minio/minio minio "module skymount.local/build/minio

go 1.25

require github.com/minio/minio $MINIO_VERSION"

install_dynamic_provider_shim
# Other languages: the SDK generator, and the Python, Go and YAML hosts for examples/{python,go,yaml}.
build_gensdk
build_pulumi_language_python
make_python_venv
build_pulumi_language_go
build_pulumi_language_yaml
prepare_apt_mirror
# Node.js executables for the standalone provider plugin (npm run release:build).
fetch_node_binaries
# The C libraries the linux-arm64 plugin runs with under qemu (release.test.ts).
prepare_arm64_root

echo "setup: done in $((SECONDS - started)) s"
