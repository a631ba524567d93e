#!/usr/bin/env bash
# Replays the labelled attack/benign corpus (../shared/attacks) through Portcullis and nginx + ModSecurity v3 + CRS,
# at paranoia levels 1 and 2, in one run, and prints TPR/FPR per target and the agreement of Portcullis with
# ModSecurity per level.
#
#   bench/corpus.sh [--ports BASE] [corpus-replay options: --limit N | --sample N | --class C | --concurrency N |
#                    --timeout S | --json ...]
#
# Starts on 127.0.0.1 only (ports BASE..BASE+4, default 19400):
#   BASE    origin: nginx `return 200`, as ../shared/bench/origin-nginx.conf
#   BASE+1  nginx + ModSecurity + CRS 4.28 PL1 (blocking), from ../shared/bench's templates, one worker as anchors.sh
#   BASE+2  the same at PL2 (`SecAction ... setvar:tx.blocking_paranoia_level=2` before the rules)
#   BASE+3  portcullis run, CRS from ../shared/crs, waf mode block, paranoia 1
#   BASE+4  the same, paranoia 2
# then runs bench/Portcullis.CorpusReplay against the four and stops everything on exit. Results (report.json,
# outcomes.tsv, disagreements-pl1.tsv, disagreements-pl2.tsv) and the servers' logs stay in the /tmp folder printed.
# Needs the Debian packages nginx, libnginx-mod-http-modsecurity, openssl, curl and procps (installed when missing).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd); root=$(cd "$here/.." && pwd)
shared=${SHARED:-$root/../shared}
templates=$shared/bench; crs=$(cd "$shared/crs" && pwd); corpus=$(cd "$shared/attacks" && pwd)
base=19400; pass=()
while [ $# -gt 0 ]; do case $1 in
  --ports) base=$2; shift 2;;
  -h|--help) sed -n '2,16p' "$0"; exit 0;;
  *) pass+=("$1"); shift;; esac; done

need=()
command -v nginx >/dev/null 2>&1 || need+=(nginx)
[ -f /usr/lib/nginx/modules/ngx_http_modsecurity_module.so ] || need+=(libnginx-mod-http-modsecurity)
for p in openssl curl; do command -v $p >/dev/null 2>&1 || need+=($p); done
command -v pgrep >/dev/null 2>&1 || need+=(procps)
if [ ${#need[@]} -gt 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null; fi

origin=$base; msl1=$((base + 1)); msl2=$((base + 2)); pcl1=$((base + 3)); pcl2=$((base + 4))
for port in $origin $msl1 $msl2 $pcl1 $pcl2; do
  if (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null; then echo "corpus.sh: port $port is in use; pick others with --ports BASE" >&2; exit 1; fi
done

echo "corpus.sh: building" >&2
dotnet build "$root/src/Portcullis" -c Release -o "$root/bench/.bin/corpus-gateway" -v q -nologo >/dev/null
dotnet build "$root/bench/Portcullis.CorpusReplay" -c Release -o "$root/bench/.bin/corpus-replay" -v q -nologo >/dev/null

d=$(mktemp -d /tmp/portcullis-corpus.XXXX)
pids=()
stop() {
  for p in "$d"/origin.pid "$d"/proxy-*.pid; do [ -f "$p" ] && kill "$(cat "$p")" 2>/dev/null || true; done
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
}
trap stop EXIT

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$d/key.pem" -out "$d/cert.pem" \
  -days 30 -subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1 2>/dev/null
# The shared templates, read in place (never copied into the repository): origin and proxy ports, pid and log paths
# moved into this run's folder; PL2 adds the paranoia SecAction just before CRS's rules, after crs-setup.
sed -e "s#/tmp/bench-backend#$d/origin#g" -e "s#127.0.0.1:9000#127.0.0.1:$origin#g" \
  "$templates/origin-nginx.conf" > "$d/origin.conf"
sed -e "s#@CRS@#$crs#g" -e "s#@HERE@#$templates#g" "$templates/modsec-crs.conf.tmpl" > "$d/modsec-pl1.conf"
awk -v crs="$crs" '$0 == "Include " crs "/rules/*.conf" {
    print "SecAction \"id:900000,phase:1,pass,nolog,setvar:tx.blocking_paranoia_level=2\"" } { print }' \
  "$d/modsec-pl1.conf" > "$d/modsec-pl2.conf"
grep -q 'id:900000' "$d/modsec-pl2.conf" || { echo "corpus.sh: could not place the PL2 SecAction in $d/modsec-pl2.conf" >&2; exit 1; }
for pair in "$msl1 pl1" "$msl2 pl2"; do set -- $pair
  sed -e "s#@PORT@#$1#g" -e "s#@DIR@#$d#g" -e "s#@MODSEC@#on#g" -e "s#/tmp/bench-proxy-#$d/proxy-#g" \
    -e "s#127.0.0.1:9000#127.0.0.1:$origin#g" -e "s#$d/modsec-crs.conf#$d/modsec-$2.conf#g" \
    "$templates/proxy-nginx.conf.tmpl" > "$d/proxy-$2.conf"
done
nginx -c "$d/origin.conf" -g 'daemon on;'
nginx -c "$d/proxy-pl1.conf" -g 'daemon on;' 2>>"$d/nginx-start.err"
nginx -c "$d/proxy-pl2.conf" -g 'daemon on;' 2>>"$d/nginx-start.err"

for pair in "$pcl1 1" "$pcl2 2"; do set -- $pair
  cat > "$d/portcullis-pl$2.yaml" <<YAML
data_dir: $d/portcullis-pl$2
listen: { https: "127.0.0.1:$1", http: off }
log: { file: true }   # logs/security.log says which rules decided (for the disagreement lists)
waf: { crs: $crs, mode: block, paranoia: $2 }
sites:
  - name: corpus
    hosts: [localhost, 127.0.0.1]
    routes:
      - { path: /, upstreams: ["http://127.0.0.1:$origin"] }
YAML
  # Optimised code sooner (see gateway.sh); workstation GC as in the service unit.
  DOTNET_TC_CallCountingDelayMs=0 DOTNET_gcServer=0 dotnet "$root/bench/.bin/corpus-gateway/portcullis.dll" run \
    --config "$d/portcullis-pl$2.yaml" > "$d/portcullis-pl$2.out" 2>&1 &
  pids+=($!)
done

for port in $msl1 $msl2 $pcl1 $pcl2; do
  ok=no
  for _ in $(seq 150); do
    if curl -sk -o /dev/null "https://127.0.0.1:$port/"; then ok=yes; break; fi; sleep 0.2
  done
  [ $ok = yes ] || { echo "corpus.sh: nothing answers on $port; logs in $d" >&2; exit 1; }
done
# A plain attack must be blocked by every target, or the run would measure a misconfiguration.
for port in $msl1 $msl2 $pcl1 $pcl2; do
  s=$(curl -sk -o /dev/null -w '%{http_code}' "https://127.0.0.1:$port/?q=1%27%20OR%20%271%27=%271%20--")
  [ "$s" = 403 ] || { echo "corpus.sh: port $port answered $s to a plain SQL injection, not 403; logs in $d" >&2; exit 1; }
done

# CPU seconds each server spends during the replay (utime + stime of the nginx worker or the gateway process):
# unlike requests/s, robust to other load on the machine (see cpu-per-request.sh).
servers=("modsecurity-pl1 $(pgrep -P "$(cat "$d/proxy-$msl1.pid")" | head -1)" "modsecurity-pl2 $(pgrep -P "$(cat "$d/proxy-$msl2.pid")" | head -1)"
         "portcullis-pl1 ${pids[0]}" "portcullis-pl2 ${pids[1]}")
cpu() { awk -v t="$(getconf CLK_TCK)" '{printf "%.1f", ($14 + $15) / t}' "/proc/$1/stat"; }
before=(); for s in "${servers[@]}"; do before+=("$(cpu "${s#* }")"); done

echo "corpus.sh: servers up; results and logs in $d" >&2
TIMEFORMAT="corpus.sh: replay took %R s wall; the replay client used %U s user + %S s system CPU"
time "$root/bench/.bin/corpus-replay/corpus-replay" --corpus "$corpus" --out "$d/results" \
  --target "portcullis-pl1=https://127.0.0.1:$pcl1" --target "modsecurity-pl1=https://127.0.0.1:$msl1" \
  --target "portcullis-pl2=https://127.0.0.1:$pcl2" --target "modsecurity-pl2=https://127.0.0.1:$msl2" \
  --compare "pl1=portcullis-pl1,modsecurity-pl1" --compare "pl2=portcullis-pl2,modsecurity-pl2" "${pass[@]}"
for i in "${!servers[@]}"; do
  echo "corpus.sh: ${servers[$i]% *} used $(awk -v a="$(cpu "${servers[$i]#* }")" -v b="${before[$i]}" 'BEGIN {printf "%.1f", a - b}') s CPU during the replay" >&2
done
echo "corpus.sh: results and logs in $d" >&2
