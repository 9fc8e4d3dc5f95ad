# What using skymount from other Pulumi languages needs here: the SDK generator (tools/toolchain/gensdk),
# the Python language host and a venv with the Python SDK, and the Go and YAML language hosts, for
# examples/{python,go,yaml} and their end-to-end tests.
# Sourced by tools/setup.sh after gobuild.sh and versions.env.

# gensdk is built against the CLI's own pkg/v3 (the same modules the CLI build downloaded); its source's
# hash is in the wrapper go.mod, so editing main.go rebuilds it.
build_gensdk() {
  local source="$SKYMOUNT_ROOT/tools/toolchain/gensdk/main.go" hash
  hash=$(sha256sum "$source" | cut -c1-16)
  copy_gensdk_source() { cp "$SKYMOUNT_ROOT/tools/toolchain/gensdk/main.go" main.go; }
  go_build_cached gensdk "$PULUMI_VERSION-$hash" . skymount-gensdk "module skymount.local/build/gensdk

go 1.25

require (
	github.com/blang/semver v3.5.1+incompatible
	github.com/pulumi/pulumi/pkg/v3 v$PULUMI_VERSION
	github.com/pulumi/pulumi/sdk/v3 v$PULUMI_VERSION
)

replace github.com/atotto/clipboard => github.com/tgummerer/clipboard v0.0.0-20241001131231-d02d263e614e" "" copy_gensdk_source
}

build_pulumi_language_python() {
  build_language_host python "$PULUMI_LANGUAGE_PYTHON_SDK_VERSION"
  # The host runs programs through this shim script, shipped beside its source in the same module.
  local sdk
  sdk=$(cd "$SKYMOUNT_CACHE" && GOFLAGS=-mod=mod go mod download -json "github.com/pulumi/pulumi/sdk/v3@v$PULUMI_LANGUAGE_PYTHON_SDK_VERSION" |
    sed -n 's/^\s*"Dir": "\(.*\)",$/\1/p')
  install -m 0755 "$sdk/python/cmd/pulumi-language-python-exec" "$SKYMOUNT_BIN/pulumi-language-python-exec"
}

# A venv with the pinned Python SDK, keyed by its version and the interpreter's. Python programs run
# with it first on PATH (the v3.68 host runs `python3` from PATH); env.sh names it SKYMOUNT_PYTHON_VENV.
make_python_venv() {
  local key
  key="$PULUMI_PYTHON_SDK_VERSION-parver$PYTHON_PARVER_VERSION-setuptools$PYTHON_SETUPTOOLS_VERSION-wheel$PYTHON_WHEEL_VERSION-$(python3 -c 'import sys; print("py%d.%d" % sys.version_info[:2])')"
  if [ -x "$SKYMOUNT_PYTHON_VENV/bin/python3" ] && [ "$(cat "$SKYMOUNT_PYTHON_VENV/.skymount-key" 2>/dev/null)" = "$key" ]; then
    echo "setup: python venv $key cached at $SKYMOUNT_PYTHON_VENV"
    return 0
  fi
  echo "setup: python venv with pulumi==$PULUMI_PYTHON_SDK_VERSION parver==$PYTHON_PARVER_VERSION setuptools==$PYTHON_SETUPTOOLS_VERSION wheel==$PYTHON_WHEEL_VERSION from PyPI"
  local started=$SECONDS
  rm -rf "$SKYMOUNT_PYTHON_VENV"
  python3 -m venv "$SKYMOUNT_PYTHON_VENV"
  "$SKYMOUNT_PYTHON_VENV/bin/pip" install --quiet --disable-pip-version-check "pulumi==$PULUMI_PYTHON_SDK_VERSION" "parver==$PYTHON_PARVER_VERSION" \
    "setuptools==$PYTHON_SETUPTOOLS_VERSION" "wheel==$PYTHON_WHEEL_VERSION"
  echo "$key" > "$SKYMOUNT_PYTHON_VENV/.skymount-key"
  echo "setup: python venv in $((SECONDS - started)) s"
}

# The Go language host, for the Go example and its end-to-end test. Its own module
# (sdk/go/pulumi-language-go/v3) is refused by the proxy; v3.62.0 is the last sdk/v3 release that
# carried it as a package (go/pulumi-language-go). It compiles programs with the `go` on PATH.
build_pulumi_language_go() {
  build_language_host go "$PULUMI_LANGUAGE_GO_SDK_VERSION" go/pulumi-language-go
}

# The YAML language host, from its own tagged module (github.com/pulumi/pulumi-yaml), built with the
# pkg/v3 and sdk/v3 versions its go.mod requires. pkg/v3's non-local replace is repeated here.
build_pulumi_language_yaml() {
  go_build_cached pulumi-language-yaml "$PULUMI_YAML_VERSION" github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml \
    pulumi-language-yaml "module skymount.local/build/pulumi-language-yaml

go 1.25

require github.com/pulumi/pulumi-yaml v$PULUMI_YAML_VERSION

replace github.com/atotto/clipboard => github.com/tgummerer/clipboard v0.0.0-20241001131231-d02d263e614e" \
    "-X github.com/pulumi/pulumi-yaml/pkg/version.Version=v$PULUMI_YAML_VERSION"
}
