/* Swift has no prefetch instruction of its own: the kernels that stream weights from memory call this one. */
static inline void strata_prefetch(const void *address) { __builtin_prefetch(address, 0, 3); }
/* Nor a spin-wait hint: the worker threads' spin loops call this one, which leaves the core to a thread sharing it. */
static inline void strata_pause(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
}
