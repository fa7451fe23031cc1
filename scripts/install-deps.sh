#!/usr/bin/env bash
# Installs what the tests need and a fresh machine lacks: Chromium from Debian's packages, and the
# npm packages of edge/ (workerd, wrangler) from their committed lock file. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if ! [ -x /usr/bin/chromium ]; then
	echo "install-deps: installing chromium (Debian package)"
	as_root apt-get update -qq
	DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq chromium >/dev/null
fi
if ! command -v brotli >/dev/null; then
	# make bench reports brotli sizes
	DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq brotli >/dev/null || true
fi
for dir in edge bench e2e/axe; do
	if [ -f "$dir/package-lock.json" ] && ! [ -d "$dir/node_modules" ]; then
		echo "install-deps: npm ci in $dir/"
		(cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
	fi
done
