#!/usr/bin/env python3
"""Builds a MobileNetV2 ONNX model (224x224x3, random weights) for `Tools/bench_runtime.py`.

keras.applications.MobileNetV2(weights=None) → tf2onnx (opset 13, NCHW input like the fixtures), plus an
`input_nchw.npy` next to it. The model is 14 MB: keep it out of git (the default output is
.build/bench/mobilenetv2/mobilenetv2.onnx).

Run: python3 Tools/make_mobilenetv2.py [OUT_DIR]  (creates .build/venv-assets with the pinned versions of
Tools/requirements-assets.txt on first use; STRATA_TF_PYTHON=/path/to/python skips that).
"""
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PINS = ROOT / "Tools" / "requirements-assets.txt"


def ensure_venv():
    """Re-executes this script inside a venv that has the pinned packages."""
    if os.environ.get("STRATA_MOBILENET_CHILD"):
        return
    python = os.environ.get("STRATA_TF_PYTHON")
    if not python:
        venv = ROOT / ".build" / "venv-assets"
        python = str(venv / "bin" / "python")
        stamp = venv / ".pins"
        if not stamp.exists() or stamp.read_text() != PINS.read_text():
            subprocess.check_call([sys.executable, "-m", "venv", "--clear", str(venv)])
            subprocess.check_call([python, "-m", "pip", "install", "-q", "-r", str(PINS)])
            stamp.write_text(PINS.read_text())
    env = dict(os.environ, STRATA_MOBILENET_CHILD="1", TF_CPP_MIN_LOG_LEVEL="3", PYTHONHASHSEED="0")
    sys.exit(subprocess.call([python, __file__, *sys.argv[1:]], env=env))


ensure_venv()

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import tf2onnx  # noqa: E402
import keras  # noqa: E402


def main():
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / ".build" / "bench" / "mobilenetv2"
    out.mkdir(parents=True, exist_ok=True)
    keras.utils.set_random_seed(0)
    model = keras.applications.MobileNetV2(weights=None, input_shape=(224, 224, 3))
    spec = (tf.TensorSpec((None, 224, 224, 3), tf.float32, name="image"),)
    path = out / "mobilenetv2.onnx"
    tf2onnx.convert.from_keras(model, input_signature=spec, opset=13, inputs_as_nchw=["image"],
                               output_path=str(path))
    rng = np.random.default_rng(0)
    np.save(out / "input_nchw.npy", rng.random((1, 3, 224, 224), dtype=np.float32))
    print(path)


if __name__ == "__main__":
    main()
