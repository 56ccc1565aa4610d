#!/bin/sh
# Regenerates Assets/ (bundled models, samples, library.json) from scikit-learn's bundled data.
# Creates .build/venv-assets from Tools/requirements-assets.txt on first use (and again when the
# pins change), then runs Tools/make_assets.py with any arguments given here.
# Takes about a minute on two cores once the venv exists.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
venv="$root/.build/venv-assets"
pins="$root/Tools/requirements-assets.txt"
stamp="$venv/.pins"
python=${PYTHON:-python3}

if [ ! -f "$stamp" ] || ! cmp -s "$pins" "$stamp"; then
    rm -rf "$venv"
    "$python" -m venv "$venv"
    "$venv/bin/pip" install -q --disable-pip-version-check -r "$pins"
    cp "$pins" "$stamp"
fi
exec "$venv/bin/python" "$root/Tools/make_assets.py" "$@"
