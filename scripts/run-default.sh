#!/usr/bin/env bash
# Sets up (GSL if missing), builds in release, and runs the bundled default scenario.
# Extra arguments go to `inferplan run`, e.g. scripts/run-default.sh --format json
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build -c release --product inferplan >&2
exec .build/release/inferplan run Scenarios/default.yaml "$@"
