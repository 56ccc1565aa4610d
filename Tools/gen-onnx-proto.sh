#!/usr/bin/env bash
# Regenerates Sources/ONNXImport/Generated/onnx.pb.swift from the onnx.proto of the pinned onnx wheel.
#
# Needs: protoc (Debian: protobuf-compiler), python3 with venv, git, swift. Builds protoc-gen-swift from
# the pinned swift-protobuf tag in a temporary folder outside the repository (a few minutes), downloads
# the pinned onnx wheel with pip (in a temporary venv), extracts its onnx.proto and runs protoc. Not run by CI.
#
#   Tools/gen-onnx-proto.sh            # uses a fresh temporary folder
#   WORK=/tmp/onnx-gen Tools/gen-onnx-proto.sh   # reuses a folder between runs
set -euo pipefail

ONNX_VERSION=1.22.0
SWIFT_PROTOBUF_VERSION=1.39.0
SWIFT_PROTOBUF_URL=${SWIFT_PROTOBUF_URL:-https://github.com/apple/swift-protobuf.git}

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT="$ROOT/Sources/ONNXImport/Generated"
WORK=${WORK:-$(mktemp -d)}
mkdir -p "$WORK" "$OUT"
command -v protoc >/dev/null || { echo "gen-onnx-proto: protoc not found (apt-get install protobuf-compiler)" >&2; exit 1; }

# 1. The onnx.proto of the pinned wheel (proto2), taken straight out of the downloaded wheel.
if ! ls "$WORK"/wheel/onnx-"$ONNX_VERSION"-*.whl >/dev/null 2>&1; then
    python3 -m venv "$WORK/venv"
    "$WORK/venv/bin/pip" download -q --disable-pip-version-check --no-deps -d "$WORK/wheel" "onnx==$ONNX_VERSION"
fi
mkdir -p "$WORK/proto"
python3 - "$WORK" "$ONNX_VERSION" <<'PY'
import glob, sys, zipfile
work, version = sys.argv[1], sys.argv[2]
wheel = sorted(glob.glob(f"{work}/wheel/onnx-{version}-*.whl"))[0]
with zipfile.ZipFile(wheel) as z, open(f"{work}/proto/onnx.proto", "wb") as out:
    out.write(z.read("onnx/onnx.proto"))
PY

# 2. protoc-gen-swift at the same version as the runtime library in Package.resolved.
if [ ! -d "$WORK/swift-protobuf" ]; then
    git clone -q "$SWIFT_PROTOBUF_URL" "$WORK/swift-protobuf"
fi
git -C "$WORK/swift-protobuf" checkout -q "$SWIFT_PROTOBUF_VERSION"
(cd "$WORK/swift-protobuf" && swift build -c release --product protoc-gen-swift)
PLUGIN="$WORK/swift-protobuf/.build/release/protoc-gen-swift"

# 3. Generate, public so tests and tools can read the raw messages.
protoc --plugin=protoc-gen-swift="$PLUGIN" --proto_path="$WORK/proto" \
    --swift_opt=Visibility=Public --swift_out="$OUT" "$WORK/proto/onnx.proto"
echo "wrote $OUT/onnx.pb.swift (onnx $ONNX_VERSION, swift-protobuf $SWIFT_PROTOBUF_VERSION)"
