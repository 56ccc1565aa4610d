#!/usr/bin/env python3
"""Writes every value onnxruntime computes for a model, one NAME.npy per value, for Tools/compare_dump.py.

Usage: Tools/onnxruntime_activations.py MODEL.onnx INPUT.npy OUT_DIR

Every node output of the graph becomes a graph output (onnxruntime with graph optimisations off, so nothing is
fused away), the model runs on INPUT.npy (fed to its one graph input), and each value is saved with `/` in
its name written as `__` and `:` as `_` (the layout compare_dump.py reads). Needs onnx, onnxruntime and numpy
(the test venv: STRATA_PYTHON, or .build/venv after `make test`).

Check a model tensor by tensor:
    strata run MODEL.onnx --input INPUT.npy --dump /tmp/strata
    Tools/onnxruntime_activations.py MODEL.onnx INPUT.npy /tmp/ort
    Tools/compare_dump.py /tmp/strata /tmp/ort
"""
import os
import sys


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    import numpy as np
    import onnx
    import onnxruntime as ort

    model_path, input_path, out = sys.argv[1:]
    model = onnx.load(model_path)
    initializers = {t.name for t in model.graph.initializer}
    declared = {o.name for o in model.graph.output}
    for node in model.graph.node:
        for name in node.output:
            if name and name not in declared and name not in initializers:
                model.graph.output.append(onnx.ValueInfoProto(name=name))
                declared.add(name)
    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    session = ort.InferenceSession(model.SerializeToString(), options, providers=["CPUExecutionProvider"])
    feeds = [i for i in session.get_inputs() if i.name not in initializers]
    if len(feeds) != 1:
        sys.exit(f"{model_path}: the model has {len(feeds)} inputs; this script feeds one")
    names = [o.name for o in session.get_outputs()]
    values = session.run(names, {feeds[0].name: np.load(input_path)})
    os.makedirs(out, exist_ok=True)
    for name, value in zip(names, values):
        np.save(os.path.join(out, name.replace("/", "__").replace(":", "_") + ".npy"), value)
    print(f"{len(names)} values written to {out}")


if __name__ == "__main__":
    main()
