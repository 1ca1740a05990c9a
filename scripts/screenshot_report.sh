#!/usr/bin/env bash
# Render a starrules HTML report in a real headless browser and save a screenshot, to check
# that the report (Chinese included) renders offline.  Not part of the test suite.
#
# Needs Debian's chromium and a CJK font:
#     apt-get update && apt-get install -y chromium fonts-noto-cjk
#
# Usage (from the repository root, with the venv active):
#     scripts/screenshot_report.sh [OUT.png] [STANDARD] [FACTS ...]
# Defaults: docs/images/report.png, port-group-2023, examples/pharma-young-branch.yaml and
# examples/three-star-branch.yaml (two branches: the summary table, then one section each)
set -euo pipefail

out=${1:-docs/images/report.png}
std=${2:-port-group-2023}
if [ "$#" -ge 2 ]; then shift 2; else shift "$#"; fi
if [ "$#" -eq 0 ]; then set -- examples/pharma-young-branch.yaml examples/three-star-branch.yaml; fi

browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
    echo "chromium not found: apt-get update && apt-get install -y chromium fonts-noto-cjk" >&2
    exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
starrules report "$@" --standard "$std" --output "$work/report.html"

mkdir -p "$(dirname "$out")"
target=$(cd "$(dirname "$out")" && pwd)/$(basename "$out")
"$browser" --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --disable-sync --no-first-run --hide-scrollbars \
    --user-data-dir="$(mktemp -d -p "$work")" --window-size=1280,2000 \
    --screenshot="$target" "file://$work/report.html" 2>"$work/chromium.log" || {
        cat "$work/chromium.log" >&2
        exit 1
    }
test -s "$target"
echo "screenshot: $target"
