#!/usr/bin/env bash
# Stops SkyCompute's `run` (its process group), if one runs.
set -euo pipefail

stop_run
