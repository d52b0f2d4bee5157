#!/usr/bin/env bash
# Renders every command's HTML page in a real headless browser (Debian's chromium, installed when
# missing) and checks each one: the browser loads it without error, every inline chart survives
# parsing (the DOM holds as many <svg> elements as the file), and a 1400 x 1800 screenshot comes
# out at that size with content on it (not a blank page).
#   scripts/check-html.sh [path/to/inferplan]      (default: .build/release/inferplan)
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${1:-.build/release/inferplan}"
[ -x "$bin" ] || { echo "check-html: no inferplan binary at $bin (swift build -c release --product inferplan)" >&2; exit 1; }

browser="$(command -v chromium || command -v chromium-browser || true)"
if [ -z "$browser" ]; then
    echo "check-html: installing chromium (headless browser for the page checks)" >&2
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq chromium >/dev/null
    browser="$(command -v chromium)"
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# The pages, each from a run small enough to take seconds.
"$bin" run Scenarios/llama2-70b-server-8xh200.yaml --set workload.qps=max --set workload.duration_s=60 --format html -o "$work/run.html"
"$bin" scale Scenarios/default.yaml --set workload.samples=2000 --nodes 1,2,4 --format html -o "$work/scale.html" 2>/dev/null
cat > "$work/plan.yaml" <<PLAN
base: $PWD/Scenarios/default.yaml
max_nodes: 2
candidates:
  - {name: H200 FP8, set: {hardware.gpu: h200-sxm, workload.samples: 2000}}
  - {name: B200 node, set: {hardware.node: hgx-b200, workload.samples: 2000}}
  - {name: typo, set: {hardware.gpu: b2000}}
PLAN
"$bin" plan "$work/plan.yaml" --target-tokens-per-s 50000 --format html -o "$work/plan.html" 2>/dev/null
head -6 Sources/InferplanKit/Catalog/published/mlperf-train.csv > "$work/rows.csv"
"$bin" validate "$work/rows.csv" --format html -o "$work/validate.html" 2>/dev/null
"$bin" catalog --format html -o "$work/catalog.html"
cat > "$work/sweep.yaml" <<SWEEP
base: $PWD/Scenarios/default.yaml
set: {workload.samples: 1000}
axes:
  hardware.gpu: [h200-sxm, b200]
  hardware.nodes: [1, 2]
SWEEP
"$bin" sweep "$work/sweep.yaml" --output "$work/sweep" >/dev/null 2>&1
"$bin" report "$work/sweep" --html "$work/sweep.html" >/dev/null
# The text-to-video family's pages: a run, a scale, a plan and a sweep.
"$bin" run Scenarios/wan2.2-t2v-8xb200.yaml --format html -o "$work/video-run.html"
"$bin" scale Scenarios/wan2.2-t2v-8xb200.yaml --set workload.scenario=offline --set serving.sequence_parallel=1 --nodes 1,2,4 --format html -o "$work/video-scale.html" 2>/dev/null
"$bin" plan Scenarios/plans/wan2.2-t2v-offline.yaml --target-videos-per-s 0.2 --format html -o "$work/video-plan.html" 2>/dev/null
"$bin" sweep Scenarios/sweeps/video.yaml --output "$work/video-sweep" >/dev/null 2>&1
"$bin" report "$work/video-sweep" --html "$work/video-sweep.html" >/dev/null

# PNG width and height from the IHDR chunk (bytes 16-23, big-endian).
png_size() { od -An -tu1 -j16 -N8 "$1" | awk '{ printf "%dx%d\n", $1*16777216+$2*65536+$3*256+$4, $5*16777216+$6*65536+$7*256+$8 }'; }

failed=0
for page in run scale plan validate catalog sweep video-run video-scale video-plan video-sweep; do
    file="$work/$page.html"
    expected=$( (grep -o "<svg" "$file" || true) | wc -l)
    if ! dom=$(timeout 120 "$browser" --headless --no-sandbox --disable-gpu --dump-dom "file://$file" 2>"$work/$page.log"); then
        echo "check-html: $page: chromium could not load the page:"; cat "$work/$page.log"; failed=1; continue
    fi
    rendered=$( (grep -o "<svg" <<<"$dom" || true) | wc -l)
    timeout 120 "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1400,1800 \
        --screenshot="$work/$page.png" "file://$file" >/dev/null 2>>"$work/$page.log" || true
    size=$( [ -s "$work/$page.png" ] && png_size "$work/$page.png" || echo none)
    bytes=$( [ -s "$work/$page.png" ] && wc -c <"$work/$page.png" || echo 0)
    status=ok
    if [ "$rendered" -ne "$expected" ]; then status="$rendered of $expected charts in the DOM"; fi
    if grep -q '<parsererror' <<<"$dom"; then status="an SVG did not parse"; fi
    if [ "$size" != "1400x1800" ]; then status="screenshot $size, expected 1400x1800"; fi
    if [ "$bytes" -lt 20000 ]; then status="screenshot of $bytes bytes: a blank page"; fi
    printf 'check-html: %-9s %2d charts, screenshot %s (%s bytes): %s\n' "$page" "$expected" "$size" "$bytes" "$status"
    [ "$status" = ok ] || failed=1
done
exit $failed
