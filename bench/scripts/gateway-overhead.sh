#!/usr/bin/env bash
# Measures Bastion's added latency, throughput and CPU per request against a zero-latency OpenAI mock, beside
# the peer gateways, with the shared yardstick (../shared/bench, or $PEERS_BENCH): wrk on CPU 0, mock + gateway
# pinned to CPU 1. Usage:
#   bench/scripts/gateway-overhead.sh [--peers] [overhead.sh options…]
# Prerequisite once: (cd ../shared/bench && ./peers-setup.sh install && ./peers-setup.sh start [peers…])
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$root/bin/java-home.sh"
bench=${PEERS_BENCH:-$root/../shared/bench}
[ -x "$bench/overhead.sh" ] || { echo "no yardstick at $bench (set PEERS_BENCH)" >&2; exit 2; }
port=${BASTION_BENCH_PORT:-18090}
mock=${MOCK_URL:-http://127.0.0.1:18000/v1}
curl -sf -m 2 "${mock%/v1}/health" >/dev/null || curl -sf -m 2 "$mock/models" >/dev/null || {
  echo "mock upstream not answering at $mock: run '$bench/peers-setup.sh start'" >&2; exit 2; }

jar="${BASTION_JAR:-$root/gateway/target/bastion.jar}"
[ -f "$jar" ] || (cd "$root" && mvn -B -q -DskipTests -pl gateway -am package)
work=$(mktemp -d)
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$work"' EXIT
cat > "$work/bastion.yaml" <<YAML
server: {port: $port, max-connections: 100000}
data-dir: $work/data
backends:
  - {name: mock, type: openai, url: "$mock", max-connections: 1024, max-classification: restricted}
models:
  - {alias: mock-model, backend: mock}
# the registry check still runs on every request; the mock model is simply not registered
governance: {insecure-serve-unregistered: true}
YAML
taskset -c "${SUT_CPUS:-1}" java $BASTION_JVM_FLAGS ${BASTION_BENCH_JVM_OPTS:-} \
  -jar "$jar" serve --config "$work/bastion.yaml" > "$work/out.log" 2>&1 &
pid=$!
for _ in $(seq 1 60); do grep -q 'bst_' "$work/out.log" 2>/dev/null && curl -sf -m 1 "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 1; done
admin=$(grep -o 'bst_[a-z2-7]\{12\}_[A-Za-z0-9_-]\{43\}' "$work/out.log" | head -1)
[ -n "$admin" ] || { echo "Bastion did not start:" >&2; cat "$work/out.log" >&2; exit 1; }
# the admin key manages but does not call models (separation of duties): make an application key
key=$(curl -sf "http://127.0.0.1:$port/bastion/v1/keys" -H "Authorization: Bearer $admin" \
  -H 'Content-Type: application/json' -d '{"name":"overhead-bench"}' | grep -o 'bst_[a-z2-7]\{12\}_[A-Za-z0-9_-]\{43\}')
[ -n "$key" ] || { echo "could not create an application key" >&2; exit 1; }
targets=("bastion=http://127.0.0.1:$port/v1/chat/completions|Authorization: Bearer $key")
if [ "${1:-}" = "--peers" ]; then
  shift
  while read -r line; do
    [ -n "$line" ] || continue
    url=${line#*=}; url=${url%%|*}; hostport=${url#http://}; hostport=${hostport%%/*}
    # peers that are not running are left out rather than failing the whole run
    if (exec 3<>"/dev/tcp/${hostport%:*}/${hostport#*:}") 2>/dev/null; then targets+=("$line")
    else echo "skipping ${line%%=*}: not listening on $hostport" >&2; fi
  done < <("$bench/peers-setup.sh" urls 2>/dev/null)
fi
echo "bastion pid $pid, key ${key:0:16}…" >&2
# The yardstick's smoke test sends its own 'authorization: Bearer sk-mock' next to ours; Bastion refuses a request
# with two Authorization headers (ambiguous credentials), so a curl shim drops the mock's one for that test only.
mkdir -p "$work/shim"
cat > "$work/shim/curl" <<'SHIM'
#!/usr/bin/env bash
args=(); skip=0
for a in "$@"; do
  if ((skip)); then skip=0; [ "$a" = "authorization: Bearer sk-mock" ] && { unset 'args[-1]'; continue; }; fi
  [ "$a" = "-H" ] && skip=1
  args+=("$a")
done
exec /usr/bin/curl "${args[@]}"
SHIM
chmod +x "$work/shim/curl"
# the direct baseline is the same mock Bastion forwards to (MOCK_URL may name another port than the default)
PATH="$work/shim:$PATH" SUT_PIDS="$pid" DIRECT_URL="${DIRECT_URL:-$mock/chat/completions}" "$bench/overhead.sh" "$@" "${targets[@]}"
