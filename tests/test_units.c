/* test_units.c: sizes for people. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "units.h"

static void test_format_kib(void **state)
{
        static const struct {
                uint64_t kib;
                const char *want;
        } t[] = {
                { 0, "0 KiB" },
                { 36, "36 KiB" },
                { 1023, "1023 KiB" },
                { 1024, "1 MiB" },
                { 1536, "1.5 MiB" },
                { 1075, "1 MiB" },              /* 1.05 rounds to 1.0, shown without decimal */
                { 1126, "1.1 MiB" },
                { 524288, "512 MiB" },
                { 1048576, "1 GiB" },
                { 1572864, "1.5 GiB" },
                { 8589934592ull, "8 TiB" },
                { 1099511627776ull * 3, "3 PiB" },
                /* kib * 10 does not fit in 64 bits: no wrap */
                { 1099511627776ull * 2000 + 549755813888ull, "2000.5 PiB" },
                { UINT64_MAX, "16777216 PiB" },
        };

        (void)state;
        for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
                char buf[32];

                assert_string_equal(np_format_kib(t[i].kib, buf, sizeof(buf)), t[i].want);
        }
}

static void test_format_pagesize(void **state)
{
        char buf[16];

        (void)state;
        assert_string_equal(np_format_pagesize(4, buf, sizeof(buf)), "4K");
        assert_string_equal(np_format_pagesize(64, buf, sizeof(buf)), "64K");
        assert_string_equal(np_format_pagesize(2048, buf, sizeof(buf)), "2M");
        assert_string_equal(np_format_pagesize(32768, buf, sizeof(buf)), "32M");
        assert_string_equal(np_format_pagesize(1048576, buf, sizeof(buf)), "1G");
        assert_string_equal(np_format_pagesize(1536, buf, sizeof(buf)), "1536K");
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_format_kib),
                cmocka_unit_test(test_format_pagesize),
        };
        return cmocka_run_group_tests_name("units", tests, NULL, NULL);
}
