#!/usr/bin/env bash
# Assembles the two base layers of the OCI image from what the build machine already has, so the build pulls no
# base image from any container registry (CI reaches Maven Central and Debian only):
#   runtime/  /opt/java — a jlink'ed Java runtime made from the JDK 25 the build runs on
#   os/       the few Debian shared libraries that runtime and the bundled natives need (glibc, libstdc++, libgcc,
#             libgomp), util-linux's unshare (network isolation of the engine worker), /etc/passwd with the
#             unprivileged user, and the Debian copyright files of every package copied.
# No shell, no package manager, no coreutils. Output is a pure function of the JDK and the Debian packages
# installed (recorded in os/usr/share/bastion/base.txt), which is what makes the image reproducible.
# Usage: rootfs.sh OUT_DIR JAVA_HOME NATIVE_JAR...   (NATIVE_JAR: jars whose bundled linux-x86_64 natives must load)
set -euo pipefail
out=$1 jdk=$2
shift 2
# the desktop natives that need X11/ALSA are left out (the server runs headless). Modules: what jdeps reports for bastion.jar + bastion-engine.jar and their libraries, plus the modules only reached
# through ServiceLoader or flags: PKCS#11 (HSM key provider), zip file systems
modules=java.base,java.compiler,java.desktop,java.naming,java.net.http,java.security.jgss,java.sql,jdk.management
modules=$modules,jdk.unsupported,jdk.crypto.cryptoki,jdk.zipfs
arch_dir=/usr/lib/x86_64-linux-gnu

rm -rf "$out"
mkdir -p "$out/runtime/opt" "$out/os$arch_dir" "$out/os/lib64" "$out/os/usr/bin" "$out/os/etc" \
  "$out/os/usr/share/bastion" "$out/os/usr/share/doc" "$out/os/tmp" "$out/os/data" "$out/os/etc/bastion" \
  "$out/os/proc" "$out/os/sys" "$out/os/dev" \
  "$out/sbom/app/sbom"  # the CycloneDX plugin writes here (online builds only: it skips itself under mvn -o)

"$jdk/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files \
  --exclude-files='**/libawt_xawt.so,**/libjawt.so,**/libsplashscreen.so,**/libjsound.so' \
  --generate-cds-archive --output "$out/runtime/opt/java"

# the archive for heaps over 32 GiB (no compressed oops) is 15 MB that a container sized for Bastion never uses
rm "$out/runtime/opt/java/lib/server/classes_nocoops.jsa"

# shared libraries: everything the runtime's ELF files and the bundled natives link against, resolved on this host
natives=$(mktemp -d)
trap 'rm -rf "$natives"' EXIT
for jar in "$@"; do
  (cd "$natives" && "$jdk/bin/jar" xf "$jar" $("$jdk/bin/jar" tf "$jar" | grep -E '(^|/)Linux/(x86_64|amd64)/[^/]+\.so$'))
done
elfs=$(find "$out/runtime/opt/java" "$natives" -name '*.so' -o -path '*/bin/*' -type f; echo /usr/bin/unshare)
libs=$(for f in $elfs; do LD_LIBRARY_PATH="$out/runtime/opt/java/lib:$out/runtime/opt/java/lib/server" ldd "$f" 2>/dev/null \
  | awk '$2 == "=>" && $3 ~ /^\/(usr\/)?lib/ {print $3}'; done | sort -u)
missing=$(for f in $elfs; do LD_LIBRARY_PATH="$out/runtime/opt/java/lib:$out/runtime/opt/java/lib/server" ldd "$f" 2>/dev/null \
  | awk '/not found/ {print $1}'; done | sort -u | grep -v '^libjvm.so$' || true)
if [ -n "$missing" ]; then
  echo "rootfs.sh: shared libraries not installed on this machine: $missing (Debian: libgomp1, libstdc++6)" >&2
  exit 1
fi
# dlopen'ed, not linked: glibc loads libgcc_s for thread cancellation
libs="$libs $arch_dir/libgcc_s.so.1"
for lib in $(printf '%s\n' $libs | xargs -n1 basename | sort -u); do
  cp -L "$arch_dir/$lib" "$out/os$arch_dir/$lib"
done
cp -L /lib64/ld-linux-x86-64.so.2 "$out/os/lib64/ld-linux-x86-64.so.2"
cp -L /usr/bin/unshare "$out/os/usr/bin/unshare"

# which Debian packages those files came from, their versions and copyright files
{
  echo "java.runtime: $("$jdk/bin/java" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.runtime.version/ {print $2}')"
  echo "java.vendor: $("$jdk/bin/java" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.vendor = / {print $2}')"
  echo "java.modules: $modules"
  for f in $(cd "$out/os" && find usr/lib lib64 usr/bin -type f | sort); do
    pkg=""  # dpkg knows a file under one of the merged-/usr aliases only
    for alias in "/$f" "$(readlink -f "/$f")" "/${f#usr/}" "$(readlink -f "/${f#usr/}")"; do
      [ -n "$pkg" ] || pkg=$(dpkg -S "$alias" 2>/dev/null | head -1 | cut -d: -f1) || true
    done
    [ -n "$pkg" ] || { echo "rootfs.sh: no Debian package owns /$f" >&2; exit 1; }
    echo "/$f: $pkg $(dpkg-query -W -f='${Version}' "$pkg")"
    if [ -f "/usr/share/doc/$pkg/copyright" ]; then
      mkdir -p "$out/os/usr/share/doc/$pkg"
      cp "/usr/share/doc/$pkg/copyright" "$out/os/usr/share/doc/$pkg/copyright"
    fi
  done
} > "$out/os/usr/share/bastion/base.txt"

# the unprivileged user the image runs as (65532, the usual "nonroot" id); no login shell exists
printf 'root:x:0:0:root:/nonexistent:/nonexistent\nbastion:x:65532:65532:bastion:/data:/nonexistent\n' \
  > "$out/os/etc/passwd"
printf 'root:x:0:\nbastion:x:65532:\n' > "$out/os/etc/group"
printf 'passwd: files\ngroup: files\nhosts: files dns\n' > "$out/os/etc/nsswitch.conf"
touch "$out/os/tmp/.keep" "$out/os/data/.keep" "$out/os/etc/bastion/.keep"
