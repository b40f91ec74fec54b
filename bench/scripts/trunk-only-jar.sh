#!/usr/bin/env bash
# Builds a bastion.jar whose pipeline has only the trunk stages (observe, authenticate, parse, route, forward) from
# the current commit, so issue 2's trunk figures can be measured on today's code: the security stages (seal gate,
# refusal audit, inspect, authorize, transform, audit) are cut out of Wiring in a throw-away worktree. Never ship it.
# Prints the jar's path. Usage: BASTION_JAR=$(bench/scripts/trunk-only-jar.sh) bench/scripts/gateway-overhead.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$root/bin/java-home.sh"
out=${TRUNK_ONLY_DIR:-/tmp/bastion-trunk-only}
rm -rf "$out"; git -C "$root" worktree prune
git -C "$root" worktree add -q --detach "$out" HEAD >&2
# uncommitted edits count too: measure what is in the working tree
git -C "$root" diff HEAD | (cd "$out" && git apply --allow-empty) >&2
wiring="$out/gateway/src/main/java/dev/bastion/server/Wiring.java"
before=$(wc -l < "$wiring")
sed -i -E '/^ +new (SealGate\(|RefusalAuditStage\(|InspectStage\(|AuthorizeStage\(|AuditStage\()/d;
           /^ +new TransformStage\(/,/\)\),?$/d' "$wiring"
# the last remaining stage before the terminal must close the List.of(
sed -i -E 's/^( +new RouteStage\(catalog\)),$/\1),/' "$wiring"
removed=$((before - $(wc -l < "$wiring")))
[ "$removed" -eq 7 ] || { echo "trunk-only: expected to cut 7 lines from Wiring, cut $removed — update this script" >&2; exit 1; }
(cd "$out" && mvn -B -q -o -DskipTests -pl gateway -am package) >&2
echo "$out/gateway/target/bastion.jar"
