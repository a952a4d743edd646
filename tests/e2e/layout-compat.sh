#!/usr/bin/env bash
# End-to-end: storage-layout compatibility with CNCF distribution, both ways.
#   A: the reference registry ($REF_REGISTRY_CMD, default docker-registry) writes; then the
#      registry under test ($REGISTRY_CMD, default ./berth serve) serves A and must return
#      everything; it adds a tag, and the reference must then serve that too.
#   B: the registry under test writes; then the reference serves B and must return
#      everything; distribution's offline garbage-collect must keep all of it.
#   C: the registry under test leaves a repository without tags, then its collector ($SUT_GC_CMD,
#      default ./berth garbage-collect --grace 0) deletes every blob; the reference must still list
#      that repository's (no) tags and collect.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_tools
read -r -a SUT <<<"$REGISTRY_CMD"
read -r -a REF <<<"$REF_REGISTRY_CMD"
SUT_GC=${SUT_GC_CMD:-./berth garbage-collect --grace 0}
log "writer/reader pairs: ref=${REF[*]}  sut=${SUT[*]}"

OCI=$E2E_TMP/oci-multi
make_oci_multiarch "$OCI" v1

declare -A EXPECT=()       # "repo:tag" or "repo@digest" -> manifest digest
declare -A EXPECT_TAGS=()  # repo -> sorted tags, as the writer listed them
EXPECT_CATALOG=""
DELETED=()                 # "repo@digest" refs deleted through the writer

tags_of() {  # tags_of HOST:PORT REPO -> sorted tags, one per line
  curl -fsS --max-time 30 "http://$1/v2/$2/tags/list" | jq -r '.tags // [] | .[]' | LC_ALL=C sort
}
catalog_of() { curl -fsS --max-time 30 "http://$1/v2/_catalog" | jq -r '.repositories[]'; }

# populate LABEL HOST:PORT PREFIX: push the test images through a registry; record expectations.
populate() {
  local label=$1 h=$2 p=$3 d
  check "[$label] skopeo copy single-arch OCI image -> $p/single:v1" \
    sk copy --preserve-digests --dest-tls-verify=false "oci:$OCI:v1-amd64" "docker://$h/$p/single:v1"
  EXPECT[$p/single:v1]=$OCI_AMD64_DIGEST
  check "[$label] second tag of the same manifest -> $p/single:latest" \
    sk copy --preserve-digests --src-tls-verify=false --dest-tls-verify=false "docker://$h/$p/single:v1" "docker://$h/$p/single:latest"
  EXPECT[$p/single:latest]=$OCI_AMD64_DIGEST
  check "[$label] skopeo copy --all OCI index (amd64+arm64) -> $p/multi:v1" \
    sk copy --all --preserve-digests --dest-tls-verify=false "oci:$OCI:v1" "docker://$h/$p/multi:v1"
  EXPECT[$p/multi:v1]=$OCI_INDEX_DIGEST
  EXPECT[$p/multi@$OCI_AMD64_DIGEST]=$OCI_AMD64_DIGEST
  EXPECT[$p/multi@$OCI_ARM64_DIGEST]=$OCI_ARM64_DIGEST
  check "[$label] skopeo copy --all --format v2s2 (Docker manifest list) -> $p/multi:v1-docker" \
    sk copy --all --format v2s2 --dest-tls-verify=false "oci:$OCI:v1" "docker://$h/$p/multi:v1-docker"
  d=$(raw_manifest_digest "docker://$h/$p/multi:v1-docker")
  EXPECT[$p/multi:v1-docker]=$d
  check "[$label] skopeo copy --format v2s2 single image -> $p/v2s2:arm64" \
    sk copy --format v2s2 --dest-tls-verify=false "oci:$OCI:v1-arm64" "docker://$h/$p/v2s2:arm64"
  d=$(raw_manifest_digest "docker://$h/$p/v2s2:arm64")
  EXPECT[$p/v2s2:arm64]=$d
  # a manifest that is pushed and then deleted must stay deleted for the other registry
  check "[$label] push $p/single:tmp (arm64) and delete it by digest" \
    bash -c "timeout 300 skopeo --insecure-policy copy --preserve-digests --dest-tls-verify=false 'oci:$OCI:v1-arm64' 'docker://$h/$p/single:tmp' \
          && timeout 300 skopeo --insecure-policy delete --tls-verify=false 'docker://$h/$p/single@$OCI_ARM64_DIGEST'"
  DELETED+=("$p/single@$OCI_ARM64_DIGEST")
  local r
  for r in single multi v2s2; do EXPECT_TAGS[$p/$r]=$(tags_of "$h" "$p/$r"); done
  EXPECT_CATALOG=$(catalog_of "$h")
  check_eq "[$label] writer lists the tags of $p/single" "$(printf '%s\n' latest v1)" "${EXPECT_TAGS[$p/single]}"
}

# verify LABEL HOST:PORT: everything recorded so far is served, byte for byte.
verify() {
  local label=$1 h=$2 ref repo out
  check_eq "[$label] _catalog equals what the writer listed" "$EXPECT_CATALOG" "$(catalog_of "$h")"
  for repo in $(printf '%s\n' "${!EXPECT_TAGS[@]}" | LC_ALL=C sort); do
    check_eq "[$label] tags of $repo equal what the writer listed" "${EXPECT_TAGS[$repo]}" "$(tags_of "$h" "$repo")"
  done
  for ref in $(printf '%s\n' "${!EXPECT[@]}" | LC_ALL=C sort); do
    check_eq "[$label] manifest $ref is served with the same bytes" "${EXPECT[$ref]}" \
      "$(raw_manifest_digest "docker://$h/$ref")"
    if [[ $ref == *:* && $ref != *@* ]]; then
      repo=${ref%:*}
      check "[$label] HEAD manifest $ref answers Docker-Content-Digest ${EXPECT[$ref]:0:19}..." \
        bash -c "curl -fsS --max-time 30 -I -H 'Accept: application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.list.v2+json, application/vnd.docker.distribution.manifest.v2+json' \
                 'http://$h/v2/$repo/manifests/${ref##*:}' | tee /dev/stderr | grep -qi '^Docker-Content-Digest: *${EXPECT[$ref]}'"
    fi
  done
  for ref in "${DELETED[@]}"; do
    check_fails "[$label] deleted manifest $ref stays deleted" 'manifest unknown|404|not found' \
      sk inspect --raw --tls-verify=false "docker://$h/$ref"
  done
  local p
  for p in $(printf '%s\n' "${!EXPECT_TAGS[@]}" | sed -n 's|/multi$||p'); do
    out=$E2E_TMP/pull-$label-${p//\//_}
    rm -rf "$out"
    check "[$label] skopeo copy --all $p/multi:v1 into a new oci: dir" \
      sk copy --all --preserve-digests --src-tls-verify=false "docker://$h/$p/multi:v1" "oci:$out:v1"
    check "[$label] pulled $p/multi:v1 has exactly the original blobs, all intact" same_blobs "$OCI" "$out"
    check "[$label] $p/multi:v1-docker children name the original configs and layers, served intact" \
      docker_list_matches_oci "$h" "$p/multi" v1-docker "$OCI"
    check "[$label] skopeo copy $p/v2s2:arm64 into an oci: dir" \
      sk copy --src-tls-verify=false "docker://$h/$p/v2s2:arm64" "oci:$out-v2s2:arm64"
    check "[$label] single-arch pulls of $p/single:v1 and $p/v2s2:arm64 are intact" \
      bash -c "timeout 300 skopeo --insecure-policy copy --src-tls-verify=false 'docker://$h/$p/single:v1' 'oci:$out-single:v1' >/dev/null \
               && cd '$out-single/blobs/sha256' && for f in *; do [ \"\$(sha256sum \$f | cut -d' ' -f1)\" = \"\$f\" ] || exit 1; done \
               && cd '$out-v2s2/blobs/sha256' && for f in *; do [ \"\$(sha256sum \$f | cut -d' ' -f1)\" = \"\$f\" ] || exit 1; done"
  done
}

# ====================================================================== A: ref writes
ROOT_A=$E2E_TMP/root-a
PORT=$(free_port) || die "no free port"
start_registry ref-a "$PORT" "$ROOT_A" "${REF[@]}"
populate "ref writes A" "127.0.0.1:$PORT" fromref
stop_registry ref-a

PORT=$(free_port) || die "no free port"
start_registry sut-a "$PORT" "$ROOT_A" "${SUT[@]}"
verify "sut reads A" "127.0.0.1:$PORT"
# the registry under test writes into data the reference wrote
check "[sut writes A] skopeo copy fromref/multi:v1 -> fromref/multi:v2 (--all, same registry)" \
  sk copy --all --preserve-digests --src-tls-verify=false --dest-tls-verify=false \
    "docker://127.0.0.1:$PORT/fromref/multi:v1" "docker://127.0.0.1:$PORT/fromref/multi:v2"
check "[sut writes A] push a new repository fromsut/single:v1" \
  sk copy --preserve-digests --dest-tls-verify=false "oci:$OCI:v1-amd64" "docker://127.0.0.1:$PORT/fromsut/single:v1"
EXPECT[fromref/multi:v2]=$OCI_INDEX_DIGEST
EXPECT[fromsut/single:v1]=$OCI_AMD64_DIGEST
EXPECT_TAGS[fromref/multi]=$(tags_of "127.0.0.1:$PORT" fromref/multi)
EXPECT_TAGS[fromsut/single]=$(tags_of "127.0.0.1:$PORT" fromsut/single)
EXPECT_CATALOG=$(catalog_of "127.0.0.1:$PORT")
check_eq "[sut writes A] catalog lists the new repository" \
  "$(printf '%s\n' fromref/multi fromref/single fromref/v2s2 fromsut/single)" "$EXPECT_CATALOG"
stop_registry sut-a

PORT=$(free_port) || die "no free port"
start_registry ref-a2 "$PORT" "$ROOT_A" "${REF[@]}"
verify "ref reads A again" "127.0.0.1:$PORT"
stop_registry ref-a2

# ====================================================================== B: sut writes
EXPECT=(); EXPECT_TAGS=(); DELETED=(); EXPECT_CATALOG=""
ROOT_B=$E2E_TMP/root-b
PORT=$(free_port) || die "no free port"
start_registry sut-b "$PORT" "$ROOT_B" "${SUT[@]}"
populate "sut writes B" "127.0.0.1:$PORT" fromsut
stop_registry sut-b

PORT=$(free_port) || die "no free port"
start_registry ref-b "$PORT" "$ROOT_B" "${REF[@]}"
verify "ref reads B" "127.0.0.1:$PORT"
stop_registry ref-b

# distribution's offline garbage collector must understand the layout too: it marks blobs by
# walking every repository's manifests, so anything it cannot read there would be swept and
# the next verify would fail.
GC_CFG=$(write_config gc-b "$(free_port)" "$ROOT_B")
check "docker-registry garbage-collect on B (written by the registry under test)" \
  bash -c "$(declare -f exec_clean_env); exec_clean_env timeout 300 docker-registry garbage-collect '$GC_CFG'"
PORT=$(free_port) || die "no free port"
start_registry ref-b2 "$PORT" "$ROOT_B" "${REF[@]}"
verify "ref reads B after gc" "127.0.0.1:$PORT"
stop_registry ref-b2

# ====================================================================== C: sut empties
# A registry that prunes the directories it empties must keep those distribution cannot do without.
ROOT_C=$E2E_TMP/root-c
PORT=$(free_port) || die "no free port"
start_registry sut-c "$PORT" "$ROOT_C" "${SUT[@]}"
for arch in amd64 arm64; do  # the arm64 manifest takes the tag over; deleting it leaves amd64's untagged
  check "[sut empties C] push fromsut/tagless:only ($arch)" \
    sk copy --preserve-digests --dest-tls-verify=false "oci:$OCI:v1-$arch" "docker://127.0.0.1:$PORT/fromsut/tagless:only"
done
check "[sut empties C] delete the tagged manifest by digest" \
  curl -fsS --max-time 30 -X DELETE "http://127.0.0.1:$PORT/v2/fromsut/tagless/manifests/$OCI_ARM64_DIGEST"
check_eq "[sut empties C] the repository has no tags" "" "$(tags_of "127.0.0.1:$PORT" fromsut/tagless)"
stop_registry sut-c

PORT=$(free_port) || die "no free port"
start_registry ref-c "$PORT" "$ROOT_C" "${REF[@]}"
check_eq "[ref reads C] tags/list of the repository without tags answers 200" "200" \
  "$(curl -s -o /dev/null -w '%{http_code}' --max-time 30 "http://127.0.0.1:$PORT/v2/fromsut/tagless/tags/list")"
stop_registry ref-c

GC_CFG=$(write_config gc-c "$(free_port)" "$ROOT_C")
check "[sut empties C] its garbage-collect --delete-untagged deletes every blob" \
  bash -c "cd '$REPO_ROOT' && $(declare -f exec_clean_env); exec_clean_env timeout 300 $SUT_GC --delete-untagged '$GC_CFG' >/dev/null \
           && [ -z \"\$(find '$ROOT_C/docker/registry/v2/blobs' -type f)\" ]"
check "docker-registry garbage-collect on C (emptied by the registry under test)" \
  bash -c "$(declare -f exec_clean_env); exec_clean_env timeout 300 docker-registry garbage-collect '$GC_CFG'"

finish
