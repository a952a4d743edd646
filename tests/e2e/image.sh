#!/usr/bin/env bash
# End-to-end: Berth's container image, used the way registry:2 is. Builds it offline
# (image/build-offline.sh: FROM scratch, jlink'ed runtime) in a private docker engine, then:
#   - its metadata matches the Dockerfile's runtime stage (user, volume, port, entrypoint, command);
#   - `docker run --rm --entrypoint htpasswd IMAGE -Bbn xiaofei 123456 > auth/htpasswd` makes the file;
#   - `docker run --rm IMAGE COMMAND --help` reaches berth for every command of `berth --help`;
#   - `docker run IMAGE` (default config) with --network=host, REGISTRY_HTTP_ADDR and the seed's
#     REGISTRY_AUTH* variables, auth/ and data/ bind-mounted: docker login, push, pull as a fresh client;
#   - it runs as non-root, from the start-up cache made at build time, and writes distribution's layout
#     (docker/registry/v2/...) to the bind mount;
#   - `docker stop` ends it within the drain time; a new container (`serve CONFIG` form) serves the data;
#   - with REGISTRY_STORAGE=s3 and REGISTRY_STORAGE_S3_* (S3Proxy on loopback) it stores in the bucket, from the
#     image's start-up cache for S3: push, then pull as a fresh client;
#   - with self-managed TLS it serves https from the image's start-up cache for TLS.
# Tests the image whatever REGISTRY_CMD says. BERTH_IMAGE names the tag (default berth:dev).
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
. "$(dirname "${BASH_SOURCE[0]}")/../s3proxy.sh"

ensure_tools
start_dockerd
export DOCKER_CONFIG=$E2E_TMP/docker-config   # docker login stores credentials here
mkdir -p "$DOCKER_CONFIG"

IMAGE=${BERTH_IMAGE:-berth:dev}
UID_GID=10001:10001              # the image's user (Dockerfile: USER 10001:10001)
DRAIN=5                          # http.draintimeout given to the registry, seconds
C1=berth-e2e-image-$$            # the registry:2-style container
C2=berth-e2e-image-serve-$$      # a second container on the same data, `serve CONFIG` form
C3=berth-e2e-image-s3-$$         # a container on S3
C4=berth-e2e-image-tls-$$        # a container serving TLS with self-managed certificates
S3_PID=""                        # S3Proxy, for C3
BUCKET=berth-image
WORK=$E2E_TMP/work
AUTH=$WORK/auth
DATA=$WORK/data
mkdir -p "$AUTH" "$DATA" "$WORK/config"
export TMPDIR=$E2E_TMP           # build-offline.sh's context goes under the test's temp dir

# Containers and images made here go before lib.sh's cleanup stops the engine and deletes $E2E_TMP.
image_cleanup() {
  local engine=0
  if [ -n "${DOCKER_HOST:-}" ] && [ -n "$DOCKERD_DIR" ]; then engine=1; fi
  if [ $engine = 1 ]; then timeout 60 docker rm -f "$C1" "$C2" "$C3" "$C4" >/dev/null 2>&1; fi
  # after the containers, whose registry talks to it
  if [ -n "$S3_PID" ]; then kill_pid "$S3_PID" s3proxy; wait "$S3_PID" 2>/dev/null; S3_PID=""; fi
  if [ $engine = 1 ]; then timeout 60 docker rmi -f "$IMAGE" nginx-base:v1 "${PUSHED_REFS[@]}" >/dev/null 2>&1; fi
  return 0
}
PUSHED_REFS=()
# shellcheck disable=SC2154  # _rc is assigned inside the trap
trap '_rc=$?; image_cleanup; (exit $_rc); cleanup' EXIT

# container_log NAME: the last lines of a container's output (for failures).
container_log() {
  printf -- '---- last lines of container %s ----\n' "$1"
  timeout 30 docker logs --tail 30 "$1" 2>&1 | sed 's/^/    /'
}

# wait_v2 NAME PORT CODE: poll (bounded, 120 s) until /v2/ answers CODE; fails if the container exits.
wait_v2() {
  local name=$1 port=$2 want=$3 scheme=${4:-http} deadline=$((SECONDS + 120)) code
  while [ $SECONDS -lt $deadline ]; do
    code=$(curl -sSk --max-time 5 -o /dev/null -w '%{http_code}' "$scheme://127.0.0.1:$port/v2/" 2>/dev/null)
    [ "$code" = "$want" ] && return 0
    [ "$(timeout 30 docker inspect --format '{{.State.Running}}' "$name" 2>/dev/null)" = true ] || {
      echo "container $name is not running"; container_log "$name"; return 1; }
    sleep 0.25
  done
  echo "$scheme://127.0.0.1:$port/v2/ still answers ${code:-nothing}, not $want, after 120 s"
  container_log "$name"
  return 1
}

# stop_timed NAME: docker stop (grace 30 s) and print "SECONDS EXITCODE".
stop_timed() {
  local t0=$EPOCHREALTIME
  timeout 60 docker stop --time 30 "$1" >/dev/null 2>&1
  awk -v a="$t0" -v b="$EPOCHREALTIME" -v c="$(timeout 30 docker inspect --format '{{.State.ExitCode}}' "$1")" \
    'BEGIN {printf "%.1f %s\n", b - a, c}'
}

dlogin() { printf '%s\n' "$3" | timeout 120 docker login "$1" -u "$2" --password-stdin; }

# ============================================================== 1. build
log "part 1: image/build-offline.sh $IMAGE"
t0=$SECONDS
check "image/build-offline.sh builds $IMAGE offline (FROM scratch, jlink)" \
  bash "$REPO_ROOT/image/build-offline.sh" "$IMAGE"
log "image built in $((SECONDS - t0)) s"
dk image inspect "$IMAGE" >"$E2E_TMP/image.json" 2>/dev/null || die "no image $IMAGE after the build"
SIZE_MB=$(jq -r '.[0].Size / 1e6 | floor' "$E2E_TMP/image.json")
echo "NOTE: $IMAGE is $SIZE_MB MB"

# ============================================================== 2. metadata = the Dockerfile's runtime stage
log "part 2: image metadata against the Dockerfile's runtime stage"
CFG=$(jq -c '.[0].Config' "$E2E_TMP/image.json")
# dockerfile_final KEYWORD: the argument of KEYWORD's last line in the Dockerfile (its runtime stage).
dockerfile_final() { sed -n "s/^$1  *//p" "$REPO_ROOT/Dockerfile" | tail -n 1; }
check_eq "image user is $UID_GID (non-root), as the Dockerfile's USER" "$UID_GID" "$(jq -r .User <<<"$CFG")"
check_eq "... the Dockerfile says USER $UID_GID" "$UID_GID" "$(dockerfile_final USER)"
check_eq "image volume is /var/lib/registry, as the Dockerfile's VOLUME" \
  "$(dockerfile_final VOLUME | jq -c .)" "$(jq -c '.Volumes | keys' <<<"$CFG")"
check_eq "image exposes 5000/tcp, as the Dockerfile's EXPOSE" \
  "[\"$(dockerfile_final EXPOSE)/tcp\"]" "$(jq -c '.ExposedPorts | keys' <<<"$CFG")"
check_eq "image entrypoint is the Dockerfile's ENTRYPOINT" \
  "$(dockerfile_final ENTRYPOINT | jq -c .)" "$(jq -c .Entrypoint <<<"$CFG")"
check_eq "image command is the Dockerfile's CMD (the default config)" \
  '["/etc/docker/registry/config.yml"]' "$(jq -c .Cmd <<<"$CFG")"
check_eq "... the Dockerfile's CMD is the same" '["/etc/docker/registry/config.yml"]' "$(dockerfile_final CMD | jq -c .)"
cid=$(dk create "$IMAGE") || die "docker create $IMAGE failed"
dk cp "$cid:/etc/docker/registry/config.yml" - 2>/dev/null | tar -xO >"$WORK/default-config.yml"
dk rm "$cid" >/dev/null
check "/etc/docker/registry/config.yml in the image is image/config.yml" \
  cmp "$REPO_ROOT/image/config.yml" "$WORK/default-config.yml"
check "... registry:2's default: filesystem storage in /var/lib/registry, addr :5000" \
  bash -c "grep -Eq '^ +rootdirectory: /var/lib/registry$' '$WORK/default-config.yml' &&
           grep -Eq '^ +addr: :5000$' '$WORK/default-config.yml'"

# ============================================================== 3. htpasswd as an entrypoint
log "part 3: docker run --rm --entrypoint htpasswd $IMAGE -Bbn xiaofei 123456"
check "docker run --rm --entrypoint htpasswd $IMAGE -Bbn xiaofei 123456 > auth/htpasswd" \
  bash -c "timeout 120 docker run --rm --entrypoint htpasswd '$IMAGE' -Bbn xiaofei 123456 > '$AUTH/htpasswd'"
# one_bcrypt_entry FILE USER: FILE's only entry is USER's, a bcrypt hash.
one_bcrypt_entry() {
  local lines
  lines=$(grep -v '^$' "$1")
  printf '%s\n' "$lines"
  # shellcheck disable=SC2016  # literal $ signs
  [ "$(wc -l <<<"$lines")" = 1 ] && grep -Eqx "$2:"'\$2[aby]\$[0-9]{2}\$[./A-Za-z0-9]{53}' <<<"$lines"
}
check "auth/htpasswd holds one bcrypt entry for xiaofei" one_bcrypt_entry "$AUTH/htpasswd" xiaofei
check "Apache's htpasswd -vb accepts it" htpasswd -vb "$AUTH/htpasswd" xiaofei 123456
check "docker run --rm $IMAGE version prints berth's version" \
  bash -c "timeout 120 docker run --rm --network=none '$IMAGE' version | grep -Eq '^berth [0-9]'"
# registry:2's `docker run IMAGE COMMAND ...`: the entrypoint hands every command of `berth --help` to berth
# (a command it missed would be run as a program: "exec: repo: not found")
# runs_berth CMD: `docker run IMAGE CMD --help` prints berth CMD's usage.
runs_berth() {
  timeout 120 docker run --rm --network=none "$IMAGE" "$1" --help | tee /dev/stderr | grep "^Usage: berth $1 " >/dev/null
}
COMMANDS=$(timeout 120 docker run --rm --network=none "$IMAGE" --help |
  awk '/^Commands:/ {c = 1; next} c && /^  [a-z]/ {print $1}' | paste -sd' ')
# lists_commands WORD...: $COMMANDS has each WORD (so the loop below cannot pass by finding none)
lists_commands() { local w; for w in "$@"; do [[ " $COMMANDS " == *" $w "* ]] || return 1; done; }
check "docker run --rm $IMAGE --help lists berth's commands ($COMMANDS)" lists_commands serve repo bench version
for cmd in $COMMANDS; do
  check "docker run --rm $IMAGE $cmd --help runs berth $cmd" runs_berth "$cmd"
done

# ============================================================== 4. the registry:2 flow
log "part 4: docker run $IMAGE with the seed's REGISTRY_AUTH* variables, push and pull"
chown "$UID_GID" "$DATA"   # as an operator does for a bind mount (or docker run --user)
PORT=$(free_port) || die "no free port"
R=127.0.0.1:$PORT
dk run -d --name "$C1" --network=host \
  -e "REGISTRY_HTTP_ADDR=$R" -e "REGISTRY_HTTP_DRAINTIMEOUT=${DRAIN}s" \
  -e REGISTRY_AUTH=htpasswd -e "REGISTRY_AUTH_HTPASSWD_REALM=Registry Realm" \
  -e REGISTRY_AUTH_HTPASSWD_PATH=/auth/htpasswd \
  -v "$AUTH:/auth:ro" -v "$DATA:/var/lib/registry" "$IMAGE" >/dev/null || die "docker run $IMAGE failed"
check "the container serves /v2/ on $R (401: authentication on)" wait_v2 "$C1" "$PORT" 401
check "... with WWW-Authenticate: Basic realm=\"Registry Realm\"" \
  bash -c "curl -sS --max-time 30 -o /dev/null -D - 'http://$R/v2/' | tr -d '\r' |
           grep -Eqi '^WWW-Authenticate: *Basic realm=\"Registry Realm\"'"
PID1=$(dk inspect --format '{{.State.Pid}}' "$C1")
check_eq "the registry process runs as uid/gid $UID_GID (non-root)" "10001 10001" \
  "$(awk '/^Uid:/ {u = $2} /^Gid:/ {g = $2} END {print u, g}' "/proc/$PID1/status" 2>/dev/null)"
# image/berth serves from the start-up cache the image's build made; a JVM that refused it (options, runtime or
# jars other than those it was made with) would run without it, mapping nothing of it and logging why.
check "the registry's JVM runs from the image's start-up cache (/opt/berth/berth.aot mapped)" \
  grep -q ' /opt/berth/berth.aot$' "/proc/$PID1/maps"
check_eq "... without replaying its training as it starts, as ./berth starts it" no "$(replays_training "$PID1")"
check_eq "... and logged no complaint about it" "" \
  "$(timeout 30 docker logs "$C1" 2>&1 | grep -iE 'aot|cds|shared archive' | head -n 5)"

make_rootfs_tar "$E2E_TMP/rootfs.tar"
dk import "$E2E_TMP/rootfs.tar" nginx-base:v1 >/dev/null || die "docker import of the test root filesystem failed"
SRC_ID=$(dk image inspect --format '{{.Id}}' nginx-base:v1)
REF=$R/xiaofei/nginx-base:v1
PUSHED_REFS+=("$REF")
check "echo 123456 | docker login $R -u xiaofei --password-stdin" dlogin "$R" xiaofei 123456
dk tag nginx-base:v1 "$REF"
check "docker push $REF" bash -c "timeout 300 docker push '$REF' > '$E2E_TMP/push.out' 2>&1"
cat "$E2E_TMP/push.out"
DIGEST=$(grep -Eo 'digest: sha256:[0-9a-f]{64}' "$E2E_TMP/push.out" | head -n1 | cut -d' ' -f2)
check "docker push printed the manifest digest" test -n "$DIGEST"
check "docker logout $R" dk logout "$R"
dk rmi "$REF" nginx-base:v1 >/dev/null
check_fails "a client without credentials cannot pull $REF" \
  'unauthorized|authentication required|no basic auth credentials|denied' dk pull "$REF"
check "docker login $R again" dlogin "$R" xiaofei 123456
check "docker pull $REF (fresh client: image removed)" dk pull "$REF"
check_eq "the pulled image is the pushed one" "$SRC_ID" "$(dk image inspect --format '{{.Id}}' "$REF" 2>/dev/null)"

# ============================================================== 5. what landed in the bind mount
log "part 5: the data directory"
V2=$DATA/docker/registry/v2
HEX=${DIGEST#sha256:}
check_eq "tag v1's current link (distribution's layout) holds the pushed digest" "$DIGEST" \
  "$(cat "$V2/repositories/xiaofei/nginx-base/_manifests/tags/v1/current/link" 2>/dev/null)"
check "the manifest revision link exists" \
  test -f "$V2/repositories/xiaofei/nginx-base/_manifests/revisions/sha256/$HEX/link"
check_eq "the manifest is stored at blobs/sha256/${HEX:0:2}/$HEX/data with its digest" "$HEX" \
  "$(sha256sum "$V2/blobs/sha256/${HEX:0:2}/$HEX/data" 2>/dev/null | cut -d' ' -f1)"
layers_linked() {
  local d
  for d in $(jq -r '.config.digest, .layers[].digest' "$V2/blobs/sha256/${HEX:0:2}/$HEX/data"); do
    test -f "$V2/repositories/xiaofei/nginx-base/_layers/sha256/${d#sha256:}/link" || { echo "no link for $d"; return 1; }
    test -f "$V2/blobs/sha256/${d:7:2}/${d#sha256:}/data" || { echo "no data for $d"; return 1; }
  done
}
check "config and layer blobs are stored and linked under _layers/" layers_linked
check_eq "every file the registry wrote in the bind mount belongs to uid 10001" "" \
  "$(find "$DATA" ! -uid 10001 -print 2>/dev/null | head -n 5)"

# ============================================================== 6. docker stop; serve CONFIG on the same data
log "part 6: docker stop, then a second container on the same data"
read -r STOP_S STOP_RC <<<"$(stop_timed "$C1")"
check "docker stop ended the registry in ${STOP_S} s, within the drain time (${DRAIN} s) plus 5 s" \
  awk -v s="$STOP_S" -v d="$DRAIN" 'BEGIN {exit !(s < d + 5)}'
check "... by itself on SIGTERM, not killed (exit code $STOP_RC: 0 or 143 expected, 137 is SIGKILL)" \
  bash -c "[ '$STOP_RC' = 0 ] || [ '$STOP_RC' = 143 ]"

PORT2=$(free_port) || die "no free port"
R2=127.0.0.1:$PORT2
sed "s/^\(  *addr:\) :5000\$/\1 $R2/" "$REPO_ROOT/image/config.yml" >"$WORK/config/config.yml"
dk run -d --name "$C2" --network=host -v "$WORK/config:/config:ro" -v "$DATA:/var/lib/registry" \
  "$IMAGE" serve /config/config.yml >/dev/null || die "docker run $IMAGE serve /config/config.yml failed"
check "docker run $IMAGE serve /config/config.yml serves /v2/ on $R2 (no auth: 200)" wait_v2 "$C2" "$PORT2" 200
REF2=$R2/xiaofei/nginx-base:v1
PUSHED_REFS+=("$REF2")
check "the new container serves the data the first one stored: docker pull $REF2" dk pull "$REF2"
check_eq "... the same image" "$SRC_ID" "$(dk image inspect --format '{{.Id}}' "$REF2" 2>/dev/null)"
read -r STOP_S STOP_RC <<<"$(stop_timed "$C2")"
check "docker stop ended the second container in ${STOP_S} s (exit code $STOP_RC)" \
  bash -c "awk -v s='$STOP_S' 'BEGIN {exit !(s < 10)}' && { [ '$STOP_RC' = 0 ] || [ '$STOP_RC' = 143 ]; }"

# ============================================================== 7. on S3, configured as registry:2 is
log "part 7: docker run $IMAGE with REGISTRY_STORAGE=s3 on S3Proxy, push and pull"
mkdir -p "$E2E_TMP/s3proxy"
s3proxy_start "$E2E_TMP/s3proxy" "$(free_port)" || { S3_PID=$S3PROXY_PID; die "S3Proxy did not start"; }
S3_PID=$S3PROXY_PID
s3proxy_request -o /dev/null -X PUT "$S3PROXY_URL/$BUCKET" || die "could not make the bucket $BUCKET"
PORT3=$(free_port) || die "no free port"
R3=127.0.0.1:$PORT3
dk run -d --name "$C3" --network=host -e "REGISTRY_HTTP_ADDR=$R3" -e REGISTRY_STORAGE=s3 \
  -e REGISTRY_STORAGE_S3_REGION=us-east-1 -e "REGISTRY_STORAGE_S3_REGIONENDPOINT=$S3PROXY_URL" \
  -e "REGISTRY_STORAGE_S3_BUCKET=$BUCKET" -e "REGISTRY_STORAGE_S3_ACCESSKEY=$S3PROXY_ACCESS_KEY" \
  -e "REGISTRY_STORAGE_S3_SECRETKEY=$S3PROXY_SECRET_KEY" "$IMAGE" >/dev/null || die "docker run $IMAGE on S3 failed"
check "the container on S3 serves /v2/ on $R3" wait_v2 "$C3" "$PORT3" 200
PID3=$(dk inspect --format '{{.State.Pid}}' "$C3")
check "... from the image's start-up cache for S3 (/opt/berth/berth-s3.aot mapped)" \
  grep -q ' /opt/berth/berth-s3.aot$' "/proc/$PID3/maps"
check_eq "... and logged no complaint about it" "" \
  "$(timeout 30 docker logs "$C3" 2>&1 | grep -iE 'aot|cds|shared archive' | head -n 5)"
REF3=$R3/xiaofei/nginx-base:v1
PUSHED_REFS+=("$REF3")
dk tag "$REF2" "$REF3"
check "docker push $REF3" bash -c "timeout 300 docker push '$REF3' > '$E2E_TMP/push-s3.out' 2>&1"
check_eq "the bucket holds tag v1's link (distribution's object names) with the pushed digest" "$DIGEST" \
  "$(s3proxy_request "$S3PROXY_URL/$BUCKET/docker/registry/v2/repositories/xiaofei/nginx-base/_manifests/tags/v1/current/link")"
dk rmi "$REF3" >/dev/null
check "docker pull $REF3 (fresh client: image removed)" dk pull "$REF3"
check_eq "... the pushed image" "$SRC_ID" "$(dk image inspect --format '{{.Id}}' "$REF3" 2>/dev/null)"

# ============================================================== TLS
# A filesystem registry on a TLS port starts from a cache of its own, which holds the JDK's TLS (as ./berth's)
PORT4=$(free_port) || die "no free port"
dk run -d --name "$C4" --network=host -e "REGISTRY_HTTP_ADDR=127.0.0.1:$PORT4" \
  -e REGISTRY_BERTH_TLS_SELFMANAGED_ENABLED=true -e 'REGISTRY_BERTH_TLS_SELFMANAGED_HOSTS=[127.0.0.1]' \
  "$IMAGE" >/dev/null || die "docker run $IMAGE with TLS failed"
check "the container with self-managed TLS serves https://127.0.0.1:$PORT4/v2/" wait_v2 "$C4" "$PORT4" 200 https
PID4=$(dk inspect --format '{{.State.Pid}}' "$C4")
check "... from the image's start-up cache for TLS (/opt/berth/berth-tls.aot mapped)" \
  grep -q ' /opt/berth/berth-tls.aot$' "/proc/$PID4/maps"
check_eq "... whose training, pulls over TLS, it replays as it starts" yes "$(replays_training "$PID4")"
check_eq "... and logged no complaint about it" "" \
  "$(timeout 30 docker logs "$C4" 2>&1 | grep -iE 'aot|cds|shared archive' | head -n 5)"

if [ "$E2E_FAILED" -gt 0 ]; then
  container_log "$C1"; container_log "$C2"; container_log "$C3"; container_log "$C4"
fi
image_cleanup
finish
