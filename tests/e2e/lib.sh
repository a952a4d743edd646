# shellcheck shell=bash disable=SC2034
# Shared helpers for Berth's end-to-end tests. Source it from a test script:
#   . "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
#
# Environment:
#   REGISTRY_CMD   command that serves a distribution-format config file, run from the
#                  repo root with the config path appended (default: "./berth serve";
#                  "docker-registry serve" proves the scripts against CNCF distribution).
#   REF_REGISTRY_CMD  the reference registry for layout-compat and gc-compat (default "docker-registry serve").
#   E2E_KEEP_TMP=1 keep the temp dir (logs, data) after the run.
#   E2E_START_TIMEOUT seconds to wait for a registry's /v2/ (default 120; the first
#                  ./berth serve may build the jar).

set -uo pipefail
export DEBIAN_FRONTEND=noninteractive
E2E_SCRIPT=$(basename "$0")

log() { printf '[%s %s] %s\n' "$(date +%H:%M:%S)" "$E2E_SCRIPT" "$*" >&2; }

# ensure_tools [CMD=PACKAGE...]: install whatever the e2e tests (and the extra CMD=PACKAGE
# pairs) need and is missing; apt-get update + install only when something is missing. Exits
# non-zero if a tool is still missing afterwards: never skip a test for a missing tool.
ensure_tools() {
  local -A pkg_for=(
    [dockerd]=docker.io [skopeo]=skopeo [podman]=podman [docker-registry]=docker-registry
    [htpasswd]=apache2-utils [curl]=curl [jq]=jq [gzip]=gzip [tar]=tar [sha256sum]=coreutils
    [timeout]=coreutils [runc]=runc
  )
  local missing=() t pair
  for pair in "$@"; do pkg_for[${pair%%=*}]=${pair#*=}; done
  for t in "${!pkg_for[@]}"; do
    command -v "$t" >/dev/null 2>&1 || missing+=("${pkg_for[$t]}")
  done
  command -v docker >/dev/null 2>&1 || missing+=(docker.io)
  [ -x /bin/busybox ] || missing+=(busybox-static)
  if [ ${#missing[@]} -gt 0 ]; then
    # shellcheck disable=SC2207
    missing=($(printf '%s\n' "${missing[@]}" | sort -u))
    log "installing missing packages: ${missing[*]}"
    if [ "$(id -u)" != 0 ]; then
      echo "ensure_tools: missing ${missing[*]} and not root; cannot install" >&2
      exit 1
    fi
    timeout 600 apt-get update -qq -o DPkg::Lock::Timeout=120 </dev/null || { echo "ensure_tools: apt-get update failed" >&2; exit 1; }
    # Don't let package scripts start system services (dockerd, docker-registry on :5000).
    local policy=/usr/sbin/policy-rc.d created_policy=0
    if [ ! -e "$policy" ]; then
      printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && created_policy=1
    fi
    timeout 1200 apt-get install -y -qq -o DPkg::Lock::Timeout=120 --no-install-recommends "${missing[@]}" </dev/null
    local rc=$?
    [ "$created_policy" = 1 ] && rm -f "$policy"
    if [ $rc -ne 0 ]; then echo "ensure_tools: apt-get install ${missing[*]} failed (exit $rc)" >&2; exit 1; fi
  fi
  local still=()
  for t in "${!pkg_for[@]}" docker; do
    command -v "$t" >/dev/null 2>&1 || still+=("$t")
  done
  [ -x /bin/busybox ] || still+=(/bin/busybox)
  if [ ${#still[@]} -gt 0 ]; then
    echo "ensure_tools: still missing after install: ${still[*]}" >&2
    exit 1
  fi
}

# `. lib.sh --tools-only` stops here: ensure_tools and log, no test harness (no traps).
if [ "${1:-}" = --tools-only ]; then return 0; fi

E2E_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$E2E_DIR/../.." && pwd)
REGISTRY_CMD=${REGISTRY_CMD:-./berth serve}
REF_REGISTRY_CMD=${REF_REGISTRY_CMD:-docker-registry serve}
E2E_START_TIMEOUT=${E2E_START_TIMEOUT:-120}

E2E_PASSED=0
E2E_FAILED=0
E2E_FINISHED=0
E2E_TMP=$(mktemp -d /tmp/berth-e2e.XXXXXX)
declare -A REG_PID=() REG_LOG=()
DOCKERD_DIR=""
DOCKERD_PID=""

# ---------------------------------------------------------------- results

pass() { E2E_PASSED=$((E2E_PASSED + 1)); printf 'PASS: %s\n' "$1"; }

fail() {
  E2E_FAILED=$((E2E_FAILED + 1))
  printf 'FAIL: %s\n' "$1"
  log_tails
}

log_tails() {  # of the registries that are running now, and of the docker engine's debug log
  local n
  for n in "${!REG_PID[@]}"; do
    [ -s "${REG_LOG[$n]:-}" ] || continue
    printf -- '---- last lines of registry %s log (%s) ----\n' "$n" "${REG_LOG[$n]}"
    tail -n 25 "${REG_LOG[$n]}" | sed 's/^/    /'
  done
  if [ -n "${DOCKERD_DIR:-}" ] && [ -s "$DOCKERD_DIR/dockerd.log" ]; then
    printf -- '---- last lines of the docker engine log (%s) ----\n' "$DOCKERD_DIR/dockerd.log"
    tail -n 25 "$DOCKERD_DIR/dockerd.log" | cut -c1-300 | sed 's/^/    /'
  fi
}

E2E_CHECK_NO=0
# check "description" command args...   -- runs the command; PASS on exit 0, else FAIL
# and print its output and the registry log tails.
check() {
  local desc=$1; shift
  E2E_CHECK_NO=$((E2E_CHECK_NO + 1))
  local out="$E2E_TMP/check-$E2E_CHECK_NO.out"
  if "$@" >"$out" 2>&1; then
    pass "$desc"
  else
    local rc=$?
    printf 'FAIL: %s\n    command (exit %s): %s\n' "$desc" "$rc" "$*"
    tail -n 40 "$out" | sed 's/^/    | /'
    E2E_FAILED=$((E2E_FAILED + 1))
    log_tails
  fi
}

# check_eq "description" expected actual
check_eq() {
  if [ "$2" == "$3" ]; then
    pass "$1"
  else
    printf '    expected: %s\n    actual:   %s\n' "$2" "$3"
    fail "$1"
  fi
}

# check_fails "description" pattern command...  -- the command must exit non-zero and
# its output must match the (extended, case-insensitive) regex pattern.
check_fails() {
  local desc=$1 pat=$2; shift 2
  E2E_CHECK_NO=$((E2E_CHECK_NO + 1))
  local out="$E2E_TMP/check-$E2E_CHECK_NO.out"
  if "$@" >"$out" 2>&1; then
    printf '    command unexpectedly succeeded: %s\n' "$*"
    tail -n 20 "$out" | sed 's/^/    | /'
    fail "$desc"
  elif grep -Eqi -- "$pat" "$out"; then
    pass "$desc"
  else
    printf '    command failed but output does not match /%s/: %s\n' "$pat" "$*"
    tail -n 20 "$out" | sed 's/^/    | /'
    fail "$desc"
  fi
}

# die "message": a setup step failed; count it, print the summary and exit non-zero.
die() {
  fail "$1"
  finish
}

# finish: print the summary line and exit (non-zero if any check failed).
finish() {
  E2E_FINISHED=1
  echo
  echo "$E2E_PASSED passed, $E2E_FAILED failed"
  if [ "$E2E_FAILED" -gt 0 ]; then exit 1; fi
  exit 0
}

# ---------------------------------------------------------------- cleanup

cleanup() {
  local rc=$?
  trap - EXIT
  local n
  for n in "${!REG_PID[@]}"; do stop_registry "$n"; done
  stop_dockerd
  if [ "$E2E_FINISHED" != 1 ]; then
    # Exited without reaching finish (unexpected error or signal): never report success.
    echo
    echo "$E2E_PASSED passed, $((E2E_FAILED + 1)) failed"
    [ "$rc" -eq 0 ] && rc=1
  fi
  if [ "${E2E_KEEP_TMP:-0}" = 1 ]; then
    log "kept temp dir $E2E_TMP"
  else
    rm -rf "$E2E_TMP" 2>/dev/null || true
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# kill_pid PID NAME: TERM, wait up to 30 s, then KILL.
kill_pid() {
  local pid=$1 name=$2 i
  kill -0 "$pid" 2>/dev/null || return 0
  kill "$pid" 2>/dev/null || true
  for i in $(seq 1 150); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.2
  done
  log "$name (pid $pid) did not stop within 30 s; sending KILL"
  kill -9 "$pid" 2>/dev/null || true
  sleep 0.5
}

# ---------------------------------------------------------------- tools

# Bounded wrappers around the clients: a hung client never hangs the suite.
dk() { timeout 300 docker "$@"; }
sk() { timeout 300 skopeo --insecure-policy "$@"; }
pm() { timeout 300 podman "$@"; }
cu() { curl -sS --max-time 60 "$@"; }

# podman with private, throw-away storage under $E2E_TMP (vfs works anywhere).
setup_podman() {
  mkdir -p "$E2E_TMP/podman/root" "$E2E_TMP/podman/runroot" "$E2E_TMP/podman/tmp"
  cat >"$E2E_TMP/podman/storage.conf" <<EOF
[storage]
driver = "vfs"
graphroot = "$E2E_TMP/podman/root"
runroot = "$E2E_TMP/podman/runroot"
EOF
  cat >"$E2E_TMP/podman/containers.conf" <<EOF
[engine]
events_logger = "file"
events_logfile_path = "$E2E_TMP/podman/events.log"
cgroup_manager = "cgroupfs"
runtime = "runc"
EOF
  export CONTAINERS_STORAGE_CONF="$E2E_TMP/podman/storage.conf"
  export CONTAINERS_CONF="$E2E_TMP/podman/containers.conf"
  export TMPDIR="$E2E_TMP/podman/tmp"
}

# ---------------------------------------------------------------- docker engine

# start_dockerd: a private Docker engine (vfs, no bridge, no iptables); exports DOCKER_HOST.
start_dockerd() {
  DOCKERD_DIR="$E2E_TMP/dockerd"
  mkdir -p "$DOCKERD_DIR"
  # --debug: its log says which endpoint each push tried and what the registry answered, shown on a failure
  dockerd --debug --storage-driver=vfs --iptables=false --bridge=none \
    --host="unix://$DOCKERD_DIR/docker.sock" --data-root="$DOCKERD_DIR/data" \
    --exec-root="$DOCKERD_DIR/exec" --pidfile="$DOCKERD_DIR/dockerd.pid" \
    >"$DOCKERD_DIR/dockerd.log" 2>&1 </dev/null &
  DOCKERD_PID=$!
  export DOCKER_HOST="unix://$DOCKERD_DIR/docker.sock"
  local i
  for i in $(seq 1 300); do   # up to ~60 s
    if timeout 10 docker version >/dev/null 2>&1; then
      log "dockerd ready (pid $DOCKERD_PID)"
      return 0
    fi
    kill -0 "$DOCKERD_PID" 2>/dev/null || break
    sleep 0.2
  done
  echo "---- dockerd log ----"; tail -n 40 "$DOCKERD_DIR/dockerd.log"
  die "docker engine did not start (exited, or no answer within 60 s)"
}

stop_dockerd() {
  [ -n "$DOCKERD_DIR" ] || return 0
  # the PID we started; its pidfile names the same process (dockerd stops its containerd)
  local pid=${DOCKERD_PID:-}
  [ -n "$pid" ] || pid=$(cat "$DOCKERD_DIR/dockerd.pid" 2>/dev/null)
  [ -n "$pid" ] && kill_pid "$pid" dockerd
  wait "$pid" 2>/dev/null || true
  # vfs leaves no mounts, but be safe before rm -rf.
  local m
  for m in $(awk -v d="$DOCKERD_DIR" 'index($2, d) == 1 {print $2}' /proc/mounts | sort -r); do
    umount -l "$m" 2>/dev/null || true
  done
  DOCKERD_DIR=""
}

# ---------------------------------------------------------------- registries

# free_port: a random loopback port nobody listens on, below the kernel's ephemeral range (a
# client connection's local port there, e.g. the engine's to a registry, would make bind() fail).
free_port() {
  local i p lo=32768 hi=60999 base=20000 span=30000
  read -r lo hi </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || true
  if [ "$lo" -gt 12000 ] 2>/dev/null; then base=10000; span=$((lo - 10000)); fi
  for i in $(seq 1 100); do
    p=$((base + RANDOM % span))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      echo "$p"; return 0
    fi
  done
  echo "free_port: no free port found" >&2
  return 1
}

# exec_clean_env CMD...: exec CMD without REGISTRY_* variables (distribution reads them as
# configuration overrides, e.g. REGISTRY_CMD would become an unknown "cmd" key).
exec_clean_env() {
  local -a unset_env=() v
  for v in $(compgen -e | grep '^REGISTRY_' || true); do unset_env+=(-u "$v"); done
  exec env "${unset_env[@]}" "$@"
}

# write_config NAME PORT ROOTDIR: writes $E2E_TMP/NAME.yml (distribution's format); prints its path.
# REG_EXTRA_CONFIG (optional): YAML appended to it (further top-level sections, e.g. auth:).
write_config() {
  local cfg="$E2E_TMP/$1.yml"
  mkdir -p "$3"
  cat >"$cfg" <<EOF
version: 0.1
log: {level: warn}
storage:
  filesystem: {rootdirectory: $3}
  delete: {enabled: true}
http: {addr: 127.0.0.1:$2}
EOF
  if [ -n "${REG_EXTRA_CONFIG:-}" ]; then printf '%s\n' "$REG_EXTRA_CONFIG" >>"$cfg"; fi
  echo "$cfg"
}

# start_registry NAME PORT ROOTDIR [CMD...]: write a config and start the registry (default
# command $REGISTRY_CMD) in the background from the repo root; wait for /v2/ (200, or 401 when
# authentication is on).
# Optional, e.g. as one-call prefix assignments (REG_EXTRA_ENV=... start_registry ...):
#   REG_EXTRA_ENV     newline-separated NAME=VALUE pairs set for the registry process (after the
#                     REGISTRY_* variables of this shell are stripped), e.g. REGISTRY_AUTH=htpasswd;
#   REG_EXTRA_CONFIG  YAML appended to the written config (see write_config);
#   REG_READY_URL     the URL polled until it answers (default http://127.0.0.1:PORT/v2/), e.g. https://...;
#   REG_READY_CURL_ARGS  extra curl arguments for that poll (split on spaces), e.g. "--cacert ca.crt".
start_registry() {
  local name=$1 port=$2 root=$3; shift 3
  local -a cmd extra_env=()
  if [ $# -gt 0 ]; then cmd=("$@"); else read -r -a cmd <<<"$REGISTRY_CMD"; fi
  if [ -n "${REG_EXTRA_ENV:-}" ]; then mapfile -t extra_env <<<"$REG_EXTRA_ENV"; fi
  local cfg logf="$E2E_TMP/$name.log" ready_url=${REG_READY_URL:-http://127.0.0.1:$port/v2/}
  local -a ready_args=()
  if [ -n "${REG_READY_CURL_ARGS:-}" ]; then read -r -a ready_args <<<"$REG_READY_CURL_ARGS"; fi
  cfg=$(write_config "$name" "$port" "$root")
  log "starting registry $name: ${cmd[*]} $cfg (port $port, root $root)"
  (cd "$REPO_ROOT" && exec_clean_env "${extra_env[@]}" "${cmd[@]}" "$cfg") >>"$logf" 2>&1 </dev/null &
  REG_PID[$name]=$!
  REG_LOG[$name]=$logf
  local deadline=$((SECONDS + E2E_START_TIMEOUT)) code
  while [ $SECONDS -lt $deadline ]; do
    code=$(curl -sS --max-time 5 "${ready_args[@]}" -o /dev/null -w '%{http_code}' "$ready_url" 2>/dev/null)
    if [ "$code" = 200 ] || [ "$code" = 401 ]; then
      log "registry $name ready (pid ${REG_PID[$name]})"
      return 0
    fi
    if ! kill -0 "${REG_PID[$name]}" 2>/dev/null; then
      die "registry $name exited before answering /v2/ (${cmd[*]})"
    fi
    sleep 0.25
  done
  die "registry $name did not answer $ready_url within ${E2E_START_TIMEOUT} s"
}

# replays_training PID: "no" when the JVM PID was told not to replay its AOT cache's training
# (-XX:-AOTReplayTraining on its command line; a process in a container too), else "yes".
replays_training() {
  if tr '\0' '\n' < "/proc/$1/cmdline" | grep -qx -- -XX:-AOTReplayTraining; then echo no; else echo yes; fi
}

# class_source PID CLASS: where the JVM PID took CLASS from: "cache" (its AOT cache, which jcmd VM.classes flags
# S), "jar", or "absent" (not loaded). Asked with the JDK's jcmd: the launcher's runtime has none.
class_source() {
  "$JAVA_HOME/bin/jcmd" "$1" VM.classes 2>/dev/null |
    awk -v c="$2" '$NF == c { s = $(NF - 1) ~ /S/ ? "cache" : "jar" } END { print s ? s : "absent" }'
}

stop_registry() {
  local name=$1
  local pid=${REG_PID[$name]:-}
  [ -n "$pid" ] || return 0
  kill_pid "$pid" "registry $name"
  wait "$pid" 2>/dev/null || true
  unset "REG_PID[$name]"
}

# ---------------------------------------------------------------- test images

sha256_of() { sha256sum "$1" | cut -d' ' -f1; }

# rand_hex N: N random bytes as hex.
rand_hex() { head -c "$1" /dev/urandom | od -An -tx1 | tr -d ' \n'; }

# make_rootfs_tar OUT.tar [RANDOM_BYTES]: a small root filesystem (static busybox + random data,
# about 256 KiB unless given) that is different on every run.
make_rootfs_tar() {
  local out=$1 random_bytes=${2:-$((256 * 1024 + RANDOM))} d
  d=$(mktemp -d "$E2E_TMP/rootfs.XXXXXX")
  mkdir -p "$d/bin" "$d/etc" "$d/data" "$d/tmp"
  cp /bin/busybox "$d/bin/busybox"
  ln -s busybox "$d/bin/sh"
  echo "berth-e2e $(rand_hex 16)" >"$d/etc/berth-e2e-id"
  head -c "$random_bytes" /dev/urandom >"$d/data/random.bin"
  tar -C "$d" --numeric-owner --owner=0 --group=0 -cf "$out" .
  rm -rf "$d"
}

# _oci_put_blob LAYOUT FILE: move FILE into LAYOUT/blobs/sha256/<digest>; prints the digest.
_oci_put_blob() {
  local layout=$1 file=$2 dg
  dg=$(sha256_of "$file")
  mkdir -p "$layout/blobs/sha256"
  mv "$file" "$layout/blobs/sha256/$dg"
  echo "sha256:$dg"
}

_blob_size() { stat -c %s "$1/blobs/sha256/${2#sha256:}"; }

# _oci_random_layer LAYOUT NAME: a gzip layer holding one random file; prints "digest diffid".
_oci_random_layer() {
  local layout=$1 name=$2 d tarf diffid dg
  d=$(mktemp -d "$E2E_TMP/layer.XXXXXX")
  mkdir -p "$d/data"
  head -c $((64 * 1024 + RANDOM)) /dev/urandom >"$d/data/$name.bin"
  echo "$name $(rand_hex 8)" >"$d/data/$name.txt"
  tarf="$d.tar"
  tar -C "$d" --numeric-owner --owner=0 --group=0 --mtime=@0 -cf "$tarf" data
  diffid=$(sha256_of "$tarf")
  gzip -n -c "$tarf" >"$tarf.gz"
  dg=$(_oci_put_blob "$layout" "$tarf.gz")
  rm -rf "$d" "$tarf"
  echo "$dg sha256:$diffid"
}

# make_oci_multiarch LAYOUT TAG: writes an OCI image layout by hand with two images
# (linux/amd64, linux/arm64/v8) sharing one random base layer plus one random layer each,
# and an OCI image index over them. index.json refs: TAG (the index), TAG-amd64, TAG-arm64.
# Sets OCI_INDEX_DIGEST, OCI_AMD64_DIGEST, OCI_ARM64_DIGEST.
make_oci_multiarch() {
  local layout=$1 tag=$2
  mkdir -p "$layout/blobs/sha256"
  echo '{"imageLayoutVersion":"1.0.0"}' >"$layout/oci-layout"
  local base base_dg base_diff arch variant l l_dg l_diff cfg cfg_dg man man_dg
  base=$(_oci_random_layer "$layout" base)
  base_dg=${base% *}; base_diff=${base#* }
  local -A man_digest=()
  for arch in amd64 arm64; do
    variant=""; [ "$arch" = arm64 ] && variant=v8
    l=$(_oci_random_layer "$layout" "app-$arch")
    l_dg=${l% *}; l_diff=${l#* }
    cfg="$E2E_TMP/cfg.json"
    jq -cn --arg arch "$arch" --arg variant "$variant" --arg d1 "$base_diff" --arg d2 "$l_diff" \
       --arg id "$(rand_hex 8)" '{
        created: "2024-01-01T00:00:00Z", architecture: $arch, os: "linux",
        config: {Env: ["PATH=/bin", ("BERTH_E2E_ID=" + $id)], Cmd: ["/bin/sh"]},
        rootfs: {type: "layers", diff_ids: [$d1, $d2]},
        history: [{created: "2024-01-01T00:00:00Z", created_by: "berth e2e base"},
                  {created: "2024-01-01T00:00:00Z", created_by: "berth e2e app"}]
      } + (if $variant == "" then {} else {variant: $variant} end)' >"$cfg"
    cfg_dg=$(_oci_put_blob "$layout" "$cfg")
    man="$E2E_TMP/man.json"
    jq -cn --arg cd "$cfg_dg" --argjson cs "$(_blob_size "$layout" "$cfg_dg")" \
       --arg b "$base_dg" --argjson bs "$(_blob_size "$layout" "$base_dg")" \
       --arg l "$l_dg" --argjson ls "$(_blob_size "$layout" "$l_dg")" '{
        schemaVersion: 2, mediaType: "application/vnd.oci.image.manifest.v1+json",
        config: {mediaType: "application/vnd.oci.image.config.v1+json", digest: $cd, size: $cs},
        layers: [
          {mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", digest: $b, size: $bs},
          {mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", digest: $l, size: $ls}]
      }' >"$man"
    man_dg=$(_oci_put_blob "$layout" "$man")
    man_digest[$arch]=$man_dg
  done
  local idx="$E2E_TMP/idx.json" idx_dg
  jq -cn --arg a "${man_digest[amd64]}" --argjson asz "$(_blob_size "$layout" "${man_digest[amd64]}")" \
     --arg r "${man_digest[arm64]}" --argjson rsz "$(_blob_size "$layout" "${man_digest[arm64]}")" '{
      schemaVersion: 2, mediaType: "application/vnd.oci.image.index.v1+json",
      manifests: [
        {mediaType: "application/vnd.oci.image.manifest.v1+json", digest: $a, size: $asz,
         platform: {architecture: "amd64", os: "linux"}},
        {mediaType: "application/vnd.oci.image.manifest.v1+json", digest: $r, size: $rsz,
         platform: {architecture: "arm64", os: "linux", variant: "v8"}}]
    }' >"$idx"
  idx_dg=$(_oci_put_blob "$layout" "$idx")
  jq -n --arg t "$tag" --arg i "$idx_dg" --argjson isz "$(_blob_size "$layout" "$idx_dg")" \
     --arg a "${man_digest[amd64]}" --argjson asz "$(_blob_size "$layout" "${man_digest[amd64]}")" \
     --arg r "${man_digest[arm64]}" --argjson rsz "$(_blob_size "$layout" "${man_digest[arm64]}")" '{
      schemaVersion: 2,
      manifests: [
        {mediaType: "application/vnd.oci.image.index.v1+json", digest: $i, size: $isz,
         annotations: {"org.opencontainers.image.ref.name": $t}},
        {mediaType: "application/vnd.oci.image.manifest.v1+json", digest: $a, size: $asz,
         platform: {architecture: "amd64", os: "linux"},
         annotations: {"org.opencontainers.image.ref.name": ($t + "-amd64")}},
        {mediaType: "application/vnd.oci.image.manifest.v1+json", digest: $r, size: $rsz,
         platform: {architecture: "arm64", os: "linux", variant: "v8"},
         annotations: {"org.opencontainers.image.ref.name": ($t + "-arm64")}}]
    }' >"$layout/index.json"
  OCI_INDEX_DIGEST=$idx_dg
  OCI_AMD64_DIGEST=${man_digest[amd64]}
  OCI_ARM64_DIGEST=${man_digest[arm64]}
}

# ---------------------------------------------------------------- comparisons

# blob_list LAYOUT: sorted "sha256:..." digests of all blobs in an OCI layout.
blob_list() { (cd "$1/blobs/sha256" && ls | LC_ALL=C sort | sed 's/^/sha256:/'); }

# verify_layout_blobs LAYOUT: every blob's content hashes to its file name.
verify_layout_blobs() {
  local f bad=0
  for f in "$1"/blobs/sha256/*; do
    [ "$(sha256_of "$f")" = "$(basename "$f")" ] || { echo "bad blob $f"; bad=1; }
  done
  return $bad
}

# same_blobs LAYOUT_A LAYOUT_B: both layouts hold exactly the same set of blobs, all intact.
same_blobs() {
  verify_layout_blobs "$1" || return 1
  verify_layout_blobs "$2" || return 1
  diff <(blob_list "$1") <(blob_list "$2")
}

# raw_manifest_digest URL-REF: sha256 of the manifest bytes skopeo inspect --raw returns.
raw_manifest_digest() {
  local tmpf="$E2E_TMP/raw.$RANDOM"
  sk inspect --tls-verify=false --raw "$1" >"$tmpf" || { rm -f "$tmpf"; return 1; }
  echo "sha256:$(sha256_of "$tmpf")"
  rm -f "$tmpf"
}

# docker_list_matches_oci HOST:PORT REPO TAG LAYOUT: each child of the Docker manifest list
# served for REPO:TAG names the same config and layer digests as the OCI image of the same
# platform in LAYOUT (written by make_oci_multiarch), and the registry serves those blobs intact.
docker_list_matches_oci() {
  local host=$1 repo=$2 tag=$3 layout=$4 list child arch want got d
  list=$(sk inspect --raw --tls-verify=false "docker://$host/$repo:$tag") || return 1
  jq -e '.mediaType == "application/vnd.docker.distribution.manifest.list.v2+json"' <<<"$list" >/dev/null ||
    { echo "not a Docker manifest list: $list"; return 1; }
  for arch in amd64 arm64; do
    child=$(jq -r --arg a "$arch" '.manifests[] | select(.platform.architecture == $a) | .digest' <<<"$list")
    [ -n "$child" ] || { echo "no $arch child in $list"; return 1; }
    got=$(sk inspect --raw --tls-verify=false "docker://$host/$repo@$child" | jq -r '.config.digest, .layers[].digest') || return 1
    want=$(jq -r --arg a "$arch" '.manifests[] | select(.platform.architecture == $a) | .digest' "$layout/index.json" |
           head -n1 | sed 's/^sha256://' | xargs -I{} jq -r '.config.digest, .layers[].digest' "$layout/blobs/sha256/{}")
    [ "$got" == "$want" ] || { printf '%s: got\n%s\nwant\n%s\n' "$arch" "$got" "$want"; return 1; }
    for d in $got; do
      blob_served_intact "$host" "$repo" "$d" || return 1
    done
  done
}

# blob_served_intact HOST:PORT REPO DIGEST: GET /v2/REPO/blobs/DIGEST returns content with that digest.
blob_served_intact() {
  local got
  got=$(curl -fsS --max-time 60 "http://$1/v2/$2/blobs/$3" | sha256sum | cut -d' ' -f1)
  [ "sha256:$got" == "$3" ] || { echo "blob $3 of $2 served with digest sha256:$got"; return 1; }
}

# layers_present LAYOUT_A LAYOUT_B: every layer blob of A's images is in B, and B is intact.
layers_present() {
  verify_layout_blobs "$2" || return 1
  local m d
  for m in $(jq -r '.manifests[] | select(.mediaType == "application/vnd.oci.image.manifest.v1+json") | .digest' "$1/index.json"); do
    for d in $(jq -r '.layers[].digest' "$1/blobs/sha256/${m#sha256:}"); do
      [ -f "$2/blobs/sha256/${d#sha256:}" ] || { echo "missing layer $d"; return 1; }
    done
  done
}
