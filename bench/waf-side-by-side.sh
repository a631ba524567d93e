#!/usr/bin/env bash
# Compares two builds of the WAF's profile loop by running them at the same time, one on each core, swapping cores
# every round, and printing each round's ratio (B's time over A's). On a shared host whose speed drifts (2-2.5 times
# slower for a whole day, and by 30 % between two runs minutes apart), runs one after the other do not compare; two
# runs at the same moment meet the same host, and their ratio held to a few per cent.
#
#   bench/waf-side-by-side.sh A_DIR B_DIR [EXCHANGE] [SECONDS] [ROUNDS]
#
# A_DIR and B_DIR are checkouts of this repository (say `git worktree add /tmp/base <commit>`), each with its
# benchmarks built: `dotnet build -c Release bench/Portcullis.Benchmarks`. EXCHANGE is get, form, json or wrk
# (default json), SECONDS of measurement per run (default 8) after an 8 s warm-up with every regex twin promoted,
# ROUNDS (default 4). Needs 2 cores; nothing else should run meanwhile.
set -euo pipefail
a=${1:?usage: bench/waf-side-by-side.sh A_DIR B_DIR [EXCHANGE] [SECONDS] [ROUNDS]}
b=${2:?usage: bench/waf-side-by-side.sh A_DIR B_DIR [EXCHANGE] [SECONDS] [ROUNDS]}
exchange=${3:-json}
seconds=${4:-8}
rounds=${5:-4}
out=$(mktemp -d /tmp/portcullis-side-by-side.XXXX)
run() {
  (cd "$1" && DOTNET_TC_CallCountingDelayMs=0 PORTCULLIS_PROMOTE_ALL=1 PORTCULLIS_WARMUP_SECONDS=8 taskset -c "$2" \
    dotnet bench/Portcullis.Benchmarks/bin/Release/net10.0/Portcullis.Benchmarks.dll --profile-waf "$exchange" "$seconds" 2>&1 \
    | grep -oP 'in flight\): \K[0-9.]+')
}
for round in $(seq "$rounds"); do
  if (( round % 2 )); then core_a=0; core_b=1; else core_a=1; core_b=0; fi
  run "$a" "$core_a" > "$out/a" &
  run "$b" "$core_b" > "$out/b"
  wait
  time_a=$(cat "$out/a"); time_b=$(cat "$out/b")
  echo "round $round: A $time_a us (core $core_a), B $time_b us (core $core_b), B/A $(python3 -c "print('%.3f' % ($time_b / $time_a))")"
done
rm -rf "$out"
