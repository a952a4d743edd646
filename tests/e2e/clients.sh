#!/usr/bin/env bash
# End-to-end: real clients (docker engine, skopeo, podman, curl) against one fresh registry
# started with $REGISTRY_CMD (default "./berth serve"; REGISTRY_CMD="docker-registry serve"
# runs the same checks against CNCF distribution).
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_tools
setup_podman

PORT=$(free_port) || die "no free port"
start_registry sut "$PORT" "$E2E_TMP/data"
R=127.0.0.1:$PORT
URL=http://$R
log "registry under test: $REGISTRY_CMD on $R"

# distribution 2.8.2 returns tags unsorted and ignores ?n= on tags/list; the OCI spec (v1.1)
# requires lexical order and pagination. Strict checks unless the SUT is docker-registry.
if [ -z "${E2E_STRICT_TAGS:-}" ]; then
  case "$(basename "${REGISTRY_CMD%% *}")" in docker-registry|registry) E2E_STRICT_TAGS=0 ;; *) E2E_STRICT_TAGS=1 ;; esac
fi

# ============================================================== curl: what a user sees first
hdrs=$(cu -D - -o /dev/null "$URL/v2/")
check "GET /v2/ answers 200" grep -Eq '^HTTP/[0-9.]+ 200' <<<"$hdrs"
check "GET /v2/ has header Docker-Distribution-Api-Version: registry/2.0" \
  grep -Eqi '^Docker-Distribution-Api-Version: *registry/2\.0' <<<"$hdrs"
check "GET /v2/_catalog of an empty registry is {\"repositories\":[]}" \
  bash -c "curl -fsS --max-time 30 '$URL/v2/_catalog' | jq -e '.repositories == []'"
check "GET unknown manifest answers 404 with error code MANIFEST_UNKNOWN" \
  bash -c "test \"\$(curl -sS --max-time 30 -o '$E2E_TMP/err.json' -w '%{http_code}' '$URL/v2/nobody/nothing/manifests/latest')\" = 404 \
           && jq -e '.errors[0].code == \"MANIFEST_UNKNOWN\"' '$E2E_TMP/err.json'"

# ============================================================== docker engine
start_dockerd
# a layer of over 6 MiB: past the 4 MiB from which the file system driver writes an upload on a second thread
make_rootfs_tar "$E2E_TMP/rootfs-docker.tar" $((6 * 1024 * 1024 + RANDOM))
dk import "$E2E_TMP/rootfs-docker.tar" berth-e2e/nginx-base:v1 >/dev/null ||
  die "docker import of the test root filesystem failed"
SRC_ID=$(dk image inspect --format '{{.Id}}' berth-e2e/nginx-base:v1)
DREPO=$R/xiaofei/nginx-base

check "docker tag berth-e2e/nginx-base:v1 $DREPO:v1" dk tag berth-e2e/nginx-base:v1 "$DREPO:v1"
check "docker push $DREPO:v1" bash -c "timeout 300 docker push '$DREPO:v1' >'$E2E_TMP/push.out' 2>&1 || { cat '$E2E_TMP/push.out'; exit 1; }"
sed 's/^/    docker push: /' "$E2E_TMP/push.out"
PUSH_DIGEST=$(grep -Eo 'digest: sha256:[0-9a-f]{64}' "$E2E_TMP/push.out" | head -n1 | cut -d' ' -f2)
check "docker push printed the manifest digest" test -n "$PUSH_DIGEST"
REPO_DIGEST=$(dk image inspect --format '{{index .RepoDigests 0}}' "$DREPO:v1" 2>/dev/null)
check_eq "docker inspect RepoDigests is repo@<pushed digest>" "$DREPO@$PUSH_DIGEST" "$REPO_DIGEST"

# a second tag of the same image, pushed again: all blobs already exist (HEAD blob -> 200)
check "docker tag + push a second tag $DREPO:v2 (blobs already there)" \
  bash -c "timeout 60 docker tag '$DREPO:v1' '$DREPO:v2' && timeout 300 docker push '$DREPO:v2' 2>&1 | tee /dev/stderr | grep -Eq 'Layer already exists|digest: $PUSH_DIGEST'"

check "docker rmi the pushed tags and the source image" \
  dk rmi "$DREPO:v1" "$DREPO:v2" berth-e2e/nginx-base:v1
check "the engine no longer has the image" bash -c "! timeout 60 docker image inspect '$SRC_ID' >/dev/null 2>&1"

check "docker pull $DREPO:v1" dk pull "$DREPO:v1"
PULLED_ID=$(dk image inspect --format '{{.Id}}' "$DREPO:v1" 2>/dev/null)
check_eq "pulled image id equals the pushed one" "$SRC_ID" "$PULLED_ID"
check_eq "pulled image's RepoDigests is the pushed digest" "$DREPO@$PUSH_DIGEST" \
  "$(dk image inspect --format '{{index .RepoDigests 0}}' "$DREPO:v1" 2>/dev/null)"

check "docker rmi before pull by digest" dk rmi "$DREPO:v1"
check "docker pull $DREPO@$PUSH_DIGEST (by digest)" dk pull "$DREPO@$PUSH_DIGEST"
check_eq "image pulled by digest has the pushed image id" "$SRC_ID" \
  "$(dk image inspect --format '{{.Id}}' "$DREPO@$PUSH_DIGEST" 2>/dev/null)"
check_fails "docker pull of a tag that does not exist fails with not found / manifest unknown" \
  'manifest unknown|not found' dk pull "$DREPO:no-such-tag"
check_fails "docker pull of a repository that does not exist fails" \
  'manifest unknown|not found|does not exist|denied' dk pull "$R/xiaofei/no-such-repo:v1"

# ============================================================== skopeo: multi-arch OCI index
OCI=$E2E_TMP/oci-multi
make_oci_multiarch "$OCI" v1
MREPO=$R/multi/app
check "skopeo copy --all oci layout (OCI index amd64+arm64) -> $MREPO:v1" \
  sk copy --all --preserve-digests --dest-tls-verify=false "oci:$OCI:v1" "docker://$MREPO:v1"
check_eq "skopeo inspect --raw returns the identical index bytes (sha256)" \
  "$OCI_INDEX_DIGEST" "$(raw_manifest_digest "docker://$MREPO:v1")"
check_eq "skopeo inspect --raw by digest returns the identical index bytes" \
  "$OCI_INDEX_DIGEST" "$(raw_manifest_digest "docker://$MREPO@$OCI_INDEX_DIGEST")"
check_eq "skopeo inspect --raw of the amd64 child manifest by digest" \
  "$OCI_AMD64_DIGEST" "$(raw_manifest_digest "docker://$MREPO@$OCI_AMD64_DIGEST")"
check_eq "skopeo inspect --raw of the arm64 child manifest by digest" \
  "$OCI_ARM64_DIGEST" "$(raw_manifest_digest "docker://$MREPO@$OCI_ARM64_DIGEST")"
check "skopeo inspect --override-arch arm64 resolves the index to the arm64 image" \
  bash -c "timeout 120 skopeo --insecure-policy --override-arch arm64 inspect --tls-verify=false 'docker://$MREPO:v1' | jq -e '.Architecture == \"arm64\"'"
check "HEAD manifest by tag answers Docker-Content-Digest = index digest and the OCI index media type" \
  bash -c "curl -fsS --max-time 30 -I -H 'Accept: application/vnd.oci.image.index.v1+json' '$URL/v2/multi/app/manifests/v1' >'$E2E_TMP/h' \
           && grep -qi '^Docker-Content-Digest: *$OCI_INDEX_DIGEST' '$E2E_TMP/h' \
           && grep -qi '^Content-Type: *application/vnd.oci.image.index.v1+json' '$E2E_TMP/h' || { cat '$E2E_TMP/h'; exit 1; }"

OUT=$E2E_TMP/oci-back
check "skopeo copy --all $MREPO:v1 back into a new oci: dir" \
  sk copy --all --preserve-digests --src-tls-verify=false "docker://$MREPO:v1" "oci:$OUT:v1"
check "copied-back layout holds exactly the same blobs, each matching its digest" same_blobs "$OCI" "$OUT"
check_eq "copied-back layout's v1 points at the same index digest" "$OCI_INDEX_DIGEST" \
  "$(jq -r '.manifests[0].digest' "$OUT/index.json")"

# the same images as a Docker manifest list (schema 2), converted by skopeo
check "skopeo copy --all --format v2s2 -> $MREPO:v1-docker (Docker manifest list)" \
  sk copy --all --format v2s2 --dest-tls-verify=false "oci:$OCI:v1" "docker://$MREPO:v1-docker"
check "v1-docker is a Docker manifest list over two v2s2 manifests" \
  bash -c "timeout 120 skopeo --insecure-policy inspect --raw --tls-verify=false 'docker://$MREPO:v1-docker' | jq -e '
     .mediaType == \"application/vnd.docker.distribution.manifest.list.v2+json\"
     and (.manifests | length) == 2
     and all(.manifests[]; .mediaType == \"application/vnd.docker.distribution.manifest.v2+json\")'"
OUT2=$E2E_TMP/oci-back-docker
check "skopeo copy --all $MREPO:v1-docker back into an oci: dir" \
  sk copy --all --src-tls-verify=false "docker://$MREPO:v1-docker" "oci:$OUT2:v1"
check "the Docker list's children keep every layer and config digest of the OCI images" \
  docker_list_matches_oci "$R" multi/app v1-docker "$OCI"
check "the Docker list round trip (registry -> oci: dir) kept every layer blob" \
  layers_present "$OCI" "$OUT2"

check "skopeo list-tags $MREPO lists v1 and v1-docker" \
  bash -c "timeout 120 skopeo list-tags --tls-verify=false 'docker://$MREPO' | jq -e '(.Tags | sort) == [\"v1\", \"v1-docker\"]'"

# delete by digest
check "skopeo delete $MREPO@$OCI_INDEX_DIGEST" sk delete --tls-verify=false "docker://$MREPO@$OCI_INDEX_DIGEST"
check_fails "skopeo inspect of the deleted manifest fails with manifest unknown / 404" \
  'manifest unknown|404|not found' sk inspect --raw --tls-verify=false "docker://$MREPO@$OCI_INDEX_DIGEST"
check "GET of the deleted manifest by digest answers 404" \
  bash -c "test \"\$(curl -sS --max-time 30 -o /dev/null -w '%{http_code}' -H 'Accept: application/vnd.oci.image.index.v1+json' '$URL/v2/multi/app/manifests/$OCI_INDEX_DIGEST')\" = 404"
check "the registry still answers /v2/ after the delete" curl -fsS --max-time 30 "$URL/v2/"
check "tag v1 (which pointed at the deleted index) is gone; v1-docker remains" \
  bash -c "timeout 120 skopeo list-tags --tls-verify=false 'docker://$MREPO' | jq -e '.Tags == [\"v1-docker\"]'"
check "the Docker manifest list is still pullable after the delete" \
  sk copy --all --src-tls-verify=false "docker://$MREPO:v1-docker" "oci:$E2E_TMP/oci-after-delete:v1"

# ============================================================== podman
make_rootfs_tar "$E2E_TMP/rootfs-podman.tar"
pm import -q "$E2E_TMP/rootfs-podman.tar" localhost/berth-e2e/podimg:v1 >/dev/null ||
  die "podman import of the test root filesystem failed"
PSRC_ID=$(pm image inspect --format '{{.Id}}' localhost/berth-e2e/podimg:v1)
PREPO=$R/podman/app
check "podman push localhost/berth-e2e/podimg:v1 -> $PREPO:v1" \
  pm push --tls-verify=false --digestfile "$E2E_TMP/podman.digest" localhost/berth-e2e/podimg:v1 "docker://$PREPO:v1"
PDIGEST=$(cat "$E2E_TMP/podman.digest" 2>/dev/null)
check_eq "podman's pushed digest is what the registry serves for the tag" \
  "$PDIGEST" "$(raw_manifest_digest "docker://$PREPO:v1")"
check "podman rmi the source image" pm rmi localhost/berth-e2e/podimg:v1
check "podman no longer has the image" bash -c "! timeout 60 podman image exists '$PSRC_ID'"
check "podman pull $PREPO:v1" pm pull --tls-verify=false "$PREPO:v1"
check_eq "podman's pulled image id equals the pushed one" "$PSRC_ID" \
  "$(pm image inspect --format '{{.Id}}' "$PREPO:v1" 2>/dev/null)"
check "podman rmi before pull by digest" pm rmi "$PREPO:v1"
check "podman pull $PREPO@$PDIGEST (by digest)" pm pull --tls-verify=false "$PREPO@$PDIGEST"
check_eq "image pulled by digest has the pushed image id" "$PSRC_ID" \
  "$(pm image inspect --format '{{.Id}}' "$PREPO@$PDIGEST" 2>/dev/null)"

# podman manifest list: the two per-arch images (pushed by skopeo) combined by podman
PARTS=$R/podman/parts
check "skopeo copy the amd64 and arm64 images -> $PARTS:amd64 / :arm64" \
  bash -c "timeout 300 skopeo --insecure-policy copy --dest-tls-verify=false 'oci:$OCI:v1-amd64' 'docker://$PARTS:amd64' \
        && timeout 300 skopeo --insecure-policy copy --dest-tls-verify=false 'oci:$OCI:v1-arm64' 'docker://$PARTS:arm64'"
check "podman manifest create localhost/berth-e2e/mlist:v1" pm manifest create localhost/berth-e2e/mlist:v1
check "podman manifest add (amd64, from the registry)" \
  pm manifest add --tls-verify=false localhost/berth-e2e/mlist:v1 "docker://$PARTS:amd64"
check "podman manifest add (arm64, from the registry)" \
  pm manifest add --tls-verify=false localhost/berth-e2e/mlist:v1 "docker://$PARTS:arm64"
PMREPO=$R/podman/multi
check "podman manifest push --all --format v2s2 -> $PMREPO:v1" \
  pm manifest push --all --format v2s2 --tls-verify=false --digestfile "$E2E_TMP/pmlist.digest" \
    localhost/berth-e2e/mlist:v1 "docker://$PMREPO:v1"
PMDIGEST=$(cat "$E2E_TMP/pmlist.digest" 2>/dev/null)
check_eq "podman's manifest list digest is what the registry serves for the tag" \
  "$PMDIGEST" "$(raw_manifest_digest "docker://$PMREPO:v1")"
check "the pushed list is a Docker manifest list with linux/amd64 and linux/arm64" \
  bash -c "timeout 120 skopeo --insecure-policy inspect --raw --tls-verify=false 'docker://$PMREPO:v1' | jq -e '
     .mediaType == \"application/vnd.docker.distribution.manifest.list.v2+json\"
     and ([.manifests[].platform.architecture] | sort) == [\"amd64\", \"arm64\"]'"
check "podman pull --arch arm64 $PMREPO@$PMDIGEST (list by digest)" \
  pm pull --tls-verify=false --arch arm64 "$PMREPO@$PMDIGEST"
check_eq "the image podman pulled from the list is arm64" "arm64" \
  "$(pm image inspect --format '{{.Architecture}}' "$PMREPO@$PMDIGEST" 2>/dev/null)"
check "podman pull --arch amd64 $PMREPO:v1" pm pull --tls-verify=false --arch amd64 "$PMREPO:v1"
check_eq "the image podman pulled by tag is amd64" "amd64" \
  "$(pm image inspect --format '{{.Architecture}}' "$PMREPO:v1" 2>/dev/null)"

# ============================================================== curl: listings
tags=$(cu "$URL/v2/xiaofei/nginx-base/tags/list")
check_eq "tags/list of xiaofei/nginx-base" '{"name":"xiaofei/nginx-base","tags":["v1","v2"]}' "$(jq -c . <<<"$tags")"
# more tags, pushed out of order, by manifest PUT with curl (the manifest is already there)
man=$E2E_TMP/man.json
cu -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' -o "$man" "$URL/v2/xiaofei/nginx-base/manifests/v1"
for t in latest 1.0 v10 a-b_c.d; do
  code=$(cu -o /dev/null -w '%{http_code}' -X PUT --data-binary "@$man" \
    -H 'Content-Type: application/vnd.docker.distribution.manifest.v2+json' \
    "$URL/v2/xiaofei/nginx-base/manifests/$t")
  check_eq "PUT manifest with curl as tag $t answers 201" 201 "$code"
done
tags=$(cu "$URL/v2/xiaofei/nginx-base/tags/list" | jq -r '.tags[]')
check_eq "tags/list returns every tag" "$(printf '%s\n' 1.0 a-b_c.d latest v1 v10 v2)" "$(LC_ALL=C sort <<<"$tags")"
if [ "$E2E_STRICT_TAGS" = 1 ]; then
  check_eq "tags/list returns the tags in lexical order" "$(printf '%s\n' 1.0 a-b_c.d latest v1 v10 v2)" "$tags"
  check "tags/list?n=3 answers the first 3 tags and a Link header to the next page" \
    bash -c "curl -fsS --max-time 30 -D '$E2E_TMP/th' -o '$E2E_TMP/tb' '$URL/v2/xiaofei/nginx-base/tags/list?n=3' \
             && jq -e '.tags == [\"1.0\", \"a-b_c.d\", \"latest\"]' '$E2E_TMP/tb' \
             && grep -Eqi '^Link: *<[^>]*last=latest[^>]*>; *rel=\"next\"' '$E2E_TMP/th' || { cat '$E2E_TMP/th' '$E2E_TMP/tb'; exit 1; }"
  check "tags/list?n=3&last=latest answers the next page" \
    bash -c "curl -fsS --max-time 30 '$URL/v2/xiaofei/nginx-base/tags/list?n=3&last=latest' | jq -e '.tags == [\"v1\", \"v10\", \"v2\"]'"
else
  echo "SKIP: tags/list order and ?n= pagination (E2E_STRICT_TAGS=0: distribution 2.8.2 neither sorts nor paginates tags)"
fi

repos=$(cu "$URL/v2/_catalog" | jq -r '.repositories[]')
check_eq "_catalog lists every pushed repository, sorted" \
  "$(printf '%s\n' multi/app podman/app podman/multi podman/parts xiaofei/nginx-base)" "$repos"
check "_catalog?n=2 answers the first 2 repositories and a Link header" \
  bash -c "curl -fsS --max-time 30 -D '$E2E_TMP/ch' -o '$E2E_TMP/cb' '$URL/v2/_catalog?n=2' \
           && jq -e '.repositories == [\"multi/app\", \"podman/app\"]' '$E2E_TMP/cb' \
           && grep -Eqi '^Link: *<[^>]*last=podman(/|%2F)app[^>]*>; *rel=\"next\"' '$E2E_TMP/ch' || { cat '$E2E_TMP/ch' '$E2E_TMP/cb'; exit 1; }"
check "_catalog?n=2&last=podman/app answers the next page" \
  bash -c "curl -fsS --max-time 30 '$URL/v2/_catalog?n=2&last=podman/app' | jq -e '.repositories == [\"podman/multi\", \"podman/parts\"]'"

check "the registry process is still running at the end" kill -0 "${REG_PID[sut]}"
finish
