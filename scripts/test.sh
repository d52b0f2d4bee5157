#!/usr/bin/env bash
# Installs what is missing (GSL), then runs the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift test "$@"
