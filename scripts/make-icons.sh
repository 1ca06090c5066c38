#!/bin/sh
# Makes assets/icons/icon.png (512x512) from assets/icons/icon.svg: with rsvg-convert (librsvg2-bin)
# when installed, else with the Node rasterizer scripts/make-icons.mjs, which draws the same shapes.
# electron-builder derives the Windows .ico and macOS .icns from the PNG.
set -eu
cd "$(dirname "$0")/.."
if command -v rsvg-convert >/dev/null 2>&1; then
  rsvg-convert -w 512 -h 512 assets/icons/icon.svg -o assets/icons/icon.png
  echo "wrote assets/icons/icon.png (rsvg-convert)"
else
  node scripts/make-icons.mjs assets/icons/icon.png
fi
