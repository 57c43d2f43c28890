/* tests/core/test_mem.c — core/mem.h's checked size arithmetic and physical-memory query
 * (issue 9.1: a shape read from a file must never wrap size_t into a short allocation).
 * Expected values: exact integer arithmetic on powers of two and SIZE_MAX, and the
 * kernel's own page count (sysconf) for the memory size. */
#include <stdint.h>
#include <unistd.h>

#include "core/mem.h"
#include "test.h"

static void test_size_mul(void) {
    size_t r = 7;
    CHECK(gr_size_mul(0, SIZE_MAX, &r) == 0 && r == 0);
    CHECK(gr_size_mul(3, 5, &r) == 0 && r == 15);
    CHECK(gr_size_mul(SIZE_MAX, 1, &r) == 0 && r == SIZE_MAX);
    CHECK(gr_size_mul((size_t)1 << 32, (size_t)1 << 31, &r) == 0 && r == (size_t)1 << 63);
    /* the shape: (2^62 + 1) x 4 coordinates = 2^64 + 4, which wrapped to 4 (and to
     * 32 bytes); the check refuses it instead */
    size_t rows = ((size_t)1 << 62) + 1, coords = 0;
    CHECK(rows * 4 == 4); /* what the unchecked product gave */
    CHECK(gr_size_mul(rows, 4, &coords) == 1 && coords == SIZE_MAX);
    r = 0;
    CHECK(gr_size_mul((size_t)1 << 32, (size_t)1 << 32, &r) == 1 && r == SIZE_MAX);
    CHECK(gr_size_mul(SIZE_MAX, 2, &r) == 1 && r == SIZE_MAX);
    CHECK(gr_size_mul((size_t)1 << 61, 8, &r) == 1 && r == SIZE_MAX); /* wraps to 0 unchecked */
    CHECK(gr_size_mul(SIZE_MAX / 3, 3, &r) == 0 && r == SIZE_MAX / 3 * 3);
    CHECK(gr_size_mul(SIZE_MAX / 3 + 1, 3, &r) == 1);
}

static void test_size_add(void) {
    size_t r = 0;
    CHECK(gr_size_add(2, 3, &r) == 0 && r == 5);
    CHECK(gr_size_add(SIZE_MAX - 1, 1, &r) == 0 && r == SIZE_MAX);
    r = 0;
    CHECK(gr_size_add(SIZE_MAX, 1, &r) == 1 && r == SIZE_MAX);
    CHECK(gr_size_add(SIZE_MAX / 2 + 1, SIZE_MAX / 2 + 1, &r) == 1 && r == SIZE_MAX);
}

static void test_physical(void) {
    size_t phys = gr_mem_physical_bytes();
    long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
    CHECK(pages > 0 && page > 0); /* Linux reports both */
    if (pages > 0 && page > 0) CHECK(phys == (size_t)pages * (size_t)page);
    CHECK(phys >= ((size_t)64 << 20)); /* any machine that builds this has 64 MiB */
}

int main(void) {
    RUN(test_size_mul);
    RUN(test_size_add);
    RUN(test_physical);
    return TEST_MAIN_END();
}
