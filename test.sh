#!/usr/bin/env bash
# Runs the whole test suite. Installs what the tests need when it is missing (Debian packages via apt-get),
# then runs `dotnet test`. Usage: ./test.sh [extra dotnet test arguments]
set -euo pipefail
cd "$(dirname "$0")"

# Debian packages the tests use as real peers: openssl (s_client as a TLS client, ocsp as a responder), curl,
# pebble (the ACME test server, with pebble-challtestsrv as its mock DNS), nginx and sslscan (audit targets and the
# reference scanner the audit's cipher enumeration is compared with), chromium (runs the challenge page's script headless).
need=()
command -v openssl >/dev/null 2>&1 || need+=(openssl)
command -v curl >/dev/null 2>&1 || need+=(curl)
command -v pebble >/dev/null 2>&1 || need+=(pebble)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need+=(nginx)
command -v sslscan >/dev/null 2>&1 || need+=(sslscan)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
if [ ${#need[@]} -gt 0 ]; then
  echo "test.sh: installing ${need[*]}" >&2
  if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet test Portcullis.slnx -c Release --logger "console;verbosity=normal" "$@" 2>&1 | tee /tmp/portcullis-test.log
status=${PIPESTATUS[0]}
# One plain closing line for CI dashboards: "N passed, N failed, N skipped" (summed over test projects).
count() { grep -E "^\s+$1: +[0-9]+" /tmp/portcullis-test.log | awk '{s+=$2} END {print s+0}'; }
if grep -q "Total tests:" /tmp/portcullis-test.log; then
  # Repeat every failure with its message at the end, where a CI dashboard that keeps only the tail still shows it.
  if grep -qE "^\s+Failed [A-Za-z]" /tmp/portcullis-test.log; then
    echo "---- failed tests ----"
    awk '/^[[:space:]]+Failed [A-Za-z]/ {show=1; n=0} /^[[:space:]]+(Passed|Skipped) [A-Za-z]/ {show=0} show && n++ < 25' \
      /tmp/portcullis-test.log
    echo "----------------------"
  fi
  echo "$(count Passed) passed, $(count Failed) failed, $(count Skipped) skipped"
fi
exit "$status"
