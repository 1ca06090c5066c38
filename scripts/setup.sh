#!/usr/bin/env bash
# Sets up a fresh Debian/Ubuntu machine for sip2wa station: the Debian packages the station and its
# tests run against, then the npm packages. Safe to run again; it installs only what is missing, and
# says "already set up" when nothing was.
set -euo pipefail
cd "$(dirname "$0")/.."
done_steps=()

# adb: the station finds phones through the real adb server.
# libspandsp-dev, pkg-config, gcc: the G.722/G.711 reference the codec tests compare against.
# kamailio, sip-tester (SIPp), baresip-core, openssl, sox: the SIP peers and tools of the interop tests.
# chromium, fonts-dejavu-core: the browser the console's tests drive (playwright-core, no download).
# pulseaudio, pulseaudio-utils, libasound2-plugins, libasound2: the sound server the test dial's headset
#   runs on in tests (naudiodon -> ALSA 'pulse' -> a null sink), and the PC's sound on a desktop.
# python3, make, g++: node-gyp builds the native modules (better-sqlite3, naudiodon).
# openjdk-17-jdk-headless, junit4, dexdump: the on-phone agent's build (javac --release 7 + dx), its JUnit
#   suite and its link check.
# systemd: systemd-analyze, which checks the service unit (packaging/systemd) in its test; it works in a
#   container where systemd is not PID 1.
DEBIAN_PACKAGES=(adb libspandsp-dev pkg-config gcc kamailio sip-tester baresip-core openssl sox
  chromium fonts-dejavu-core pulseaudio pulseaudio-utils libasound2-plugins libasound2 python3 make g++
  openjdk-17-jdk-headless junit4 dexdump systemd)

missing=()
for pkg in "${DEBIAN_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "setup: installing Debian packages: ${missing[*]}"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
  done_steps+=("Debian packages")
fi

# The Electron binary is a download from outside the npm registry; the station runs headless without it.
export ELECTRON_SKIP_BINARY_DOWNLOAD=1
# The packages match the lock file when the lock's digest is the one the last install recorded (a fresh
# checkout touches every file, so dates alone would reinstall); installs from before the digest was kept
# are compared by date once.
LOCK_STAMP=node_modules/.sip2wa-setup-lock
lock_digest="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [ -f "$LOCK_STAMP" ]; then
  [ "$(cat "$LOCK_STAMP")" = "$lock_digest" ] && npm_current=1 || npm_current=0
elif [ -d node_modules ] && [ ! package-lock.json -nt node_modules/.package-lock.json ]; then
  npm_current=1
else
  npm_current=0
fi
if [ "$npm_current" = 0 ]; then
  echo "setup: installing npm packages"
  npm ci --no-audit --no-fund
  done_steps+=("npm packages")
fi
[ -d node_modules ] && echo "$lock_digest" >"$LOCK_STAMP"

# The on-phone agent the station pushes to real phones (fetches dx into ~/.cache/sip2wa once; a no-op when
# the jar is newer than its sources).
agent_out="$(npm run build:agent --silent)"
case "$agent_out" in
  *"is up to date"*) ;;
  *) echo "$agent_out"; done_steps+=("the phone agent") ;;
esac

# The console the station serves (npm run serve) and the desktop app load.
if [ ! -f renderer/dist/index.html ] || [ -n "$(find renderer/src renderer/index.html -newer renderer/dist/index.html -print -quit)" ]; then
  echo "setup: building the console"
  npm run build:renderer --silent
  done_steps+=("the console")
fi

if [ ${#done_steps[@]} -eq 0 ]; then
  echo "setup: already set up (Debian packages, npm packages, the phone agent and the console are in place)"
else
  echo "setup: done (${done_steps[*]})"
fi
