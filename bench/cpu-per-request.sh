#!/usr/bin/env bash
# CPU time the gateway spends per request, robust to other load on the machine (unlike requests/s):
# (utime + stime of the gateway process during the run) / requests completed.
#
#   bench/cpu-per-request.sh PID URL [SECONDS] [CONNECTIONS] [WRK_SCRIPT]
set -euo pipefail
pid=$1; url=$2; secs=${3:-5}; conns=${4:-32}; script=${5:-}
ticks=$(getconf CLK_TCK)
cpu() { awk '{print $14 + $15}' /proc/$pid/stat; }
before=$(cpu)
out=$(taskset -c 1 wrk -t1 -c"$conns" -d"${secs}s" ${script:+-s "$script"} "$url")
after=$(cpu)
reqs=$(echo "$out" | awk '/requests in/ {print $1}')
rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
echo "requests=$reqs rps=$rps cpu_us_per_request=$(awk -v a="$after" -v b="$before" -v t="$ticks" -v r="$reqs" 'BEGIN {printf "%.1f", (a-b)/t*1e6/r}')"
