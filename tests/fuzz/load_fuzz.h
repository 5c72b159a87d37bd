/*
 * load_fuzz: the one entry point of the fuzz target, shared by libFuzzer
 * (make fuzz) and the corpus replay driver (replay.c, make check).
 */
#ifndef TESTS_FUZZ_LOAD_FUZZ_H
#define TESTS_FUZZ_LOAD_FUZZ_H

#include <stddef.h>
#include <stdint.h>

/* Run analyze's pipeline on data[0..size-1] as a CSV file; aborts when
 * the split read and the serial read disagree. Returns 0. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
