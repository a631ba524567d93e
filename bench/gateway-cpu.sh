#!/usr/bin/env bash
# CPU the gateway spends per request with CRS 4.28 at PL1 (or the WAF off), for A/B runs of two builds: steadier
# than requests/s on a shared host, since it counts the gateway's own CPU time, not the time it waited for a core.
#
#   bench/gateway-cpu.sh [--bin DIR] [--mode block|off] [--seconds N] [--warm N] [--form]
#
# Starts an nginx origin (`return 200 "ok\n"`, core 1) on 127.0.0.1:9000 and `portcullis run` (core 0) on
# 127.0.0.1:9444 in front of it, warms the gateway with wrk, then runs bench/cpu-per-request.sh with the request
# bench/gateway.sh sends (with --form: a urlencoded POST of 10 fields, bench/form-post.lua). --bin is a `dotnet build src/Portcullis -c Release -o DIR` output (default: build this
# checkout into bench/.bin). Run two builds alternately, several times each: the host's noise is larger than most
# single differences. Needs nginx and wrk.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd); root=$(cd "$here/.." && pwd)
bin=""; mode=block; secs=10; warm=20; script=""
while [ $# -gt 0 ]; do case $1 in
  --bin) bin=$2; shift 2;; --mode) mode=$2; shift 2;; --seconds) secs=$2; shift 2;; --warm) warm=$2; shift 2;;
  --form) script="$here/form-post.lua"; shift;;
  *) echo "usage: $0 [--bin DIR] [--mode block|off] [--seconds N] [--warm N] [--form]" >&2; exit 2;; esac; done
if [ -z "$bin" ]; then
  bin="$root/bench/.bin"
  dotnet build "$root/src/Portcullis" -c Release -o "$bin" -v q -nologo >/dev/null
fi
d=$(mktemp -d /tmp/portcullis-cpu.XXXX)
cat > "$d/cfg.yaml" <<YAML
data_dir: $d/data
listen: { https: "127.0.0.1:9444", http: off }
waf: { crs: "$(cd "$root/../shared/crs" && pwd)", paranoia: 1, mode: $mode }
sites:
  - name: bench
    hosts: [localhost, 127.0.0.1]
    routes:
      - { path: /, upstreams: ["http://127.0.0.1:9000"] }
YAML
printf 'worker_processes 1;\npid %s/nginx.pid;\nerror_log %s/err warn;\nevents {}\nhttp { access_log off; server { listen 127.0.0.1:9000; location / { return 200 "ok\\n"; } } }\n' "$d" "$d" > "$d/nginx.conf"
taskset -c 1 nginx -c "$d/nginx.conf" -g 'daemon on;'
DOTNET_TC_CallCountingDelayMs=0 DOTNET_gcServer=0 taskset -c 0 dotnet "$bin/portcullis.dll" run --config "$d/cfg.yaml" > "$d/gateway.out" 2>&1 &
gateway=$!
trap 'kill $gateway 2>/dev/null || true; kill "$(cat "$d/nginx.pid")" 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -sk -o /dev/null https://127.0.0.1:9444/ 2>/dev/null && break || sleep 0.2; done
url="https://127.0.0.1:9444/search?q=blue+running+shoes&page=2&sort=price&id=12345"
taskset -c 1 wrk -t1 -c32 -d"${warm}s" ${script:+-s "$script"} "$url" >/dev/null 2>&1 || true
echo "mode=$mode bin=$bin $(bash "$here/cpu-per-request.sh" "$gateway" "$url" "$secs" 32 "$script")"
