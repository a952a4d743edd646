# The Java runtime Berth runs on, for ./berth (serve and the commands that use its start-up cache) and for the image
# (image/build-offline.sh): jlink'ed from a JDK 25+ with the modules Berth's jars use, and kept in a cache directory.
# Sourced by both; each defines say() for its progress lines.
#
# Why not the JDK itself: Jetty enumerates the locales the runtime has as it starts, and the JDK has a module of them
# (jdk.localedata) that Berth, which formats nothing by locale, never uses. With it and the JDK's other unused modules
# left out (18 modules of the JDK's 69), a start from the start-up cache took 7 % less time
# (docs/performance-changes.md, change 94).

# runtime_module_list JDK JAR...: the JDK modules the jars' classes use, one a line (jdeps).
runtime_module_list() {
  local jdk=$1 out
  shift
  out=$("$jdk/bin/jdeps" --print-module-deps --ignore-missing-deps --multi-release 25 "$@" 2>/dev/null | tail -n 1)
  if ! [[ $out =~ ^[A-Za-z0-9.]+(,[A-Za-z0-9.]+)*$ ]]; then
    echo "jdeps printed no module list for ${*##*/}" >&2
    return 1
  fi
  tr ',' '\n' <<<"$out"
}

# runtime_plain_jars JDK DIR JAR...: sets $plain_jars to the jars, those with a module descriptor replaced by copies
# in DIR without it. jdeps reads a jar that has one as a module, whose requirements must be among its inputs, and
# Jetty's jars in lib/tls require org.slf4j, which is inside berth.jar (with the other dependencies, as classes, not
# as a module). Only those are copied: a copy takes a second or more (Bouncy Castle's), and most jars have none.
runtime_plain_jars() {
  local jdk=$1 dir=$2 jar manifest
  shift 2
  plain_jars=()
  for jar; do
    if ! grep -q -a -F module-info.class "$jar"; then
      plain_jars+=("$jar")
      continue
    fi
    rm -rf "$dir/classes" && mkdir -p "$dir/classes"
    (cd "$dir/classes" && "$jdk/bin/jar" xf "$jar") || return 1
    find "$dir/classes" -name module-info.class -delete
    manifest=()
    [ -f "$dir/classes/META-INF/MANIFEST.MF" ] && manifest=(--manifest "$dir/classes/META-INF/MANIFEST.MF")
    "$jdk/bin/jar" --create --file "$dir/${jar##*/}" "${manifest[@]}" -C "$dir/classes" . || return 1
    plain_jars+=("$dir/${jar##*/}")
  done
  rm -rf "$dir/classes"
}

# make_runtime JDK CACHE APP_JAR LIB_JAR...: sets $runtime to a runtime in CACHE, made from JDK with the modules that
# APP_JAR and the LIB_JARs use, jdk.unsupported (libraries probe sun.misc reflectively), jdk.jfr (so that `jcmd PID
# JFR.start` records a running registry) and $BERTH_EXTRA_MODULES (comma-separated), e.g. jdk.jcmd for debugging.
# The LIB_JARs' modules and the runtimes are cached, keyed by the jars' and the JDK's hashes and the module list:
# APP_JAR changes with every build, the others and the modules rarely. Fails, saying why, when JDK has no jlink or
# jdeps (a JRE) or they fail.
make_runtime() {
  local jdk=$1 cache=$2 app_jar=$3 work status jdk_id lib_id lib_modules app_modules modules old exe in_use plain_jars
  shift 3
  if [ ! -x "$jdk/bin/jlink" ] || [ ! -x "$jdk/bin/jdeps" ]; then
    echo "$jdk has no jlink or jdeps (a JRE?)" >&2
    return 1
  fi
  mkdir -p "$cache" || return 1
  jdk_id=$(sha256sum "$jdk/release" "$jdk/lib/modules" | sha256sum | cut -c1-16)
  lib_id=$({ sha256sum "$@"; echo "$jdk_id"; } | sha256sum | cut -c1-16)
  lib_modules=$cache/lib-modules-$lib_id
  if [ ! -s "$lib_modules" ]; then
    say "jdeps: the modules of ${#} library jars"
    work=$(mktemp -d "${TMPDIR:-/tmp}/berth-runtime.XXXXXX") || return 1
    runtime_plain_jars "$jdk" "$work" "$@" && runtime_module_list "$jdk" "${plain_jars[@]}" >"$lib_modules.$$" &&
      mv "$lib_modules.$$" "$lib_modules"
    status=$?
    rm -rf "$work" "$lib_modules.$$"
    [ "$status" = 0 ] || return 1
  fi
  say "jdeps: the modules ${app_jar##*/} needs"
  app_modules=$(runtime_module_list "$jdk" "$app_jar") || return 1
  modules=$(printf '%s\n' "$(cat "$lib_modules")" "$app_modules" jdk.unsupported jdk.jfr \
    "$(tr ',' '\n' <<<"${BERTH_EXTRA_MODULES:-}")" | grep -v '^$' | sort -u | paste -sd, -)
  runtime=$cache/runtime-$(echo "$jdk_id $modules" | sha256sum | cut -c1-16)
  if [ -x "$runtime/bin/java" ]; then
    say "jlink: $modules (cached: $runtime)"
  else
    say "jlink: $modules"
    rm -rf "$runtime.$$"
    "$jdk/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages \
      --compress zip-6 --output "$runtime.$$" || { rm -rf "$runtime.$$"; return 1; }
    # keep this runtime, unless a concurrent build placed it first
    mv -T "$runtime.$$" "$runtime" 2>/dev/null || rm -rf "$runtime.$$"
    [ -x "$runtime/bin/java" ] || return 1
  fi
  # Drop the other runtimes no process runs on (a server opens files of its runtime long after it started: the
  # trust store at its first TLS connection to S3, say), those half-made by a jlink stopped an hour ago or more,
  # and lists of modules older than 30 days.
  for old in "$cache"/runtime-????????????????; do
    [ -d "$old" ] && [ "$old" != "$runtime" ] || continue
    in_use=0
    for exe in /proc/[0-9]*/exe; do
      if [ "$exe" -ef "$old/bin/java" ]; then in_use=1; break; fi
    done
    [ "$in_use" = 1 ] || rm -rf "$old"
  done
  find "$cache" -maxdepth 1 -name 'runtime-*.*' -mmin +60 -exec rm -rf {} +
  find "$cache" -maxdepth 1 -name 'lib-modules-*' -mtime +30 -delete
  return 0
}
