#!/bin/sh
# The AVX2Kernels and AVX512Kernels modules are compiled for Haswell's and Skylake-AVX512's instruction sets and
# run only where the CPU has them. A function such a module defines under another name than its own (a compiler
# helper, a generic specialisation of the standard library) may be merged by the linker with the same function
# compiled for plain x86-64, and then run on a CPU without those instructions. This checks that every such
# function uses no instruction beyond plain x86-64.
# Run: Tools/check_avx2_isolation.sh [BUILD_DIR]   (default .build/release)
set -eu
status=0
for module in AVX2Kernels AVX512Kernels; do
    dir=${1:-.build/release}/$module.build
    ls "$dir"/*.o >/dev/null 2>&1 || { echo "check_avx2_isolation: no object files in $dir (build first)" >&2; exit 2; }
    # Swift mangles the module's own symbols as `$s`, the length of its name, its name.
    own="\$s${#module}$module"
    for object in "$dir"/*.o; do
        for symbol in $(nm --defined-only "$object" | awk -v own="$own" '$2 ~ /^[TtWw]$/ && index($3, own) != 1 { print $3 }'); do
            # VEX- and EVEX-encoded (AVX, AVX-512, FMA, F16C) and BMI/LZCNT/MOVBE/POPCNT instructions.
            beyond=$(objdump -d --no-show-raw-insn --disassemble="$symbol" "$object" \
                | awk -F'\t' 'NF >= 2 { split($2, m, " "); print m[1] }' \
                | grep -E '^(v[a-z0-9]+|k[a-z0-9]+|andn|bextr|blsi|blsmsk|blsr|bzhi|pdep|pext|rorx|sarx|shlx|shrx|mulx|lzcnt|tzcnt|popcnt|movbe)$' \
                | sort -u | tr '\n' ' ')
            if [ -n "$beyond" ]; then
                echo "check_avx2_isolation: $symbol (in $(basename "$object")) uses $beyond" >&2
                status=1
            fi
        done
    done
done
[ $status = 0 ] && echo "check_avx2_isolation: every function the two kernel modules share with the others is plain x86-64"
exit $status
