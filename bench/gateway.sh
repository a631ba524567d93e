#!/usr/bin/env bash
# End-to-end throughput of `portcullis run` side by side with nginx, in one run of ../shared/bench/anchors.sh.
#
#   bench/gateway.sh [--seconds N] [--log on|off]
#
# Builds Portcullis (Release), starts it pinned to core 0 (as anchors.sh pins nginx) as a TLS reverse proxy on
# 127.0.0.1:9443 in front of anchors.sh's origin (127.0.0.1:9000), then lets anchors.sh measure the origin,
# nginx, nginx + ModSecurity + CRS and Portcullis with the same wrk load (1 thread, 32 connections, core 1).
# Needs the Debian packages nginx, libnginx-mod-http-modsecurity and wrk (installed when missing).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd); root=$(cd "$here/.." && pwd)
anchors=${ANCHORS:-$root/../shared/bench/anchors.sh}
secs=10; log=on
while [ $# -gt 0 ]; do case $1 in
  --seconds) secs=$2; shift 2;; --log) log=$2; shift 2;;
  *) echo "usage: $0 [--seconds N] [--log on|off]" >&2; exit 2;; esac; done

need=()
for p in nginx wrk; do command -v $p >/dev/null 2>&1 || need+=($p); done
[ -f /usr/lib/nginx/modules/ngx_http_modsecurity_module.so ] || need+=(libnginx-mod-http-modsecurity)
if [ ${#need[@]} -gt 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null; fi

dotnet build "$root/src/Portcullis" -c Release -o "$root/bench/.bin" -v q -nologo >/dev/null
d=$(mktemp -d /tmp/portcullis-bench.XXXX)
cat > "$d/portcullis.yaml" <<YAML
data_dir: $d/data
listen: { https: "127.0.0.1:9443", http: off }
log: { file: $( [ "$log" = on ] && echo true || echo false ) }
sites:
  - name: bench
    hosts: [localhost, 127.0.0.1]
    routes:
      - { path: /, upstreams: ["http://127.0.0.1:9000"] }
YAML
# On a process limited to one CPU the runtime waits 10x longer (1 s) before promoting hot methods to optimized
# code (TC_DelaySingleProcMultiplier); the service unit in docs/operations.md sets the same knob.
DOTNET_TC_CallCountingDelayMs=0 DOTNET_gcServer=0 taskset -c 0 dotnet "$root/bench/.bin/portcullis.dll" run --config "$d/portcullis.yaml" > "$d/portcullis.out" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -sk -o /dev/null https://127.0.0.1:9443/ 2>/dev/null && break || sleep 0.2; done
# anchors.sh warms each stack for 2 s; .NET's tiered JIT needs longer on one core to reach optimized code, so warm
# Portcullis first (against a throwaway origin, since anchors.sh starts the real one).
warm=$(mktemp -d /tmp/portcullis-warm.XXXX)
printf 'worker_processes 1;\npid %s/nginx.pid;\nerror_log %s/err warn;\nevents {}\nhttp { access_log off; server { listen 127.0.0.1:9000; location / { return 200 "warm\\n"; } } }\n' "$warm" "$warm" > "$warm/nginx.conf"
taskset -c 1 nginx -c "$warm/nginx.conf" -g 'daemon on;'
taskset -c 1 wrk -t1 -c32 -d20s "https://127.0.0.1:9443/search?q=warm" >/dev/null 2>&1 || true
kill "$(cat "$warm/nginx.pid")"; sleep 1
"$anchors" --seconds "$secs" --target "portcullis=https://127.0.0.1:9443"
echo "portcullis log: $d/portcullis.out"
