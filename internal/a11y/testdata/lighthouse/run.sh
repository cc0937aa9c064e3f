#!/bin/sh
# Lighthouse's mobile scores for a few kb pages: internal/a11y/testdata/lighthouse/run.sh URL.
# `make lighthouse` starts cmd/prodserve (the site as production serves
# it) and runs this. Reports go to /tmp/kb-lighthouse/.
set -eu
base=$1
here=$(cd "$(dirname "$0")" && pwd)
out=${LH_OUT:-/tmp/kb-lighthouse}
mkdir -p "$out"
export CHROME_PATH=${CHROME:-/usr/bin/chromium}
printf '%-40s %5s %5s %5s %5s %6s\n' page perf a11y bp seo CLS
for page in home:/ section:/case-studies/ case-study:/case-studies/llr-virtual-wards/ measure:/measures/empower-citizens/ search:/search/?q=epr 404:/404.html; do
  name=${page%%:*} path=${page#*:}
  "$here/node_modules/.bin/lighthouse" "$base$path" --form-factor=mobile --screenEmulation.mobile \
    --only-categories=performance,accessibility,best-practices,seo \
    --chrome-flags="--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync --no-first-run" \
    --output=json --output-path="$out/$name.json" --quiet
  node -e 'const r=require(process.argv[1]);const s=k=>Math.round(r.categories[k].score*100);
    console.log(process.argv[2].padEnd(40),[s("performance"),s("accessibility"),s("best-practices"),s("seo")].map(x=>String(x).padStart(5)).join(" "),
    String(r.audits["cumulative-layout-shift"].numericValue.toFixed(3)).padStart(6))' "$out/$name.json" "$path"
done
