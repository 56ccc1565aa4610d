#!/usr/bin/env python3
"""Compares a `strata run --dump DIR` folder with reference activations.

Usage: Tools/compare_dump.py DUMP_DIR REFERENCE_DIR

REFERENCE_DIR holds one NAME.npy per tensor, with `/` in value names written as `__` and `:` as `_`
(the layout of the fixtures' `onnx/` and `keras/` folders). For every reference tensor it prints the
maximum absolute error of the dumped tensor and the verdict |a - b| <= 1e-4 * max(1, max|ref|).
Exits 1 if any tensor is missing or out of tolerance.

Needs numpy; when it is missing, the script creates .build/venv-tools with a pinned numpy and reruns itself.
"""
import json
import os
import subprocess
import sys

NUMPY_PIN = "numpy==2.4.6"


def ensure_numpy():
    try:
        import numpy  # noqa: F401
    except ImportError:
        root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".build", "venv-tools")
        python = os.path.join(root, "bin", "python")
        if os.path.abspath(sys.executable) == os.path.abspath(python):
            sys.exit("compare_dump.py: numpy is missing from " + root)
        if not os.path.exists(python):
            subprocess.check_call([sys.executable, "-m", "venv", root])
            subprocess.check_call([python, "-m", "pip", "install", "-q", NUMPY_PIN])
        os.execv(python, [python] + sys.argv)


def reference_name(value_name):
    return value_name.replace("/", "__").replace(":", "_")


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    ensure_numpy()
    import numpy as np

    dump, ref = sys.argv[1], sys.argv[2]
    with open(os.path.join(dump, "manifest.json")) as f:
        manifest = json.load(f)
    dumped = {reference_name(t["name"]): t for t in manifest["tensors"]}
    failures = 0
    refs = sorted(n[:-4] for n in os.listdir(ref) if n.endswith(".npy"))
    for name in refs:
        expected = np.load(os.path.join(ref, name + ".npy"))
        entry = dumped.get(name)
        if entry is None:
            print(f"MISSING  {name}")
            failures += 1
            continue
        actual = np.load(os.path.join(dump, entry["file"]))
        if actual.shape != expected.shape:
            print(f"SHAPE    {name}: {list(actual.shape)} vs reference {list(expected.shape)}")
            failures += 1
            continue
        error = float(np.max(np.abs(actual.astype(np.float64) - expected.astype(np.float64)))) if expected.size else 0.0
        bound = 1e-4 * max(1.0, float(np.max(np.abs(expected))) if expected.size else 0.0)
        ok = error <= bound
        failures += 0 if ok else 1
        print(f"{'ok' if ok else 'FAIL':8} {name}: max error {error:.3g} (bound {bound:.3g})")
    print(f"{len(refs) - failures} of {len(refs)} reference tensors within tolerance")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
