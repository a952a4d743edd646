#!/usr/bin/env bash
# End-to-end: the registry under test ($REGISTRY_CMD, default ./berth serve) on S3 storage (storage.s3), against
# S3Proxy (the S3 wire protocol, filesystem backend) on loopback, with real clients:
#   1. skopeo copy --all of a two-platform OCI image there and back; the bucket holds distribution's object names
#      (<rootdirectory>/docker/registry/v2/blobs/sha256/xx/<hex>/data, .../_manifests/tags/<tag>/current/link).
#   2. docker push/pull and podman push/pull.
#   3. a chunked upload with curl whose PATCHes cross S3's 5 MiB smallest part both ways (1 MiB, 7 MiB, 100 KiB,
#      then a PUT with 2 MiB, past the 10 MiB chunksize): Range after each PATCH, the digest, GET and a Range GET.
#   4. drop-in both ways with the reference ($REF_REGISTRY_CMD, default docker-registry serve, distribution 2.8.2)
#      on the same bucket and rootdirectory, one after the other.
#   5. a deleted manifest, then the collector ($SUT_GC_CMD, default ./berth garbage-collect --grace 0, as in
#      layout-compat.sh) with the registry stopped: the blobs only that image used are gone from the bucket, the
#      shared ones stay, the other image still pulls.
#   6. a restart serves everything again; a SIGKILL in the middle of a 200 MiB monolithic upload leaves no blob.
#   7. storage.s3.loglevel: debug (from the environment) logs the requests the registry sends S3; off logs none,
#      even with log.level debug. The key is distribution 3's: 2.8.2's driver has none and logs nothing either way.
#   8. (./berth serve only) the launcher starts an S3 registry from a start-up cache of its own, which holds the
#      AWS SDK's client and what a pull through it uses, whether the file or REGISTRY_STORAGE=s3 names S3; a
#      filesystem registry keeps its own.
#
# S3Proxy: $S3PROXY_JAR (default target/s3proxy/s3proxy.jar, which `mvn verify` copies there); when missing it is
# fetched with Maven (as /work/shared/recipes/s3.md does) into this script's temp dir, and the script fails if that
# fails. Its data and log go to a temp dir /tmp/e2e-s3-XXXXXX (kept with E2E_KEEP_TMP=1).
#
# distribution 2.8.2 with S3Proxy: it works as it is (blob GETs are redirected to presigned S3Proxy URLs, which
# every client here follows), except that its s3 driver panics at start-up when AWS_CA_BUNDLE is set ("failed to
# create new session with aws config: LoadCustomCABundleError: ... HTTPClient's transport unsupported type": it
# wraps the AWS SDK's HTTP transport in its own, which the Go SDK's CA-bundle loader refuses). So every registry
# process here runs without AWS_CA_BUNDLE (Berth's Java SDK does not read it; the endpoint is plain HTTP anyway).
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
. "$(dirname "${BASH_SOURCE[0]}")/../s3proxy.sh"

ensure_tools
setup_podman
read -r -a SUT <<<"$REGISTRY_CMD"
read -r -a REF <<<"$REF_REGISTRY_CMD"
SUT_GC=${SUT_GC_CMD:-./berth garbage-collect --grace 0}
log "registry under test: ${SUT[*]}; reference: ${REF[*]}; collector: $SUT_GC"

S3_TMP=$(mktemp -d /tmp/e2e-s3-XXXXXX)
S3_PID=""
SLOW_PID=""
BUCKET=berth-e2e
ROOTDIR=/e2e/s3-root          # rootdirectory as users write it; object names start with PFX
PFX=${ROOTDIR#/}
V2=$PFX/docker/registry/v2

# Registries and curl first (they talk to S3Proxy), then S3Proxy, then lib.sh's cleanup (engine, temp dir, summary).
s3_exit() {
  local rc=$? n
  if [ -n "$SLOW_PID" ]; then kill_pid "$SLOW_PID" "slow upload curl"; wait "$SLOW_PID" 2>/dev/null; fi
  for n in "${!REG_PID[@]}"; do stop_registry "$n"; done
  if [ -n "$S3_PID" ]; then kill_pid "$S3_PID" s3proxy; wait "$S3_PID" 2>/dev/null; fi
  if [ "${E2E_KEEP_TMP:-0}" = 1 ]; then log "kept S3Proxy's dir $S3_TMP"; else rm -rf "$S3_TMP"; fi
  (exit "$rc")
  cleanup
}
trap s3_exit EXIT

# ====================================================================== S3Proxy
S3_PORT=$(free_port) || die "no free port"
s3proxy_start "$S3_TMP" "$S3_PORT" || { S3_PID=$S3PROXY_PID; die "S3Proxy did not start"; }
S3_PID=$S3PROXY_PID
S3_URL=$S3PROXY_URL
log "S3Proxy ready on $S3_URL (pid $S3_PID)"

# s3 CURL-ARGS...: a request signed with AWS Signature Version 4, by curl.
s3() { s3proxy_request "$@"; }
# s3_keys PREFIX: the names of the bucket's objects that start with PREFIX, sorted (ListObjectsV2, every page).
# curl 7.88 signs the query string as written: its parameters go in sorted order, values percent-encoded.
s3_keys() {
  local prefix token="" q page _
  prefix=$(jq -rn --arg s "$1" '$s|@uri')
  for _ in $(seq 1 200); do
    q="list-type=2&prefix=$prefix"
    [ -n "$token" ] && q="continuation-token=$(jq -rn --arg s "$token" '$s|@uri')&$q"
    page=$(s3 "$S3_URL/$BUCKET?$q") || { echo "listing $1 failed" >&2; return 1; }
    grep -o '<Key>[^<]*</Key>' <<<"$page" | sed 's/<[^>]*>//g'
    grep -q '<IsTruncated>true</IsTruncated>' <<<"$page" || return 0
    token=$(grep -o '<NextContinuationToken>[^<]*</NextContinuationToken>' <<<"$page" | sed 's/<[^>]*>//g')
    [ -n "$token" ] || return 1
  done
  return 1
}
s3_get() { s3 "$S3_URL/$BUCKET/$1"; }
# blob_objects: the digests of the blobs in the bucket (their .../blobs/sha256/xx/<hex>/data objects), sorted.
blob_objects() {
  s3_keys "$V2/blobs/" | sed -n "s|^$V2/blobs/sha256/\([0-9a-f][0-9a-f]\)/\(\1[0-9a-f]\{62\}\)/data\$|sha256:\2|p" |
    LC_ALL=C sort
}

check "S3Proxy: create bucket $BUCKET" s3 -o /dev/null -X PUT "$S3_URL/$BUCKET"

# ====================================================================== registries on the bucket
# write_s3_config NAME PORT: $E2E_TMP/NAME.yml, distribution's format, storage.s3 on the bucket; prints its path.
write_s3_config() {
  local cfg="$E2E_TMP/$1.yml"
  cat >"$cfg" <<EOF
version: 0.1
log: {level: warn}
storage:
  s3:
    region: us-east-1
    regionendpoint: "$S3_URL"
    bucket: $BUCKET
    accesskey: $S3PROXY_ACCESS_KEY
    secretkey: $S3PROXY_SECRET_KEY
    rootdirectory: $ROOTDIR
  delete: {enabled: true}
http: {addr: 127.0.0.1:$2}
EOF
  echo "$cfg"
}

# start_s3_registry NAME PORT [CMD...]: start_registry's launch and wait, with the S3 config above (default command
# $REGISTRY_CMD); the registry is in REG_PID/REG_LOG, so stop_registry, log_tails and the cleanup know it.
start_s3_registry() {
  local name=$1 port=$2; shift 2
  local -a cmd
  if [ $# -gt 0 ]; then cmd=("$@"); else cmd=("${SUT[@]}"); fi
  local cfg logf="$E2E_TMP/$name.log" code
  cfg=$(write_s3_config "$name" "$port")
  log "starting registry $name: ${cmd[*]} $cfg (port $port, s3://$BUCKET$ROOTDIR)"
  (cd "$REPO_ROOT" && exec_clean_env -u AWS_CA_BUNDLE "${cmd[@]}" "$cfg") >>"$logf" 2>&1 </dev/null &
  REG_PID[$name]=$!
  REG_LOG[$name]=$logf
  local deadline=$((SECONDS + E2E_START_TIMEOUT))
  while [ $SECONDS -lt $deadline ]; do
    code=$(curl -sS --max-time 5 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/v2/" 2>/dev/null)
    if [ "$code" = 200 ]; then
      log "registry $name ready (pid ${REG_PID[$name]})"
      return 0
    fi
    kill -0 "${REG_PID[$name]}" 2>/dev/null || die "registry $name exited before answering /v2/ (${cmd[*]})"
    sleep 0.25
  done
  die "registry $name did not answer /v2/ within ${E2E_START_TIMEOUT} s"
}

# pulls_intact REF OUTDIR ORIGINAL_LAYOUT: skopeo copy --all REF into a new oci: dir; same blobs as the original.
pulls_intact() {
  rm -rf "$2"
  sk copy --all --preserve-digests --src-tls-verify=false "docker://$1" "oci:$2:x" >/dev/null || return 1
  same_blobs "$3" "$2"
}

# ====================================================================== 1. skopeo, and the objects in the bucket
PORT=$(free_port) || die "no free port"
start_s3_registry sut "$PORT"
R=127.0.0.1:$PORT
URL=http://$R

OCI=$E2E_TMP/oci-multi
make_oci_multiarch "$OCI" v1
MULTI_INDEX=$OCI_INDEX_DIGEST
check "[1] skopeo copy --all the OCI index (amd64+arm64) -> s3/multi:v1" \
  sk copy --all --preserve-digests --dest-tls-verify=false "oci:$OCI:v1" "docker://$R/s3/multi:v1"
check "[1] skopeo copy --all s3/multi:v1 back: exactly the original blobs, all intact" \
  pulls_intact "$R/s3/multi:v1" "$E2E_TMP/back-1" "$OCI"
check_eq "[1] the copied-back index has the original digest" "$MULTI_INDEX" \
  "$(jq -r '.manifests[0].digest' "$E2E_TMP/back-1/index.json" 2>/dev/null)"
check_eq "[1] the registry serves s3/multi:v1 with the index's bytes" "$MULTI_INDEX" \
  "$(raw_manifest_digest "docker://$R/s3/multi:v1")"

# every_blob_is_an_object LAYOUT: each blob of LAYOUT is the object <root>/docker/registry/v2/blobs/sha256/xx/<hex>/data
every_blob_is_an_object() {
  local keys d hex bad=0
  keys=$(s3_keys "$V2/blobs/sha256/") || return 1
  for d in $(blob_list "$1"); do
    hex=${d#sha256:}
    grep -qxF "$V2/blobs/sha256/${hex:0:2}/$hex/data" <<<"$keys" || { echo "no object $V2/blobs/sha256/${hex:0:2}/$hex/data"; bad=1; }
  done
  [ $bad = 0 ] || { echo "blob objects in the bucket:"; echo "$keys"; }
  return $bad
}
check "[1] each of the image's $(blob_list "$OCI" | wc -l) blobs is the object $V2/blobs/sha256/xx/<hex>/data" \
  every_blob_is_an_object "$OCI"
check_eq "[1] object $V2/repositories/s3/multi/_manifests/tags/v1/current/link holds the index digest" \
  "$MULTI_INDEX" "$(s3_get "$V2/repositories/s3/multi/_manifests/tags/v1/current/link")"
check_eq "[1] the index's revision link object is there" "$MULTI_INDEX" \
  "$(s3_get "$V2/repositories/s3/multi/_manifests/revisions/sha256/${MULTI_INDEX#sha256:}/link")"
check_eq "[1] every object of the bucket is under rootdirectory $ROOTDIR (as $PFX/docker/registry/v2/...)" "" \
  "$(s3_keys "" | grep -v "^$V2/")"

# ====================================================================== 2. docker and podman
if timeout 10 docker info >/dev/null 2>&1; then
  log "using the Docker engine that is already running"
else
  start_dockerd
fi
# over 6 MiB: its layer is a multipart upload of two parts into S3 (smallest part 5 MiB)
make_rootfs_tar "$E2E_TMP/rootfs-docker.tar" $((6 * 1024 * 1024 + RANDOM))
DSRC=berth-e2e-s3/docker-src:$(rand_hex 4)
dk import "$E2E_TMP/rootfs-docker.tar" "$DSRC" >/dev/null || die "docker import of the test root filesystem failed"
DSRC_ID=$(dk image inspect --format '{{.Id}}' "$DSRC")
DREPO=$R/s3/docker
check "[2] docker push $DREPO:v1" \
  bash -c "timeout 60 docker tag '$DSRC' '$DREPO:v1' && timeout 300 docker push '$DREPO:v1' >'$E2E_TMP/dpush.out' 2>&1 || { cat '$E2E_TMP/dpush.out'; exit 1; }"
DPUSH_DIGEST=$(grep -Eo 'digest: sha256:[0-9a-f]{64}' "$E2E_TMP/dpush.out" | head -n1 | cut -d' ' -f2)
check "[2] docker rmi the pushed tag and the source image" dk rmi "$DREPO:v1" "$DSRC"
check "[2] docker pull $DREPO:v1" dk pull "$DREPO:v1"
check_eq "[2] the image docker pulled has the pushed image's id" "$DSRC_ID" \
  "$(dk image inspect --format '{{.Id}}' "$DREPO:v1" 2>/dev/null)"
check_eq "[2] ... and the digest docker push printed" "$DREPO@$DPUSH_DIGEST" \
  "$(dk image inspect --format '{{index .RepoDigests 0}}' "$DREPO:v1" 2>/dev/null)"
dk rmi "$DREPO:v1" >/dev/null 2>&1

make_rootfs_tar "$E2E_TMP/rootfs-podman.tar"
pm import -q "$E2E_TMP/rootfs-podman.tar" localhost/berth-e2e-s3/podman-src:v1 >/dev/null ||
  die "podman import of the test root filesystem failed"
PSRC_ID=$(pm image inspect --format '{{.Id}}' localhost/berth-e2e-s3/podman-src:v1)
PREPO=$R/s3/podman
check "[2] podman push $PREPO:v1" \
  pm push --tls-verify=false --digestfile "$E2E_TMP/podman.digest" localhost/berth-e2e-s3/podman-src:v1 "docker://$PREPO:v1"
check "[2] podman rmi the source image" pm rmi localhost/berth-e2e-s3/podman-src:v1
check "[2] podman pull $PREPO:v1" pm pull --tls-verify=false "$PREPO:v1"
check_eq "[2] the image podman pulled has the pushed image's id" "$PSRC_ID" \
  "$(pm image inspect --format '{{.Id}}' "$PREPO:v1" 2>/dev/null)"
check_eq "[2] the registry serves the digest podman pushed" "$(cat "$E2E_TMP/podman.digest" 2>/dev/null)" \
  "$(raw_manifest_digest "docker://$PREPO:v1")"

# ====================================================================== 3. a chunked upload with curl
CHUNKS=(1048576 7340032 102400)   # PATCHes: 1 MiB, 7 MiB (8 MiB: past 5 MiB), 100 KiB (past 8 MiB, a small part)
LAST=2097152                      # the PUT's chunk: to 10,588,160 bytes, past the 10 MiB chunksize
BIG=$E2E_TMP/chunked.bin
head -c $((1048576 + 7340032 + 102400 + LAST)) /dev/urandom >"$BIG"
CHUNKED="sha256:$(sha256_of "$BIG")"
headers() { tr -d '\r' <"$1" | sed -n "s/^$2: *//Ip" | tail -n1; }
# absolute LOCATION: a Location header as a URL (distribution sends absolute ones, relative ones are allowed)
absolute() { case $1 in /*) echo "$URL$1" ;; *) echo "$1" ;; esac; }

cu -o /dev/null -D "$E2E_TMP/post.h" -X POST "$URL/v2/s3/chunked/blobs/uploads/"
check_eq "[3] POST /v2/s3/chunked/blobs/uploads/ answers 202" 202 \
  "$(sed -n '1s/^HTTP\/[0-9.]* \([0-9]*\).*/\1/p' "$E2E_TMP/post.h")"
LOC=$(absolute "$(headers "$E2E_TMP/post.h" Location)")
OFF=0
n=0
for size in "${CHUNKS[@]}"; do
  n=$((n + 1))
  tail -c +$((OFF + 1)) "$BIG" | head -c "$size" >"$E2E_TMP/chunk"
  code=$(cu -o /dev/null -D "$E2E_TMP/patch.h" -w '%{http_code}' -X PATCH -H 'Content-Type: application/octet-stream' \
    -H "Content-Range: $OFF-$((OFF + size - 1))" --data-binary "@$E2E_TMP/chunk" "$LOC")
  OFF=$((OFF + size))
  check_eq "[3] PATCH #$n ($size bytes) answers 202 with Range: 0-$((OFF - 1))" "202 0-$((OFF - 1))" \
    "$code $(headers "$E2E_TMP/patch.h" Range)"
  LOC=$(absolute "$(headers "$E2E_TMP/patch.h" Location)")
  code=$(cu -o /dev/null -D "$E2E_TMP/status.h" -w '%{http_code}' "$LOC")
  check_eq "[3] GET of the upload after PATCH #$n answers 204 with Range: 0-$((OFF - 1))" "204 0-$((OFF - 1))" \
    "$code $(headers "$E2E_TMP/status.h" Range)"
done
tail -c +$((OFF + 1)) "$BIG" >"$E2E_TMP/chunk"
case $LOC in *\?*) PUTLOC="$LOC&digest=$CHUNKED" ;; *) PUTLOC="$LOC?digest=$CHUNKED" ;; esac
code=$(cu -o /dev/null -D "$E2E_TMP/put.h" -w '%{http_code}' -X PUT -H 'Content-Type: application/octet-stream' \
  -H "Content-Range: $OFF-$((OFF + LAST - 1))" --data-binary "@$E2E_TMP/chunk" "$PUTLOC")
check_eq "[3] PUT with the last $LAST bytes and ?digest= answers 201 with Docker-Content-Digest ${CHUNKED:0:19}..." \
  "201 $CHUNKED" "$code $(headers "$E2E_TMP/put.h" Docker-Content-Digest)"
check_eq "[3] HEAD of the blob: 200, Content-Length $(stat -c %s "$BIG")" "200 $(stat -c %s "$BIG")" \
  "$(cu -I -L -o /dev/null -w '%{http_code} ' "$URL/v2/s3/chunked/blobs/$CHUNKED")$(cu -I -L "$URL/v2/s3/chunked/blobs/$CHUNKED" | tr -d '\r' | sed -n 's/^Content-Length: *//Ip' | tail -n1)"
check_eq "[3] GET of the blob returns its bytes (clients follow a redirect)" "$CHUNKED" \
  "sha256:$(cu -L "$URL/v2/s3/chunked/blobs/$CHUNKED" | sha256sum | cut -d' ' -f1)"
# ranges across the 5 MiB and the 8 MiB (1 + 7 MiB) marks
for range in 5242000-5243999 8387000-8492000; do
  code=$(cu -L -o "$E2E_TMP/range.out" -w '%{http_code}' -H "Range: bytes=$range" "$URL/v2/s3/chunked/blobs/$CHUNKED")
  start=${range%-*} end=${range#*-}
  check_eq "[3] GET with Range: bytes=$range answers 206 with those $((end - start + 1)) bytes" \
    "206 $(tail -c +$((start + 1)) "$BIG" | head -c $((end - start + 1)) | sha256sum | cut -d' ' -f1)" \
    "$code $(sha256_of "$E2E_TMP/range.out")"
done
# (Berth also keeps an empty .../claimed object beside data: docs/garbage-collection.md)
check_eq "[3] the blob is the object .../blobs/sha256/${CHUNKED:7:2}/${CHUNKED:7:12}.../data" \
  "$V2/blobs/sha256/${CHUNKED:7:2}/${CHUNKED#sha256:}/data" \
  "$(s3_keys "$V2/blobs/sha256/${CHUNKED:7:2}/${CHUNKED#sha256:}/" | grep '/data$')"
stop_registry sut

# ====================================================================== 4. drop-in both ways with distribution
OCI_REF=$E2E_TMP/oci-ref
make_oci_multiarch "$OCI_REF" v1
OCI_SUT=$E2E_TMP/oci-sut
make_oci_multiarch "$OCI_SUT" v1

PORT=$(free_port) || die "no free port"
start_s3_registry ref-writes "$PORT" "${REF[@]}"
check "[4] reference writes: skopeo copy --all -> dropin/fromref:v1" \
  sk copy --all --preserve-digests --dest-tls-verify=false "oci:$OCI_REF:v1" "docker://127.0.0.1:$PORT/dropin/fromref:v1"
stop_registry ref-writes

PORT=$(free_port) || die "no free port"
start_s3_registry sut-reads "$PORT"
check "[4] the registry under test serves dropin/fromref:v1 (reference-written): the original blobs, intact" \
  pulls_intact "127.0.0.1:$PORT/dropin/fromref:v1" "$E2E_TMP/back-4a" "$OCI_REF"
check "[4] the registry under test writes: skopeo copy --all -> dropin/fromsut:v1" \
  sk copy --all --preserve-digests --dest-tls-verify=false "oci:$OCI_SUT:v1" "docker://127.0.0.1:$PORT/dropin/fromsut:v1"
stop_registry sut-reads

PORT=$(free_port) || die "no free port"
start_s3_registry ref-reads "$PORT" "${REF[@]}"
check "[4] the reference serves dropin/fromsut:v1: the original blobs, intact" \
  pulls_intact "127.0.0.1:$PORT/dropin/fromsut:v1" "$E2E_TMP/back-4b" "$OCI_SUT"
check "[4] the reference serves s3/multi:v1 (pushed in part 1): the original blobs, intact" \
  pulls_intact "127.0.0.1:$PORT/s3/multi:v1" "$E2E_TMP/back-4c" "$OCI"
check_eq "[4] the reference serves the chunked blob of part 3 intact" "$CHUNKED" \
  "sha256:$(cu -L "http://127.0.0.1:$PORT/v2/s3/chunked/blobs/$CHUNKED" | sha256sum | cut -d' ' -f1)"
check_eq "[4] the reference lists the repositories" \
  "$(printf '%s\n' dropin/fromref dropin/fromsut s3/chunked s3/docker s3/multi s3/podman)" \
  "$(cu -L "http://127.0.0.1:$PORT/v2/_catalog" | jq -r '.repositories[]' | LC_ALL=C sort)"
stop_registry ref-reads

# ====================================================================== 5. delete a manifest, collect
OCI_GC=$E2E_TMP/oci-gc
make_oci_multiarch "$OCI_GC" v1
GC_AMD64=$OCI_AMD64_DIGEST GC_ARM64=$OCI_ARM64_DIGEST
manifest_blobs() { echo "$2"; jq -r '.config.digest, .layers[].digest' "$1/blobs/sha256/${2#sha256:}"; }
# arm64's manifest, config and own layer; the base layer is amd64's too
ARM64_ONLY=$(LC_ALL=C comm -23 <(manifest_blobs "$OCI_GC" "$GC_ARM64" | LC_ALL=C sort) \
                              <(manifest_blobs "$OCI_GC" "$GC_AMD64" | LC_ALL=C sort))
SHARED=$(LC_ALL=C comm -12 <(manifest_blobs "$OCI_GC" "$GC_ARM64" | LC_ALL=C sort) \
                           <(manifest_blobs "$OCI_GC" "$GC_AMD64" | LC_ALL=C sort))
PORT=$(free_port) || die "no free port"
start_s3_registry sut-gc "$PORT"
R=127.0.0.1:$PORT
check "[5] skopeo copy the amd64 and arm64 images (sharing a base layer) -> gc/app:amd64, gc/app:arm64" \
  bash -c "timeout 300 skopeo --insecure-policy copy --preserve-digests --dest-tls-verify=false 'oci:$OCI_GC:v1-amd64' 'docker://$R/gc/app:amd64' \
        && timeout 300 skopeo --insecure-policy copy --preserve-digests --dest-tls-verify=false 'oci:$OCI_GC:v1-arm64' 'docker://$R/gc/app:arm64'"
check "[5] DELETE the arm64 manifest by digest answers 202" \
  bash -c "test \"\$(curl -sS --max-time 30 -o /dev/null -w '%{http_code}' -X DELETE 'http://$R/v2/gc/app/manifests/$GC_ARM64')\" = 202"
stop_registry sut-gc
BEFORE=$(blob_objects)
check_eq "[5] before collecting, the bucket holds the arm64 image's $(wc -l <<<"$ARM64_ONLY") own blobs and the shared one" "" \
  "$(LC_ALL=C comm -23 <(printf '%s\n' "$ARM64_ONLY" "$SHARED" | LC_ALL=C sort) <(echo "$BEFORE"))"
GC_CFG=$(write_s3_config gc "$(free_port)")
check "[5] $SUT_GC (registry stopped)" \
  bash -c "cd '$REPO_ROOT' && $(declare -f exec_clean_env); exec_clean_env -u AWS_CA_BUNDLE timeout 300 $SUT_GC '$GC_CFG' >'$E2E_TMP/gc.out' 2>&1 || { cat '$E2E_TMP/gc.out'; exit 1; }"
tail -n 1 "$E2E_TMP/gc.out" | sed 's/^/    gc: /'
AFTER=$(blob_objects)
check_eq "[5] the blobs only the deleted image used are gone from the bucket" "" \
  "$(LC_ALL=C comm -12 <(echo "$ARM64_ONLY") <(echo "$AFTER"))"
check_eq "[5] the shared base layer and the amd64 image's blobs stay" "" \
  "$(LC_ALL=C comm -23 <(manifest_blobs "$OCI_GC" "$GC_AMD64" | LC_ALL=C sort) <(echo "$AFTER"))"
check_eq "[5] every blob of the other images stays (parts 1, 2 and 4)" "" \
  "$(LC_ALL=C comm -23 <({ blob_list "$OCI"; blob_list "$OCI_REF"; blob_list "$OCI_SUT"; } | LC_ALL=C sort -u) <(echo "$AFTER"))"
PORT=$(free_port) || die "no free port"
start_s3_registry sut-after-gc "$PORT"
R=127.0.0.1:$PORT
check "[5] gc/app:amd64 still pulls, every blob verifies" \
  bash -c "timeout 300 skopeo --insecure-policy copy --preserve-digests --src-tls-verify=false 'docker://$R/gc/app:amd64' 'oci:$E2E_TMP/back-5:x' >/dev/null \
           && $(declare -f verify_layout_blobs sha256_of); verify_layout_blobs '$E2E_TMP/back-5'"
check_eq "[5] the deleted manifest answers 404" 404 \
  "$(cu -o /dev/null -w '%{http_code}' -H 'Accept: application/vnd.oci.image.manifest.v1+json' "http://$R/v2/gc/app/manifests/$GC_ARM64")"
stop_registry sut-after-gc

# ====================================================================== 6. restart; SIGKILL during an upload
PORT=$(free_port) || die "no free port"
start_s3_registry sut-restart "$PORT"
R=127.0.0.1:$PORT
check "[6] after a restart s3/multi:v1 still pulls: the original blobs, intact" \
  pulls_intact "$R/s3/multi:v1" "$E2E_TMP/back-6" "$OCI"
check_eq "[6] after a restart s3/docker:v1 is served with the digest docker pushed" "$DPUSH_DIGEST" \
  "$(raw_manifest_digest "docker://$R/s3/docker:v1")"
check "[6] after a restart dropin/fromref:v1 still pulls intact" \
  pulls_intact "$R/dropin/fromref:v1" "$E2E_TMP/back-6b" "$OCI_REF"

HUGE=$S3_TMP/huge.bin
head -c $((200 * 1024 * 1024)) /dev/urandom >"$HUGE"
HUGE_DG="sha256:$(sha256_of "$HUGE")"
HUGE_HEX=${HUGE_DG#sha256:}
URL=http://$R
cu -o /dev/null -D "$E2E_TMP/post6.h" -X POST "$URL/v2/s3/huge/blobs/uploads/"
LOC=$(absolute "$(headers "$E2E_TMP/post6.h" Location)")
case $LOC in *\?*) PUTLOC="$LOC&digest=$HUGE_DG" ;; *) PUTLOC="$LOC?digest=$HUGE_DG" ;; esac
# 200 MiB at 25 MB/s: about 8 s; the registry is killed after 3 s
curl -sS --max-time 120 --limit-rate 25M -o /dev/null -X PUT -H 'Content-Type: application/octet-stream' \
  -T "$HUGE" "$PUTLOC" >"$E2E_TMP/slow.out" 2>&1 &
SLOW_PID=$!
sleep 3
check "[6] the 200 MiB monolithic PUT is still streaming after 3 s" kill -0 "$SLOW_PID"
KPID=${REG_PID[sut-restart]}
log "SIGKILL registry sut-restart (pid $KPID, $(tr '\0' ' ' </proc/"$KPID"/cmdline 2>/dev/null | cut -c1-80))"
kill -KILL "$KPID" 2>/dev/null
wait "$KPID" 2>/dev/null
unset "REG_PID[sut-restart]"
wait "$SLOW_PID" 2>/dev/null
SLOW_PID=""
PORT=$(free_port) || die "no free port"
start_s3_registry sut-after-kill "$PORT"
R=127.0.0.1:$PORT
check_eq "[6] after the kill and a restart, HEAD of the interrupted blob answers 404" 404 \
  "$(cu -I -o /dev/null -w '%{http_code}' "http://$R/v2/s3/huge/blobs/$HUGE_DG")"
check_eq "[6] no object under $V2/blobs/sha256/${HUGE_HEX:0:2}/$HUGE_HEX/" "" \
  "$(s3_keys "$V2/blobs/sha256/${HUGE_HEX:0:2}/$HUGE_HEX/")"
check "[6] after the kill s3/multi:v1 still pulls intact" \
  pulls_intact "$R/s3/multi:v1" "$E2E_TMP/back-6c" "$OCI"
check "[6] the registry process is still running at the end" kill -0 "${REG_PID[sut-after-kill]}"
stop_registry sut-after-kill

# ====================================================================== 7. the S3 client's log (storage.s3.loglevel)
INDEX_HEX=${MULTI_INDEX#sha256:}
REVISION_OBJECT=$V2/repositories/s3/multi/_manifests/revisions/sha256/$INDEX_HEX/link
# head_index_with NAME [ENV...]: starts registry NAME (with ENV), HEADs s3/multi's index into HEAD_CODE, stops it
head_index_with() {
  local name=$1 port; shift
  port=$(free_port) || die "no free port"
  start_s3_registry "$name" "$port" env "$@" "${SUT[@]}"
  HEAD_CODE=$(cu -I -o /dev/null -w '%{http_code}' -H 'Accept: application/vnd.oci.image.index.v1+json' \
    "http://127.0.0.1:$port/v2/s3/multi/manifests/$MULTI_INDEX")
  stop_registry "$name"
}
# the registry's own debug level is not the S3 client's: distribution's SDK logs only what loglevel asks for
head_index_with sut-s3-quiet REGISTRY_LOG_LEVEL=debug
check_eq "[7] with REGISTRY_LOG_LEVEL=debug and no loglevel (off), HEAD of s3/multi's index answers 200" 200 \
  "$HEAD_CODE"
check "[7] ... and the log does not name its revision link $REVISION_OBJECT" \
  bash -c "! grep -q '$REVISION_OBJECT' '${REG_LOG[sut-s3-quiet]}'"
head_index_with sut-s3-log REGISTRY_STORAGE_S3_LOGLEVEL=debug
check_eq "[7] with REGISTRY_STORAGE_S3_LOGLEVEL=debug, HEAD of s3/multi's index answers 200" 200 "$HEAD_CODE"
check "[7] ... and the log shows the request the registry sent S3 for that object" \
  grep -q "$REVISION_OBJECT" "${REG_LOG[sut-s3-log]}"

# ====================================================================== 8. ./berth's start-up cache for S3
# The launcher guesses the storage from the configuration (its storage section, REGISTRY_STORAGE,
# REGISTRY_STORAGE_S3_*): an S3 registry starts from target/berth-s3-KEY.aot, trained with the SDK on the class
# path and pulls from a stand-in S3, a filesystem one from target/berth-KEY.aot, which leaves the SDK out. Each is
# made once per build.
if [ "${SUT[*]}" = "./berth serve" ]; then
  # made anew here, with a proxy in the environment that leads nowhere (loopback's discard port): the training pulls
  # from a stand-in S3 on loopback, which its requests must reach directly, while the registry's own S3 requests
  # follow the proxy, as the SDK's do (a start calls no S3)
  rm -f "$REPO_ROOT"/target/berth-s3-[0-9a-f]*.aot
  start_s3_registry sut-aot "$(free_port)" HTTP_PROXY=http://127.0.0.1:9 "${SUT[@]}"
  check "[8] ./berth serve on S3, with HTTP_PROXY set, makes and maps the launcher's S3 cache" \
    grep -q "$REPO_ROOT/target/berth-s3-[0-9a-f]*\.aot" "/proc/${REG_PID[sut-aot]}/maps"
  check_eq "[8] ... which holds the AWS SDK's S3 client" cache \
    "$(class_source "${REG_PID[sut-aot]}" software.amazon.awssdk.services.s3.DefaultS3Client)"
  # not loaded at all by a start whose cache holds no pull: the stream that reads an object's body from S3
  check_eq "[8] ... and the classes of a pull through it, the HTTP client's reader of an object's body among them" \
    cache "$(class_source "${REG_PID[sut-aot]}" org.apache.hc.core5.http.impl.io.ContentLengthInputStream)"
  check_eq "[8] ... whose training, with its pulls, the JVM replays as it starts" yes \
    "$(replays_training "${REG_PID[sut-aot]}")"
  check "[8] ... which the JVM did not refuse" bash -c '! grep -q "shared class paths mismatch" "$1"' _ "${REG_LOG[sut-aot]}"
  stop_registry sut-aot

  # registry:2's way: a filesystem configuration that the environment turns into an S3 one
  PORT=$(free_port) || die "no free port"
  REG_EXTRA_ENV="REGISTRY_STORAGE=s3
REGISTRY_STORAGE_S3_REGION=us-east-1
REGISTRY_STORAGE_S3_REGIONENDPOINT=$S3_URL
REGISTRY_STORAGE_S3_BUCKET=$BUCKET
REGISTRY_STORAGE_S3_ACCESSKEY=$S3PROXY_ACCESS_KEY
REGISTRY_STORAGE_S3_SECRETKEY=$S3PROXY_SECRET_KEY
REGISTRY_STORAGE_S3_ROOTDIRECTORY=$ROOTDIR" start_registry sut-aot-env "$PORT" "$E2E_TMP/aot-env-unused"
  check_eq "[8] with REGISTRY_STORAGE=s3 over a filesystem file, HEAD of s3/multi's index answers 200" 200 \
    "$(cu -I -o /dev/null -w '%{http_code}' -H 'Accept: application/vnd.oci.image.index.v1+json' \
      "http://127.0.0.1:$PORT/v2/s3/multi/manifests/$MULTI_INDEX")"
  check "[8] ... from the S3 cache" \
    grep -q "$REPO_ROOT/target/berth-s3-[0-9a-f]*\.aot" "/proc/${REG_PID[sut-aot-env]}/maps"
  stop_registry sut-aot-env

  start_registry sut-aot-fs "$(free_port)" "$E2E_TMP/aot-fs"
  check "[8] a filesystem registry maps the filesystem cache" \
    grep -q "$REPO_ROOT/target/berth-[0-9a-f]*\.aot" "/proc/${REG_PID[sut-aot-fs]}/maps"
  check_eq "[8] ... which leaves the SDK out" absent \
    "$(class_source "${REG_PID[sut-aot-fs]}" software.amazon.awssdk.services.s3.DefaultS3Client)"
  stop_registry sut-aot-fs
  check "[8] the S3 cache is still there beside it" \
    bash -c 'compgen -G "$1/target/berth-s3-*.aot" >/dev/null' _ "$REPO_ROOT"
else
  log "[8] skipped: the start-up cache is ./berth's, and the registry under test is ${SUT[*]}"
fi

finish
