#ifndef PROPERTYWATCH_CPREFETCH_H
#define PROPERTYWATCH_CPREFETCH_H

/// A hint to start loading the cache line holding `address` into every cache level.
/// It never faults, blocks or changes anything a program can observe, so the pure core
/// may call it with any address (even one past the end of an array).
static inline __attribute__((always_inline)) void pw_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

/// The same for a line the caller is about to write.
static inline __attribute__((always_inline)) void pw_prefetch_write(const void *address) {
    __builtin_prefetch(address, 1, 3);
}

#endif
