#!/usr/bin/env bash
# Installs what inferplan needs beyond the Swift toolchain: GSL (Debian's libgsl-dev) and pkg-config.
# Does nothing when they are already there.
set -euo pipefail

if pkg-config --exists gsl 2>/dev/null; then
    exit 0
fi
echo "inferplan: installing libgsl-dev and pkg-config (GSL not found by pkg-config)" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
        echo "inferplan: need root (or sudo) to run: apt-get install -y libgsl-dev pkg-config" >&2
        exit 1
    fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq libgsl-dev pkg-config >/dev/null
pkg-config --exists gsl || { echo "inferplan: GSL still not found after installing libgsl-dev" >&2; exit 1; }
