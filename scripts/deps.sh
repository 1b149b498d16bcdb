#!/bin/sh
# deps.sh: install what the build and the tests need and is missing, nothing else.
# Debian packages through apt-get (apt-get update runs once, only if something is missing);
# front-end packages through `npm ci` when package.json exists and node_modules is stale.
set -eu

missing=""
need_pkg() { # pkg-config module, Debian package
	pkg-config --exists "$1" 2>/dev/null || missing="$missing $2"
}
need_cmd() { # command, Debian package
	command -v "$1" >/dev/null 2>&1 || missing="$missing $2"
}

need_cmd pkg-config pkg-config
need_cmd cc gcc
need_cmd make make
if command -v pkg-config >/dev/null 2>&1; then
	need_pkg yaml-0.1 libyaml-dev
	need_pkg libcjson libcjson-dev
	need_pkg libcmark libcmark-dev
	need_pkg libxml-2.0 libxml2-dev
	need_pkg libarchive libarchive-dev
	need_pkg cmocka libcmocka-dev
else
	missing="$missing libyaml-dev libcjson-dev libcmark-dev libxml2-dev libarchive-dev libcmocka-dev"
fi
need_cmd valgrind valgrind
need_cmd patch patch
need_cmd diff diffutils
need_cmd setpriv util-linux
need_cmd node nodejs
need_cmd parallel parallel
need_cmd python3 python3
[ -x /usr/bin/chromium ] || missing="$missing chromium"

if [ -n "$missing" ]; then
	echo "deps: installing:$missing"
	sudo=""
	[ "$(id -u)" -ne 0 ] && sudo="sudo"
	export DEBIAN_FRONTEND=noninteractive
	$sudo apt-get update -qq
	# shellcheck disable=SC2086
	$sudo apt-get install -y -qq --no-install-recommends $missing
fi

if [ -f package.json ]; then
	if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
		command -v npm >/dev/null 2>&1 || {
			sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
			echo "deps: installing: nodejs npm"
			$sudo apt-get update -qq
			DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends nodejs npm
		}
		npm ci --no-audit --no-fund
	fi
fi
