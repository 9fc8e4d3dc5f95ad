#!/usr/bin/env bash
# `npm test`: everything from a fresh machine — set-up, type check (src, tests, examples), format check
# and lint, then the unit and end-to-end tests in one run of node's test runner against a fresh testbed.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
source tools/env.sh

echo "test: type check"
npx tsc -p tsconfig.json --noEmit

echo "test: format check (npm run format fixes it) and lint"
npx prettier --check .
npx eslint .
# The host scripts, as written (the unit test shellcheck.test.ts also checks them as rendered).
shellcheck src/hostScripts/sh/*.sh

# Two systemd hosts: hostDrift.test.ts puts to s1 and s2 the faults it puts to h1 and h2.
npx tsx tools/testbed/cli.ts up --hosts 2 --systemd-hosts 2
trap 'npx tsx tools/testbed/cli.ts down >/dev/null 2>&1 || true' EXIT

node --import tsx --test --test-concurrency=1 --test-reporter=spec \
  test/unit/*.test.ts test/e2e/*.test.ts
