#ifndef PMCMS_FUZZ_DRIVER_H
#define PMCMS_FUZZ_DRIVER_H
#include <stddef.h>
#include <stdint.h>

/// libFuzzer's driver (compiler-rt, linked by `-sanitize=fuzzer`). SwiftPM gives an executable
/// its own `main` that runs the module's top-level code, so libFuzzer's `main` is not linked and
/// the top-level code starts the driver itself.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif
