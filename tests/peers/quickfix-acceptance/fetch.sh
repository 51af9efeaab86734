#!/usr/bin/env bash
# Fetches QuickFIX's acceptance suite (test/ of Debian's quickfix source package) into the user cache and builds
# QuickFIX's own acceptance acceptor (src/at.cpp) against Debian's libquickfix-dev, once; prints the source directory.
# Needs ruby, dpkg-dev, g++ and libquickfix-dev (./test installs them from Debian).
set -euo pipefail
version="1.15.1+dfsg-4"
cache="${XDG_CACHE_HOME:-$HOME/.cache}/crowelogic-flow/peers/quickfix-$version"
src="$cache/quickfix-${version%-*}"
if [ ! -f "$src/test/Runner.rb" ]; then
  mkdir -p "$cache/apt/lists/partial"
  # A private source list: deb-src for the release the machine runs, without touching the system's apt configuration.
  codename="$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")"
  cat > "$cache/apt/sources.list" <<SOURCES
deb-src http://deb.debian.org/debian $codename main
SOURCES
  apt_opts=(-o "Dir::Etc::SourceList=$cache/apt/sources.list" -o "Dir::Etc::SourceParts=/dev/null" -o "Dir::State::Lists=$cache/apt/lists" -o "APT::Sandbox::User=root")
  apt-get "${apt_opts[@]}" update -qq >&2
  tmp="$(mktemp -d "$cache/fetch.XXXXXX")"
  (cd "$tmp" && apt-get "${apt_opts[@]}" source -qq "quickfix=$version" >&2)
  rm -rf "$src"
  mv "$tmp/quickfix-${version%-*}" "$src"
  rm -rf "$tmp"
fi
[ -f "$src/test/Runner.rb" ] || { echo "quickfix-acceptance: the source package has no test/Runner.rb" >&2; exit 3; }
# QuickFIX's acceptance acceptor, built against the installed library (the calibration peer: it must pass everything).
hash="$( (cat "$src/src/at.cpp" "$src/src/at_application.h"; dpkg-query -W -f='${Version}' libquickfix-dev) | sha256sum | cut -c1-16)"
at="$cache/at-$hash"
if [ ! -x "$at" ]; then
  mkdir -p "$cache/include" && : > "$cache/include/config.h"
  # QuickFIX 1.15's headers use dynamic exception specifications, removed in C++17: build as C++11.
  g++ -std=c++11 -O2 -w -I"$cache/include" -I/usr/include/quickfix "$src/src/at.cpp" -o "$at.tmp.$$" -lquickfix -lpthread
  mv "$at.tmp.$$" "$at"
fi
ln -sf "$at" "$cache/at"
echo "$src"
