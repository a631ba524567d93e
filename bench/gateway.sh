#!/usr/bin/env bash
# End-to-end throughput of `portcullis run` side by side with nginx, in one run of ../shared/bench/anchors.sh.
#
#   bench/gateway.sh [--seconds N] [--log on|off] [--limits] [--runs N]
#
# --runs N repeats the anchors.sh run N times against the same two gateways and ends with the median ratios of the
# second Portcullis target to the first and to nginx + ModSecurity: on a shared host back-to-back runs of the CRS
# gateway differ by ~10 %, so report the median, not the best run.
#
# --limits compares the two Portcullis targets with the WAF off both times: every per-client limit off (no rate
# limit, no connection, in-flight or HTTP/2 reset cap) on :9443, and all of them on (a rate limit high enough never
# to refuse, so each request pays for the check, plus the default caps) on :9444.
#
# Builds Portcullis (Release), starts it pinned to core 0 (as anchors.sh pins nginx) as a TLS reverse proxy in front
# of anchors.sh's origin (127.0.0.1:9000) twice: with the WAF off on 127.0.0.1:9443 and with CRS 4.28 at paranoia 1
# in blocking mode (as anchors.sh runs ModSecurity) on 127.0.0.1:9444. Then anchors.sh measures the origin, nginx,
# nginx + ModSecurity + CRS and both Portcullis targets with the same wrk load (1 thread, 32 connections, core 1).
# Needs the Debian packages nginx, libnginx-mod-http-modsecurity and wrk (installed when missing).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd); root=$(cd "$here/.." && pwd)
anchors=${ANCHORS:-$root/../shared/bench/anchors.sh}
secs=10; log=on; limits=no; runs=1
while [ $# -gt 0 ]; do case $1 in
  --seconds) secs=$2; shift 2;; --log) log=$2; shift 2;; --limits) limits=yes; shift;; --runs) runs=$2; shift 2;;
  *) echo "usage: $0 [--seconds N] [--log on|off] [--limits] [--runs N]" >&2; exit 2;; esac; done

need=()
for p in nginx wrk; do command -v $p >/dev/null 2>&1 || need+=($p); done
[ -f /usr/lib/nginx/modules/ngx_http_modsecurity_module.so ] || need+=(libnginx-mod-http-modsecurity)
if [ ${#need[@]} -gt 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null; fi

dotnet build "$root/src/Portcullis" -c Release -o "$root/bench/.bin" -v q -nologo >/dev/null
d=$(mktemp -d /tmp/portcullis-bench.XXXX)
crs=$(cd "$root/../shared/crs" && pwd)
config() { # port waf-section [extra top-level YAML]
  cat <<YAML
data_dir: $d/data-$1
listen: { https: "127.0.0.1:$1", http: off }
log: { file: $( [ "$log" = on ] && echo true || echo false ) }
waf: $2
${3:-}
sites:
  - name: bench
    hosts: [localhost, 127.0.0.1]
    routes:
      - { path: /, upstreams: ["http://127.0.0.1:9000"] }
YAML
}
names=(portcullis-waf-off portcullis-crs4.28-pl1)
if [ "$limits" = yes ]; then
  names=(portcullis-limits-off portcullis-limits-on)
  config 9443 "{ mode: off }" $'client_limits: { max_connections: off, max_requests_in_flight: off }\nlimits: { http2_max_resets: off }' > "$d/waf-off.yaml"
  config 9444 "{ mode: off }" 'client_limits: { rate_limit: { rate: 1000000/s, burst: 1000000 } }' > "$d/waf-crs.yaml"
else
  config 9443 "{ mode: off }" > "$d/waf-off.yaml"
  config 9444 "{ crs: \"$crs\", paranoia: 1, mode: block }" > "$d/waf-crs.yaml"
fi
# On a process limited to one CPU the runtime waits 10x longer (1 s) before promoting hot methods to optimized
# code (TC_DelaySingleProcMultiplier); the service unit in docs/operations.md sets the same knob.
pids=()
for name in waf-off waf-crs; do
  DOTNET_TC_CallCountingDelayMs=0 DOTNET_gcServer=0 taskset -c 0 dotnet "$root/bench/.bin/portcullis.dll" run --config "$d/$name.yaml" > "$d/$name.out" 2>&1 &
  pids+=($!)
done
trap 'kill ${pids[*]} 2>/dev/null || true; wait ${pids[*]} 2>/dev/null || true' EXIT
for port in 9443 9444; do
  for _ in $(seq 100); do curl -sk -o /dev/null https://127.0.0.1:$port/ 2>/dev/null && break || sleep 0.2; done
done
# anchors.sh warms each stack for 2 s; .NET's tiered JIT needs longer on one core to reach optimized code, so warm
# Portcullis first (against a throwaway origin, since anchors.sh starts the real one).
warm=$(mktemp -d /tmp/portcullis-warm.XXXX)
printf 'worker_processes 1;\npid %s/nginx.pid;\nerror_log %s/err warn;\nevents {}\nhttp { access_log off; server { listen 127.0.0.1:9000; location / { return 200 "warm\\n"; } } }\n' "$warm" "$warm" > "$warm/nginx.conf"
taskset -c 1 nginx -c "$warm/nginx.conf" -g 'daemon on;'
for port in 9443 9444; do
  taskset -c 1 wrk -t1 -c32 -d20s "https://127.0.0.1:$port/search?q=blue+running+shoes&page=2&sort=price&id=12345" >/dev/null 2>&1 || true
done
kill "$(cat "$warm/nginx.pid")"; sleep 1
for run in $(seq "$runs"); do
  [ "$runs" -gt 1 ] && echo "run $run of $runs"
  "$anchors" --seconds "$secs" --target "${names[0]}=https://127.0.0.1:9443" --target "${names[1]}=https://127.0.0.1:9444" | tee -a "$d/runs.txt"
done
if [ "$runs" -gt 1 ]; then
  # Per run: the second target's rate over the first's and over nginx + ModSecurity's; then the median of each.
  awk -v a="${names[0]}" -v b="${names[1]}" '
    function rate(line) { sub(/.*rps=/, "", line); sub(/ .*/, "", line); return line + 0 }
    $1 == "nginx-modsecurity-crs4.28-pl1" { m = rate($0) }
    $1 == a { x = rate($0) }
    $1 == b { y = rate($0); n++; r[n] = y / x; q[n] = (m > 0 ? y / m : 0); printf "run %d: %s %.1f %% of %s, %.1fx nginx + ModSecurity\n", n, b, 100 * r[n], a, q[n] }
    function median(v, k,   i, j, t) { for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
      return k % 2 ? v[(k + 1) / 2] : (v[k / 2] + v[k / 2 + 1]) / 2 }
    END { printf "median of %d runs: %s %.1f %% of %s, %.1fx nginx + ModSecurity\n", n, b, 100 * median(r, n), a, median(q, n) }' "$d/runs.txt"
fi
echo "portcullis logs: $d/waf-off.out $d/waf-crs.out"
