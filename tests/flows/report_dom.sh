#!/usr/bin/env bash
# Renders report.html in headless Chromium and checks that every plot is in the DOM with
# drawn content. Usage: report_dom.sh <analects binary> <source dir>
set -u
bin="$1"; src="$2"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then echo "FAIL: chromium is not installed (scripts/test.sh installs it)"; exit 1; fi
cat > "$tmp/r.yaml" <<'YAML'
name: dom-check
workload: squeezenet
deployment: ls
constraint: pes+buffer
budget: edge
algorithms: [confuciux, random, exact]
samples: 60
simulate: {layers: [1], scale: 0.125}
fpga: {part: xc7z020, synthesize: false}   # Yosys in the flow: test_flows' Flow.* tests
YAML
export ANALECTS_SIM_CACHE="${ANALECTS_SIM_CACHE:-$(dirname "$bin")/../sim_cache}"
"$bin" flow "$tmp/r.yaml" -o "$tmp/out" --json > "$tmp/flow.json" || { echo "FAIL: flow"; cat "$tmp/flow.json"; exit 1; }
grep -q '"sim_ok": true' "$tmp/flow.json" || { echo "FAIL: simulated layer not bit/cycle exact"; cat "$tmp/flow.json"; exit 1; }
grep -q '^[^,]*,features.3.squeeze,' "$tmp/out/sim.csv" || { echo "FAIL: sim.csv lacks the simulated layer"; cat "$tmp/out/sim.csv"; exit 1; }
"$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$tmp/profile" --dump-dom "file://$tmp/out/report.html" > "$tmp/dom.html" 2>"$tmp/chromium.err"
fail=0
grep -q "<h1>Analects report" "$tmp/dom.html" || { echo "FAIL: page did not render"; cat "$tmp/chromium.err" | tail -5; exit 1; }
for id in convergence allocation-pes allocation-buffer layer-cycles model-vs-rtl energy-breakdown area-breakdown; do
  block=$(awk -v id="$id" 'index($0, "id=\"" id "\"") {on=1} on {print} on && /<\/svg>/ {exit}' "$tmp/dom.html")
  if [ -z "$block" ]; then echo "FAIL: plot '$id' missing"; fail=1; continue; fi
  echo "$block" | grep -q -E 'class="(series|bar)"' || { echo "FAIL: plot '$id' has no data drawn"; fail=1; }
done
# The FPGA section: the cost model's figures against the part (synthesis is off here).
grep -q 'id="fpga-model-total"' "$tmp/dom.html" || { echo "FAIL: FPGA table missing"; fail=1; }
# One convergence line per algorithm that found a design (those with rows in trace.csv).
want=$(tail -n +2 "$tmp/out/trace.csv" | cut -d, -f1 | sort -u | grep -c .)
n=$(grep -c 'class="series"' "$tmp/dom.html")
[ "$want" -ge 2 ] || { echo "FAIL: only $want algorithms found a design"; fail=1; }
[ "$n" -eq "$want" ] || { echo "FAIL: convergence plot has $n series, trace.csv has $want algorithms"; fail=1; }
[ $fail -eq 0 ] && echo "report renders with every plot"
exit $fail
