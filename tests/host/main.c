/*
 * tests/host/main.c - entry point of the host unit tests.
 *
 * The host tests are ordinary ktest suites (tests/ktest.h) compiled
 * natively with AddressSanitizer and UBSan, together with the kernel's pure
 * logic.  Usage: hosttests [all|SUITE,...]; prints KTAP, exits 1 on failure.
 */
#include <stdio.h>
#include "tests/ktest.h"

int main(int argc, char **argv)
{
    int passed = 0;
    int failed = ktest_run(argc > 1 ? argv[1] : "all", &passed);

    fflush(stdout);
    return failed ? 1 : 0;
}
