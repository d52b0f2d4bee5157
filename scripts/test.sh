#!/usr/bin/env bash
# Installs what is missing (GSL), runs the whole test suite, then the CI gate: the small sweep in
# Scenarios/sweeps/ checked against its committed baseline (a change that moves predictions must
# update Scenarios/sweeps/ci-baseline.csv knowingly), then 300 fuzz cases through the release
# binary (Fuzz/inferplan-fuzz: every outcome a sound report or a clear refusal), after every
# command's HTML page is rendered in headless Chromium (scripts/check-html.sh), the install step
# is checked, and (in CI) a sharded sweep runs on a real Slurm (scripts/test-slurm.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift test "$@"
gate="$(mktemp -d)"
trap 'rm -rf "$gate"' EXIT
.build/debug/inferplan sweep Scenarios/sweeps/ci.yaml --output "$gate/ci" --check Scenarios/sweeps/ci-baseline.csv --tolerance 2%
.build/debug/inferplan sweep Scenarios/sweeps/video.yaml --output "$gate/video" --check Scenarios/sweeps/video-baseline.csv --tolerance 2%
swift build -c release --product inferplan
scripts/check-html.sh .build/release/inferplan
# The install step of the README: the binary, its catalog and completions under a prefix.
scripts/install.sh "$gate/prefix" 2>/dev/null
(cd / && "$gate/prefix/bin/inferplan" catalog >/dev/null)
test -s "$gate/prefix/share/bash-completion/completions/inferplan" && test -s "$gate/prefix/share/zsh/site-functions/_inferplan"
# `sweep --slurm` against a real one-machine Slurm (when CI=true or INFERPLAN_SLURM_TEST=1).
scripts/test-slurm.sh .build/release/inferplan
swift build -c release --product inferplan-fuzz
.build/release/inferplan-fuzz --cases 300 --seed 1
