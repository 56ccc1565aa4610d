#!/usr/bin/env python3
"""Times Strata against onnxruntime on the same models and inputs, side by side, and prints the ratios.

For each model: onnxruntime (2 intra-op threads, all graph optimisations, one warm-up then N runs) and
`strata bench MODEL --input ... --runs N --json` on the same random input (seed 0). Prints a table with the
median latencies, their ratio (Strata / onnxruntime; the bar is <= 1.5), Strata's recording overhead
(median with every activation recorded over the median without; the bar is <= 10 %), and GFLOP/s
computed from the multiply-adds of the graph's Conv, Gemm and MatMul nodes (2 FLOP per MAC).

Default models: resnet_small (Assets/), MobileNetV2 (built by
Tools/make_mobilenetv2.py into .build/bench/mobilenetv2/) and the onnx package's light ResNet-50.

Run: python3 Tools/bench_runtime.py [MODEL.onnx ...] [--runs N] [--repeat K] [--strata BIN] [--json OUT]
(`load` is the 1-minute load average when a repeat started: compare ratios, not absolute times, when it is high)
(uses .build/venv from `make test` unless STRATA_PYTHON names a python with onnx, onnxruntime, numpy).
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PINS = ROOT / "Tools" / "requirements-test.txt"


def ensure_python():
    """Re-executes this script with a python that has onnx, onnxruntime and numpy."""
    if os.environ.get("STRATA_BENCH_CHILD"):
        return
    python = os.environ.get("STRATA_PYTHON")
    if not python:
        venv = ROOT / ".build" / "venv"
        python = str(venv / "bin" / "python")
        if not (venv / ".done").exists():
            subprocess.check_call([sys.executable, "-m", "venv", str(venv)])
            subprocess.check_call([python, "-m", "pip", "install", "-q", "-r", str(PINS)])
            (venv / ".done").touch()
    env = dict(os.environ, STRATA_BENCH_CHILD="1")
    sys.exit(subprocess.call([python, __file__, *sys.argv[1:]], env=env))


ensure_python()

import numpy as np  # noqa: E402
import onnx  # noqa: E402
import onnxruntime as ort  # noqa: E402

THREADS = 2


def default_models():
    models = [ROOT / "Assets" / "resnet_small.onnx"]
    mobilenet = ROOT / ".build" / "bench" / "mobilenetv2" / "mobilenetv2.onnx"
    if mobilenet.exists():
        models.append(mobilenet)
    else:
        print(f"note: {mobilenet} is missing; run Tools/make_mobilenetv2.py", file=sys.stderr)
    models.append(Path(onnx.__file__).parent / "backend" / "test" / "data" / "light" / "light_resnet50.onnx")
    return models


def feed_inputs(model):
    """The inputs a caller must give: graph inputs that are neither initializers nor node outputs."""
    produced = {o for n in model.graph.node for o in n.output}
    constant = {i.name for i in model.graph.initializer}
    rng = np.random.default_rng(0)
    feeds = {}
    for value in model.graph.input:
        if value.name in produced or value.name in constant:
            continue
        dims = [d.dim_value if d.dim_value > 0 else 1 for d in value.type.tensor_type.shape.dim]
        feeds[value.name] = rng.random(dims, dtype=np.float32)
    return feeds


def multiply_adds(model):
    """Multiply-adds of Conv, ConvTranspose, Gemm and MatMul, from ONNX shape inference."""
    inferred = onnx.shape_inference.infer_shapes(model, data_prop=True)
    shapes = {}
    for v in list(inferred.graph.value_info) + list(inferred.graph.input) + list(inferred.graph.output):
        shapes[v.name] = [d.dim_value if d.dim_value > 0 else 1 for d in v.type.tensor_type.shape.dim]
    for t in model.graph.initializer:
        shapes[t.name] = list(t.dims)
    total = 0
    for n in inferred.graph.node:
        try:
            if n.op_type == "Conv":
                w, y = shapes[n.input[1]], shapes[n.output[0]]
                total += int(np.prod(y)) * int(np.prod(w[1:]))
            elif n.op_type == "ConvTranspose":
                x, w = shapes[n.input[0]], shapes[n.input[1]]
                total += int(np.prod(x)) * int(np.prod(w[1:]))
            elif n.op_type in ("Gemm", "MatMul"):
                a, y = shapes[n.input[0]], shapes[n.output[0]]
                k = a[0] if any(at.name == "transA" and at.i for at in n.attribute) else a[-1]
                total += int(np.prod(y)) * k
        except KeyError:
            print(f"note: no shapes for {n.op_type} '{n.name}', not counted", file=sys.stderr)
    return total


def time_onnxruntime(path, feeds, runs):
    options = ort.SessionOptions()
    options.intra_op_num_threads = THREADS
    options.inter_op_num_threads = 1
    start = time.perf_counter()
    session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    load_ms = (time.perf_counter() - start) * 1000
    session.run(None, feeds)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        session.run(None, feeds)
        times.append((time.perf_counter() - start) * 1000)
    return {"load_ms": load_ms, "infer_ms": statistics.median(times), "infer_min_ms": min(times)}


def time_strata(binary, path, feeds, runs, folder):
    args = [str(binary), "bench", str(path), "--runs", str(runs), "--json"]
    for name, value in feeds.items():
        file = Path(folder) / f"input{len(args)}.npy"
        np.save(file, value)
        args += ["--input", f"{name}={file}" if len(feeds) > 1 else str(file)]
    result = subprocess.run(args, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"strata bench failed ({result.returncode}): {result.stderr.strip()}")
    return json.loads(result.stdout)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("models", nargs="*", type=Path)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--strata", type=Path, default=Path(os.environ.get("STRATA_BIN", ROOT / ".build" / "release" / "strata")))
    parser.add_argument("--repeat", type=int, default=1,
                        help="measure everything this many times (a shared machine is noisy), each with its load")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    if not args.strata.exists():
        sys.exit(f"bench_runtime: {args.strata} does not exist; build with `swift build -c release` or pass --strata")
    rows = []
    models = [(path, onnx.load(str(path))) for path in args.models or default_models()]
    macs = {path: multiply_adds(model) for path, model in models}
    with tempfile.TemporaryDirectory() as folder:
        for repeat in range(max(1, args.repeat)):
            load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
            for path, model in models:
                feeds = feed_inputs(model)
                reference = time_onnxruntime(path, feeds, args.runs)
                strata = time_strata(args.strata, path, feeds, args.runs, folder)
                rows.append({"model": path.stem, "repeat": repeat + 1, "load": load, "gmac": macs[path] / 1e9,
                             "onnxruntime": reference, "strata": strata})
    print(f"{'model':<16} {'load':>5} {'GMAC':>6} {'ort ms':>8} {'strata ms':>10} {'ratio':>6} {'record ms':>10} "
          f"{'rec +%':>7} {'GFLOP/s':>8} {'ort GFLOP/s':>11} {'rss MB':>7}")
    for r in rows:
        o, s = r["onnxruntime"], r["strata"]
        ratio = s["infer_ms"] / o["infer_ms"]
        overhead = (s["record_ms"] / s["infer_ms"] - 1) * 100
        r.update(ratio=ratio, record_overhead_pct=overhead, strata_gflops=2 * r["gmac"] / s["infer_ms"] * 1e3,
                 ort_gflops=2 * r["gmac"] / o["infer_ms"] * 1e3)
        print(f"{r['model']:<16} {r['load']:>5.2f} {r['gmac']:>6.2f} {o['infer_ms']:>8.2f} {s['infer_ms']:>10.2f} {ratio:>6.2f} "
              f"{s['record_ms']:>10.2f} {overhead:>7.1f} {r['strata_gflops']:>8.1f} {r['ort_gflops']:>11.1f} "
              f"{s.get('peak_rss_mb', 0):>7.0f}")
    if args.repeat > 1:
        print_summary(rows)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))


def print_summary(rows):
    """Per model over the repeats: the median ratio and recording overhead, and their ranges. Each repeat times
    both runtimes back to back, so its ratio is the side-by-side figure; the median is not moved by the few
    repeats where the machine changed speed between the two."""
    print(f"\n{'model':<16} {'repeats':>7} {'median ratio':>12} {'ratio range':>13} {'median rec +%':>13} {'rec +% range':>15}")
    for model in dict.fromkeys(r["model"] for r in rows):
        mine = [r for r in rows if r["model"] == model]
        ratios = [r["ratio"] for r in mine]
        overheads = [r["record_overhead_pct"] for r in mine]
        print(f"{model:<16} {len(mine):>7} {statistics.median(ratios):>12.2f} "
              f"{min(ratios):>6.2f}–{max(ratios):<6.2f} {statistics.median(overheads):>13.1f} "
              f"{min(overheads):>7.1f}–{max(overheads):<7.1f}")


if __name__ == "__main__":
    main()
