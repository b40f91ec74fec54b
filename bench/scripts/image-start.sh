#!/usr/bin/env bash
# Image figures: builds the OCI image (mvn, no daemon), then alternates cold starts of the image under runc with the
# same jars on this machine's JDK and prints medians and their ratio (docs/deploy.md). Needs root and runc
# (apt-get install runc), else falls back to unshare + chroot. Usage: bench/scripts/image-start.sh [ROUNDS]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$root/bin/java-home.sh"
cd "$root"
mvn -B -q -ntp -pl image -am package -DskipTests
mvn -B -q -ntp -pl image -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$root/image/target/test.classpath" | { grep -E "ERROR" || true; }
java -cp "image/target/test-classes:$(cat image/target/test.classpath)" dev.bastion.image.ImageStartFigures \
  image/target/bastion-image.tar "${1:-5}"
