#!/usr/bin/env bash
# `make bench` and `make bench-smoke`: build the service and the bare Actix baseline (bench/baseline)
# in release mode, run both interleaved under wrk (bench/bench.py) and write report.md, raw.csv and
# chart.svg (bench/report.py) to build/bench/. `--smoke` is a ~2-second run per case into
# build/bench-smoke/ that checks the harness end to end (plus bench/test_harness.py) and judges no
# timing (make test runs it).
#
# Options: --smoke, --check-targets (exit 3 when a target of issue 9 is missed), --aa (A/A control:
# the baseline in both slots, into build/bench-aa/, to show the method's noise floor), --pairs N,
# --duration S, --warmup S, --connections N. Environment: BENCH_QUIET_WAIT (seconds to wait for
# the 1-min load average to drop below BENCH_QUIET_LOAD before measuring; full run only),
# BENCH_SERVER_CPU / BENCH_CLIENT_CPU (cores for the server and wrk; default 0 and 1).
set -euo pipefail
# shellcheck source=tools/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$REPO"

smoke=0; aa=(); check=(); pairs=5; duration=10; warmup=2; connections=32
while [ $# -gt 0 ]; do
  case "$1" in
    --smoke) smoke=1; pairs=1; duration=1; warmup=1 ;;
    --check-targets) check=(--check-targets) ;;
    --aa) aa=(--aa) ;;
    --pairs|--duration|--warmup|--connections)
      [ $# -ge 2 ] || die "bench: $1 needs a value"
      [[ "$2" =~ ^[0-9]+$ ]] || die "bench: $1 must be a whole number (got '$2')"
      declare "${1#--}=$2"; shift ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "bench: unknown option '$1' (try --help)" ;;
  esac
  shift
done

for tool in cargo wrk taskset strip python3; do
  command -v "$tool" >/dev/null || case "$tool" in
    cargo) die "bench: cargo not found: install Rust (https://rustup.rs)" ;;
    wrk) die "bench: wrk not found: apt-get install wrk" ;;
    taskset) die "bench: taskset not found: apt-get install util-linux" ;;
    strip) die "bench: strip not found: apt-get install binutils" ;;
    *) die "bench: $tool not found" ;;
  esac
done
server_cpu="${BENCH_SERVER_CPU:-0}"; client_cpu="${BENCH_CLIENT_CPU:-1}"
[ "$(nproc)" -ge 2 ] || die "bench: needs 2 CPUs (server on one, wrk on the other); nproc says $(nproc)"

# Same actix-web on both sides, or the comparison measures the framework, not the service.
lock_version() { # <Cargo.lock>: the locked actix-web version
  awk '/^name = "actix-web"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$1"
}
echo "bench: building the service and the baseline (release)"
(cd service && cargo build --release --quiet)
(cd bench/baseline && cargo build --release --locked --quiet)
svc_actix="$(lock_version service/Cargo.lock)"; base_actix="$(lock_version bench/baseline/Cargo.lock)"
[ -n "$svc_actix" ] || die "bench: no actix-web in service/Cargo.lock"
[ "$svc_actix" = "$base_actix" ] || die "bench: actix-web differs: service/Cargo.lock has $svc_actix, \
bench/baseline/Cargo.lock has $base_actix; run: (cd bench/baseline && cargo update -p actix-web --precise $svc_actix)"

if [ "$smoke" = 1 ]; then
  out="$REPO/build/bench-smoke"
else
  out="$REPO/build/bench${aa:+-aa}"
  wait_s="${BENCH_QUIET_WAIT:-180}"; quiet="${BENCH_QUIET_LOAD:-0.5}"
  [[ "$wait_s" =~ ^[0-9]+$ ]] || die "bench: BENCH_QUIET_WAIT must be whole seconds (got '$wait_s')"
  end=$((SECONDS + wait_s))
  while awk -v q="$quiet" '{ exit !($1 >= q) }' /proc/loadavg && [ "$SECONDS" -lt "$end" ]; do
    echo "bench: waiting for a quiet machine (load $(cut -d' ' -f1 /proc/loadavg) >= $quiet, $((end - SECONDS)) s left)"
    sleep 15
  done
fi
rm -rf "$out"; mkdir -p "$out"
echo "bench: load average $(cut -d' ' -f1-3 /proc/loadavg); results in ${out#"$REPO"/}"
python3 bench/bench.py --service service/target/release/prototype-service --service-dir service \
  --baseline bench/baseline/target/release/bench-baseline --out "$out" --wrk-script bench/wrk.lua \
  --pairs "$pairs" --duration "$duration" --warmup "$warmup" --connections "$connections" \
  --server-cpu "$server_cpu" --client-cpu "$client_cpu" --meta "actix_web=$svc_actix" "${aa[@]}"
rm -rf "$out/logs"
if [ "$smoke" = 1 ]; then
  python3 bench/report.py "$out" --smoke
  # The harness's own tests: ratios and verdicts computed right, error answers stop the bench.
  python3 -m pytest -q -p no:cacheprovider bench/test_harness.py
else
  python3 bench/report.py "$out" "${check[@]}"
fi
