#!/usr/bin/env bash
# Builds the QuickFIX C++ validation filter into the user cache, once per source version; prints the binary's path.
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec bash "$here/../build-quickfix-peer.sh" quickfix-validator "$here/validator.cpp"
