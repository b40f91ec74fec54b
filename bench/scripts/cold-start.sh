#!/usr/bin/env bash
# Cold start to ready (issue 22): launches `bastion serve` from gateway/target/bastion.jar on the host JDK with a
# fresh data directory and a fresh SQLite store each time (migrations, barrier initialisation, policy seed: a first
# start), no engine and no backend, and measures launch → first `/readyz` 200 (polled every 20 ms), plus the CPU
# time the JVM used until then (user + system, from /proc: steadier than wall time on a shared machine), and the
# server's own log line of where the wiring spent its time (StartPhases).
# With --aot it first records a JDK AOT cache (JEP 483/514: classes loaded and linked, method profiles) in one
# training start, then alternates starts without and with `-XX:AOTCache` and prints both medians and their ratio.
#   bench/scripts/cold-start.sh [--rounds 5] [--aot] [-- extra JVM flags]
# BASTION_JVM_FLAGS (bin/java-home.sh) apply, as for bin/bastion.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$root/bin/java-home.sh"
rounds=5 aot=
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds=$2; shift 2 ;; --aot) aot=1; shift ;; --) shift; break ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
jar="$root/gateway/target/bastion.jar"
[ -f "$jar" ] || (cd "$root" && mvn -B -q -ntp -pl gateway -am package -DskipTests)
work=$(mktemp -d) pid=
cleanup() { if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi; rm -rf "$work"; }
trap cleanup EXIT
head -c 32 /dev/urandom | base64 > "$work/root.key"  # base64 of a 256-bit key, as the insecure-file provider reads it
now_ms() { date +%s%3N; }
tick=$(getconf CLK_TCK)
n=0

start() { # JVM flags… → prints "wall_ms cpu_ms"
  local dir="$work/start$((n += 1))" port= t0 wall cpu
  mkdir -p "$dir"
  cat > "$dir/bastion.yaml" <<YAML
server: {port: 0}
data-dir: $dir/data
barrier: {provider: insecure-file, insecure-file: {path: "$work/root.key"}}
YAML
  : > "$dir/out.log"
  t0=$(now_ms)
  java $BASTION_JVM_FLAGS "$@" -jar "$jar" serve --config "$dir/bastion.yaml" > "$dir/out.log" 2>&1 &
  pid=$!
  while [ -z "$port" ]; do
    kill -0 "$pid" 2>/dev/null || { echo "server exited:" >&2; cat "$dir/out.log" >&2; exit 1; }
    port=$(grep -o 'Bastion is serving on http://[^:]*:[0-9]*' "$dir/out.log" | grep -o '[0-9]*$' || true)
    [ -n "$port" ] || sleep 0.02
  done
  until curl -sf -o /dev/null "http://127.0.0.1:$port/readyz"; do sleep 0.02; done
  wall=$(( $(now_ms) - t0 ))
  cpu=$(awk -v t="$tick" '{print int(($14 + $15) * 1000 / t)}' "/proc/$pid/stat")
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
  grep -o 'start phases.*' "$dir/out.log" | sed 's/^/  /' >&2 || true   # the server's own breakdown (StartPhases)
  echo "$wall $cpu"
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
if [ -n "$aot" ]; then
  cache="$work/bastion.aot"
  echo "training start (records $cache): $(start -XX:AOTCacheOutput="$cache" -Xlog:aot=off "$@") (wall ms, cpu ms)" >&2
fi
plain=() cached=()
for r in $(seq 1 "$rounds"); do
  plain+=("$(start "$@")")
  line="round $r: plain ${plain[-1]}"
  if [ -n "$aot" ]; then cached+=("$(start -XX:AOTCache="$cache" -Xlog:aot=off "$@")"); line+=", aot ${cached[-1]}"; fi
  echo "$line (wall ms, cpu ms)" >&2
done
col() { printf '%s\n' "${@:2}" | cut -d' ' -f"$1" | median; }
pw=$(col 1 "${plain[@]}") pc=$(col 2 "${plain[@]}")
echo "median to /readyz 200 over $rounds first starts: wall $pw ms, cpu $pc ms"
if [ -n "$aot" ]; then
  aw=$(col 1 "${cached[@]}") ac=$(col 2 "${cached[@]}")
  echo "with the AOT cache: wall $aw ms, cpu $ac ms; ratio aot/plain wall $(awk -v a="$aw" -v b="$pw" 'BEGIN{printf "%.2f", a/b}')," \
    "cpu $(awk -v a="$ac" -v b="$pc" 'BEGIN{printf "%.2f", a/b}')"
fi
echo "load average $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
