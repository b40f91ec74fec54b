#!/usr/bin/env bash
# Replica throughput scaling 1 → 3 on PostgreSQL (issue 22): three Bastion servers on one fresh PostgreSQL database
# in front of the zero-latency mock upstream (../shared/bench/mock-upstream.mjs), closed-loop load
# (ReplicaScalingRun: CLIENTS connections, round-robin like a Service) against replica 1 alone and against all three,
# alternating 1,3,3,1… over ROUNDS, then medians and their ratio. Every process shares this machine's cores — see
# docs/benchmarks.md for what that means for the ratio. Usage:
#   bench/scripts/replica-scaling.sh [--rounds 2] [--seconds 20] [--warmup 10] [--clients 64]
# PostgreSQL: $BASTION_BENCH_PG_HOST:5432 (127.0.0.1) as $BASTION_BENCH_PG_USER (bastion) / $BASTION_BENCH_PG_PASSWORD
# (bastion), as bin/test-postgres sets it up; the database is dropped afterwards.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$root/bin/java-home.sh"
rounds=2 seconds=20 warmup=10 clients=64
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds=$2; shift 2 ;; --seconds) seconds=$2; shift 2 ;; --warmup) warmup=$2; shift 2 ;;
    --clients) clients=$2; shift 2 ;; *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
shared=${PEERS_BENCH:-$root/../shared/bench}
[ -d "$shared" ] || shared=$root/../../shared/bench   # from a worktree under wt/
mockjs=$shared/mock-upstream.mjs
[ -f "$mockjs" ] || { echo "no mock upstream at $mockjs (set PEERS_BENCH)" >&2; exit 2; }
jar="$root/bench/target/bastion-bench.jar"
[ -f "$jar" ] || (cd "$root" && mvn -B -q -pl bench -am package -DskipTests)
pg_host=${BASTION_BENCH_PG_HOST:-127.0.0.1} pg_user=${BASTION_BENCH_PG_USER:-bastion}
export PGPASSWORD=${BASTION_BENCH_PG_PASSWORD:-bastion}
work=$(mktemp -d) db="bastion_bench_replicas_$$" started=()
cleanup() {
  for p in "${started[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  dropdb -h "$pg_host" -U "$pg_user" --if-exists "$db" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
createdb -h "$pg_host" -U "$pg_user" "$db"

mock_port=${MOCK_PORT:-18102}
env MOCK_CHUNK_DELAY_MS=0 node "$mockjs" "$mock_port" > "$work/mock.log" 2>&1 &
started+=($!)
for _ in $(seq 1 50); do curl -sf -m 1 "http://127.0.0.1:$mock_port/health" >/dev/null && break; sleep 0.2; done
head -c 32 /dev/urandom | base64 > "$work/root.key"  # base64 of a 256-bit key, as the insecure-file provider reads it

urls=()
replica() { # n: starts replica n, waits until it serves
  local n=$1 dir="$work/r$1"
  mkdir -p "$dir"
  cat > "$dir/bastion.yaml" <<YAML
server: {port: 0, max-connections: 100000}
data-dir: $dir/data
store: {type: postgres, url: "jdbc:postgresql://$pg_host:5432/$db", user: $pg_user, password: "$PGPASSWORD", pool-size: 16}
barrier: {provider: insecure-file, insecure-file: {path: "$work/root.key"}}
backends:
  - {name: mock, type: openai, url: "http://127.0.0.1:$mock_port/v1", max-connections: 1024, max-classification: restricted}
models:
  - {alias: mock-model, backend: mock}
# the registry check still runs on every request; the mock model is simply not registered
governance: {insecure-serve-unregistered: true}
YAML
  java $BASTION_JVM_FLAGS ${BASTION_BENCH_JVM_OPTS:-} -jar "$root/gateway/target/bastion.jar" serve \
    --config "$dir/bastion.yaml" > "$dir/out.log" 2>&1 &
  started+=($!)
  for _ in $(seq 1 600); do grep -q 'Bastion is serving on' "$dir/out.log" && break; sleep 0.2; done
  urls+=("$(grep -o 'Bastion is serving on [^ ]*' "$dir/out.log" | awk '{print $5}')")
}
replica 1
admin=$(grep -o 'bst_[a-z2-7]\{12\}_[A-Za-z0-9_-]\{43\}' "$work/r1/out.log" | head -1)
[ -n "$admin" ] || { echo "replica 1 did not start:" >&2; cat "$work/r1/out.log" >&2; exit 1; }
key=$(curl -sf "${urls[0]}/bastion/v1/keys" -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
  -d '{"name":"replica-scaling"}' | grep -o 'bst_[a-z2-7]\{12\}_[A-Za-z0-9_-]\{43\}')
replica 2; replica 3
echo "replicas: ${urls[*]}" >&2

run() { # label, urls…
  java -cp "$jar" dev.bastion.bench.replicas.ReplicaScalingRun "$key" "${@:2}" --clients "$clients" \
    --seconds "$seconds" --warmup "$warmup" --label "$1" | tee -a "$work/results"
}
for r in $(seq 1 "$rounds"); do
  if [ $((r % 2)) = 1 ]; then run one "${urls[0]}"; run three "${urls[@]}"
  else run three "${urls[@]}"; run one "${urls[0]}"; fi
done
awk '/^RESULT/ { for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
       n[v["label"]]++; rps[v["label"], n[v["label"]]] = v["rps"] }
     function median(l,   k, a, i, j, t) { k = n[l]; for (i = 1; i <= k; i++) a[i] = rps[l, i];
       for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
       return k % 2 ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2 }
     END { one = median("one"); three = median("three");
           printf "median requests/s: 1 replica %.0f, 3 replicas %.0f, ratio %.2f (%d rounds)\n", one, three, three / one, n["one"] }' \
  "$work/results"
