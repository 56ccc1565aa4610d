#ifndef STRATA_STREAM_STORES_H
#define STRATA_STREAM_STORES_H

/* Copies that write around the caches (non-temporal stores), for values written once and not read again while a
 * run lasts: a store that misses the cache first reads the line it fills, which these skip, and they leave the
 * cache to the values the run reads next. Where the compiler has no such store, these are plain copies. */

/* Copies `count` floats from `src` to `dst` (not overlapping), the 16-byte aligned middle with non-temporal stores.
 * Call strata_stream_fence before another thread may read `dst`. */
static inline void strata_stream_copy(float *__restrict dst, const float *__restrict src, long count) {
    typedef float strata_float4 __attribute__((vector_size(16), aligned(16)));
    long i = 0;
    while (i < count && ((unsigned long)(dst + i) & 15) != 0) { dst[i] = src[i]; i++; }
    for (; i + 4 <= count; i += 4) {
        strata_float4 v;
        __builtin_memcpy(&v, src + i, 16);
        __builtin_nontemporal_store(v, (strata_float4 *)(dst + i));
    }
    for (; i < count; i++) dst[i] = src[i];
}

/* Orders the non-temporal stores before it ahead of every store after it. */
static inline void strata_stream_fence(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_sfence();
#else
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
#endif
}

#endif
