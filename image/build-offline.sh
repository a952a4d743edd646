#!/usr/bin/env bash
# Builds a runnable Berth image without internet access (no base image can be pulled): FROM scratch
# with a jlink'ed Java runtime, the glibc libraries it needs, and a static busybox as /bin/sh.
#
#   image/build-offline.sh [TAG]        default tag: $BERTH_IMAGE, else berth:dev
#
# The image has the layout of the Dockerfile's runtime stage (eclipse-temurin:25-jre):
#   /opt/java/openjdk                   Java runtime (JAVA_HOME), here jlink'ed with the modules jdeps finds
#   /opt/berth/berth.jar, lib/          the application (one jar with its dependencies), and lib/s3/, the S3
#                                       driver's (the AWS SDK), which the server loads for S3 configurations, and
#                                       lib/tls/, Bouncy Castle and Jetty's HTTP/2, which it loads for TLS
#   /etc/docker/registry/config.yml     image/config.yml, registry:2's default configuration
#   /entrypoint.sh                      image/docker-entrypoint.sh (registry:2's argument conventions)
#   /usr/local/bin/berth, htpasswd      image/berth, image/htpasswd (so --entrypoint htpasswd works)
#   /opt/berth/berth.aot                the start-up cache image/berth serves with, made by a training run
#                                       in the image (RUN berth aot-training) for exactly its runtime and jars;
#                                       berth-s3.aot the same for S3 registries (RUN berth aot-training s3),
#                                       berth-tls.aot for filesystem ones on TLS (RUN berth aot-training tls)
#   /var/lib/registry                   VOLUME, owned by berth (10001:10001); USER 10001:10001; EXPOSE 5000
# Why busybox: `docker run --entrypoint htpasswd IMAGE -Bbn USER PASS` must run `berth htpasswd` with the
# JVM's arguments added, and a scratch image has no shell to do that. A static busybox (~2 MB, Debian's
# busybox-static) as /bin/sh runs the same small scripts as the JRE image; nothing else of it is linked in.
#
# Environment:
#   JAVA_HOME             a JDK 25 with jlink/jdeps (default: as ./berth finds it, /usr/lib/jvm/temurin-25-jdk-amd64)
#   BERTH_EXTRA_MODULES   modules added to jdeps' list (comma-separated), e.g. jdk.jcmd for debugging
#   BERTH_IMAGE_FORCE=1   rebuild even if TAG already holds an image built from the same inputs
#   BERTH_KEEP_CONTEXT=1  keep the build context directory (printed) for inspection
#   BERTH_IMAGE_CACHE     jdeps results and jlink'ed runtimes (default target/runtimes, which ./berth shares)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
tag=${1:-${BERTH_IMAGE:-berth:dev}}
uid=10001
cache=${BERTH_IMAGE_CACHE:-$root/target/runtimes}
say() { printf 'build-offline: %s\n' "$*" >&2; }
fail() { say "ERROR: $*"; exit 1; }

jdk_major() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p'; }
jdk=""
for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*; do
  if [ -n "$candidate" ] && [ -x "$candidate/bin/jlink" ] && [ -x "$candidate/bin/jdeps" ] &&
     [ "$(jdk_major "$candidate")" -ge 25 ] 2>/dev/null; then
    jdk=$candidate; break
  fi
done
[ -n "$jdk" ] || fail "no JDK 25+ with jlink and jdeps found (set JAVA_HOME)"
command -v docker >/dev/null || fail "the docker CLI is needed"
busybox=/bin/busybox
[ -x "$busybox" ] || busybox=$(command -v busybox || true)
{ [ -n "$busybox" ] && ! ldd "$busybox" >/dev/null 2>&1; } ||
  fail "a statically linked busybox is needed (apt-get install busybox-static)"

# 1. the jar: ./berth builds it when it is missing or older than the sources
say "checking the jar (./berth version builds it if stale)"
version=$("$root/berth" version | awk 'NR == 1 {print $NF}')

ctx=$(mktemp -d "${TMPDIR:-/tmp}/berth-image.XXXXXX")
if [ "${BERTH_KEEP_CONTEXT:-0}" = 1 ]; then
  say "keeping the build context in $ctx"
else
  trap 'rm -rf "$ctx"' EXIT
fi
fs=$ctx/rootfs
mkdir -p "$fs/opt/berth/lib" "$fs/etc/docker/registry" "$fs/usr/local/bin" "$fs/bin" "$fs/tmp" \
  "$fs/var/lib/registry"

# 2. a snapshot of the application: berth.jar, which holds its dependencies
cp "$root/target/berth.jar" "$fs/opt/berth/berth.jar"
# the S3 driver's jars and TLS's, beside them as in target/: the server loads them itself for a configuration that
# names S3, and once it reads or makes TLS material
for beside in s3 tls; do
  mkdir -p "$fs/opt/berth/lib/$beside"
  jars=("$root"/target/lib/$beside/*.jar)
  [ -f "${jars[0]}" ] || fail "target/lib/$beside holds no jars"
  cp "${jars[@]}" "$fs/opt/berth/lib/$beside/"
done

# Skip the build when TAG already holds an image made from the same inputs.
inputs=$(cd "$fs/opt/berth" && {
  sha256sum berth.jar lib/s3/*.jar lib/tls/*.jar
  (cd "$here" && sha256sum build-offline.sh runtime.sh config.yml docker-entrypoint.sh berth htpasswd storage-guess.sh)
  sha256sum "$jdk/release" "$busybox"
  echo "${BERTH_EXTRA_MODULES:-}"
} | sha256sum | cut -d' ' -f1)
if [ "${BERTH_IMAGE_FORCE:-0}" != 1 ] &&
   [ "$(docker image inspect --format '{{index .Config.Labels "dev.berth.image.inputs"}}' "$tag" 2>/dev/null)" = "$inputs" ]; then
  say "$tag is up to date (inputs $inputs); BERTH_IMAGE_FORCE=1 rebuilds it"
  exit 0
fi

# 3. the Java runtime ./berth runs on too (image/runtime.sh): the modules jdeps finds, jlink'ed, cached in $cache
. "$here/runtime.sh"
make_runtime "$jdk" "$cache" "$fs/opt/berth/berth.jar" "$fs"/opt/berth/lib/s3/*.jar "$fs"/opt/berth/lib/tls/*.jar ||
  fail "could not make the Java runtime"
mkdir -p "$fs/opt/java"
cp -a "$runtime" "$fs/opt/java/openjdk"

# 4. the shared libraries the runtime's executables and libraries load (glibc; Temurin bundles zlib and
# freetype). Not those of the X11/ALSA libraries of java.desktop (AWT windows, sound, splash screen):
# a headless server never loads them, and they would pull in libX11 & co.
libs=$(find "$fs/opt/java/openjdk" -type f \( -name '*.so' -o -path '*/bin/*' \) \
    ! -name libawt_xawt.so ! -name libjawt.so ! -name libsplashscreen.so ! -name libjsound.so \
    -exec ldd {} \; 2>/dev/null |
  awk '$2 == "=>" && $3 ~ /^\// && $3 !~ /\/opt\/java\// {print $3} $1 ~ /^\/lib64\// {print $1}' | sort -u)
[ -n "$libs" ] || fail "ldd found no libraries for the Java runtime"
for lib in $libs; do
  mkdir -p "$fs$(dirname "$lib")"
  cp -L "$lib" "$fs$lib"
done

# 5. shell, users, configuration, scripts
cp "$busybox" "$fs/bin/busybox"
ln -s busybox "$fs/bin/sh"
printf 'root:x:0:0:root:/root:/sbin/nologin\nberth:x:%s:%s:Berth registry:/nonexistent:/sbin/nologin\n' \
  "$uid" "$uid" >"$fs/etc/passwd"
printf 'root:x:0:\nberth:x:%s:\n' "$uid" >"$fs/etc/group"
printf 'passwd: files\ngroup: files\nhosts: files dns\n' >"$fs/etc/nsswitch.conf"
install -m 0644 "$here/config.yml" "$fs/etc/docker/registry/config.yml"
install -m 0755 "$here/docker-entrypoint.sh" "$fs/entrypoint.sh"
install -m 0755 "$here/berth" "$here/htpasswd" "$fs/usr/local/bin/"
install -m 0644 "$here/storage-guess.sh" "$fs/opt/berth/storage-guess.sh"
chmod 1777 "$fs/tmp"
chmod 0755 "$fs/var/lib/registry"

# 6. one layer, ownership set in the tar (ADD of a local tar keeps it): root everywhere but the volume
tar -C "$fs" --sort=name --numeric-owner --owner=0 --group=0 --exclude=./var/lib/registry -cf "$ctx/rootfs.tar" .
tar -C "$fs" --numeric-owner --owner="$uid" --group="$uid" -rf "$ctx/rootfs.tar" ./var/lib/registry
rm -rf "$fs"
cat >"$ctx/Dockerfile" <<EOF
FROM scratch
ADD rootfs.tar /
ENV JAVA_HOME=/opt/java/openjdk PATH=/usr/local/bin:/opt/java/openjdk/bin:/usr/bin:/bin LANG=C.UTF-8
RUN ["berth", "aot-training"]
RUN ["berth", "aot-training", "s3"]
RUN ["berth", "aot-training", "tls"]
LABEL org.opencontainers.image.title=Berth org.opencontainers.image.version=$version dev.berth.image.inputs=$inputs
USER $uid:$uid
VOLUME ["/var/lib/registry"]
EXPOSE 5000
ENTRYPOINT ["/entrypoint.sh"]
CMD ["/etc/docker/registry/config.yml"]
EOF

# 7. docker build with the legacy builder (no BuildKit/buildx here)
say "docker build -t $tag ($(du -sh "$ctx/rootfs.tar" | cut -f1) root filesystem)"
previous=$(docker image inspect --format '{{.Id}}' "$tag" 2>/dev/null || true)
# The RUN step (the start-up cache's training run) needs only loopback, which --network=none keeps.
if ! out=$(DOCKER_BUILDKIT=0 docker build --network=none --tag "$tag" "$ctx" 2>&1); then
  printf '%s\n' "$out" >&2
  fail "docker build failed"
fi
# the image TAG named before, now untagged: remove it unless a container still uses it
if [ -n "$previous" ] && [ "$previous" != "$(docker image inspect --format '{{.Id}}' "$tag")" ] &&
   [ "$(docker image inspect --format '{{len .RepoTags}}' "$previous" 2>/dev/null)" = 0 ]; then
  docker rmi "$previous" >/dev/null 2>&1 || true
fi
say "built $tag: berth $version, $(docker image inspect --format '{{.Size}}' "$tag" | awk '{printf "%.1f MB", $1 / 1e6}')"
