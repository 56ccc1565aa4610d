#!/usr/bin/env bash
# Regenerates Sources/ONNXImport/Generated/onnx.pb.swift from the onnx.proto of the pinned onnx wheel.
#
# Needs: protoc (Debian: protobuf-compiler), python3 with venv, git, swift. Builds protoc-gen-swift from
# the pinned swift-protobuf tag in a temporary folder outside the repository (a few minutes), downloads
# the pinned onnx wheel with pip into a temporary venv, and runs protoc. Not run by CI.
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

# 1. The onnx.proto of the pinned wheel (proto2; the wheel ships it next to the Python package).
if [ ! -x "$WORK/venv/bin/python" ]; then
    python3 -m venv "$WORK/venv"
    "$WORK/venv/bin/pip" install -q --disable-pip-version-check --no-deps "onnx==$ONNX_VERSION"
fi
PROTO_DIR=$("$WORK/venv/bin/python" -c 'import onnx, os; print(os.path.dirname(onnx.__file__))')
mkdir -p "$WORK/proto"
cp "$PROTO_DIR/onnx.proto" "$WORK/proto/onnx.proto"

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
