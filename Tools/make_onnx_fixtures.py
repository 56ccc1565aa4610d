#!/usr/bin/env python3
"""Writes the small ONNX fixtures of Tests/ONNXImportTests/Fixtures (and the CLI's inspect fixture).

Run with a python that has onnx==1.22.0 and numpy (Tools/requirements-test.txt), e.g.
    python3 -m venv .build/venv-tools && .build/venv-tools/bin/pip install -r Tools/requirements-test.txt
    .build/venv-tools/bin/python Tools/make_onnx_fixtures.py
The output is deterministic (fixed seeds), so re-running it changes nothing.
"""
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "ONNXImportTests", "Fixtures")
OPSET = [helper.make_opsetid("", 13)]


def save(model, name, check=True):
    if check:
        onnx.checker.check_model(model)
    path = os.path.join(ROOT, name)
    with open(path, "wb") as f:
        f.write(model.SerializeToString())
    return path


def model(graph, opsets=OPSET, ir=8, **kw):
    return helper.make_model(graph, opset_imports=opsets, ir_version=ir, producer_name="strata-fixtures",
                             producer_version="1.0", **kw)


def tiny_conv():
    """Conv(4, 3x3, pad 1) + Relu + MaxPool + Flatten + Gemm(4*4*4 -> 3), batch `N`."""
    rng = np.random.default_rng(1)
    w = numpy_helper.from_array(rng.standard_normal((4, 1, 3, 3)).astype(np.float32), "conv.w")
    b = numpy_helper.from_array(rng.standard_normal(4).astype(np.float32), "conv.b")
    fw = numpy_helper.from_array(rng.standard_normal((64, 3)).astype(np.float32), "fc.w")
    fb = numpy_helper.from_array(rng.standard_normal(3).astype(np.float32), "fc.b")
    nodes = [
        helper.make_node("Conv", ["x", "conv.w", "conv.b"], ["c"], name="conv", pads=[1, 1, 1, 1],
                         kernel_shape=[3, 3]),
        helper.make_node("Relu", ["c"], ["r"], name="relu"),
        helper.make_node("MaxPool", ["r"], ["p"], name="pool", kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("Flatten", ["p"], ["f"], name="flatten"),
        helper.make_node("Gemm", ["f", "fc.w", "fc.b"], ["y"], name=""),
    ]
    g = helper.make_graph(nodes, "tiny_conv",
                          [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 1, 8, 8])],
                          [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 3])],
                          [w, b, fw, fb],
                          value_info=[helper.make_tensor_value_info("c", TensorProto.FLOAT, ["N", 4, 8, 8])],
                          doc_string="a tiny conv net")
    m = model(g, opsets=OPSET + [helper.make_opsetid("ai.onnx.ml", 3)], doc_string="tiny conv fixture")
    save(m, "tiny_conv.onnx")
    return m


def typed_tensors():
    """Pairs of initializers, one in a typed field and one in raw_data, for each element type."""
    cases = [
        ("f32", TensorProto.FLOAT, [1.5, -2.0, 3.25, 0.0], "float_data", np.float32),
        ("f64", TensorProto.DOUBLE, [1.5, -2.0, 1e300, 0.1], "double_data", np.float64),
        ("i32", TensorProto.INT32, [1, -2, 2147483647, -2147483648], "int32_data", np.int32),
        ("i64", TensorProto.INT64, [1, -2, 9007199254740993, -(2**63)], "int64_data", np.int64),
        ("i8", TensorProto.INT8, [1, -2, 127, -128], "int32_data", np.int8),
        ("u8", TensorProto.UINT8, [0, 1, 200, 255], "int32_data", np.uint8),
        ("i16", TensorProto.INT16, [1, -2, 32767, -32768], "int32_data", np.int16),
        ("u16", TensorProto.UINT16, [0, 1, 40000, 65535], "int32_data", np.uint16),
        ("u32", TensorProto.UINT32, [0, 1, 4000000000, 4294967295], "uint64_data", np.uint32),
        ("u64", TensorProto.UINT64, [0, 1, 2**63 + 5, 2**64 - 1], "uint64_data", np.uint64),
        ("bool", TensorProto.BOOL, [True, False, True, True], "int32_data", np.bool_),
    ]
    inits, nodes, outputs = [], [], []
    for name, code, values, field, np_type in cases:
        arr = np.array(values, dtype=np_type).reshape(2, 2)
        typed = helper.make_tensor(f"{name}_typed", code, [2, 2], arr.flatten().tolist())
        assert getattr(typed, field), (name, field)
        raw = numpy_helper.from_array(arr, f"{name}_raw")
        assert raw.raw_data
        inits += [typed, raw]
    f16 = np.array([1.0, -2.5, 65504.0, 0.000061035156], dtype=np.float16).reshape(2, 2)
    t = TensorProto(name="f16_typed", data_type=TensorProto.FLOAT16, dims=[2, 2])
    t.int32_data.extend(f16.view(np.uint16).flatten().astype(np.int32).tolist())
    inits.append(t)
    inits.append(numpy_helper.from_array(f16, "f16_raw"))
    bf = np.array([1.0, -2.0, 3.0, 0.5], dtype=np.float32)
    bf_bits = (bf.view(np.uint32) >> 16).astype(np.uint16)
    t = TensorProto(name="bf16_typed", data_type=TensorProto.BFLOAT16, dims=[2, 2])
    t.int32_data.extend(bf_bits.astype(np.int32).tolist())
    inits.append(t)
    inits.append(TensorProto(name="bf16_raw", data_type=TensorProto.BFLOAT16, dims=[2, 2],
                             raw_data=bf_bits.tobytes()))
    scalar = TensorProto(name="scalar_f32", data_type=TensorProto.FLOAT, dims=[])
    scalar.float_data.append(7.0)
    inits.append(scalar)
    for i, t in enumerate(inits):
        nodes.append(helper.make_node("Identity", [t.name], [f"out_{t.name}"], name=f"id_{i}"))
        outputs.append(helper.make_tensor_value_info(f"out_{t.name}", t.data_type, list(t.dims)))
    g = helper.make_graph(nodes, "typed", [], outputs, inits)
    save(model(g), "typed_tensors.onnx")


def constants():
    nodes = [
        helper.make_node("Constant", [], ["k_tensor"], name="k_tensor",
                         value=numpy_helper.from_array(np.array([[1, 2], [3, 4]], dtype=np.float32))),
        helper.make_node("Constant", [], ["k_float"], name="k_float", value_float=2.5),
        helper.make_node("Constant", [], ["k_floats"], name="k_floats", value_floats=[1.0, 2.0]),
        helper.make_node("Constant", [], ["k_int"], name="k_int", value_int=7),
        helper.make_node("Constant", [], ["k_ints"], name="k_ints", value_ints=[2, 2]),
        helper.make_node("Reshape", ["x", "k_ints"], ["x2"], name="reshape"),
        helper.make_node("Mul", ["x2", "k_tensor"], ["y"], name="mul"),
        helper.make_node("Add", ["k_float", "k_floats"], ["z"], name="add"),
        helper.make_node("Cast", ["k_int"], ["w"], name="cast", to=TensorProto.FLOAT),
    ]
    g = helper.make_graph(nodes, "constants",
                          [helper.make_tensor_value_info("x", TensorProto.FLOAT, [4])],
                          [helper.make_tensor_value_info("y", TensorProto.FLOAT, [2, 2]),
                           helper.make_tensor_value_info("z", TensorProto.FLOAT, [2]),
                           helper.make_tensor_value_info("w", TensorProto.FLOAT, [])], [])
    save(model(g), "constants.onnx")


def old_ir():
    """IR 3: weights are listed among the graph inputs too; only `x` is a real input."""
    w = numpy_helper.from_array(np.arange(6, dtype=np.float32).reshape(3, 2), "w")
    nodes = [helper.make_node("MatMul", ["x", "w"], ["y"], name="mm")]
    g = helper.make_graph(nodes, "old_ir",
                          [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3]),
                           helper.make_tensor_value_info("w", TensorProto.FLOAT, [3, 2])],
                          [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 2])], [w])
    save(model(g, opsets=[helper.make_opsetid("", 7)], ir=3), "old_ir.onnx")


def external(name, location, offset=None, length=None, write_bin=False):
    arr = np.arange(12, dtype=np.float32).reshape(3, 4)
    t = TensorProto(name="w", data_type=TensorProto.FLOAT, dims=[3, 4], data_location=TensorProto.EXTERNAL)
    entries = [("location", location)]
    if offset is not None:
        entries.append(("offset", str(offset)))
    if length is not None:
        entries.append(("length", str(length)))
    for k, v in entries:
        e = t.external_data.add()
        e.key, e.value = k, v
    if write_bin:
        with open(os.path.join(ROOT, location), "wb") as f:
            f.write(b"\0" * 16 + arr.tobytes())
    nodes = [helper.make_node("Add", ["x", "w"], ["y"], name="add")]
    g = helper.make_graph(nodes, name,
                          [helper.make_tensor_value_info("x", TensorProto.FLOAT, [3, 4])],
                          [helper.make_tensor_value_info("y", TensorProto.FLOAT, [3, 4])], [t])
    save(model(g), name + ".onnx", check=False)


def unknown_op():
    nodes = [helper.make_node("Relu", ["x"], ["r"], name="relu"),
             helper.make_node("FancyOp", ["r"], ["y"], name="fancy", domain="com.example", strength=3)]
    g = helper.make_graph(nodes, "unknown_op",
                          [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 4])],
                          [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)], [])
    save(model(g, opsets=OPSET + [helper.make_opsetid("com.example", 1)]), "unknown_op.onnx", check=False)


def bad_graphs():
    nodes = [helper.make_node("Add", ["x", "b"], ["a"], name="first"),
             helper.make_node("Relu", ["a"], ["b"], name="second")]
    io = ([helper.make_tensor_value_info("x", TensorProto.FLOAT, [1])],
          [helper.make_tensor_value_info("b", TensorProto.FLOAT, [1])])
    save(model(helper.make_graph(nodes, "cycle", *io, [])), "cycle.onnx", check=False)
    nodes = [helper.make_node("Add", ["x", "ghost"], ["b"], name="reads_ghost")]
    save(model(helper.make_graph(nodes, "undefined", *io, [])), "undefined_input.onnx", check=False)
    save(model(helper.make_graph([], "empty", *io, [])), "no_nodes.onnx", check=False)
    liar = TensorProto(name="w", data_type=TensorProto.FLOAT, dims=[1000000, 1000000], raw_data=b"\0" * 16)
    nodes = [helper.make_node("Add", ["x", "w"], ["b"], name="add")]
    save(model(helper.make_graph(nodes, "liar", *io, [liar])), "lying_dims.onnx", check=False)
    unknown_dim = helper.make_tensor_value_info("x", TensorProto.FLOAT, [None, 3])
    nodes = [helper.make_node("Relu", ["x"], ["b"], name="relu")]
    save(model(helper.make_graph(nodes, "unknown_dim", [unknown_dim], io[1], [])), "unknown_dim.onnx")


def truncated(m):
    data = m.SerializeToString()
    with open(os.path.join(ROOT, "truncated.onnx"), "wb") as f:
        f.write(data[: len(data) // 2])
    with open(os.path.join(ROOT, "not_onnx.onnx"), "wb") as f:
        f.write(b"this is a text file, not a model\n")


def tensor_protos():
    arr = np.arange(6, dtype=np.float32).reshape(2, 3) / 4
    with open(os.path.join(ROOT, "tensor_raw.pb"), "wb") as f:
        f.write(numpy_helper.from_array(arr, "t").SerializeToString())
    t = helper.make_tensor("t", TensorProto.INT64, [3], [5, -6, 7])
    with open(os.path.join(ROOT, "tensor_int64.pb"), "wb") as f:
        f.write(t.SerializeToString())


def main():
    os.makedirs(ROOT, exist_ok=True)
    m = tiny_conv()
    typed_tensors()
    constants()
    old_ir()
    external("ext_good", "ext_good.bin", offset=16, length=48, write_bin=True)
    external("ext_absolute", "/etc/passwd")
    external("ext_escape", "../../etc/passwd")
    external("ext_offset", "ext_good.bin", offset=4096)
    external("ext_short", "ext_good.bin", offset=32)
    unknown_op()
    bad_graphs()
    truncated(m)
    tensor_protos()


if __name__ == "__main__":
    main()
