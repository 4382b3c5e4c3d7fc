#!/usr/bin/env bash
# Measures the CPU used by `cbdash --demo` (dashboard and its in-process
# simulator together) while nobody touches it. Needs tmux for a terminal.
# Usage: scripts/idle-cpu.sh [SECONDS]   (default 60)
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-60}

cargo build --release --quiet
session="cbdash-idle-$$"
tmux new-session -d -s "$session" -x 160 -y 45 "exec target/release/cbdash --demo"
trap 'tmux kill-session -t "$session" 2>/dev/null || true' EXIT
sleep 5 # start-up and the first poll are not idle
pid=$(tmux list-panes -t "$session" -F '#{pane_pid}')

ticks() { awk '{ print $14 + $15 }' "/proc/$pid/stat"; }
hz=$(getconf CLK_TCK)
start=$(ticks)
sleep "$secs"
end=$(ticks)
awk -v t="$((end - start))" -v hz="$hz" -v s="$secs" \
  'BEGIN { printf "idle CPU over %ds: %.2f%% of one core (%d ticks at %d Hz)\n", s, 100 * t / hz / s, t, hz }'
