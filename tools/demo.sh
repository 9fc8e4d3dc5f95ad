#!/usr/bin/env bash
# `npm run demo`: set up this machine, bring the testbed up, `pulumi up` the root project
# (examples/local) and show what is mounted where. `npm run demo -- destroy` tears it down.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
source tools/env.sh
mkdir -p .pulumi-state
testbed() { npx tsx tools/testbed/cli.ts "$@"; }

if [ "${1:-}" = "destroy" ]; then
  pulumi destroy --stack demo --yes --non-interactive
  testbed down
  exit 0
fi

if ! testbed status > /dev/null 2>&1; then
  testbed up
  # A new testbed has new hosts and an empty S3 server: an older demo stack describes neither.
  pulumi stack rm demo --force --yes --non-interactive > /dev/null 2>&1 || true
fi
pulumi stack select demo --create --non-interactive
pulumi up --yes --non-interactive --stack demo

echo
echo "Mounted:"
pulumi stack output mounted --json --stack demo | jq -r '.[] | "  " + .'
host=$(jq -r '.hosts[0] | "\(.user)@\(.address)"' .testbed/testbed.json)
key=$(jq -r '.hosts[0].privateKeyPath' .testbed/testbed.json)
echo
echo "Look around:   ssh -i $key -o StrictHostKeyChecking=no $host 'head -3 /data/iris.csv; ls /notes /output'"
echo "Tear it down:  npm run demo -- destroy"
