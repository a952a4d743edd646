#!/usr/bin/env bash
# End-to-end: docker, podman and skopeo push an image, delete it, `berth garbage-collect` frees its blobs while
# the server runs, and the same image pushed again works: no stale link or claim makes the registry believe it
# still has a blob it collected.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_tools
setup_podman
start_dockerd

PORT=$(free_port) || die "no free port"
DATA=$E2E_TMP/data
start_registry sut "$PORT" "$DATA" ./berth serve
R=127.0.0.1:$PORT
CFG=$E2E_TMP/sut.yml

blob_count() { find "$DATA/docker/registry/v2/blobs" -name data -type f 2>/dev/null | wc -l; }
# --delete-untagged: a multi-arch image leaves its children untagged once its index is deleted
collect() { (cd "$REPO_ROOT" && timeout 300 ./berth garbage-collect -q --delete-untagged --grace 0 "$CFG"); }
# delete_image CLIENT REPO: every manifest of the repository, by digest, as skopeo does it
delete_image() {
  local repo=$1 tag digest
  for tag in $(curl -fsS --max-time 30 "http://$R/v2/$repo/tags/list" | jq -r '.tags[]'); do
    digest=$(curl -fsS --max-time 30 -o /dev/null -D - \
      -H 'Accept: application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json' \
      "http://$R/v2/$repo/manifests/$tag" | tr -d '\r' | sed -n 's/^[Dd]ocker-[Cc]ontent-[Dd]igest: //p')
    sk delete --tls-verify=false "docker://$R/$repo@$digest" || return 1
  done
}

make_rootfs_tar "$E2E_TMP/rootfs.tar"
dk import "$E2E_TMP/rootfs.tar" berth-gc/base:v1 >/dev/null || die "docker import failed"
pm import -q "$E2E_TMP/rootfs.tar" localhost/berth-gc/base:v1 >/dev/null || die "podman import failed"
OCI=$E2E_TMP/oci
make_oci_multiarch "$OCI" v1

push_all() {
  check "[$1] docker push $R/gc/docker:v1" \
    bash -c "timeout 60 docker tag berth-gc/base:v1 '$R/gc/docker:v1' && timeout 300 docker push '$R/gc/docker:v1' >/dev/null"
  check "[$1] podman push $R/gc/podman:v1" \
    pm push --tls-verify=false localhost/berth-gc/base:v1 "docker://$R/gc/podman:v1"
  check "[$1] skopeo copy --all (multi-arch) $R/gc/skopeo:v1" \
    sk copy --all --preserve-digests --dest-tls-verify=false "oci:$OCI:v1" "docker://$R/gc/skopeo:v1"
}

pull_all() {
  check "[$1] docker pull $R/gc/docker:v1 (after rmi)" \
    bash -c "timeout 60 docker rmi '$R/gc/docker:v1' >/dev/null && timeout 300 docker pull '$R/gc/docker:v1' >/dev/null"
  check "[$1] podman pull $R/gc/podman:v1" pm pull --tls-verify=false "$R/gc/podman:v1"
  check "[$1] skopeo copy --all $R/gc/skopeo:v1 back, every blob intact" \
    bash -c "rm -rf '$E2E_TMP/back' && timeout 300 skopeo --insecure-policy copy --all --preserve-digests \
             --src-tls-verify=false 'docker://$R/gc/skopeo:v1' 'oci:$E2E_TMP/back:v1' && test -s '$E2E_TMP/back/index.json'"
}

push_all first
pull_all first
BEFORE=$(blob_count)
check "blobs are stored ($BEFORE)" test "$BEFORE" -gt 0

for repo in gc/docker gc/podman gc/skopeo; do
  check "skopeo delete every manifest of $repo" delete_image "$repo"
done
check "garbage-collect --delete-untagged --grace 0 against the running server" collect
check_eq "every blob was collected" 0 "$(blob_count)"
check "the catalog no longer lists the deleted repositories" \
  bash -c "curl -fsS --max-time 30 'http://$R/v2/_catalog' | jq -e '.repositories == []'"
check "docker pull of the deleted image fails cleanly" \
  bash -c "timeout 60 docker rmi '$R/gc/docker:v1' >/dev/null; ! timeout 120 docker pull '$R/gc/docker:v1' >/dev/null 2>&1"

# the clients still hold the image; pushing again must upload what was collected
push_all again
pull_all again
check_eq "the same blobs are stored again" "$BEFORE" "$(blob_count)"
check "the registry still answers /v2/" curl -fsS --max-time 30 -o /dev/null "http://$R/v2/"

finish
