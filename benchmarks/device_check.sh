#!/usr/bin/env bash
# GPU check of the JAX engine, written to run unchanged on a machine with one NVIDIA GPU where
# Python 3.12 and JAX with CUDA are installed and nothing can be downloaded.
#
# Before: `make device-wheels` (on a machine with a package index) puts our missing pure-Python
# dependencies (optax, tqdm, smart_open, ...) as wheels in benchmarks/wheels/ (a few MB, never
# committed); carry that folder and, for the corpus part, political.txt (CORPUS=path; default
# ../shared/data/political.txt, else shared/data/political.txt, else gensim's lee_background.cor).
# Then: bash benchmarks/device_check.sh   (prints JSON lines; about 2 minutes on one H200)
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3.12}
WHEELS=benchmarks/wheels
export PIP_NO_INDEX=1 PIP_DISABLE_PIP_VERSION_CHECK=1

echo "== device"
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader || true
"$PYTHON" -c 'import jax; print("jax", jax.__version__, jax.devices()); assert jax.default_backend() == "gpu", "JAX sees no GPU"'

echo "== install (offline, from $WHEELS)"
"$PYTHON" -m pip install --quiet --no-deps --no-build-isolation . 2>/dev/null \
    || { echo "pip could not install the package; using PYTHONPATH=$PWD"; export PYTHONPATH="$PWD"; }
missing=$("$PYTHON" - <<'PY'
import importlib.metadata as md, re, tomllib
requirements = tomllib.load(open("pyproject.toml", "rb"))["project"]["dependencies"]
names = [re.split(r"[<>=!~\[ ;]", r, maxsplit=1)[0] for r in requirements]
missing = []
for name in names:
    try:
        md.version(name)
    except md.PackageNotFoundError:
        missing.append(name)
print(" ".join(missing))
PY
)
if [ -n "$missing" ]; then
    echo "missing: $missing"
    for package in $missing; do
        "$PYTHON" -m pip install --quiet --find-links "$WHEELS" "$package" || echo "not installable offline: $package"
    done
fi
"$PYTHON" -c 'import numba, gensim, optax, scipy; print("imports ok")'

CORPUS=${CORPUS:-}
for candidate in ../shared/data/political.txt shared/data/political.txt; do
    [ -z "$CORPUS" ] && [ -f "$candidate" ] && CORPUS=$candidate
done
[ -z "$CORPUS" ] && CORPUS=$("$PYTHON" -c 'from gensim.test.utils import datapath; print(datapath("lee_background.cor"))')

echo "== check (corpus $CORPUS)"
timeout 300 "$PYTHON" benchmarks/gpu_check.py --corpus "$CORPUS" "$@"
