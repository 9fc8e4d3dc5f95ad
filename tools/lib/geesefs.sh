# geesefs from the Go module proxy. Sourced by tools/setup.sh after gobuild.sh and versions.env.
#
# geesefs's go.mod replaces aws-sdk-go with ./s3ext, a nested module that the registry zip leaves out.
# The wrapper therefore replaces aws-sdk-go with a copy of the registry's aws-sdk-go (the version
# geesefs requires) plus skymount's stand-ins for the three Yandex-only extensions geesefs calls
# (tools/toolchain/geesefs_yandex_ext.go.txt explains why they are safe to leave out).
#
# It also builds geesefs from a patched copy of its own module: geesefs v0.43.8 cannot mount Azure
# Blob from its command line (upstream issue yandex-cloud/geesefs#151: "Unable to access 'wasb'").
# PopulateFlags always installs the S3 backend, so NewGoofys never reaches its wasb:// branch. The
# patch leaves the backend unset when the bucket argument is a URL (wasb://, abfs://, adl://), which is
# exactly the case goofys's NewGoofys handles; S3 mounts (a plain bucket name) are unchanged. A
# second change (tools/toolchain/geesefs_azure.go.txt) makes directory reads work on Azure, whose
# listings cannot start after a key (the backend answered ENOTSUP to every readdir).

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
  local geesefs_src
  geesefs_src=$(go mod download -json "github.com/yandex-cloud/geesefs@v$GEESEFS_VERSION" | sed -n 's/^\s*"Dir": "\(.*\)",$/\1/p')
  [ -d "$geesefs_src" ] || { echo "setup: geesefs v$GEESEFS_VERSION not in the module cache" >&2; return 1; }
  cp -r "$geesefs_src" geesefs
  chmod -R u+w geesefs
  sed -i 's|^\tif flags.Backend == nil {$|\tif flags.Backend == nil \&\& !strings.Contains(c.Args().First(), "://") { // skymount: wasb:// (geesefs#151)|' geesefs/core/cfg/flags.go
  grep -q 'skymount: wasb://' geesefs/core/cfg/flags.go
  cp "$SKYMOUNT_TOOLCHAIN_DIR/geesefs_azure.go.txt" geesefs/core/skymount_azure.go
  sed -i 's|^\(\tuseSlurp := parent.dir.listMarker == "" \&\& parent.fs.flags.StatCacheTTL != 0\)$|\1 \&\& !skymountIsAzureBlob(parent.fs.flags)|' geesefs/core/dir.go
  sed -i 's|^\(\tnewInode, err = parent.LookUp(name, inode == nil \&\& !parent.fs.flags.NoPreloadDir\))$|\1 \&\& !skymountIsAzureBlob(parent.fs.flags))|' geesefs/core/dir.go
  sed -i 's|^func (b \*AZBlob) ListBlobs(param \*ListBlobsInput) (\*ListBlobsOutput, error) {$|func (b *AZBlob) skymountListBlobsPage(param *ListBlobsInput) (*ListBlobsOutput, error) {|' geesefs/core/backend_azblob.go
  sed -i 's|^func (b \*AZBlob) HeadBlob(param \*HeadBlobInput) (\*HeadBlobOutput, error) {$|func (b *AZBlob) skymountHeadBlob(param *HeadBlobInput) (*HeadBlobOutput, error) {|' geesefs/core/backend_azblob.go
  # close(2) waits for the upload with --fsync-on-close (tools/toolchain/geesefs_fsync_on_close.go.txt says why).
  sed -i 's|^func (fs \*GoofysFuse) FlushFile($|func (fs *GoofysFuse) skymountFlushFileAsync(|' geesefs/core/goofys_fuse.go
  cp "$SKYMOUNT_TOOLCHAIN_DIR/geesefs_fsync_on_close.go.txt" geesefs/core/skymount_fsync_on_close.go
  grep -q 'skymountFlushFileAsync' geesefs/core/goofys_fuse.go || { echo "setup: geesefs fsync-on-close patch did not apply" >&2; return 1; }
  [ "$(grep -c 'skymountIsAzureBlob' geesefs/core/dir.go)" = 2 ] && grep -q 'skymountListBlobsPage' geesefs/core/backend_azblob.go &&
    grep -q 'skymountHeadBlob' geesefs/core/backend_azblob.go ||
    { echo "setup: geesefs Azure patch did not apply" >&2; return 1; }
}

build_geesefs() {
  local SKYMOUNT_BUILD_RECIPE_EXTRA
  SKYMOUNT_BUILD_RECIPE_EXTRA="aws-sdk-go $GEESEFS_AWS_SDK_VERSION $(sha256sum "$SKYMOUNT_TOOLCHAIN_DIR/geesefs_yandex_ext.go.txt" | cut -c1-16) azure $(sha256sum "$SKYMOUNT_TOOLCHAIN_DIR/geesefs_azure.go.txt" | cut -c1-16) fsync-on-close $(sha256sum "$SKYMOUNT_TOOLCHAIN_DIR/geesefs_fsync_on_close.go.txt" | cut -c1-16) 3"
  go_build_cached geesefs "$GEESEFS_VERSION" github.com/yandex-cloud/geesefs geesefs "module skymount.local/build/geesefs

go 1.25

require github.com/yandex-cloud/geesefs v$GEESEFS_VERSION

replace github.com/aws/aws-sdk-go => ./aws-sdk-go
replace github.com/yandex-cloud/geesefs => ./geesefs
replace github.com/winfsp/cgofuse => github.com/vitalif/cgofuse v0.0.0-20230609211427-22e8fa44f6b8
replace github.com/jacobsa/fuse => github.com/vitalif/fusego v0.0.0-20241023174951-7a12c251bb93" \
    "-X main.Version=$GEESEFS_VERSION" prepare_geesefs_wrapper
}
