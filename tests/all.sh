#!/usr/bin/env bash
# The whole test suite: Maven (unit/integration tests, `mvn -B verify`) with JDK 25, then
# every end-to-end script in tests/e2e/ against the real server (REGISTRY_CMD, default
# "./berth serve"). Installs what is missing (apt), prints each part's summary and, last, one
# line "N passed, M failed" over everything. Exits non-zero if anything failed.
#
#   bash tests/all.sh                         # everything
#   E2E_ONLY=1 bash tests/all.sh              # skip Maven (e.g. REGISTRY_CMD="docker-registry serve")
#   MAVEN_ONLY=1 bash tests/all.sh            # skip the e2e scripts
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT" || exit 1
# shellcheck source=e2e/lib.sh
. "$ROOT/tests/e2e/lib.sh" --tools-only
# shellcheck disable=SC2034  # read by log() from lib.sh
E2E_SCRIPT=all.sh
START=$SECONDS

echo "==== tools"
ensure_tools mvn=maven
echo "ok: docker $(docker version --format '{{.Client.Version}}' 2>/dev/null), $(skopeo --version), $(podman --version), $(docker-registry --version 2>&1 | head -n1)"

# ---------------------------------------------------------------- JDK 25
java_major() {  # java_major JAVA_HOME -> feature version (8 for 1.8, 25 for 25.0.1), or empty
  "$1/bin/java" -version 2>&1 | awk -F'"' '/version/ {print $2; exit}' |
    awk -F. '{v = ($1 == "1") ? $2 : $1; sub(/[^0-9].*/, "", v); print v}'
}
JDK=""
if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ] && [ "$(java_major "$JAVA_HOME")" -ge 25 ] 2>/dev/null; then
  JDK=$JAVA_HOME
elif [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]; then
  JDK=/usr/lib/jvm/temurin-25-jdk-amd64
fi
if [ -z "$JDK" ]; then
  echo "ERROR: JDK 25 not found: JAVA_HOME (${JAVA_HOME:-unset}) is not a JDK 25+ and" \
       "/usr/lib/jvm/temurin-25-jdk-amd64 does not exist. Install a JDK 25 and set JAVA_HOME." >&2
  exit 1
fi
export JAVA_HOME=$JDK
export PATH="$JAVA_HOME/bin:$PATH"
echo "ok: JAVA_HOME=$JAVA_HOME ($("$JAVA_HOME/bin/java" -version 2>&1 | head -n1))"

TOTAL_PASSED=0
TOTAL_FAILED=0
SUMMARY=()
LOGDIR=$(mktemp -d /tmp/berth-all.XXXXXX)
trap 'rm -rf "$LOGDIR"' EXIT

# ---------------------------------------------------------------- Maven
if [ "${E2E_ONLY:-0}" != 1 ]; then
  echo
  echo "==== mvn -B -ntp verify"
  timeout 1500 mvn -B -ntp verify 2>&1 | tee "$LOGDIR/mvn.log"
  mvn_rc=${PIPESTATUS[0]}
  # Surefire/Failsafe print per-class lines ("... in com.x.YTest") and one aggregate per plugin run.
  totals=$(sed 's/\x1b\[[0-9;]*m//g' "$LOGDIR/mvn.log" |
    grep -E 'Tests run: [0-9]+, Failures: [0-9]+, Errors: [0-9]+, Skipped: [0-9]+$' |
    awk -F'[:,] *' '{r += $2; f += $4; e += $6; s += $8} END {printf "%d %d %d %d", r, f, e, s}')
  read -r t_run t_fail t_err t_skip <<<"${totals:-0 0 0 0}"
  m_pass=$((t_run - t_fail - t_err - t_skip))
  m_fail=$((t_fail + t_err))
  if [ "$mvn_rc" -ne 0 ] && [ "$m_fail" -eq 0 ]; then m_fail=1; fi   # build broke outside tests
  TOTAL_PASSED=$((TOTAL_PASSED + m_pass))
  TOTAL_FAILED=$((TOTAL_FAILED + m_fail))
  status=ok; [ "$mvn_rc" -ne 0 ] && status="FAILED (exit $mvn_rc)"
  SUMMARY+=("maven verify: $status; Tests run: $t_run, Failures: $t_fail, Errors: $t_err, Skipped: $t_skip")
fi

# ---------------------------------------------------------------- e2e
if [ "${MAVEN_ONLY:-0}" != 1 ]; then
  for script in "$ROOT"/tests/e2e/*.sh; do
    name=$(basename "$script")
    [ "$name" = lib.sh ] && continue
    echo
    echo "==== e2e: $name (REGISTRY_CMD=${REGISTRY_CMD:-./berth serve})"
    t0=$SECONDS
    timeout 1200 bash "$script" </dev/null 2>&1 | tee "$LOGDIR/$name.log"
    rc=${PIPESTATUS[0]}
    line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$LOGDIR/$name.log" | tail -n1)
    p=0; f=0
    if [ -n "$line" ]; then
      p=${line%% passed*}
      f=${line#*passed, }; f=${f%% failed*}
    fi
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi   # died without counting a failure
    TOTAL_PASSED=$((TOTAL_PASSED + p))
    TOTAL_FAILED=$((TOTAL_FAILED + f))
    SUMMARY+=("e2e $name: $p passed, $f failed (exit $rc, $((SECONDS - t0)) s)")
  done
fi

echo
echo "==== summary ($((SECONDS - START)) s)"
if [ "${E2E_ONLY:-0}" != 1 ] && [ -s "$LOGDIR/mvn.log" ]; then
  echo "Maven results:"
  sed 's/\x1b\[[0-9;]*m//g' "$LOGDIR/mvn.log" | grep -E 'Tests run: [0-9]+, .*Skipped: [0-9]+$|BUILD (SUCCESS|FAILURE)' | sed 's/^/  /'
fi
for s in "${SUMMARY[@]}"; do echo "$s"; done
echo "$TOTAL_PASSED passed, $TOTAL_FAILED failed"
[ "$TOTAL_FAILED" -eq 0 ]
