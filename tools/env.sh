# Environment shared by skymount's scripts: where the toolchain cache lives and how Pulumi runs here.
# Sourced; exports only.
SKYMOUNT_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export SKYMOUNT_ROOT
# Outside the repository so fresh clones on the same machine reuse it; override to relocate.
export SKYMOUNT_CACHE="${SKYMOUNT_CACHE:-$HOME/.cache/skymount}"
export SKYMOUNT_BIN="$SKYMOUNT_CACHE/bin"
export PATH="$SKYMOUNT_BIN:$PATH"
# Plugins come from $SKYMOUNT_BIN, never from a download: this machine reaches no plugin host.
export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
export PULUMI_SKIP_UPDATE_CHECK=true
export PULUMI_HOME="${PULUMI_HOME:-$SKYMOUNT_CACHE/pulumi-home}"
# Programs are type-checked once by `tsc` in `npm test`; skipping ts-node's own check saves about
# 3 s on every preview and up.
export PULUMI_NODEJS_TRANSPILE_ONLY="${PULUMI_NODEJS_TRANSPILE_ONLY:-true}"
# Local state backend for the demo and the tests; point PULUMI_BACKEND_URL elsewhere to use another.
export PULUMI_BACKEND_URL="${PULUMI_BACKEND_URL:-file://$SKYMOUNT_ROOT/.pulumi-state}"
# The demo's fixed passphrase protects only local test state; set your own for real stacks.
export PULUMI_CONFIG_PASSPHRASE="${PULUMI_CONFIG_PASSPHRASE-skymount-local-demo}"
# The venv Python programs (the cross-language test) run with: put its bin/ first on PATH to use it.
export SKYMOUNT_PYTHON_VENV="$SKYMOUNT_CACHE/python-venv"
# The arm64 C libraries the release's linux-arm64 plugin runs with under qemu-user (tools/lib/arm64-root.sh).
export SKYMOUNT_ARM64_ROOT="$SKYMOUNT_CACHE/arm64-root"
