#!/usr/bin/env bash
# Linux packages of Turno's desktop apps, made with `fyne package`:
#   dist/turno-<app>-<version>-linux-<arch>.tar.xz
# each holding the app (usr/local/bin/turno-<app>), its desktop entry and
# icon, and a Makefile: `sudo make install` (or `make user-install`).
# Usage: deploy/package-apps.sh kiosk counter display   (make package)
set -euo pipefail

# The fyne command of fyne.io/tools, at a fixed version (FYNE overrides).
FYNE=${FYNE:-go run fyne.io/tools/cmd/fyne@v1.7.4}
DIST=$(realpath -m "${DIST:-dist}")
arch=$(go env GOARCH)
mkdir -p "$DIST/build"

for app in "$@"; do
	[ -f "$app/FyneApp.toml" ] || { echo "package: $app has no FyneApp.toml" >&2; exit 1; }
	version=$(sed -n 's/^[[:space:]]*Version[[:space:]]*=[[:space:]]*"\([^"]*\)".*/\1/p' "$app/FyneApp.toml" | head -n1)
	name=$(sed -n 's/^[[:space:]]*Name[[:space:]]*=[[:space:]]*"\([^"]*\)".*/\1/p' "$app/FyneApp.toml" | head -n1)
	exe="$DIST/build/turno-$app"
	out="$DIST/turno-$app-${version:-0.0.0}-linux-$arch.tar.xz"
	echo "package: $app -> $out"
	# fyne package counts the build in FyneApp.toml: the checkout stays as it was.
	kept=$(mktemp)
	cp "$app/FyneApp.toml" "$kept"
	restore() { cp "$kept" "$app/FyneApp.toml"; rm -f "$kept"; }
	trap restore EXIT
	(cd "$app" && $FYNE build --release -o "$exe")
	(cd "$app" && $FYNE package --os linux --release --exe "$exe")
	mv "$app/$name.tar.xz" "$out"
	restore
	trap - EXIT
done
rm -rf "$DIST/build"
ls -l "$DIST"/*.tar.xz
