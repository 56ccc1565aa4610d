/* Swift has no prefetch instruction of its own: the kernels that stream weights from memory call this one. */
static inline void strata_prefetch(const void *address) { __builtin_prefetch(address, 0, 3); }
