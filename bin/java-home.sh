# Sourced by the bin/ scripts: finds a JDK 25 without assuming JAVA_HOME is set (the default java here is 17).
find_jdk25() {
  local c
  for c in "${BASTION_JAVA_HOME:-}" "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*25* /opt/java/*25*; do
    [ -n "$c" ] && [ -x "$c/bin/java" ] || continue
    if "$c/bin/java" -version 2>&1 | head -1 | grep -Eq '"(2[5-9]|[3-9][0-9])[".]'; then
      echo "$c"; return 0
    fi
  done
  echo "bastion: no JDK 25 found; set BASTION_JAVA_HOME to one" >&2
  return 1
}
JAVA_HOME=$(find_jdk25) || exit 1
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
# The JVM flags Bastion runs with, shared by bin/bastion and the benchmarks so that they measure what ships.
# No GC is forced: the JVM's choice (G1; Serial on one CPU) cost a third less CPU per proxied request than ZGC
# in the gateway-overhead runs (docs/benchmarks.md). No incubator module is added: no code uses one, and the JVM
# would greet every command with "WARNING: Using incubator modules". Libraries' use of sun.misc.Unsafe (protobuf,
# under CEL) is allowed without JDK 25's four-line warning (EveryCommandHelpsTest runs a command with these flags).
BASTION_JVM_FLAGS="--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow"
