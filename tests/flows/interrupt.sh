#!/usr/bin/env bash
# Interrupts `analects flow` (SIGINT to its process group, as Ctrl-C does) once the search
# outputs exist and while Yosys runs, then checks that every output the flow had finished is
# intact and that no half-written file is left. Usage: interrupt.sh <analects binary>
set -u
bin="$1"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cat > "$tmp/r.yaml" <<'YAML'
name: interrupt-check
workload: squeezenet
deployment: ls
constraint: pes+buffer
budget: edge
algorithms: [lagrange]
samples: 300
fpga: {part: xc7z020, synthesize: true}   # nothing simulated: Yosys on the accelerator
YAML
out="$tmp/out"
# Job control: the flow gets its own process group, and SIGINT is not ignored in it (a
# non-interactive shell would start a background job with SIGINT ignored).
set -m
"$bin" flow "$tmp/r.yaml" -o "$out" > "$tmp/flow.log" 2>&1 &
pid=$!
set +m
# Wait for the design (written before RTL generation and Yosys), at most two minutes.
for _ in $(seq 1 1200); do
  [ -s "$out/design.json" ] && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.1
done
if ! kill -0 "$pid" 2>/dev/null; then
  echo "FAIL: the flow ended before it could be interrupted"; cat "$tmp/flow.log"; exit 1
fi
[ -s "$out/design.json" ] || { echo "FAIL: no design.json after two minutes"; cat "$tmp/flow.log"; exit 1; }
sleep 2  # Yosys is running now (it takes tens of seconds on a fresh output directory)
kill -INT -- "-$pid"
wait "$pid"; rc=$?
[ "$rc" -ne 0 ] || { echo "FAIL: interrupted flow exited 0"; cat "$tmp/flow.log"; exit 1; }
fail=0
python3 - "$out" <<'PY' || fail=1
import csv, json, sys, pathlib
out = pathlib.Path(sys.argv[1])
design = json.loads((out / "design.json").read_text())
assert design.get("arrays"), "design.json has no arrays"
rows = list(csv.DictReader((out / "trace.csv").open()))
assert rows and rows[0]["algorithm"] == "lagrange", "trace.csv is empty or wrong"
assert all(float(r["best_objective"]) > 0 for r in rows if r["best_objective"] != "nan")
PY
left=$(find "$out" -name '*.tmp' -newer "$tmp/r.yaml" | grep -v '/rtl/' || true)
[ -z "$left" ] || { echo "FAIL: half-written outputs left: $left"; fail=1; }
if [ -e "$out/report.html" ] && ! grep -q '</html>' "$out/report.html"; then
  echo "FAIL: report.html is truncated"; fail=1
fi
[ "$fail" -eq 0 ] && echo "PASS: interrupted (exit $rc) after design.json; finished outputs intact"
exit "$fail"
