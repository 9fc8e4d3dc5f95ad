# Build a Go main package from the Go module proxy into a version-keyed cache directory.
# Sourced by tools/setup.sh; needs SKYMOUNT_CACHE and SKYMOUNT_BIN (the binary is installed there).
#
# go_build_cached NAME VERSION_KEY PACKAGE OUTPUT_BINARY WRAPPER_GO_MOD [LDFLAGS] [PREPARE_FUNCTION]
#
# PREPARE_FUNCTION, if given, runs inside the wrapper directory before the build (for local replaces).
#
# Modules whose go.mod carries replace directives cannot be built with `go install module@version`
# (Go refuses), so every tool is built from a throwaway wrapper module whose go.mod requires the tool
# and repeats those replace directives. The wrapper lives in the cache too, so a rebuild after a
# failed download resumes with the module cache warm.
go_build_cached() {
  local name="$1" key="$2" pkg="$3" binary="$4" gomod="$5" ldflags="${6:-}" prepare="${7:-}"
  # The recipe hash keys the cache by how the tool is built too, not only by its version.
  local recipe
  recipe=$(printf '%s\n%s\n%s\n' "$gomod" "$ldflags" "${SKYMOUNT_BUILD_RECIPE_EXTRA:-}" | sha256sum | cut -c1-12)
  local out="$SKYMOUNT_CACHE/$name-$key-$recipe"
  if [ -x "$out/$binary" ]; then
    echo "setup: $name $key cached at $out"
    install -m 0755 "$out/$binary" "$SKYMOUNT_BIN/$binary"
    return 0
  fi
  local wrapper="$SKYMOUNT_CACHE/build/$name-$key-$recipe"
  rm -rf "$wrapper"
  mkdir -p "$wrapper"
  printf '%s\n' "$gomod" > "$wrapper/go.mod"
  echo "setup: building $name $key from the Go module proxy (cold builds take minutes)"
  local started=$SECONDS
  (
    cd "$wrapper"
    export GOFLAGS=-buildvcs=false GOTOOLCHAIN=local CGO_ENABLED=0
    if [ -n "$prepare" ]; then "$prepare"; fi
    # -mod=mod lets the build resolve the wrapper's requirements and write go.sum itself.
    go build -mod=mod -trimpath -ldflags "-s -w $ldflags" -o "$wrapper/$binary.tmp" "$pkg"
  )
  mkdir -p "$out"
  mv "$wrapper/$binary.tmp" "$out/$binary"
  install -m 0755 "$out/$binary" "$SKYMOUNT_BIN/$binary"
  echo "setup: built $name $key in $((SECONDS - started)) s"
}
