#!/bin/sh
# The AVX2Kernels module is compiled for Haswell's instruction set and runs only where the CPU has it. A function
# it defines under another name than its own (a compiler helper, a generic specialisation of the standard
# library) may be merged by the linker with the same function compiled for plain x86-64, and then run on a CPU
# without AVX2. This checks that every such function uses no instruction beyond plain x86-64.
# Run: Tools/check_avx2_isolation.sh [BUILD_DIR]   (default .build/release)
set -eu
dir=${1:-.build/release}/AVX2Kernels.build
ls "$dir"/*.o >/dev/null 2>&1 || { echo "check_avx2_isolation: no object files in $dir (build first)" >&2; exit 2; }
status=0
for object in "$dir"/*.o; do
    for symbol in $(nm --defined-only "$object" | awk '$2 ~ /^[TtWw]$/ && $3 !~ /^\$s11AVX2Kernels/ { print $3 }'); do
        # VEX-encoded (AVX, FMA, F16C) and BMI/LZCNT/MOVBE/POPCNT instructions.
        beyond=$(objdump -d --no-show-raw-insn --disassemble="$symbol" "$object" \
            | awk -F'\t' 'NF >= 2 { split($2, m, " "); print m[1] }' \
            | grep -E '^(v[a-z0-9]+|andn|bextr|blsi|blsmsk|blsr|bzhi|pdep|pext|rorx|sarx|shlx|shrx|mulx|lzcnt|tzcnt|popcnt|movbe)$' \
            | sort -u | tr '\n' ' ')
        if [ -n "$beyond" ]; then
            echo "check_avx2_isolation: $symbol (in $(basename "$object")) uses $beyond" >&2
            status=1
        fi
    done
done
[ $status = 0 ] && echo "check_avx2_isolation: every function AVX2Kernels shares with other modules is plain x86-64"
exit $status
