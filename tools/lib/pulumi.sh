# The Pulumi CLI and its Node.js language host, from the Go module proxy.
# Sourced by tools/setup.sh after gobuild.sh and versions.env.

# True when version $1 (x.y.z, an optional leading v and -/+ suffix ignored) is at least $2.
version_at_least() {
  local have=${1#v} want=${2#v} i
  have=${have%%[-+]*} want=${want%%[-+]*}
  local -a h w
  IFS=. read -r -a h <<< "$have"
  IFS=. read -r -a w <<< "$want"
  for i in 0 1 2; do
    [[ ${h[i]:-0} =~ ^[0-9]+$ ]] || return 1
    ((10#${h[i]:-0} > 10#${w[i]:-0})) && return 0
    ((10#${h[i]:-0} < 10#${w[i]:-0})) && return 1
  done
  return 0
}

# Prints the first `pulumi` on PATH, outside $SKYMOUNT_BIN (where setup installs its own), whose
# `pulumi version` is at least PULUMI_MIN_VERSION; fails when there is none. Older ones are named on stderr.
find_usable_pulumi() {
  local dir candidate version
  local -a dirs
  IFS=: read -r -a dirs <<< "$PATH"
  for dir in "${dirs[@]}"; do
    [ -n "$dir" ] && [ "$dir" != "$SKYMOUNT_BIN" ] || continue
    candidate="$dir/pulumi"
    [ -x "$candidate" ] && [ ! -d "$candidate" ] || continue
    version=$("$candidate" version 2>/dev/null) || continue
    if version_at_least "$version" "$PULUMI_MIN_VERSION"; then
      echo "$candidate"
      return 0
    fi
    echo "setup: $candidate is $version, older than the supported v$PULUMI_MIN_VERSION: not used" >&2
  done
  return 1
}

# The CLI: a `pulumi` already on PATH when it is recent enough (linked into $SKYMOUNT_BIN, so it is the
# one every script runs), else built from the Go module proxy. SKYMOUNT_BUILD_PULUMI=1 always builds.
provide_pulumi_cli() {
  local found
  if [ "${SKYMOUNT_BUILD_PULUMI:-}" != 1 ] && found=$(find_usable_pulumi); then
    ln -sfn "$found" "$SKYMOUNT_BIN/pulumi"
    echo "setup: using $found ($("$found" version)), already on PATH"
    return 0
  fi
  # A link left by an earlier run would shadow the build's install.
  [ -L "$SKYMOUNT_BIN/pulumi" ] && rm -f "$SKYMOUNT_BIN/pulumi"
  build_pulumi_cli
}

build_pulumi_cli() {
  go_build_cached pulumi "$PULUMI_VERSION" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi pulumi "module skymount.local/build/pulumi

go 1.25

require (
	github.com/pulumi/pulumi/pkg/v3 v$PULUMI_VERSION
	github.com/pulumi/pulumi/sdk/v3 v$PULUMI_VERSION
)

replace github.com/atotto/clipboard => github.com/tgummerer/clipboard v0.0.0-20241001131231-d02d263e614e" \
    "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$PULUMI_VERSION"
}

# A language host as a package of the sdk/v3 module (the last releases that carried them: see
# docs/TOOLCHAIN.md). $1: nodejs, python or go; $2: the sdk/v3 version; $3: the package's folder in the
# module when it is not <lang>/cmd/pulumi-language-<lang> (the Go host's is go/pulumi-language-go).
build_language_host() {
  local lang=$1 version=$2 folder=${3:-$1/cmd/pulumi-language-$1}
  go_build_cached "pulumi-language-$lang" "$version" \
    "github.com/pulumi/pulumi/sdk/v3/$folder" "pulumi-language-$lang" \
    "module skymount.local/build/pulumi-language-$lang

go 1.25

require github.com/pulumi/pulumi/sdk/v3 v$version

replace golang.org/x/text => golang.org/x/text v0.3.6" \
    "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$version"
}

build_pulumi_language_nodejs() {
  build_language_host nodejs "$PULUMI_LANGUAGE_NODEJS_SDK_VERSION"
}

# go_build_cached put the CLI and the language host side by side in $SKYMOUNT_BIN (so the CLI finds the
# host without a PATH warning); add the dynamic-provider shim a Pulumi install ships in sdk/nodejs/dist.
install_dynamic_provider_shim() {
  local sdk
  sdk=$(cd "$SKYMOUNT_CACHE" && GOFLAGS=-mod=mod go mod download -json "github.com/pulumi/pulumi/sdk/v3@v$PULUMI_VERSION" |
    sed -n 's/^\s*"Dir": "\(.*\)",$/\1/p')
  install -m 0755 "$sdk/nodejs/dist/pulumi-resource-pulumi-nodejs" "$SKYMOUNT_BIN/pulumi-resource-pulumi-nodejs"
  echo "setup: $("$SKYMOUNT_BIN/pulumi" version) with its tools in $SKYMOUNT_BIN"
}
