#!/usr/bin/env bash
# Builds the agent core and the host platform for the host JVM (the agent behind virtual phones) into
# build/host/classes, at the Java 7 language level the phone build uses, then runs the JUnit 4 suite
# against the shared protocol vectors. --no-test builds only. Exits non-zero on a failed build or test.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$here/build/host"
junit="${JUNIT_JAR:-/usr/share/java/junit4.jar}"
hamcrest="${HAMCREST_JAR:-/usr/share/java/hamcrest-core.jar}"
run_tests=1
[[ "${1:-}" == "--no-test" ]] && run_tests=0

for jar in "$junit" "$hamcrest"; do
  if [[ ! -f "$jar" ]]; then
    echo "build-host: $jar is missing; install Debian's junit4 (apt-get install -y junit4)" >&2
    exit 1
  fi
done

# A fresh folder each build, swapped in by rename, so a virtual phone starting now never sees half of it.
tmp="$(mktemp -d "$here/build/.host-XXXXXX" 2>/dev/null || { mkdir -p "$here/build"; mktemp -d "$here/build/.host-XXXXXX"; })"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/classes" "$tmp/test-classes"
find "$here/core/src" "$here/host/src" -name '*.java' > "$tmp/sources"
javac --release 7 -Xlint:all -Xlint:-options -Werror -encoding UTF-8 -d "$tmp/classes" @"$tmp/sources"

if [[ $run_tests == 1 ]]; then
  find "$here/core/test" -name '*.java' > "$tmp/tests"
  javac --release 7 -Xlint:all -Xlint:-options -encoding UTF-8 -cp "$tmp/classes:$junit" -d "$tmp/test-classes" @"$tmp/tests"
  classes="$(cd "$tmp/test-classes" && find . -name '*Test.class' | sed -e 's|^\./||' -e 's|\.class$||' -e 's|/|.|g' | sort)"
  # shellcheck disable=SC2086
  java -Dsip2wa.vectors="$here/../protocol/vectors" -cp "$tmp/test-classes:$tmp/classes:$junit:$hamcrest" \
    org.junit.runner.JUnitCore $classes
fi

rm -rf "$out.old"
[[ -d "$out" ]] && mv "$out" "$out.old"
mv "$tmp" "$out"
rm -rf "$out.old"
trap - EXIT
echo "build-host: classes in ${out#"$here/"}/classes"
