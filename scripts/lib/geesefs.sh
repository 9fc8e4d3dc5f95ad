# geesefs from the Go module proxy. Sourced by scripts/setup.sh after gobuild.sh and versions.env.
#
# geesefs's go.mod replaces aws-sdk-go with ./s3ext, a nested module that the registry zip leaves out.
# The wrapper therefore replaces aws-sdk-go with a copy of the registry's aws-sdk-go (the version
# geesefs requires) plus skymount's stand-ins for the three Yandex-only extensions geesefs calls
# (scripts/toolchain/geesefs_yandex_ext.go.txt explains why they are safe to leave out).

GEESEFS_AWS_SDK_VERSION=1.55.8
SKYMOUNT_TOOLCHAIN_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/../toolchain" && pwd)"

prepare_geesefs_wrapper() {
  local sdk
  sdk=$(go mod download -json "github.com/aws/aws-sdk-go@v$GEESEFS_AWS_SDK_VERSION" | sed -n 's/^\s*"Dir": "\(.*\)",$/\1/p')
  [ -d "$sdk" ] || { echo "setup: aws-sdk-go v$GEESEFS_AWS_SDK_VERSION not in the module cache" >&2; return 1; }
  cp -r "$sdk" aws-sdk-go
  chmod -R u+w aws-sdk-go
  cp "$SKYMOUNT_TOOLCHAIN_DIR/geesefs_yandex_ext.go.txt" aws-sdk-go/service/s3/skymount_yandex_ext.go
  # Object gains the UserMetadata field that only the Yandex listing fills.
  sed -i 's/^type Object struct {$/type Object struct {\n\tUserMetadata map[string]*string `type:"map" json:"-"`\n/' aws-sdk-go/service/s3/api.go
  grep -q 'UserMetadata map' aws-sdk-go/service/s3/api.go
}

build_geesefs() {
  local SKYMOUNT_BUILD_RECIPE_EXTRA
  SKYMOUNT_BUILD_RECIPE_EXTRA="aws-sdk-go $GEESEFS_AWS_SDK_VERSION $(sha256sum "$SKYMOUNT_TOOLCHAIN_DIR/geesefs_yandex_ext.go.txt" | cut -c1-16)"
  go_build_cached geesefs "$GEESEFS_VERSION" github.com/yandex-cloud/geesefs geesefs "module skymount.local/build/geesefs

go 1.25

require github.com/yandex-cloud/geesefs v$GEESEFS_VERSION

replace github.com/aws/aws-sdk-go => ./aws-sdk-go
replace github.com/winfsp/cgofuse => github.com/vitalif/cgofuse v0.0.0-20230609211427-22e8fa44f6b8
replace github.com/jacobsa/fuse => github.com/vitalif/fusego v0.0.0-20241023174951-7a12c251bb93" \
    "-X main.Version=$GEESEFS_VERSION" prepare_geesefs_wrapper
}
