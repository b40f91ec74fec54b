#!/usr/bin/env bash
# Times the newcomer path of the README: git clone -> bin/bastion init (builds on first run) -> bin/bastion serve ->
# the curl that init printed, against a tiny local model server on a port init scans (default 1234, LM Studio's).
# Usage: bench/scripts/newcomer-path.sh [REPO_URL_OR_PATH] [BRANCH]   (default: this checkout, its current branch)
# Needs python3 for the model server; Maven dependencies come from ~/.m2 as they would on a developer's machine.
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
src=${1:-$here}
branch=${2:-$(git -C "$here" rev-parse --abbrev-ref HEAD)}
port=${MODEL_PORT:-1234}
work=$(mktemp -d /tmp/bastion-newcomer.XXXXXX)
python3 "$here/bench/scripts/tiny_model_server.py" "$port" & model=$!
serve=
cleanup() { [ -n "$serve" ] && kill "$serve" 2>/dev/null; kill "$model" 2>/dev/null; true; }
trap cleanup EXIT
until curl -sf "http://127.0.0.1:$port/v1/models" >/dev/null; do sleep 0.1; done
now() { date +%s.%N; }
t0=$(now)
git clone -q --branch "$branch" "$src" "$work/repo"
cd "$work/repo"
t1=$(now)
bin/bastion init > init.out 2> init.err
t2=$(now)
export BASTION_APP_KEY=$(sed -n 's/^  export BASTION_APP_KEY=//p' init.out)
bin/bastion serve > serve.out 2> serve.err & serve=$!
until grep -q "Bastion is serving on" serve.out 2>/dev/null; do sleep 0.1; done
t3=$(now)
eval "$(awk '/^# curl/{f=1;next} f&&/^$/{exit} f' init.out)" > answer.json
t4=$(now)
grep -q '"choices"' answer.json || { echo "no answer: $(cat answer.json)" >&2; exit 1; }
printf 'clone %.1f s, init incl. first build %.1f s, serve start %.1f s, first answer %.2f s, total %.1f s (in %s)\n' \
  "$(echo "$t1-$t0" | bc)" "$(echo "$t2-$t1" | bc)" "$(echo "$t3-$t2" | bc)" "$(echo "$t4-$t3" | bc)" \
  "$(echo "$t4-$t0" | bc)" "$work"
