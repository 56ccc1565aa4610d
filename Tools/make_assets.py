#!/usr/bin/env python3
"""Builds Strata's bundled models and samples in Assets/ (run it through Tools/make_assets.sh).

Everything comes from data that ships inside scikit-learn, so nothing is downloaded:
- the handwritten digits (`load_digits`, 1797 images of 8x8, values 0..16) made MNIST-like
  (28x28, white ink on black, model input = uint8 / 255), on which a LeNet-style CNN, an MLP, a
  small ResNet-style and a small MobileNet-style network are trained;
- the two photos (`load_sample_images`: china.jpg, flower.jpg), the input of a MobileNet-style
  network with random weights whose BatchNorm statistics are calibrated on them.

Each model is saved as ONNX (tf2onnx, NCHW input), Keras 3 `.h5` and `.keras`. Alongside:
sample PNGs, label files, `samples/expected.json` (reference probabilities from Keras and
onnxruntime) and `library.json` (the index the viewer's model library reads).
Training is deterministic: fixed seeds, deterministic TensorFlow ops.
"""
import argparse
import json
import os
import shutil
import sys
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import onnxruntime as ort  # noqa: E402
import tensorflow as tf  # noqa: E402
import keras  # noqa: E402
import tf2onnx  # noqa: E402
from keras import layers  # noqa: E402
from PIL import Image  # noqa: E402
from sklearn.datasets import load_digits, load_sample_images  # noqa: E402
from sklearn.model_selection import train_test_split  # noqa: E402

SEED = 0
OPSET = 13
PHOTO_SIZE = 96
DIGIT_SHAPE = (28, 28, 1)
PHOTO_SHAPE = (PHOTO_SIZE, PHOTO_SIZE, 3)
# Faster than Keras' 0.99 so the moving statistics catch up within a few short epochs.
BN_MOMENTUM = 0.9


def require(condition, message):
    """A check that stays on under `python -O`."""
    if not condition:
        raise SystemExit(f"make_assets: {message}")


def seed_everything():
    tf.get_logger().setLevel("ERROR")
    keras.utils.set_random_seed(SEED)
    tf.config.experimental.enable_op_determinism()


# ---------------------------------------------------------------- data

def digit_to_28(image8x8):
    """8x8 (0..16) -> 28x28 uint8: bicubic to 20x20, centred in a black 28x28 frame, like MNIST.
    Same pixels as the reference fixture (integer scaling 0..16 -> 0..255, truncated)."""
    small = Image.fromarray((image8x8.astype(np.int32) * 255 // 16).astype(np.uint8), mode="L")
    canvas = Image.new("L", (28, 28), 0)
    canvas.paste(small.resize((20, 20), Image.BICUBIC), (4, 4))
    return np.asarray(canvas, dtype=np.uint8)


def load_digit_split():
    digits = load_digits()
    pixels = np.stack([digit_to_28(img) for img in digits.images])
    indices = np.arange(len(pixels))
    train_idx, test_idx = train_test_split(
        indices, test_size=0.25, stratify=digits.target, random_state=SEED)
    x = (pixels.astype(np.float32) / 255.0)[..., None]
    y = digits.target.astype(np.int64)
    return {"pixels": pixels, "x": x, "y": y, "train": train_idx, "test": test_idx}


def load_photos():
    """{stem: 96x96x3 uint8}: each photo centre-cropped to a square, then downscaled."""
    bunch = load_sample_images()
    photos = {}
    for path, image in zip(bunch.filenames, bunch.images):
        h, w, _ = image.shape
        side = min(h, w)
        top, left = (h - side) // 2, (w - side) // 2
        square = Image.fromarray(image[top:top + side, left:left + side])
        photos[Path(path).stem] = np.asarray(square.resize((PHOTO_SIZE, PHOTO_SIZE), Image.LANCZOS))
    return photos


# ---------------------------------------------------------------- architectures

def build_digits_cnn():
    return keras.Sequential([
        keras.Input(DIGIT_SHAPE, name="image"),
        layers.Conv2D(6, 5, padding="same", activation="relu", name="conv1"),
        layers.MaxPooling2D(2, name="pool1"),
        layers.Conv2D(16, 5, activation="relu", name="conv2"),
        layers.MaxPooling2D(2, name="pool2"),
        layers.Flatten(name="flatten"),
        layers.Dense(64, activation="relu", name="fc1"),
        layers.Dropout(0.25, name="dropout"),
        layers.Dense(10, activation="softmax", name="probs"),
    ], name="digits_cnn")


def build_digits_mlp():
    return keras.Sequential([
        keras.Input(DIGIT_SHAPE, name="image"),
        layers.Flatten(name="flatten"),
        layers.Dense(128, activation="relu", name="fc1"),
        layers.Dropout(0.25, name="dropout"),
        layers.Dense(64, activation="relu", name="fc2"),
        layers.Dense(10, activation="softmax", name="probs"),
    ], name="digits_mlp")


def conv_bn(x, filters, kernel, stride, name, activation="relu"):
    x = layers.Conv2D(filters, kernel, strides=stride, padding="same", use_bias=False,
                      name=f"{name}_conv")(x)
    x = layers.BatchNormalization(momentum=BN_MOMENTUM, name=f"{name}_bn")(x)
    if activation == "relu":
        x = layers.ReLU(name=f"{name}_relu")(x)
    elif activation == "relu6":
        x = layers.ReLU(6.0, name=f"{name}_relu6")(x)
    return x


def residual_block(x, filters, stride, name):
    shortcut = x
    y = conv_bn(x, filters, 3, stride, f"{name}_a")
    y = conv_bn(y, filters, 3, 1, f"{name}_b", activation=None)
    if stride != 1 or x.shape[-1] != filters:
        shortcut = conv_bn(x, filters, 1, stride, f"{name}_proj", activation=None)
    y = layers.Add(name=f"{name}_add")([y, shortcut])
    return layers.ReLU(name=f"{name}_out")(y)


def build_resnet_small():
    """CIFAR-style ResNet: stem, three residual blocks (16, 32/2, 64/2), GlobalAveragePooling."""
    inputs = keras.Input(DIGIT_SHAPE, name="image")
    x = conv_bn(inputs, 16, 3, 1, "stem")
    x = residual_block(x, 16, 1, "block1")
    x = residual_block(x, 32, 2, "block2")
    x = residual_block(x, 64, 2, "block3")
    x = layers.GlobalAveragePooling2D(name="gap")(x)
    outputs = layers.Dense(10, activation="softmax", name="probs")(x)
    return keras.Model(inputs, outputs, name="resnet_small")


def depthwise_separable(x, filters, stride, name):
    x = layers.DepthwiseConv2D(3, strides=stride, padding="same", use_bias=False,
                               name=f"{name}_dw")(x)
    x = layers.BatchNormalization(momentum=BN_MOMENTUM, name=f"{name}_dw_bn")(x)
    x = layers.ReLU(6.0, name=f"{name}_dw_relu6")(x)
    return conv_bn(x, filters, 1, 1, f"{name}_pw", activation="relu6")


def inverted_residual(x, expand, name):
    """MobileNetV2 block: 1x1 expand, 3x3 depthwise, linear 1x1 projection, Add."""
    channels = x.shape[-1]
    y = conv_bn(x, channels * expand, 1, 1, f"{name}_expand", activation="relu6")
    y = layers.DepthwiseConv2D(3, padding="same", use_bias=False, name=f"{name}_dw")(y)
    y = layers.BatchNormalization(momentum=BN_MOMENTUM, name=f"{name}_dw_bn")(y)
    y = layers.ReLU(6.0, name=f"{name}_dw_relu6")(y)
    y = conv_bn(y, channels, 1, 1, f"{name}_project", activation=None)
    return layers.Add(name=f"{name}_add")([x, y])


def build_mobilenet(name, input_shape, widths):
    """Stem conv /2, depthwise-separable blocks (the second one /2), one inverted residual."""
    inputs = keras.Input(input_shape, name="image")
    x = conv_bn(inputs, widths[0], 3, 2, "stem", activation="relu6")
    x = depthwise_separable(x, widths[1], 1, "sep1")
    x = depthwise_separable(x, widths[2], 2, "sep2")
    for i in range(len(widths) - 3):
        x = depthwise_separable(x, widths[3 + i], 2, f"sep{3 + i}")
    x = inverted_residual(x, 2, "inv1")
    x = layers.GlobalAveragePooling2D(name="gap")(x)
    x = layers.Dropout(0.2, name="dropout")(x)
    outputs = layers.Dense(10, activation="softmax", name="probs")(x)
    return keras.Model(inputs, outputs, name=name)


def build_mobilenet_small():
    return build_mobilenet("mobilenet_small", DIGIT_SHAPE, [16, 32, 64])


def build_mobilenet_photo():
    return build_mobilenet("mobilenet_photo", PHOTO_SHAPE, [16, 32, 64, 96, 128])


# ---------------------------------------------------------------- training and calibration

def train(model, data, epochs):
    model.compile(optimizer=keras.optimizers.Adam(1e-3),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    x, y = data["x"], data["y"]
    tr, te = data["train"], data["test"]
    model.fit(x[tr], y[tr], epochs=epochs, batch_size=32, shuffle=True, verbose=2)
    _, accuracy = model.evaluate(x[te], y[te], verbose=0)
    return float(accuracy)


def randomize_and_calibrate(model, images):
    """Random BN scale/shift (so an importer that swaps gamma/beta/mean/variance is caught), and
    moving statistics measured on `images`, layer by layer, so activations stay in a sane range."""
    rng = np.random.default_rng(SEED)
    for layer in model.layers:
        if not isinstance(layer, layers.BatchNormalization):
            continue
        probe = keras.Model(model.inputs, layer.input)
        features = probe.predict(images, verbose=0)
        channels = features.shape[-1]
        gamma = rng.uniform(0.5, 1.5, channels).astype(np.float32)
        beta = rng.uniform(-0.2, 0.2, channels).astype(np.float32)
        mean = features.mean(axis=(0, 1, 2)).astype(np.float32)
        variance = features.var(axis=(0, 1, 2)).astype(np.float32)
        layer.set_weights([gamma, beta, mean, variance])


# ---------------------------------------------------------------- export

def export_onnx(model, path):
    spec = [tf.TensorSpec((None,) + tuple(model.input_shape[1:]), tf.float32, name="image")]

    @tf.function(input_signature=spec)
    def forward(image):
        return {"probs": model(image, training=False)}

    tf2onnx.convert.from_function(forward, input_signature=spec, opset=OPSET,
                                  inputs_as_nchw=["image"], output_path=str(path))


def save_all_forms(trained, builder, out_dir):
    """Saves an uncompiled copy (no optimizer state) as .onnx, .h5 and .keras; checks each
    reloads to the same outputs. Returns {format key: file name}."""
    model = builder()
    model.set_weights(trained.get_weights())
    name = model.name
    files = {"onnx": f"{name}.onnx", "h5": f"{name}.h5", "keras": f"{name}.keras"}
    model.save(out_dir / files["h5"])
    model.save(out_dir / files["keras"])
    export_onnx(model, out_dir / files["onnx"])
    probe = np.random.default_rng(SEED).random((2,) + tuple(model.input_shape[1:]), np.float32)
    reference = model.predict(probe, verbose=0)
    for key in ("h5", "keras"):
        reloaded = keras.models.load_model(out_dir / files[key], compile=False)
        diff = np.abs(reloaded.predict(probe, verbose=0) - reference).max()
        require(diff == 0.0, f"{files[key]} reloads with difference {diff}")
    onnx_out = run_onnx(out_dir / files["onnx"], probe)
    diff = np.abs(onnx_out - reference).max()
    require(diff < 1e-5, f"{files['onnx']} differs from Keras by {diff}")
    return model, files


def run_onnx(path, nhwc_batch):
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    return session.run(["probs"], {"image": nhwc_batch.transpose(0, 3, 1, 2).copy()})[0]


# ---------------------------------------------------------------- samples

def pick_sample_digits(data, models):
    """For each digit, the first test image that every trained model gets right with >= 0.9."""
    test = data["test"]
    x, y = data["x"][test], data["y"][test]
    probs = [m.predict(x, verbose=0) for m in models]
    chosen = {}
    for row, label in enumerate(y):
        if label in chosen:
            continue
        if all(p[row].argmax() == label and p[row][label] >= 0.9 for p in probs):
            chosen[int(label)] = int(test[row])
    missing = sorted(set(range(10)) - set(chosen))
    require(not missing, f"no confidently classified test sample for digits {missing}")
    return [chosen[d] for d in range(10)]


def write_png(array, path, mode):
    Image.fromarray(array, mode=mode).save(path, optimize=True)
    back = np.asarray(Image.open(path))
    require(back.dtype == np.uint8 and np.array_equal(back, array), f"{path} does not round-trip")


def write_samples(data, digit_indices, photos, assets):
    """Writes the PNGs; returns {relative path: (uint8 array, label or None)}."""
    samples_dir = assets / "samples"
    samples_dir.mkdir(parents=True, exist_ok=True)
    written = {}
    for digit, index in enumerate(digit_indices):
        rel = f"samples/digit_{digit}.png"
        write_png(data["pixels"][index], assets / rel, "L")
        written[rel] = (data["pixels"][index], digit)
    for stem, image in sorted(photos.items()):
        rel = f"samples/{stem}_{PHOTO_SIZE}.png"
        write_png(image, assets / rel, "RGB")
        written[rel] = (image, None)
    return written


def model_input(pixels):
    """The model input for an 8-bit PNG: value / 255, NHWC, batch 1."""
    x = pixels.astype(np.float32) / 255.0
    if x.ndim == 2:
        x = x[..., None]
    return x[None]


# ---------------------------------------------------------------- the catalogue

DIGITS_DATA = ("scikit-learn load_digits, made MNIST-like: 28x28 grey, white ink on black, "
               "input = pixel / 255")
MODELS = [
    dict(builder=build_digits_cnn, title="Digits CNN", epochs=12, data="digits",
         description="LeNet-style CNN (2 conv + max-pool, 2 dense) trained on handwritten digits"),
    dict(builder=build_digits_mlp, title="Digits MLP", epochs=15, data="digits",
         description="Multilayer perceptron (784-128-64-10) trained on handwritten digits"),
    dict(builder=build_resnet_small, title="ResNet (small)", epochs=8, data="digits",
         description="ResNet-style: residual blocks with BatchNorm, Add skips, global average pooling; "
                     "trained on digits"),
    dict(builder=build_mobilenet_small, title="MobileNet (small)", epochs=12, data="digits",
         description="MobileNet-style: depthwise-separable convs, ReLU6, an inverted residual; "
                     "trained on digits"),
    dict(builder=build_mobilenet_photo, title="MobileNet (photo, untrained)", epochs=0, data="photos",
         description="MobileNet-style on 96x96 RGB photos with random weights (BatchNorm calibrated "
                     "on the photos): for looking at feature maps, its outputs mean nothing"),
]
FORMATS = [("onnx", "ONNX", "NCHW"), ("h5", "Keras HDF5", "NHWC"), ("keras", "Keras archive", "NHWC")]


def library_entries(spec, files, sample_paths, params):
    model = spec["model"]
    height, width, channels = model.input_shape[1:]
    entries = []
    for key, format_name, layout in FORMATS:
        shape = [1, channels, height, width] if layout == "NCHW" else [1, height, width, channels]
        entries.append({
            "name": f"{spec['title']} ({format_name})",
            "model": model.name,
            "file": files[key],
            "format": format_name,
            "description": spec["description"],
            "input": {"name": "image", "shape": shape, "layout": layout},
            "samples": sample_paths,
            "labels": "labels/digits.txt" if spec["data"] == "digits" else None,
            "trained": spec["accuracy"] is not None,
            "accuracy": None if spec["accuracy"] is None else round(spec["accuracy"], 4),
            "params": params,
        })
    return entries


def expected_outputs(spec, files, samples, assets):
    rows = []
    for rel, (pixels, label) in samples.items():
        if (label is None) != (spec["data"] == "photos"):
            continue
        x = model_input(pixels)
        keras_probs = spec["model"].predict(x, verbose=0)[0]
        onnx_probs = run_onnx(assets / files["onnx"], x)[0]
        if label is not None:
            require(keras_probs.argmax() == label, f"{spec['model'].name} misclassifies {rel}")
        rows.append({"sample": rel, "label": label,
                     "keras": [float(f"{v:.8g}") for v in keras_probs],
                     "onnxruntime": [float(f"{v:.8g}") for v in onnx_probs]})
    return rows


def write_json(value, path):
    path.write_text(json.dumps(value, indent=1) + "\n")


def versions():
    import PIL
    import h5py
    import sklearn
    return {"tensorflow": tf.__version__, "keras": keras.__version__, "tf2onnx": tf2onnx.__version__,
            "onnxruntime": ort.__version__, "scikit-learn": sklearn.__version__,
            "numpy": np.__version__, "h5py": h5py.__version__, "pillow": PIL.__version__}


def readme(specs, assets, digit_indices):
    lines = [
        "# Bundled models and samples",
        "",
        "Generated by `Tools/make_assets.sh` (which runs `Tools/make_assets.py` in a venv pinned by",
        "`Tools/requirements-assets.txt`); do not edit by hand. Nothing is downloaded: all data ships",
        "inside scikit-learn. Training is deterministic (fixed seeds, deterministic TensorFlow ops):",
        "a rerun reproduces the same weights, samples, references and index byte for byte. Only the",
        "`.keras` archives (which carry the date they were saved) and the ONNX files (tf2onnx orders",
        "and numbers the names of its generated constants differently from run to run) change bytes.",
        "",
        "## Data",
        "",
        "- **Digits**: `sklearn.datasets.load_digits` (1797 handwritten digits, 8×8, values 0..16).",
        "  Each is scaled to 0..255 (`v * 255 // 16`), resized bicubic to 20×20 and centred in a black 28×28 frame",
        "  (MNIST-like: white ink on black). Model input = 8-bit grey pixel / 255, shape 28×28×1.",
        "  Split: `train_test_split(test_size=0.25, stratify=y, random_state=0)`: 1347 train,",
        "  450 held out; accuracies below are on the 450.",
        "- **Photos**: `sklearn.datasets.load_sample_images` (china.jpg, flower.jpg), centre-cropped",
        f"  square and resized (Lanczos) to {PHOTO_SIZE}×{PHOTO_SIZE} RGB. Input = pixel / 255.",
        "",
        "## Models",
        "",
        "| model | params | trained | held-out accuracy | files |",
        "|---|---|---|---|---|",
    ]
    for spec in specs:
        files = ", ".join(f"`{f}` ({(assets / f).stat().st_size / 1024:.0f} KB)"
                          for f in spec["files"].values())
        accuracy = "—" if spec["accuracy"] is None else f"{spec['accuracy'] * 100:.1f} %"
        trained = f"{spec['epochs']} epochs, Adam 1e-3, batch 32" if spec["epochs"] else "random weights"
        lines.append(f"| {spec['model'].name} | {spec['model'].count_params():,} | {trained} | "
                     f"{accuracy} | {files} |")
    lines += [
        "",
        "Every model is in three forms: ONNX (tf2onnx, opset 13, input `image` in **NCHW** with a",
        "symbolic batch dimension), Keras 3 `.h5` and Keras 3 `.keras` (input `image` in **NHWC**).",
        "They are saved uncompiled (no optimizer state). The Keras layer names are stable",
        "(`conv1`, `pool1`, …, `probs`).",
        "",
        "## Samples and references",
        "",
        "- `samples/digit_0.png` … `digit_9.png`: 28×28 8-bit grey test-split digits, each classified",
        "  correctly (probability ≥ 0.9) by every trained model; `load_digits` indices",
        f"  {digit_indices} for 0..9.",
        f"- `samples/china_{PHOTO_SIZE}.png`, `samples/flower_{PHOTO_SIZE}.png`: RGB, for `mobilenet_photo`.",
        "- `labels/digits.txt`: class names 0..9, one per line.",
        "- `samples/expected.json`: for each model and its samples, the output probabilities from",
        "  Keras and from onnxruntime (they agree to about 1e-7).",
        "- `library.json`: the index the viewer's model library reads (one entry per model file).",
        "",
        "Produced with " + ", ".join(f"{k} {v}" for k, v in versions().items()) + ".",
        "",
    ]
    return "\n".join(lines)


def build(assets):
    data = load_digit_split()
    photos = load_photos()
    photo_batch = np.stack([model_input(p)[0] for _, p in sorted(photos.items())])
    for spec in MODELS:
        keras.utils.set_random_seed(SEED)
        trainee = spec["builder"]()
        if spec["data"] == "digits":
            spec["accuracy"] = train(trainee, data, spec["epochs"])
        else:
            randomize_and_calibrate(trainee, photo_batch)
            spec["accuracy"] = None
        spec["model"], spec["files"] = save_all_forms(trainee, spec["builder"], assets)
        print(f"{trainee.name}: held-out accuracy {spec['accuracy']}", flush=True)

    digit_models = [s["model"] for s in MODELS if s["data"] == "digits"]
    digit_indices = pick_sample_digits(data, digit_models)
    samples = write_samples(data, digit_indices, photos, assets)
    (assets / "labels").mkdir(exist_ok=True)
    (assets / "labels" / "digits.txt").write_text("".join(f"{d}\n" for d in range(10)))

    library, expected = [], {}
    for spec in MODELS:
        rows = expected_outputs(spec, spec["files"], samples, assets)
        expected[spec["model"].name] = rows
        library += library_entries(spec, spec["files"], [r["sample"] for r in rows],
                                   spec["model"].count_params())
    write_json({"models": expected}, assets / "samples" / "expected.json")
    write_json(library, assets / "library.json")
    (assets / "README.md").write_text(readme(MODELS, assets, digit_indices))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent.parent / "Assets",
                        help="output folder, replaced as a whole (default: the repository's Assets/)")
    args = parser.parse_args()
    seed_everything()
    staging = args.out.with_name(args.out.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    build(staging)
    shutil.rmtree(args.out, ignore_errors=True)
    staging.rename(args.out)
    total = sum(f.stat().st_size for f in args.out.rglob("*") if f.is_file())
    print(f"wrote {args.out} ({total / 1e6:.2f} MB)")


if __name__ == "__main__":
    sys.exit(main())
