#!/usr/bin/env bash
# Builds the QuickFIX C++ test acceptor into the user cache, once per source version; prints the binary's path.
# Needs g++ and libquickfix-dev (./test installs them on Debian).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if [ ! -f /usr/include/quickfix/Application.h ]; then
  echo "quickfix-acceptor: QuickFIX headers are missing; install them with: apt-get install -y g++ libquickfix-dev (./test does this)" >&2
  exit 3
fi
command -v g++ >/dev/null || { echo "quickfix-acceptor: g++ is missing; apt-get install -y g++" >&2; exit 3; }
hash="$(sha256sum "$here/acceptor.cpp" | cut -c1-16)"
out="${XDG_CACHE_HOME:-$HOME/.cache}/crowelogic-flow/peers/quickfix-acceptor-$hash"
if [ ! -x "$out" ]; then
  mkdir -p "$(dirname "$out")"
  # QuickFIX 1.15's headers use dynamic exception specifications, removed in C++17: build as C++11.
  g++ -std=c++11 -O1 -w "$here/acceptor.cpp" -o "$out.tmp.$$" -lquickfix -lpthread
  mv "$out.tmp.$$" "$out"
fi
echo "$out"
