#!/usr/bin/env bash
# Builds a one-file QuickFIX C++ program into the user cache, once per source and library version; prints the binary's
# path. Usage: build-quickfix-peer.sh <name> <source.cpp>. Needs g++ and libquickfix-dev (./test installs them).
set -euo pipefail
name="$1"
source="$2"
[ -f /usr/include/quickfix/Application.h ] || { echo "$name: QuickFIX headers are missing; install them with: apt-get install -y g++ libquickfix-dev (./test does this)" >&2; exit 3; }
command -v g++ >/dev/null || { echo "$name: g++ is missing; apt-get install -y g++" >&2; exit 3; }
hash="$( (cat "$source"; dpkg-query -W -f='${Version}' libquickfix-dev) | sha256sum | cut -c1-16)"
out="${XDG_CACHE_HOME:-$HOME/.cache}/crowelogic-flow/peers/$name-$hash"
if [ ! -x "$out" ]; then
  mkdir -p "$(dirname "$out")"
  # QuickFIX 1.15's headers use dynamic exception specifications, removed in C++17: build as C++11.
  g++ -std=c++11 -O1 -w "$source" -o "$out.tmp.$$" -lquickfix -lpthread
  mv "$out.tmp.$$" "$out"
fi
echo "$out"
