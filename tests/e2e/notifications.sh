#!/usr/bin/env bash
# End-to-end: notifications (config.yml's notifications.endpoints) compared with CNCF distribution.
# A listener on loopback takes the events of the reference ($REF_REGISTRY_CMD, default docker-registry
# serve) and of the registry under test ($REGISTRY_CMD, default ./berth serve), each configured the
# same way; the same requests go to both: blob pushes (upload sessions, chunked PATCHes), manifests
# pushed by tag and by digest, pulls by HEAD and GET, a conditional GET answered 304, a
# cross-repository mount, deletes of a manifest (with its tags) and of a blob, and a push refused.
# Both must send the same events (action, method, user agent, target with its URL and, as
# events.includereferences asks, what a manifest references, actor, headers) in the same order, one
# per request, each with its ids, timestamp and source; endpoints ignoring a media type or pulls get
# the rest, a disabled one nothing. Then the listener answers 503 for a while: the events wait and
# arrive once it recovers; and one still waiting when the registry is stopped is sent before it exits.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_tools python3=python3
LISTENER_PORT=$(free_port)
EVENTS="$E2E_TMP/events.jsonl"
FAILING="$E2E_TMP/listener-failing"
LISTENER_PID=""

# The listener appends {"path", "headers", "body"} per POST to $EVENTS; answers 503 while $FAILING exists.
python3 - "$LISTENER_PORT" "$EVENTS" "$FAILING" <<'PY' >"$E2E_TMP/listener.log" 2>&1 &
import http.server, json, os, sys
port, out, failing = int(sys.argv[1]), sys.argv[2], sys.argv[3]
class Listener(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if os.path.exists(failing):
            self.send_response(503); self.end_headers(); return
        with open(out, "a") as f:
            f.write(json.dumps({"path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()},
                                "body": json.loads(body)}) + "\n")
        self.send_response(200); self.end_headers()
    def log_message(self, *args): pass
http.server.ThreadingHTTPServer(("127.0.0.1", port), Listener).serve_forever()
PY
LISTENER_PID=$!
stop_listener() { [ -n "$LISTENER_PID" ] && kill_pid "$LISTENER_PID" listener; LISTENER_PID=""; }
trap 'rc=$?; stop_listener; (exit $rc); cleanup' EXIT

# notifications_config LABEL: the endpoints of one registry: "all" gets every event, "noblobs" those of
# manifests and deletes, "nopull" all but pulls (distribution 2.8.2 reads ignore.actions but sends them
# anyway; distribution 3 and Berth leave them out), "off" nothing
notifications_config() {
  cat <<EOF
notifications:
  events: {includereferences: true}
  endpoints:
    - name: all
      url: http://127.0.0.1:$LISTENER_PORT/$1/all
      headers: {Authorization: [Bearer e2e-token]}
      timeout: 2s
      threshold: 2
      backoff: 500ms
    - name: noblobs
      url: http://127.0.0.1:$LISTENER_PORT/$1/noblobs
      ignoredmediatypes: [application/octet-stream]
    - name: nopull
      url: http://127.0.0.1:$LISTENER_PORT/$1/nopull
      timeout: 2s
      ignore: {actions: [pull]}
    - name: off
      disabled: true
      url: http://127.0.0.1:$LISTENER_PORT/$1/off
EOF
}

UA="berth-e2e/1.0"
c() { curl -sS --max-time 60 -A "$UA" "$@"; }

# location_with_digest LOCATION DIGEST
location_with_digest() {
  case $1 in *\?*) echo "$1&digest=$2" ;; *) echo "$1?digest=$2" ;; esac
}

# post_upload URL: starts an upload session, prints its Location (absolute)
post_upload() {
  local loc
  loc=$(c -o /dev/null -D - -X POST "$1/blobs/uploads/" | tr -d '\r' | sed -n 's/^[Ll]ocation: //p')
  case $loc in http*) echo "$loc" ;; *) echo "${1%%/v2/*}$loc" ;; esac
}

# the content both registries are sent: the same bytes, so that their events name the same digests
DATA="$E2E_TMP/data"
mkdir -p "$DATA"
printf '{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}' >"$DATA/config"
head -c 3000 /dev/urandom >"$DATA/layer1"
head -c 5000 /dev/urandom >"$DATA/layer2"

# drive PORT: the same requests to a registry; prints each request's status, one per line
drive() {
  local url="http://127.0.0.1:$1/v2/team/app" other="http://127.0.0.1:$1/v2/team/other"
  local dir=$DATA loc cd l1 l2
  cd=sha256:$(sha256_of "$dir/config"); l1=sha256:$(sha256_of "$dir/layer1"); l2=sha256:$(sha256_of "$dir/layer2")
  # upload sessions finished by PUT with the body (distribution 2.8 takes no monolithic POST)
  local blob
  for blob in config:"$cd" layer1:"$l1"; do
    loc=$(post_upload "$url")
    c -o /dev/null -w '%{http_code}\n' -X PUT -H 'Content-Type: application/octet-stream' \
      --data-binary @"$dir/${blob%%:*}" "$(location_with_digest "$loc" "${blob#*:}")"
  done
  # chunked: two PATCHes, then PUT without body
  loc=$(post_upload "$url")
  head -c 2000 "$dir/layer2" >"$dir/part1"; tail -c 3000 "$dir/layer2" >"$dir/part2"
  local part
  for part in part1:0-1999 part2:2000-4999; do
    loc=$(c -o /dev/null -D - -X PATCH -H 'Content-Type: application/octet-stream' -H "Content-Range: ${part#*:}" \
      --data-binary @"$dir/${part%%:*}" "$loc" | tr -d '\r' | sed -n 's/^[Ll]ocation: //p')
    case $loc in http*) ;; *) loc="http://127.0.0.1:$1$loc" ;; esac
  done
  c -o /dev/null -w '%{http_code}\n' -X PUT "$(location_with_digest "$loc" "$l2")"
  # a push refused: the digest does not match
  loc=$(post_upload "$url")
  c -o /dev/null -w '%{http_code}\n' -X PUT -H 'Content-Type: application/octet-stream' \
    --data-binary @"$dir/layer1" "$(location_with_digest "$loc" "sha256:$(rand_hex 32)")"
  # manifests: by tag, then another by digest
  printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","size":%d,"digest":"%s"},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","size":3000,"digest":"%s"},{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","size":5000,"digest":"%s"}]}' \
    "$(stat -c %s "$dir/config")" "$cd" "$l1" "$l2" >"$dir/manifest"
  printf '{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json","config":{"mediaType":"application/vnd.docker.container.image.v1+json","size":%d,"digest":"%s"},"layers":[{"mediaType":"application/vnd.docker.image.rootfs.diff.tar.gzip","size":3000,"digest":"%s"}]}' \
    "$(stat -c %s "$dir/config")" "$cd" "$l1" >"$dir/docker-manifest"
  local md dd
  md=sha256:$(sha256_of "$dir/manifest"); dd=sha256:$(sha256_of "$dir/docker-manifest")
  c -o /dev/null -w '%{http_code}\n' -X PUT -H 'Content-Type: application/vnd.oci.image.manifest.v1+json' \
    --data-binary @"$dir/manifest" "$url/manifests/v1"
  c -o /dev/null -w '%{http_code}\n' -X PUT -H 'Content-Type: application/vnd.oci.image.manifest.v1+json' \
    --data-binary @"$dir/manifest" "$url/manifests/latest"
  c -o /dev/null -w '%{http_code}\n' -X PUT -H 'Content-Type: application/vnd.docker.distribution.manifest.v2+json' \
    --data-binary @"$dir/docker-manifest" "$url/manifests/$dd"
  # pulls: HEAD and GET of manifests and blobs; a conditional GET the registry answers 304
  c -o /dev/null -w '%{http_code}\n' -I -H 'Accept: application/vnd.oci.image.manifest.v1+json' "$url/manifests/v1"
  c -o /dev/null -w '%{http_code}\n' -H 'Accept: application/vnd.oci.image.manifest.v1+json' "$url/manifests/$md"
  c -o /dev/null -w '%{http_code}\n' -H 'Accept: application/vnd.oci.image.manifest.v1+json' \
    -H "If-None-Match: \"$md\"" "$url/manifests/v1"
  c -o /dev/null -w '%{http_code}\n' -I "$url/blobs/$l1"
  c -o /dev/null -w '%{http_code}\n' "$url/blobs/$l2"
  # mount into another repository
  c -o /dev/null -w '%{http_code}\n' -X POST "$other/blobs/uploads/?mount=$l1&from=team/app"
  # deletes: the OCI manifest by digest (its tags v1 and latest go with it), then a blob
  c -o /dev/null -w '%{http_code}\n' -X DELETE "$url/manifests/$md"
  c -o /dev/null -w '%{http_code}\n' -X DELETE "$other/blobs/$l1"
}

# events_of PATH PORT [REPOSITORY_TEST]: the events posted to PATH (of repositories other than
# team/multi, or those the jq test given selects), one line each, with what varies per run made constant
events_of() {
  jq -c --arg path "$1" --arg port "$2" '
    select(.path == $path) | .headers as $h | .body.events[] | select(.target.repository | '"${3:-. != \"team/multi\"}"') |
    {action, request: {method: .request.method, useragent: .request.useragent,
                       host: (.request.host | sub(":" + $port + "$"; ":PORT")),
                       addr: (.request.addr | test("^127\\.0\\.0\\.1:[0-9]+$"))},
     target: (.target | if .url then .url |= sub(":" + $port + "/"; ":PORT/") else . end),
     actor, source: (.source.addr | endswith(":" + $port)), instance: (.source.instanceID | length > 0),
     id: (.id | length > 0), request_id: (.request.id | length > 0), timestamp: (.timestamp | test("^20[0-9-]+T")),
     content_type: $h["content-type"], authorization: $h.authorization}' "$EVENTS"
}

# settle PATH: until no event has been posted to PATH for 2 s (at most 30 s)
settle() {
  local deadline=$((SECONDS + 30)) last=-1 now
  while [ $SECONDS -lt $deadline ]; do
    now=$(jq -c --arg p "$1" 'select(.path == $p)' "$EVENTS" 2>/dev/null | wc -l)
    [ "$now" = "$last" ] && return 0
    last=$now
    sleep 2
  done
}

# wait_events PATH COUNT: until COUNT events were posted to PATH (at most 30 s)
wait_events() {
  local deadline=$((SECONDS + 30))
  while [ $SECONDS -lt $deadline ]; do
    [ "$(jq -c --arg p "$1" 'select(.path == $p) | .body.events[]' "$EVENTS" 2>/dev/null | wc -l)" -ge "$2" ] && return 0
    sleep 0.2
  done
}

# a real client: skopeo pushes a two-platform OCI image (index, two manifests, shared base layer)
OCI="$E2E_TMP/oci"
make_oci_multiarch "$OCI" v1

declare -A STATUSES PORTS
for label in ref sut; do
  PORTS[$label]=$(free_port)
  if [ $label = ref ]; then read -r -a cmd <<<"$REF_REGISTRY_CMD"; else read -r -a cmd <<<"$REGISTRY_CMD"; fi
  REG_EXTRA_CONFIG=$(notifications_config $label) start_registry "$label" "${PORTS[$label]}" "$E2E_TMP/data-$label" \
    "${cmd[@]}"
  STATUSES[$label]=$(drive "${PORTS[$label]}" | tr '\n' ' ')
  log "$label statuses: ${STATUSES[$label]}"
  check "[$label] skopeo copy --all to team/multi:v1" sk copy --all --preserve-digests --dest-tls-verify=false \
    "oci:$OCI:v1" "docker://127.0.0.1:${PORTS[$label]}/team/multi:v1"
done
check_eq "both answer the requests alike" "${STATUSES[ref]}" "${STATUSES[sut]}"

settle /ref/all
settle /sut/all
REF_ALL=$(events_of /ref/all "${PORTS[ref]}")
SUT_ALL=$(events_of /sut/all "${PORTS[sut]}")
check "the reference sent events" test "$(printf '%s\n' "$REF_ALL" | grep -c action)" -ge 15
log "the reference's events:"; printf '%s\n' "$REF_ALL" | jq -c '[.action, .request.method, .target.tag // .target.digest[0:19]]' >&2
if [ "$REF_ALL" = "$SUT_ALL" ]; then
  pass "the same $(printf '%s\n' "$SUT_ALL" | wc -l) events as the reference, in the same order"
else
  fail "the events differ from the reference's"
  diff <(printf '%s\n' "$REF_ALL" | jq -S .) <(printf '%s\n' "$SUT_ALL" | jq -S .) | head -n 60 | sed 's/^/    | /'
fi
# skopeo uploads in parallel, and may push a layer twice: the same events, in any order, each at least once
multi() { events_of "$1" "$2" '. == "team/multi"' | jq -c '[.action, .request.method, .target.mediaType, .target.digest,
  .target.tag, .target.references]' | LC_ALL=C sort -u; }
check "the reference told skopeo's push" test "$(multi /ref/all "${PORTS[ref]}" | grep -c '"push"')" -ge 8
check_eq "skopeo's push and its checks made the same events as on the reference" \
  "$(multi /ref/all "${PORTS[ref]}")" "$(multi /sut/all "${PORTS[sut]}")"
check_eq "an endpoint ignoring a media type gets the rest, as from the reference" \
  "$(events_of /ref/noblobs "${PORTS[ref]}")" "$(events_of /sut/noblobs "${PORTS[sut]}")"
check "the endpoint ignoring blobs got the manifests' events" \
  test "$(events_of /sut/noblobs "${PORTS[sut]}" | grep -c '"action"')" = 9
check_eq "an endpoint ignoring pulls gets all but them" \
  "$(printf '%s\n' "$SUT_ALL" | jq -c 'select(.action != "pull") | del(.authorization)')" \
  "$(events_of /sut/nopull "${PORTS[sut]}" | jq -c 'del(.authorization)')"
check_eq "a disabled endpoint gets nothing" "" "$(jq -c 'select(.path | endswith("/off"))' "$EVENTS")"
check_eq "one event per request" "" "$(jq -c 'select(.path == "/sut/all" and (.body.events | length) != 1)' "$EVENTS")"

# the listener fails for a while: events wait, and arrive once it takes them again
touch "$FAILING"
before=$(events_of /sut/all "${PORTS[sut]}" '. != ""' | wc -l)
head -c 100 /dev/urandom >"$E2E_TMP/late-blob"
check_eq "a push while the listener fails" 201 "$(c -o /dev/null -w '%{http_code}' -X POST \
  --data-binary @"$E2E_TMP/late-blob" \
  "http://127.0.0.1:${PORTS[sut]}/v2/team/app/blobs/uploads/?digest=sha256:$(sha256_of "$E2E_TMP/late-blob")")"
sleep 3
check_eq "nothing arrives while the listener fails" "$before" "$(events_of /sut/all "${PORTS[sut]}" '. != ""' | wc -l)"
rm -f "$FAILING"
wait_events /sut/all $((before + 1))
check_eq "the waiting event arrives once the listener recovers" "$((before + 1))" \
  "$(events_of /sut/all "${PORTS[sut]}" '. != ""' | wc -l)"
check "the registry warned of the failing endpoint" grep -q "notification endpoint all" "$E2E_TMP/sut.log"

# a stop while events wait: they get their few seconds to be sent (distribution drops them)
touch "$FAILING"
head -c 200 /dev/urandom >"$E2E_TMP/last-blob"
last=sha256:$(sha256_of "$E2E_TMP/last-blob")
check_eq "a push just before the stop" 201 "$(c -o /dev/null -w '%{http_code}' -X POST \
  --data-binary @"$E2E_TMP/last-blob" "http://127.0.0.1:${PORTS[sut]}/v2/team/app/blobs/uploads/?digest=$last")"
sleep 1
kill -TERM "${REG_PID[sut]}"
(sleep 1; rm -f "$FAILING") &
stop_registry sut
check_eq "the event waiting at the stop was sent before the registry exited" 1 \
  "$(jq -c --arg d "$last" 'select(.path == "/sut/all") | .body.events[] | select(.target.digest == $d)' "$EVENTS" \
    | wc -l)"
check "the stop said nothing was left unsent" bash -c "! grep -q 'were not sent' '$E2E_TMP/sut.log'"

stop_registry ref
stop_listener
finish
