#!/usr/bin/env bash
# Search quality table: gap of each algorithm to the proven optimum, per zoo CNN.
#   scripts/search_quality.sh [samples] [style] [deploy] [budgets...]
# Defaults: 500 samples (ConfuciuX's default epochs), nvdla, LP, latency under area budget
# r = 0.5 and r = 0.1. Prints a Markdown table; needs a built tree (scripts/build.sh).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="${ANALECTS_BUILD_DIR:-$root/build}/flows/analects"
samples="${1:-500}"; style="${2:-nvdla}"; deploy="${3:-lp}"; shift $(( $# < 3 ? $# : 3 ))
budgets=("$@"); [ ${#budgets[@]} -eq 0 ] && budgets=(0.5 0.1)
models=(resnet18 resnet50 mobilenet_v2 mnasnet vgg16 alexnet squeezenet shufflenet_v2 googlenet densenet121 resnext50)
algos=(lagrange confuciux reinforce ga random anneal tpe a2c baseline-dla)
constraint=area; [ "$deploy" = ls ] && constraint=pes+buffer
printf '| model | budget | optimum |'; for a in "${algos[@]}"; do printf ' %s |' "$a"; done; printf '\n'
printf '|---|---|---|'; for a in "${algos[@]}"; do printf -- '---|'; done; printf '\n'
for m in "${models[@]}"; do
  for b in "${budgets[@]}"; do
    opt=$("$bin" search --model "$m" --style "$style" --deploy "$deploy" --objective latency \
          --constraint "$constraint" --budget "$b" --algo exact --json 2>/dev/null |
          python3 -c 'import json,sys; v=json.load(sys.stdin)["best"]["value"]; print("%.4g" % v if v is not None else "-")')
    printf '| %s | %s | %s |' "$m" "$b" "$opt"
    for a in "${algos[@]}"; do
      gap=$({ "$bin" search --model "$m" --style "$style" --deploy "$deploy" --objective latency \
            --constraint "$constraint" --budget "$b" --algo "$a" --samples "$samples" --seed 1 --json 2>/dev/null |
            python3 -c 'import json,sys; g=json.load(sys.stdin)["gap_pct"]; print("%.2f %%" % g if g is not None else "none")'; } 2>/dev/null || true)
      printf ' %s |' "$gap"
    done
    printf '\n'
  done
done
