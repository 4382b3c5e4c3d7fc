#!/usr/bin/env bash
# CPU and resident memory of the dashboard watching many accounts and
# regions, next to one context in the same run. One `cbdash sim` serves
# every account (its worlds are keyed by the access key's 12 digits); each
# context is a profile of a generated AWS config with a key of its own.
# Needs tmux for the dashboard's terminal.
# Usage: scripts/contexts-cost.sh [CONTEXTS] [SECONDS] [SCENARIO]
#        SCENARIO: demo, quiet (the demo's projects, no builds), busy or empty
#        (default 100 contexts, 60 s, the demo scenario)
set -euo pipefail
cd "$(dirname "$0")/.."
contexts=${1:-100}
secs=${2:-60}
scenario=${3:-demo}

cargo build --release --quiet
dir=$(mktemp -d)
port=$((20000 + RANDOM % 20000))
session="cbdash-contexts-$$"
cleanup() {
  tmux kill-session -t "$session" 2>/dev/null || true
  [ -n "${sim:-}" ] && kill "$sim" 2>/dev/null || true
  rm -rf "$dir"
}
trap cleanup EXIT

for i in $(seq 1 "$contexts"); do
  account=$(printf '1000000%05d' "$i")
  printf '[profile ctx-%03d]\naws_access_key_id = AKIA%sBENCH\naws_secret_access_key = bench\nregion = us-east-1\n' \
    "$i" "$account" >>"$dir/config"
done

target/release/cbdash sim --port "$port" --scenario "$scenario" >"$dir/sim.log" 2>&1 &
sim=$!
sleep 1

hz=$(getconf CLK_TCK)
# Runs the dashboard with these profile arguments; prints CPU % and RSS MB.
measure() {
  tmux new-session -d -s "$session" -x 200 -y 50 \
    "AWS_CONFIG_FILE=$dir/config AWS_SHARED_CREDENTIALS_FILE=$dir/none exec target/release/cbdash --endpoint-url http://127.0.0.1:$port --region us-east-1 $*"
  local pid
  pid=$(tmux list-panes -t "$session" -F '#{pane_pid}')
  sleep 20 # start-up discovery of every context is not steady state
  local start end rss
  start=$(awk '{ print $14 + $15 }' "/proc/$pid/stat")
  sleep "$secs"
  end=$(awk '{ print $14 + $15 }' "/proc/$pid/stat")
  rss=$(awk '/VmRSS/ { print $2 }' "/proc/$pid/status")
  tmux capture-pane -t "$session" -p | head -1 >"$dir/header"
  tmux kill-session -t "$session"
  awk -v t="$((end - start))" -v hz="$hz" -v s="$secs" -v rss="$rss" \
    'BEGIN { printf "%.2f%% of one core, %.1f MB resident", 100 * t / hz / s, rss / 1024 }'
}

# Three runs of each, alternating; the median of each is reported.
for run in 1 2 3; do
  echo "run $run: 1 context: $(measure --profile ctx-001)"
  echo "run $run: $contexts contexts: $(measure --all-profiles)"
  echo "run $run: header: $(sed 's/  */ /g' "$dir/header")"
done | tee "$dir/runs"
# The median of field $2 (1: CPU %, 2: MB) of the runs matching $1.
median() {
  grep "$1" "$dir/runs" | sed 's/.*: \([0-9.]*\)% of one core, \([0-9.]*\) MB.*/\1 \2/' |
    awk -v f="$2" '{ print $f }' | sort -n | sed -n 2p
}
echo "median, 1 context (baseline): $(median ': 1 context:' 1)% of one core, $(median ': 1 context:' 2) MB resident"
echo "median, $contexts contexts: $(median ": $contexts contexts:" 1)% of one core, $(median ": $contexts contexts:" 2) MB resident"
