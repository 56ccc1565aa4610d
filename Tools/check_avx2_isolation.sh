#!/bin/sh
# The AVX2Kernels module is compiled for Haswell's instruction set and runs only where the CPU has it. Code it
# defines under another module's name (a generic specialisation of the standard library, say) could be merged by
# the linker with the same function compiled for plain x86-64, and then run on a CPU without AVX2. This checks
# that every function its object files define is its own.
# Run: Tools/check_avx2_isolation.sh [BUILD_DIR]   (default .build/release)
set -eu
dir=${1:-.build/release}/AVX2Kernels.build
ls "$dir"/*.o >/dev/null 2>&1 || { echo "check_avx2_isolation: no object files in $dir (build first)" >&2; exit 2; }
foreign=$(nm --defined-only "$dir"/*.o | awk '$2 ~ /^[TtWw]$/ && $3 !~ /^\$s11AVX2Kernels/ { print $3 }')
if [ -n "$foreign" ]; then
    echo "check_avx2_isolation: AVX2Kernels defines functions of other modules:" >&2
    echo "$foreign" >&2
    exit 1
fi
echo "check_avx2_isolation: every function in AVX2Kernels is its own"
