#!/usr/bin/env python3
"""Writes an ONNX model with one large float32 initializer, for timing `strata inspect` (issue 2).

    python Tools/make_big_onnx.py OUT.onnx [MEGABYTES]   # default 500 MB, stored inline as raw_data

Needs onnx==1.22.0 and numpy (Tools/requirements-test.txt).
"""
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def main():
    out = sys.argv[1]
    megabytes = int(sys.argv[2]) if len(sys.argv) > 2 else 500
    rows = megabytes * 1024 * 1024 // 4 // 1024
    w = numpy_helper.from_array(np.full((rows, 1024), 0.5, dtype=np.float32), "w")
    node = helper.make_node("MatMul", ["x", "w"], ["y"], name="matmul")
    graph = helper.make_graph([node], "big",
                              [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", rows])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 1024])], [w])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], ir_version=8)
    with open(out, "wb") as f:
        f.write(model.SerializeToString())


if __name__ == "__main__":
    main()
