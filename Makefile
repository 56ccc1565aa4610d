# Strata: `make run` sets up a fresh Debian 12 machine, builds and opens the viewer;
# `make test` does the same set-up and runs the whole test suite.

APT_PACKAGES := libglfw3-dev libgl-dev libegl-dev libpng-dev libhdf5-dev libopenblas-dev \
                libfreetype-dev fonts-dejavu-core xvfb xauth xdotool zenity pkg-config
SWIFT ?= $(shell command -v swift || echo /opt/swift/usr/bin/swift)
CONFIG ?= release
BUILD_DIR := .build
VENV := $(BUILD_DIR)/venv
PYTHON_PINS := Tools/requirements-test.txt
STRATA := $(BUILD_DIR)/$(CONFIG)/strata
XVFB := xvfb-run -a -s "-screen 0 1280x800x24"

.PHONY: all deps build run test venv clean

all: build

# Installs the system packages that are missing (apt-get needs root; sudo is used when present).
deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "Installing:$$missing"; \
		SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

build: deps
	$(SWIFT) build -c $(CONFIG)

run: build
	$(STRATA) $(ARGS)

# The test venv pins what tests compare against (the onnx 1.22.0 wheel carries the conformance data).
$(VENV)/.done: $(PYTHON_PINS)
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q --disable-pip-version-check -r $(PYTHON_PINS)
	touch $@

venv: $(VENV)/.done

test: deps venv
	$(SWIFT) build -c $(CONFIG) -Xswiftc -enable-testing
	Tools/check_avx2_isolation.sh $(BUILD_DIR)/$(CONFIG)
	STRATA_PYTHON=$(abspath $(VENV))/bin/python STRATA_BIN=$(abspath $(STRATA)) \
	STRATA_ONNX_DATA="$$($(VENV)/bin/python -c 'import onnx, os; print(os.path.dirname(onnx.__file__))')/backend/test/data" \
		$(XVFB) $(SWIFT) test -c $(CONFIG) -Xswiftc -enable-testing $(TEST_ARGS)
	# Again without the AVX2 kernels: the path CPUs without AVX2 take.
	STRATA_GEMM=blas STRATA_ONNX_DATA="$$($(VENV)/bin/python -c 'import onnx, os; print(os.path.dirname(onnx.__file__))')/backend/test/data" \
		$(SWIFT) test -c $(CONFIG) -Xswiftc -enable-testing --skip-build --filter 'ONNXConformanceTests|ConvTests|ConvFusionTests|FastPathTests|PadFusionTests'
	# And where the suite ran on the AVX-512 kernels, once more on the AVX2 ones.
	if grep -qw avx512f /proc/cpuinfo; then \
		STRATA_GEMM=avx2 STRATA_ONNX_DATA="$$($(VENV)/bin/python -c 'import onnx, os; print(os.path.dirname(onnx.__file__))')/backend/test/data" \
			$(SWIFT) test -c $(CONFIG) -Xswiftc -enable-testing --skip-build --filter 'ONNXConformanceTests|ConvTests|ConvFusionTests|FastPathTests|PadFusionTests'; \
	fi
	STRATA_BIN=$(abspath $(STRATA)) STRATA_PYTHON=$(abspath $(VENV))/bin/python $(XVFB) Tools/viewer_e2e.sh
	STRATA_BIN=$(abspath $(STRATA)) STRATA_PYTHON=$(abspath $(VENV))/bin/python $(XVFB) Tools/viewer_e2e_pad.sh

clean:
	rm -rf $(BUILD_DIR)
