#!/usr/bin/env bash
# End-to-end: Berth's offline garbage collector against distribution 2.8.2's, side by side.
# One data set (images sharing layers across repositories, overwritten tags, a deleted manifest, a
# deleted tag, a blob no manifest uses, then an index and a referrer) is pushed through the registry
# under test and copied; `docker-registry garbage-collect` runs on one copy, `./berth garbage-collect
# --grace 0` on the other, with and without --delete-untagged, and the blobs left must be the same.
# The one documented difference: with --delete-untagged distribution 2.8 also deletes the children
# of tagged indexes (all but their manifest blobs, breaking the index) and the referrers of tagged
# images; Berth keeps them. Last, a repository only distribution can name (Team2/app): Berth's
# collector must refuse to run and delete nothing.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_tools
read -r -a SUT <<<"$REGISTRY_CMD"
BERTH_GC=${BERTH_GC_CMD:-./berth garbage-collect}
REF_GC=${REF_GC_CMD:-docker-registry garbage-collect}

OCI=$E2E_TMP/oci
mkdir -p "$OCI/blobs/sha256"
echo '{"imageLayoutVersion":"1.0.0"}' >"$OCI/oci-layout"
echo '{"schemaVersion":2,"manifests":[]}' >"$OCI/index.json"

# layer NAME: a random gzip layer in $OCI; prints "digest diffid".
layer() { _oci_random_layer "$OCI" "$1"; }

# image NAME "digest diffid"...: an OCI image of those layers and a fresh config, named NAME in $OCI.
image() {
  local name=$1; shift
  local digests=() diffids=() l cfg cfg_dg man man_dg
  for l in "$@"; do digests+=("${l% *}"); diffids+=("${l#* }"); done
  cfg=$E2E_TMP/cfg.json
  jq -cn --arg id "$(rand_hex 8)" --args '{architecture: "amd64", os: "linux", config: {Env: ["ID=" + $id]},
      rootfs: {type: "layers", diff_ids: $ARGS.positional}}' "${diffids[@]}" >"$cfg"
  cfg_dg=$(_oci_put_blob "$OCI" "$cfg")
  man=$E2E_TMP/man.json
  jq -cn --arg cd "$cfg_dg" --argjson cs "$(_blob_size "$OCI" "$cfg_dg")" \
     --argjson layers "$(for d in "${digests[@]}"; do
         jq -cn --arg d "$d" --argjson s "$(_blob_size "$OCI" "$d")" \
           '{mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", digest: $d, size: $s}'; done | jq -cs .)" \
     '{schemaVersion: 2, mediaType: "application/vnd.oci.image.manifest.v1+json",
       config: {mediaType: "application/vnd.oci.image.config.v1+json", digest: $cd, size: $cs}, layers: $layers}' >"$man"
  man_dg=$(_oci_put_blob "$OCI" "$man")
  jq --arg n "$name" --arg d "$man_dg" --argjson s "$(_blob_size "$OCI" "$man_dg")" \
     '.manifests += [{mediaType: "application/vnd.oci.image.manifest.v1+json", digest: $d, size: $s,
                      annotations: {"org.opencontainers.image.ref.name": $n}}]' "$OCI/index.json" >"$OCI/index.new" &&
    mv "$OCI/index.new" "$OCI/index.json"
  echo "$man_dg"
}

push() {  # push NAME REPO:TAG
  sk copy --quiet --preserve-digests --dest-tls-verify=false "oci:$OCI:$1" "docker://$R/$2"
}

put_blob() {  # put_blob REPO FILE: monolithic upload; prints the digest
  local d="sha256:$(sha256_of "$2")"
  cu -f -o /dev/null -X POST -H 'Content-Type: application/octet-stream' --data-binary "@$2" \
    "http://$R/v2/$1/blobs/uploads/?digest=$d" && echo "$d"
}

# blobs_left ROOT: sorted digests of the blob data files under a root directory.
blobs_left() {
  find "$1/docker/registry/v2/blobs" -name data -type f 2>/dev/null |
    awk -F/ '{print $(NF-3) ":" $(NF-1)}' | LC_ALL=C sort
}

# collect NAME ROOT FLAGS...: runs both collectors on copies of ROOT; sets DIST_LEFT and BERTH_LEFT.
collect() {
  local name=$1 root=$2; shift 2
  rm -rf "$E2E_TMP/$name-dist" "$E2E_TMP/$name-berth"
  cp -a "$root" "$E2E_TMP/$name-dist"
  cp -a "$root" "$E2E_TMP/$name-berth"
  local cfg_dist cfg_berth
  cfg_dist=$(write_config "$name-dist" 1 "$E2E_TMP/$name-dist")
  cfg_berth=$(write_config "$name-berth" 1 "$E2E_TMP/$name-berth")
  check "[$name] docker-registry garbage-collect $*" \
    bash -c "$(declare -f exec_clean_env); exec_clean_env timeout 300 $REF_GC $* '$cfg_dist'"
  check "[$name] berth garbage-collect --grace 0 --dry-run $*" \
    bash -c "cd '$REPO_ROOT' && $(declare -f exec_clean_env); exec_clean_env timeout 300 $BERTH_GC --grace 0 --dry-run $* '$cfg_berth' >'$E2E_TMP/$name-dry.out'"
  check "[$name] berth garbage-collect --grace 0 $*" \
    bash -c "cd '$REPO_ROOT' && $(declare -f exec_clean_env); exec_clean_env timeout 300 $BERTH_GC --grace 0 $* '$cfg_berth' >'$E2E_TMP/$name.out'"
  sed 's/^/    berth: /' "$E2E_TMP/$name.out" | tail -n 1
  check_eq "[$name] the dry run listed exactly the blobs the real run deleted" \
    "$(sed -n 's/^blob \(sha256:[0-9a-f]*\) .*eligible for deletion$/\1/p' "$E2E_TMP/$name-dry.out" | LC_ALL=C sort)" \
    "$(sed -n 's/^deleted blob \(sha256:[0-9a-f]*\) .*/\1/p' "$E2E_TMP/$name.out" | LC_ALL=C sort)"
  DIST_LEFT=$(blobs_left "$E2E_TMP/$name-dist")
  BERTH_LEFT=$(blobs_left "$E2E_TMP/$name-berth")
}

# serves_completely NAME REPO:TAG...: serve the collected Berth copy; every image pulls with intact blobs.
# With REPUSH="NAME=REPO:TAG ..." those images of $OCI are pushed again first, and pulled too.
serves_completely() {
  local name=$1 ref out port push; shift
  port=$(free_port) || die "no free port"
  start_registry "serve-$name" "$port" "$E2E_TMP/$name-berth" "${SUT[@]}"
  for push in ${REPUSH:-}; do
    check "[$name] after collection, skopeo pushes ${push%%=*} (collected) again as ${push#*=}" \
      sk copy --quiet --preserve-digests --dest-tls-verify=false "oci:$OCI:${push%%=*}" "docker://127.0.0.1:$port/${push#*=}"
    set -- "$@" "${push#*=}"
  done
  for ref in "$@"; do
    out=$E2E_TMP/pull-$name-${ref//[\/:]/_}
    check "[$name] after collection $ref pulls completely and every blob verifies" \
      bash -c "timeout 300 skopeo --insecure-policy copy --all --preserve-digests --src-tls-verify=false \
                 'docker://127.0.0.1:$port/$ref' 'oci:$out:x' >/dev/null && $(declare -f verify_layout_blobs sha256_of); verify_layout_blobs '$out'"
  done
  stop_registry "serve-$name"
}

# ====================================================================== the data set
SRC=$E2E_TMP/source
PORT=$(free_port) || die "no free port"
start_registry source "$PORT" "$SRC" "${SUT[@]}"
R=127.0.0.1:$PORT

BASE=$(layer base)
X1=$(image x1 "$BASE" "$(layer l1)")
X2=$(image x2 "$BASE" "$(layer l2)")
X3=$(image x3 "$BASE" "$(layer l3)")
X4=$(image x4 "$BASE" "$(layer l4)")
X5=$(image x5 "$BASE" "$(layer l5)")
X6=$(image x6 "$(layer l6)")
check "push images sharing a base layer into two repositories" \
  bash -c "$(declare -f push sk); OCI='$OCI' R='$R'; push x1 shared/one:v1 && push x2 shared/two:v1 && push x1 shared/two:copy"
check "overwrite shared/one:latest (x3, then x4)" \
  bash -c "$(declare -f push sk); OCI='$OCI' R='$R'; push x3 shared/one:latest && push x4 shared/one:latest"
check "push shared/two:old and delete that manifest by digest" \
  bash -c "$(declare -f push sk cu); OCI='$OCI' R='$R'; push x5 shared/two:old && cu -f -X DELETE 'http://$R/v2/shared/two/manifests/$X5'"
check "push shared/two:gone and delete only the tag" \
  bash -c "$(declare -f push sk cu); OCI='$OCI' R='$R'; push x6 shared/two:gone && cu -f -X DELETE 'http://$R/v2/shared/two/manifests/gone'"
head -c 5000 /dev/urandom >"$E2E_TMP/orphan.bin"
check "upload a blob no manifest uses" put_blob shared/one "$E2E_TMP/orphan.bin"
stop_registry source
cp -a "$SRC" "$E2E_TMP/source-plain"

# then an index (two images sharing a base) and a referrer of x1, pushed by digest
start_registry source2 "$PORT" "$SRC" "${SUT[@]}"
make_oci_multiarch "$E2E_TMP/oci-multi" v1
check "push an OCI index with two children -> multi/app:v1" \
  sk copy --quiet --all --preserve-digests --dest-tls-verify=false "oci:$E2E_TMP/oci-multi:v1" "docker://$R/multi/app:v1"
echo -n '{}' >"$E2E_TMP/empty.json"
echo "signature $(rand_hex 16)" >"$E2E_TMP/sig.txt"
EMPTY=$(put_blob shared/one "$E2E_TMP/empty.json")
SIG=$(put_blob shared/one "$E2E_TMP/sig.txt")
jq -cn --arg e "$EMPTY" --arg s "$SIG" --argjson ss "$(stat -c %s "$E2E_TMP/sig.txt")" \
   --arg x "$X1" --argjson xs "$(_blob_size "$OCI" "$X1")" '{
     schemaVersion: 2, mediaType: "application/vnd.oci.image.manifest.v1+json",
     artifactType: "application/vnd.example.signature",
     config: {mediaType: "application/vnd.oci.empty.v1+json", digest: $e, size: 2},
     layers: [{mediaType: "application/vnd.example.signature", digest: $s, size: $ss}],
     subject: {mediaType: "application/vnd.oci.image.manifest.v1+json", digest: $x, size: $xs}}' >"$E2E_TMP/referrer.json"
REFERRER="sha256:$(sha256_of "$E2E_TMP/referrer.json")"
check "push a referrer of shared/one:v1 by digest" \
  cu -f -o /dev/null -X PUT -H 'Content-Type: application/vnd.oci.image.manifest.v1+json' \
    --data-binary "@$E2E_TMP/referrer.json" "http://$R/v2/shared/one/manifests/$REFERRER"
stop_registry source2

# ====================================================================== side by side
collect plain "$E2E_TMP/source-plain"
check_eq "[plain] both collectors leave the same blobs" "$DIST_LEFT" "$BERTH_LEFT"
check "[plain] something was collected" test "$(blobs_left "$E2E_TMP/source-plain" | wc -l)" -gt "$(wc -l <<<"$BERTH_LEFT")"

collect plain-untagged "$E2E_TMP/source-plain" --delete-untagged
check_eq "[plain-untagged] both collectors leave the same blobs" "$DIST_LEFT" "$BERTH_LEFT"
REPUSH="x5=shared/two:again x3=shared/one:back" \
  serves_completely plain-untagged shared/one:v1 shared/one:latest shared/two:v1 shared/two:copy

collect full "$SRC"
check_eq "[full] both collectors leave the same blobs" "$DIST_LEFT" "$BERTH_LEFT"

collect full-untagged "$SRC" --delete-untagged
# what distribution 2.8 deletes beyond Berth: the children of multi/app:v1 with their configs and
# layers, and the referrer of shared/one:v1 with its blobs
KEPT_BY_BERTH_ONLY=$( {
  for m in "$OCI_AMD64_DIGEST" "$OCI_ARM64_DIGEST"; do
    echo "$m"; jq -r '.config.digest, .layers[].digest' "$E2E_TMP/oci-multi/blobs/sha256/${m#sha256:}"
  done
  echo "$REFERRER"; echo "$EMPTY"; echo "$SIG"
} | LC_ALL=C sort -u)
# (2.8 marks the children's manifest blobs, as the index references them, but unlinks them from the
# repository and sweeps their configs and layers: the index no longer pulls)
check_eq "[full-untagged] distribution 2.8 deletes all of that except the children's manifest blobs" \
  "$(printf '%s\n' "$OCI_AMD64_DIGEST" "$OCI_ARM64_DIGEST" | LC_ALL=C sort)" \
  "$(LC_ALL=C comm -12 <(echo "$DIST_LEFT") <(echo "$KEPT_BY_BERTH_ONLY"))"
check_eq "[full-untagged] Berth keeps what distribution keeps, plus index children and referrers" \
  "$(LC_ALL=C sort -u <<<"$DIST_LEFT"$'\n'"$KEPT_BY_BERTH_ONLY")" "$BERTH_LEFT"
serves_completely full-untagged multi/app:v1 shared/one:v1 "shared/one@$REFERRER"

# ====================================================================== a name only distribution serves
# Distribution's grammar also takes a first component in a host name's form (capitals, a port). docker and
# skopeo never make such names, but its API takes them, so a registry:2 volume may hold them. Berth serves
# none of them; its collector cannot read what they use, so it must stop and delete nothing.
read -r -a REF <<<"$REF_REGISTRY_CMD"
api_push() {  # api_push MANIFEST_DIGEST REPO:TAG: blobs by POST then PUT, as distribution 2.8 needs, then the manifest
  local m=$1 repo=${2%%:*} tag=${2#*:} d loc
  for d in $(jq -r '.config.digest, .layers[].digest' "$OCI/blobs/sha256/${m#sha256:}"); do
    loc=$(cu -f -D - -o /dev/null -X POST "http://$R/v2/$repo/blobs/uploads/" | tr -d '\r' | sed -n 's/^[Ll]ocation: //p')
    [ -n "$loc" ] || return 1
    case $loc in *\?*) loc="$loc&digest=$d" ;; *) loc="$loc?digest=$d" ;; esac
    cu -f -o /dev/null -X PUT -H 'Content-Type: application/octet-stream' \
      --data-binary "@$OCI/blobs/sha256/${d#sha256:}" "$loc" || return 1
  done
  cu -f -o /dev/null -X PUT -H 'Content-Type: application/vnd.oci.image.manifest.v1+json' \
    --data-binary "@$OCI/blobs/sha256/${m#sha256:}" "http://$R/v2/$repo/manifests/$tag"
}
FOREIGN=$E2E_TMP/foreign
cp -a "$E2E_TMP/source-plain" "$FOREIGN"
start_registry foreign "$PORT" "$FOREIGN" "${REF[@]}"
X7=$(image x7 "$(layer l7)")
check "distribution takes an image pushed through its API as Team2/app:v1" \
  bash -c "$(declare -f api_push cu); OCI='$OCI' R='$R'; api_push '$X7' Team2/app:v1"
check "distribution serves Team2/app:v1" \
  cu -f -o /dev/null -H "Accept: application/vnd.oci.image.manifest.v1+json" "http://$R/v2/Team2/app/manifests/v1"
stop_registry foreign
FOREIGN_BLOBS=$(blobs_left "$FOREIGN")
FOREIGN_CFG=$(write_config foreign-gc 1 "$FOREIGN")
check_fails "berth garbage-collect stops, naming repositories/Team2/app" "repositories/Team2/app.*nothing was deleted" \
  bash -c "cd '$REPO_ROOT' && $(declare -f exec_clean_env); exec_clean_env timeout 300 $BERTH_GC --grace 0 '$FOREIGN_CFG'"
check_eq "... and every blob is still there" "$FOREIGN_BLOBS" "$(blobs_left "$FOREIGN")"

finish
