#!/bin/sh
# Runs a command on this machine as the testbed's hosts see the clouds' names: in a private mount
# namespace whose /etc/resolv.conf names the testbed's DNS server, with the testbed CA trusted by Node
# (NODE_EXTRA_CA_CERTS) and by clients that take a bundle (SSL_CERT_FILE: Go, curl, Python's ssl;
# AWS_CA_BUNDLE: the AWS CLI and boto3; REQUESTS_CA_BUNDLE: requests). The machine's own resolv.conf
# is left alone: other testbeds and CI run beside this one. Works on the testbed SKYMOUNT_TESTBED names.
#   usage: tools/testbed/with-cloud-names.sh <command> [args…]   (as root, with the testbed up)
set -eu
[ $# -gt 0 ] || { echo "usage: $0 <command> [args...]" >&2; exit 2; }
root=$(cd "$(dirname "$0")/../.." && pwd)
dir="$root/.testbed${SKYMOUNT_TESTBED:+-$SKYMOUNT_TESTBED}/cloud-names"
if [ ! -f "$dir/resolv.conf" ] || [ ! -f "$dir/ca.crt" ]; then
  echo "$0: $dir has no resolv.conf or ca.crt: start the testbed (npm run testbed -- up)" >&2
  exit 1
fi
NODE_EXTRA_CA_CERTS="$dir/ca.crt"
SSL_CERT_FILE="$dir/bundle.crt"
AWS_CA_BUNDLE="$dir/bundle.crt"
REQUESTS_CA_BUNDLE="$dir/bundle.crt"
export NODE_EXTRA_CA_CERTS SSL_CERT_FILE AWS_CA_BUNDLE REQUESTS_CA_BUNDLE
# unshare without --fork execs in place: the command keeps this process's pid and signals. ($1 and $@
# are the inner shell's.) The mounts keep their propagation (--propagation unchanged), so that a network
# namespace the command adds under the shared /run/netns (a stand-in's VM, tools/testbed/cloudHosts.ts)
# shows in this machine's namespace too, where the next command and `testbed down` find it; only the
# mount that holds /etc/resolv.conf is made private first, and the bind is refused unless it is, so it
# never reaches this machine's own resolv.conf.
# shellcheck disable=SC2016
exec unshare --mount --propagation unchanged sh -c '
m=$(findmnt -n -o TARGET --target /etc/resolv.conf) && mount --make-private "$m" &&
  [ "$(findmnt -n -o PROPAGATION --target /etc/resolv.conf)" = private ] || { echo "$0: $m is not private here" >&2; exit 1; }
mount --bind "$1" /etc/resolv.conf && shift && exec "$@"' "$0" "$dir/resolv.conf" "$@"
