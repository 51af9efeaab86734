#!/usr/bin/env bash
# Builds the QuickFIX C++ validation filter into the user cache, once per source version; prints the binary's path.
# Needs g++ and libquickfix-dev (./test installs them on Debian).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
[ -f /usr/include/quickfix/Application.h ] || { echo "quickfix-validator: QuickFIX headers are missing; apt-get install -y g++ libquickfix-dev" >&2; exit 3; }
hash="$( (cat "$here/validator.cpp"; dpkg-query -W -f='${Version}' libquickfix-dev) | sha256sum | cut -c1-16)"
out="${XDG_CACHE_HOME:-$HOME/.cache}/crowelogic-flow/peers/quickfix-validator-$hash"
if [ ! -x "$out" ]; then
  mkdir -p "$(dirname "$out")"
  g++ -std=c++11 -O1 -w "$here/validator.cpp" -o "$out.tmp.$$" -lquickfix -lpthread
  mv "$out.tmp.$$" "$out"
fi
echo "$out"
