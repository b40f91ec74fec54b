#!/usr/bin/env bash
# What the durable audit accept record adds to a model request at a fixed request rate (issue 4: "≤ 1 ms p99 at
# 1,000 requests/s"). Open-loop load (AuditLoadRun) against Bastion in front of the zero-latency mock upstream
# (../shared/bench/mock-upstream.mjs, started here on its own port), in two modes that differ only in the accept
# append (AuditBenchServer --no-accept swaps it for a dummy index at run time; complete records, writer and
# integrator still run), alternating ABBA over rounds, plus the mock alone. Bastion + mock are pinned to
# SUT_CPUS (default 1), the load generator to LOAD_CPUS (default 0); empty = unpinned. Usage:
#   bench/scripts/audit-load.sh [--rate 1000] [--seconds 20] [--warmup 10] [--rounds 2] [--store sqlite|postgres]
#                               [--data-root DIR]
# --data-root puts the SQLite data there (default: a temp dir on the disk). /dev/shm (tmpfs, where fsync costs
# nothing and nothing is durable) separates the software's share of the accept append from the disk's.
# PostgreSQL: a fresh database per run on $BASTION_BENCH_PG_HOST:5432 (default 127.0.0.1) as $BASTION_BENCH_PG_USER
# (bastion) with $BASTION_BENCH_PG_PASSWORD (bastion), dropped afterwards.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$root/bin/java-home.sh"
rate=1000 seconds=20 warmup=10 rounds=2 store=sqlite data_root=
while [ $# -gt 0 ]; do
  case "$1" in
    --rate) rate=$2; shift 2 ;; --seconds) seconds=$2; shift 2 ;; --warmup) warmup=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;; --store) store=$2; shift 2 ;; --data-root) data_root=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
shared=${PEERS_BENCH:-$root/../shared/bench}
[ -d "$shared" ] || shared=$root/../../shared/bench   # from a worktree under wt/
mockjs=$shared/mock-upstream.mjs
[ -f "$mockjs" ] || { echo "no mock upstream at $mockjs (set PEERS_BENCH)" >&2; exit 2; }
jar="$root/bench/target/bastion-bench.jar"
[ -f "$jar" ] || (cd "$root" && mvn -B -q -pl bench -am package -DskipTests)
sut=${SUT_CPUS-1} load=${LOAD_CPUS-0}
# command prefixes, not functions: a backgrounded function would run in a subshell whose PID ($!) is not the server's
on_sut=() on_load=()
[ -n "$sut" ] && on_sut=(taskset -c "$sut")
[ -n "$load" ] && on_load=(taskset -c "$load")
pg_host=${BASTION_BENCH_PG_HOST:-127.0.0.1} pg_user=${BASTION_BENCH_PG_USER:-bastion}
export PGPASSWORD=${BASTION_BENCH_PG_PASSWORD:-bastion}

work=$(mktemp -d ${data_root:+-p "$data_root"})
started=() dbs=()
cleanup() {
  for p in "${started[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  for d in "${dbs[@]}"; do dropdb -h "$pg_host" -U "$pg_user" --if-exists "$d" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

mock_port=${MOCK_PORT:-18101}
"${on_sut[@]}" env MOCK_CHUNK_DELAY_MS=0 node "$mockjs" "$mock_port" > "$work/mock.log" 2>&1 &
started+=($!)
for _ in $(seq 1 50); do curl -sf -m 1 "http://127.0.0.1:$mock_port/health" >/dev/null && break; sleep 0.2; done

results="$work/results"
run=0
bastion() { # mode: full | no-accept
  local mode=$1 dir="$work/run$((++run))" storeyaml="" pid key
  mkdir -p "$dir"; : > "$dir/out.log"
  if [ "$store" = postgres ]; then
    local db="bastion_bench_audit_$$_$run"
    createdb -h "$pg_host" -U "$pg_user" "$db"; dbs+=("$db")
    storeyaml="store: {type: postgres, url: \"jdbc:postgresql://$pg_host:5432/$db\", user: $pg_user, password: \"$PGPASSWORD\", pool-size: 16}"
  fi
  cat > "$dir/bastion.yaml" <<YAML
server: {port: 0, max-connections: 100000}
data-dir: $dir/data
$storeyaml
backends:
  - {name: mock, type: openai, url: "http://127.0.0.1:$mock_port/v1", max-connections: 1024}
models:
  - {alias: mock-model, backend: mock}
# the registry check still runs on every request; the mock model is simply not registered
governance: {insecure-serve-unregistered: true}
YAML
  "${on_sut[@]}" java $BASTION_JVM_FLAGS ${BASTION_BENCH_JVM_OPTS:-} -cp "$jar" \
    dev.bastion.bench.audit.AuditBenchServer "$dir/bastion.yaml" $([ "$mode" = no-accept ] && echo --no-accept) \
    > "$dir/out.log" 2>&1 &
  pid=$!; started+=($pid)
  for _ in $(seq 1 300); do grep -q 'Bastion is serving on' "$dir/out.log" && break; kill -0 $pid 2>/dev/null || break; sleep 0.2; done
  local url; url=$(grep -o 'Bastion is serving on [^ ]*' "$dir/out.log" | awk '{print $5}')
  key=$(grep -o 'bst_[a-z2-7]\{12\}_[A-Za-z0-9_-]\{43\}' "$dir/out.log" | head -1)
  [ -n "$url" ] && [ -n "$key" ] || { echo "Bastion did not start:" >&2; cat "$dir/out.log" >&2; exit 1; }
  "${on_load[@]}" java -cp "$jar" dev.bastion.bench.audit.AuditLoadRun "$url" "$key" --rate "$rate" \
    --seconds "$seconds" --warmup "$warmup" --label "$mode" | tee -a "$results" | grep -v '^RESULT' >&2
  kill -TERM $pid; wait $pid 2>/dev/null || true
}

for r in $(seq 1 "$rounds"); do
  if [ $((r % 2)) = 1 ]; then bastion full; bastion no-accept; else bastion no-accept; bastion full; fi
done
"${on_load[@]}" java -cp "$jar" dev.bastion.bench.audit.AuditLoadRun "http://127.0.0.1:$mock_port" --rate "$rate" \
  --seconds "$seconds" --warmup "$warmup" --label mock-direct | tee -a "$results" | grep -v '^RESULT' >&2

echo
echo "store=$store data=$(df --output=fstype "$work" | tail -1) rate=$rate/s seconds=$seconds warmup=$warmup rounds=$rounds sut_cpus=${sut:-all} load_cpus=${load:-all}"
echo "| run | achieved/s | errors | e2e p50 ms | e2e p99 ms | e2e p99.9 ms | accept append p50 ms | accept append p99 ms | server p50 ms | server p99 ms | load avg before→after |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
grep '^RESULT' "$results" | while read -r _ rest; do
  declare -A v=(); for kv in $rest; do v[${kv%%=*}]=${kv#*=}; done
  echo "| ${v[label]} | ${v[achieved]} | ${v[errors]} | ${v[e2e_p50_ms]} | ${v[e2e_p99_ms]} | ${v[e2e_p999_ms]} | ${v[append_p50_ms]:--} | ${v[append_p99_ms]:--} | ${v[server_p50_ms]:--} | ${v[server_p99_ms]:--} | ${v[load_before]%%,*}→${v[load_after]%%,*} |"
  unset v
done
