#!/usr/bin/env python3
"""Builds the Keras import test fixtures in Tests/KerasImportTests/Fixtures/.

Each small model covers part of the layer list of the Keras importer. It is saved three ways:
`<model>.h5` (Keras 3, legacy HDF5), `<model>.tfkeras2.h5` (tf.keras 2 via tf_keras, the dialect most
`.h5` files in the wild use) and `<model>.keras` (Keras 3 zip archive). Next to them: `input*.npy`
(one per model input, float32, batch 1, NHWC) and every layer's output in inference mode, under the
layer's name, in `keras3/` (for `.h5` and `.keras`) and `tfkeras2/` (for `.tfkeras2.h5`; the two
Keras versions differ, e.g. in `hard_sigmoid`). Layers of a nested model are named `outer/inner`,
the second call of a shared layer `layer_1` (the names Strata's importer gives them). `expected.json`
holds each layer's class and Keras parameter count. Also a few bad files for the error tests (`bad/`).

Run: python3 Tools/make_keras_fixtures.py  (creates .build/venv-keras with the pinned versions of
Tools/requirements-keras.txt on first use; STRATA_KERAS_PYTHON=/path/to/python skips that).
"""
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "Tests" / "KerasImportTests" / "Fixtures"
PINS = ROOT / "Tools" / "requirements-keras.txt"


def ensure_venv():
    """Re-executes this script inside a venv that has the pinned packages."""
    if os.environ.get("STRATA_KERAS_FIXTURES_CHILD"):
        return
    python = os.environ.get("STRATA_KERAS_PYTHON")
    if not python:
        venv = ROOT / ".build" / "venv-keras"
        python = str(venv / "bin" / "python")
        if not (venv / ".done").exists():
            subprocess.check_call([sys.executable, "-m", "venv", str(venv)])
            subprocess.check_call([python, "-m", "pip", "install", "-q", "-r", str(PINS)])
            (venv / ".done").touch()
    env = dict(os.environ, STRATA_KERAS_FIXTURES_CHILD="1", TF_CPP_MIN_LOG_LEVEL="3", PYTHONHASHSEED="0")
    sys.exit(subprocess.call([python, __file__, *sys.argv[1:]], env=env))


ensure_venv()

import json  # noqa: E402
import shutil  # noqa: E402
import zipfile  # noqa: E402
import zlib  # noqa: E402

import h5py  # noqa: E402
import numpy as np  # noqa: E402
import keras  # noqa: E402
import tf_keras  # noqa: E402

SEED = 0


# ---------------------------------------------------------------- models (built from either module)

def seq_cnn(K):
    L = K.layers
    return K.Sequential([
        L.InputLayer(input_shape=(12, 12, 3), name="image") if K is tf_keras else L.InputLayer(shape=(12, 12, 3), name="image"),
        L.Rescaling(0.5, offset=0.25, name="rescale"),
        L.Conv2D(4, 3, strides=2, padding="same", activation="relu", name="conv_s2"),
        L.BatchNormalization(name="bn"),
        L.DepthwiseConv2D(3, padding="same", depth_multiplier=2, name="dw"),
        L.ReLU(max_value=6.0, name="relu6"),
        L.SeparableConv2D(4, 3, padding="valid", activation="elu", name="sep"),
        L.Conv2DTranspose(3, 3, strides=2, padding="same", name="deconv"),
        L.Conv2DTranspose(2, 2, strides=2, padding="valid", activation="sigmoid", name="deconv_valid"),
        L.ZeroPadding2D(((0, 1), (2, 1)), name="zpad"),
        L.Cropping2D(((1, 2), (0, 1)), name="crop"),
        L.MaxPooling2D(3, strides=2, padding="same", name="maxpool"),
        L.UpSampling2D(2, name="up_nearest"),
        L.AveragePooling2D(3, strides=2, padding="same", name="avgpool"),
        L.UpSampling2D((2, 3), interpolation="bilinear", name="up_bilinear"),
        L.SpatialDropout2D(0.5, name="sdrop"),
        L.Conv2D(4, 3, dilation_rate=2, groups=2, activation="tanh", name="conv_group"),
        L.LayerNormalization(name="ln"),
        L.Permute((2, 1, 3), name="permute"),
        L.Flatten(name="flatten"),
        L.Dense(8, activation="tanh", name="fc"),
        L.Dropout(0.3, name="drop"),
        L.GaussianNoise(0.1, name="noise"),
        L.Reshape((2, 4), name="reshape"),
        L.Dense(5, activation="softmax", name="probs"),
    ], name="seq_cnn")


def encoder(K):
    L = K.layers
    x = K.Input(shape=(6,), name="enc_in")
    h = L.Dense(5, activation="relu", name="enc_fc")(x)
    h = L.BatchNormalization(name="enc_bn")(h)
    h = L.Dense(3, name="enc_out")(h)
    return K.Model(x, h, name="encoder")


def functional(K):
    L = K.layers
    a = K.Input(shape=(8, 8, 3), name="img")
    b = K.Input(shape=(6,), name="vec")
    x = L.Conv2D(4, 3, padding="same", activation="relu", name="conv_a")(a)
    y = L.Conv2D(4, 1, name="conv_b")(a)
    s = L.Add(name="add")([x, y])
    d = L.Subtract(name="sub")([x, y])
    m = L.Multiply(name="mul")([s, d])
    avg = L.Average(name="avg")([x, y, m])
    mx = L.Maximum(name="max")([x, y])
    mn = L.Minimum(name="min")([x, y])
    cat = L.Concatenate(axis=-1, name="cat")([avg, mx, mn])
    cat_h = L.Concatenate(axis=1, name="cat_h")([x, y])
    gap = L.GlobalAveragePooling2D(name="gap")(cat)
    gmp = L.GlobalMaxPooling2D(keepdims=True, name="gmp")(cat_h)
    gmp = L.Flatten(name="gmp_flat")(gmp)
    pooled = L.Concatenate(name="pooled")([gap, gmp])
    shared = L.Dense(6, activation="tanh", name="shared")
    p = shared(L.Dense(6, name="to6")(pooled))
    q = shared(b)
    enc = encoder(K)
    e = enc(q)
    pq = L.Add(name="pq")([p, q])
    head = K.Sequential([K.Input(shape=(3,)), L.Dense(3, activation="relu", name="head_fc")], name="head")
    out1 = L.Dense(3, activation="softmax", name="out_probs")(L.Concatenate(name="join")([pq, head(e)]))
    out2 = L.GlobalAveragePooling2D(keepdims=True, name="out_map")(s)
    return K.Model([a, b], [out1, out2], name="functional")


def lambda_model(K):
    L = K.layers
    x = K.Input(shape=(4,), name="x")
    h = L.Dense(3, activation="relu", name="before")(x)
    h = L.Lambda(lambda t: t * 2.0, output_shape=(3,), name="double")(h)
    h = L.Dense(2, name="after")(h)
    return K.Model(x, h, name="lambda_model")


def seq1d(K):
    L = K.layers
    x = K.Input(shape=(10, 3), name="signal")
    c = L.Conv1D(4, 3, strides=2, padding="same", activation="relu", name="c1")(x)
    k = L.Conv1D(4, 3, padding="causal", dilation_rate=2, name="causal")(x)
    mp = L.MaxPooling1D(2, name="mp")(k)
    ap = L.AveragePooling1D(3, strides=2, padding="same", name="ap")(k)
    ga = L.GlobalAveragePooling1D(name="ga")(c)
    gm = L.GlobalMaxPooling1D(name="gm")(mp)
    gk = L.GlobalAveragePooling1D(keepdims=True, name="gk")(ap)
    n = L.Normalization(axis=-1, mean=[0.5, -0.5, 0.25, 0.0], variance=[4.0, 1.0, 0.25, 2.0], name="norm")(ap)
    fl = L.Flatten(name="fl")(n)
    return K.Model(x, [L.Concatenate(name="cat")([ga, gm]), gk, fl], name="seq1d")


KERAS3_ONLY_ACTIVATIONS = {"hard_swish", "leaky_relu", "silu", "gelu"}


def activations(K):
    L = K.layers
    x = K.Input(shape=(3, 4, 2), name="x")
    names = ["relu", "relu6", "sigmoid", "tanh", "softmax", "elu", "selu", "gelu", "swish", "silu",
             "hard_sigmoid", "hard_swish", "leaky_relu", "softplus", "linear"]
    outs = []
    for act in names:
        if K is tf_keras and act in KERAS3_ONLY_ACTIVATIONS:
            continue
        outs.append(L.Activation(act, name="act_" + act)(x))
    outs.append(L.ReLU(max_value=2.0, negative_slope=0.1, threshold=0.5, name="relu_full")(x))
    outs.append(L.ReLU(negative_slope=0.2, name="relu_leaky")(x))
    outs.append(L.LeakyReLU(name="leaky_default")(x))
    outs.append(L.PReLU(name="prelu")(x))
    outs.append(L.PReLU(shared_axes=[1, 2], name="prelu_shared")(x))
    outs.append(L.ELU(alpha=0.5, name="elu_layer")(x))
    outs.append(L.Softmax(axis=1, name="softmax_h")(x))
    outs.append(L.BatchNormalization(axis=1, name="bn_h")(x))
    outs.append(L.Dense(2, activation="selu", name="dense_selu")(x))
    return K.Model(x, L.Concatenate(name="all")(outs), name="activations")


MODELS = {"seq_cnn": seq_cnn, "functional": functional, "lambda_model": lambda_model, "seq1d": seq1d,
          "activations": activations}


# ---------------------------------------------------------------- weights

def leaf_layers(model):
    """(path, layer) for every weight-carrying leaf layer, nested models flattened as outer/inner."""
    for layer in model.layers:
        if hasattr(layer, "layers") and layer.layers:
            for path, inner in leaf_layers(layer):
                yield f"{layer.name}/{path}", inner
        else:
            yield layer.name, layer


def randomize(model, rng):
    """Random weights, positive variances, so that every layer does something visible."""
    weights = {}
    for path, layer in leaf_layers(model):
        values = []
        for w in layer.get_weights():
            v = rng.normal(0, 0.5, size=w.shape).astype(np.float32)
            values.append(v)
        if "BatchNormalization" in type(layer).__name__ and values:
            values[-1] = rng.uniform(0.5, 2.0, size=values[-1].shape).astype(np.float32)
        if values:
            layer.set_weights(values)
        weights[path] = values
    return weights


def copy_weights(model, weights):
    for path, layer in leaf_layers(model):
        if weights.get(path):
            layer.set_weights(weights[path])


# ---------------------------------------------------------------- references

def call_outputs(layer, is_tf2):
    """The output tensors of each call of `layer` (one list per call)."""
    calls = []
    for k in range(len(layer._inbound_nodes)):
        out = layer.get_output_at(k) if is_tf2 else layer._inbound_nodes[k].output_tensors
        calls.append(out if isinstance(out, (list, tuple)) else [out])
    return calls


def symbolic_outputs(model, is_tf2, prefix=""):
    """(name, symbolic tensor) for every layer call of `model` and its nested models, in Keras terms."""
    named = []
    for layer in model.layers:
        if type(layer).__name__ == "InputLayer":
            continue
        for k, outs in enumerate(call_outputs(layer, is_tf2)):
            base = prefix + layer.name + ("" if k == 0 else f"_{k}")
            for i, t in enumerate(outs):
                named.append((base if i == 0 else f"{base}/output_{i}", t))
    return named


def nested_references(model, is_tf2, K, inputs):
    """References for the layers inside nested models, computed on the values that reach them."""
    refs = {}
    for layer in model.layers:
        if not (hasattr(layer, "layers") and layer.layers):
            continue
        node = layer._inbound_nodes[0]
        feed = node.input_tensors if not is_tf2 else layer.get_input_at(0)
        feed_model = K.Model(model.inputs, feed)
        fed = feed_model.predict(inputs, verbose=0)
        inner = symbolic_outputs(layer, is_tf2, prefix=layer.name + "/")
        inner_model = K.Model(layer.inputs, [t for _, t in inner])
        values = inner_model.predict(fed, verbose=0)
        values = values if isinstance(values, list) else [values]
        refs.update({name: v for (name, _), v in zip(inner, values)})
    return refs


def references(model, K, inputs):
    is_tf2 = K is tf_keras
    named = symbolic_outputs(model, is_tf2)
    probe = K.Model(model.inputs, [t for _, t in named])
    values = probe.predict(inputs, verbose=0)
    values = values if isinstance(values, list) else [values]
    refs = {n: v for (n, _), v in zip(named, values)}
    refs.update(nested_references(model, is_tf2, K, inputs))
    return refs


# ---------------------------------------------------------------- saving

def save_npys(folder, arrays):
    folder.mkdir(parents=True, exist_ok=True)
    for name, value in arrays.items():
        path = folder / (name.replace("/", "__") + ".npy")
        np.save(path, np.asarray(value, dtype=np.float32))


def deflate(path):
    """Keras stores archive entries uncompressed; deflating them keeps the fixtures small and covers inflating."""
    with zipfile.ZipFile(path) as z:
        entries = [(info, z.read(info.filename)) for info in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in entries:
            z.writestr(info.filename, data)


def make_inputs(model, rng):
    return [rng.uniform(-2, 2, size=(1,) + tuple(t.shape[1:])).astype(np.float32) for t in model.inputs]


def build_one(name):
    rng = np.random.default_rng(zlib.crc32(name.encode()))
    folder = OUT / name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    m3 = MODELS[name](keras)
    weights = randomize(m3, rng)
    m2 = MODELS[name](tf_keras)
    copy_weights(m2, weights)
    inputs = make_inputs(m3, rng)
    m3.save(folder / f"{name}.h5")
    m3.save(folder / f"{name}.keras")
    deflate(folder / f"{name}.keras")
    m2.save(folder / f"{name}.tfkeras2.h5", save_format="h5")
    for t, value in zip(m3.inputs, inputs):
        np.save(folder / f"input_{t.name.split(':')[0]}.npy", value)
    expected = {
        "params": {path: int(layer.count_params()) for path, layer in leaf_layers(m3)},
        "classes": {path: type(layer).__name__ for path, layer in leaf_layers(m3)},
        "inputs": [t.name.split(":")[0] for t in m3.inputs],
    }
    (folder / "expected.json").write_text(json.dumps(expected, indent=1, sort_keys=True) + "\n")
    save_npys(folder / "keras3", references(m3, keras, inputs))
    save_npys(folder / "tfkeras2", references(m2, tf_keras, inputs))
    return folder


def make_bad_files():
    """HDF5 files that are valid HDF5 but not usable Keras models, for the error tests."""
    bad = OUT / "bad"
    shutil.rmtree(bad, ignore_errors=True)
    bad.mkdir(parents=True)
    good = OUT / "lambda_model" / "lambda_model.h5"
    with h5py.File(bad / "not_keras.h5", "w") as f:
        f["data"] = np.arange(6, dtype=np.float32)
    for kind in ["bad_json", "missing_weight", "wrong_shape", "no_inputs"]:
        shutil.copy(good, bad / f"{kind}.h5")
    with h5py.File(bad / "bad_json.h5", "a") as f:
        f.attrs["model_config"] = b'{"class_name": "Functional", "config": {'
    with h5py.File(bad / "missing_weight.h5", "a") as f:
        del f["model_weights/after/after/kernel"]
    with h5py.File(bad / "no_inputs.h5", "a") as f:
        config = json.loads(f.attrs["model_config"])
        for layer in config["config"]["layers"]:
            if layer["name"] == "after":
                layer["inbound_nodes"] = [{"args": [], "kwargs": {}}]
        f.attrs["model_config"] = json.dumps(config).encode()
    with h5py.File(bad / "wrong_shape.h5", "a") as f:
        del f["model_weights/after/after/kernel"]
        f["model_weights/after/after/kernel"] = np.zeros((5, 2), dtype=np.float32)


def main():
    keras.utils.set_random_seed(SEED)
    tf_keras.utils.set_random_seed(SEED)
    names = sys.argv[1:] or list(MODELS)
    for name in names:
        build_one(name)
        print("wrote", OUT / name)
    make_bad_files()
    manifest = {n: sorted(p.name for p in (OUT / n).iterdir()) for n in MODELS if (OUT / n).exists()}
    (OUT / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")


if __name__ == "__main__":
    main()
