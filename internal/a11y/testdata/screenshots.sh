#!/bin/sh
# Screenshots of the theme at a phone's and a laptop's width, taken by
# headless Chromium from a running preview: internal/a11y/testdata/screenshots.sh URL OUTDIR.
# `make screenshots` starts cmd/prodserve (the site as production serves
# it, without the preview's reload script), runs this, and stops it.
set -eu
base=$1 out=$2
chrome=${CHROME:-/usr/bin/chromium}
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
mkdir -p "$out"
for page in home:/ case-study:/case-studies/llr-virtual-wards/ template:/templates/dpia-patient-facing-app/ measure:/measures/empower-citizens/ search:/search/?q=epr; do
  name=${page%%:*} path=${page#*:}
  for size in 390,2200 1280,1600; do
    w=${size%%,*}
    timeout 60 "$chrome" --headless --no-sandbox --disable-gpu --disable-background-networking \
      --disable-component-update --disable-sync --no-first-run --hide-scrollbars \
      --user-data-dir="$profile" --window-size="$size" --timeout=4000 \
      --screenshot="$out/$name-$w.png" "$base$path" 2>/dev/null
    echo "$out/$name-$w.png"
  done
done
