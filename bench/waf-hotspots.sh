#!/usr/bin/env bash
# Where the time goes inside one JIT-compiled method of the WAF, by basic block: perf samples of the profile loop
# mapped onto the JIT's own disassembly of that method. Use it when a profile names a method whose body the JIT
# assembled from several inlined ones (SelectionLiterals.Union holds the literal scan, the id lookups and the
# transformation cache), so a per-function profile cannot say which part is slow.
#
#   bench/waf-hotspots.sh METHOD [EXCHANGE] [SECONDS]
#
# METHOD is a DOTNET_JitDisasm filter (a method name such as Union or Scan, or Class:Method); EXCHANGE is get,
# form or json (default get); SECONDS of sampling (default 8) after a 20 s warm-up with every regex twin promoted.
# Needs perf (Debian: linux-perf) and python3. Prints the 20 hottest blocks of each Tier1 body with their first
# instructions; the JIT's listing is kept in the folder it names.
set -euo pipefail
method=${1:?usage: bench/waf-hotspots.sh METHOD [EXCHANGE] [SECONDS]}
exchange=${2:-get}
seconds=${3:-8}
root=$(cd "$(dirname "$0")/.." && pwd)
out=$(mktemp -d /tmp/portcullis-hotspots.XXXX)
command -v perf >/dev/null || { echo "perf not found: apt-get install linux-perf" >&2; exit 1; }
dotnet build -c Release "$root/bench/Portcullis.Benchmarks" -v quiet -nologo >/dev/null
warmup=20
export DOTNET_TC_CallCountingDelayMs=0 DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0
export PORTCULLIS_PROMOTE_ALL=1 PORTCULLIS_WARMUP_SECONDS=$warmup
export DOTNET_JitDisasm="$method" DOTNET_JitStdOutFile="$out/disasm.txt"
dotnet "$root/bench/Portcullis.Benchmarks/bin/Release/net10.0/Portcullis.Benchmarks.dll" --profile-waf "$exchange" $((seconds + 12)) \
  > "$out/loop.txt" 2>&1 &
pid=$!
# The loop loads CRS (a few seconds) before its warm-up starts.
sleep $((warmup + 6))
perf record -e cpu-clock -F 2999 -o "$out/perf.data" -p "$pid" -- sleep "$seconds" >/dev/null 2>&1
cp "/tmp/perf-$pid.map" "$out/perf.map"
wait "$pid"
perf script -i "$out/perf.data" -F ip 2>/dev/null > "$out/ips.txt"
grep -E "^[a-z]+: " "$out/loop.txt" || true
python3 "$root/bench/waf-hotspots.py" "$out/disasm.txt" "$out/perf.map" "$out/ips.txt"
echo "listing and samples: $out"
