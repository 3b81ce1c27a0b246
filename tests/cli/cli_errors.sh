#!/usr/bin/env bash
# CLI contract: bad input gives a one-line error naming the problem and a non-zero exit;
# good input prints the documented JSON. Usage: cli_errors.sh <analects binary> <source dir>
set -u
bin="$1"; src="$2"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail=0

# expect_error <fragment> <args...>: non-zero exit, no crash (exit < 128), fragment on stderr.
expect_error() {
  local fragment="$1"; shift
  "$bin" "$@" >"$tmp/out" 2>"$tmp/err"; local rc=$?
  if [ $rc -eq 0 ] || [ $rc -ge 128 ]; then
    echo "FAIL: analects $* exited $rc"; fail=1; return
  fi
  if ! grep -qF -- "$fragment" "$tmp/err"; then
    echo "FAIL: analects $*: stderr lacks '$fragment':"; cat "$tmp/err"; fail=1; return
  fi
  if [ "$(grep -c . "$tmp/err")" -gt 3 ]; then
    echo "FAIL: analects $*: error is not short:"; cat "$tmp/err"; fail=1
  fi
}

: > "$tmp/empty.csv"
printf 'name,op,K,H\nc,conv,8,10\n' > "$tmp/nocol.csv"
printf 'name,op,K,C,H,W\nc,conv,0,4,10,10\n' > "$tmp/zero.csv"
printf 'name,op,K,C,H,W\nc,conv,4,4,-3,10\n' > "$tmp/neg.csv"
printf 'name,op,K,C,H,W,R,S,stride_h\nc,conv,4,4,10,10,3,3,0\n' > "$tmp/stride0.csv"
printf 'name,op,K,C,H,W,R,S\nc,conv,4,4,5,5,9,9\n' > "$tmp/bigkernel.csv"
head -c 3000 "$src/workloads/onnx/resnet18.onnx" > "$tmp/truncated.onnx"
printf '\x08\x96\x01garbage garbage' > "$tmp/garbage.onnx"

expect_error "empty" zoo show "$tmp/empty.csv"
expect_error "missing required column 'C'" zoo show "$tmp/nocol.csv"
expect_error "K = 0" zoo show "$tmp/zero.csv"
expect_error "H = -3" zoo show "$tmp/neg.csv"
expect_error "stride_h" zoo show "$tmp/stride0.csv"
expect_error "larger than the padded input" zoo show "$tmp/bigkernel.csv"
expect_error "truncated.onnx" zoo show "$tmp/truncated.onnx"
expect_error "garbage.onnx" zoo show "$tmp/garbage.onnx"
expect_error "is a directory" zoo show "$tmp"
expect_error "neither a zoo model nor an existing file" zoo show no_such_net
expect_error "neither a zoo model" eval --model no_such_net --pes 64 --buffer 4096
expect_error "cannot run" eval --model resnet18 --pes 256 --buffer 64
expect_error "pes" eval --model resnet18 --buffer 4096
expect_error "atomK" eval --model resnet18 --atomk 0 --atomc 4 --buffer 65536
expect_error "is not a number" search --model resnet18 --budget abs:xyz
expect_error "is a directory" sim --design "$tmp" --model resnet18
"$bin" gen --style nvdla --atomk 4 --atomc 4 --buffer 4096 -o "$tmp/design" >/dev/null ||
  { echo "FAIL: gen"; fail=1; }
expect_error "regenerate it" sim --design "$tmp/design/design.json" --model resnet18 --dram-bw 0
expect_error "--watchdog -5" sim --design "$tmp/design/design.json" --model resnet18 --watchdog -5
expect_error "cannot be written" sim --design "$tmp/design/design.json" --model resnet18 \
  --trace "$tmp/no/such/dir/t.fst"

# A network with an infeasible layer: it runs 0 cycles, so its MACs are not in the total
# utilization (which stays a fraction), and the exit is non-zero.
printf 'name,op,K,C,H,W,R,S\nsmall,conv,4,4,4,4,1,1\nbig,conv,64,64,32,32,3,3\n' > "$tmp/mix.csv"
"$bin" eval --model "$tmp/mix.csv" --pes 7 --buffer 64 --json > "$tmp/mix.json" 2>/dev/null &&
  { echo "FAIL: eval with an infeasible layer exited 0"; fail=1; }
grep -A8 '"total"' "$tmp/mix.json" | grep -q '"utilization": 0\.2689' ||
  { echo "FAIL: total utilization with an infeasible layer:"; cat "$tmp/mix.json"; fail=1; }

# Good paths: JSON shape of zoo show, import round trip.
"$bin" zoo show "$src/workloads/onnx/resnet18.onnx" --json > "$tmp/r18.json" || { echo "FAIL: zoo show json"; fail=1; }
grep -q '"total_macs": 1814073344' "$tmp/r18.json" || { echo "FAIL: resnet18 total_macs"; fail=1; }
"$bin" zoo import "$src/workloads/onnx/mobilenet_v2.onnx" -o "$tmp/mb.csv" >/dev/null || { echo "FAIL: import"; fail=1; }
"$bin" zoo show "$tmp/mb.csv" --json | grep -q '"total_macs": 300774272' || { echo "FAIL: import round trip"; fail=1; }
"$bin" zoo show resnet50 --json | grep -q '"total_macs": 4089184256' || { echo "FAIL: zoo resnet50"; fail=1; }
"$bin" eval --model mobilenet_v2 --pes 256 --buffer 65536 --json | grep -q '"cycles"' || { echo "FAIL: eval json"; fail=1; }
for cmd in "zoo" "zoo show" "zoo list" "zoo import" "eval"; do
  "$bin" $cmd --help | grep -q "Example" || { echo "FAIL: '$cmd --help' has no example"; fail=1; }
done
[ $fail -eq 0 ] && echo "all CLI checks passed"
exit $fail
