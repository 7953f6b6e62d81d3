/* test_number.c: the checked number parsers and growing arrays. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "number.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void test_u64_len(void **state)
{
        static const struct {
                const char *s;
                size_t len;
                int rc;
                uint64_t want;
        } t[] = {
                { "0", 1, 0, 0 },
                { "42", 2, 0, 42 },
                { "42x", 2, 0, 42 },                    /* only @len characters count */
                { "18446744073709551615", 20, 0, UINT64_MAX },
                { "18446744073709551616", 20, -EINVAL, 0 }, /* overflow */
                { "99999999999999999999", 20, -EINVAL, 0 },
                { "", 0, -EINVAL, 0 },
                { "4 2", 3, -EINVAL, 0 },
                { "+5", 2, -EINVAL, 0 },
                { "-1", 2, -EINVAL, 0 },
                { " 5", 2, -EINVAL, 0 },
                { "0x10", 4, -EINVAL, 0 },
        };

        (void)state;
        for (size_t i = 0; i < N(t); i++) {
                uint64_t v = 777;

                assert_int_equal(np_parse_u64(t[i].s, t[i].len, &v), t[i].rc);
                assert_true(v == (t[i].rc ? 777 : t[i].want));
        }
}

static void test_u64_max(void **state)
{
        static const struct {
                const char *s;
                uint64_t max;
                int rc;
                uint64_t want;
        } t[] = {
                { "1023", 1023, 0, 1023 },
                { "1024", 1023, -EINVAL, 0 },
                { "2147483647", INT32_MAX, 0, INT32_MAX },
                { "2147483648", INT32_MAX, -EINVAL, 0 },
                { "007", 10, 0, 7 },
                { "", 10, -EINVAL, 0 },
                { "1e3", UINT64_MAX, -EINVAL, 0 },
                { "12\n", UINT64_MAX, -EINVAL, 0 },
        };

        (void)state;
        for (size_t i = 0; i < N(t); i++) {
                uint64_t v = 777;

                assert_int_equal(np_parse_u64_max(t[i].s, t[i].max, &v), t[i].rc);
                assert_true(v == (t[i].rc ? 777 : t[i].want));
        }
}

static void test_uint(void **state)
{
        unsigned v = 7;

        (void)state;
        assert_int_equal(np_parse_uint("4294967295", &v), 0);
        assert_true(v == 4294967295u);
        v = 7;
        assert_int_equal(np_parse_uint("4294967296", &v), -EINVAL);
        assert_int_equal(np_parse_uint("-1", &v), -EINVAL);
        assert_int_equal(np_parse_uint(" 1", &v), -EINVAL);
        assert_int_equal(v, 7);
}

static void test_dec_prefix(void **state)
{
        static const struct {
                const char *s;
                int rc;
                uint64_t want;
                size_t used;
        } t[] = {
                { "123 rest", 0, 123, 3 },
                { "0", 0, 0, 1 },
                { "9:", 0, 9, 1 },
                { " 9", -EINVAL, 0, 0 },
                { "", -EINVAL, 0, 0 },
                { "18446744073709551616", -EINVAL, 0, 0 },
        };

        (void)state;
        for (size_t i = 0; i < N(t); i++) {
                const char *p = t[i].s;
                uint64_t v = 777;

                assert_int_equal(np_parse_dec_prefix(&p, &v), t[i].rc);
                assert_true(v == (t[i].rc ? 777 : t[i].want));
                assert_int_equal((size_t)(p - t[i].s), t[i].used);
        }
}

static void test_hex(void **state)
{
        static const struct {
                const char *s;
                char stop;
                int rc;
                uint64_t want;
                size_t used;
        } t[] = {
                { "7f3a-", '-', 0, 0x7f3a, 4 },
                { "ffffffffffffffff ", ' ', 0, UINT64_MAX, 16 },
                { "1ffffffffffffffff ", ' ', -EINVAL, 0, 0 },    /* 17 digits */
                { "DEADbeef", ' ', 0, 0xdeadbeef, 8 },            /* the end of the string stops too */
                { "-", '-', -EINVAL, 0, 0 },
                { "12g4 ", ' ', -EINVAL, 0, 0 },
        };

        (void)state;
        for (size_t i = 0; i < N(t); i++) {
                const char *p = t[i].s;
                uint64_t v = 777;

                assert_int_equal(np_parse_hex(&p, t[i].stop, &v), t[i].rc);
                assert_true(v == (t[i].rc ? 777 : t[i].want));
                assert_int_equal((size_t)(p - t[i].s), t[i].used);
        }
}

static void test_pid(void **state)
{
        static const struct {
                const char *s;
                int rc;
                pid_t want;
        } t[] = {
                { "1234", 0, 1234 },
                { "1234\n", 0, 1234 },
                { "2147483647", 0, 2147483647 },
                { "2147483648", -EINVAL, 0 },
                { "0", -EINVAL, 0 },
                { "", -EINVAL, 0 },
                { "\n", -EINVAL, 0 },
                { "12\n\n", -EINVAL, 0 },
                { "-5", -EINVAL, 0 },
                { " 5", -EINVAL, 0 },
                { "5 ", -EINVAL, 0 },
                { "99999999999999999999", -EINVAL, 0 },
        };

        (void)state;
        for (size_t i = 0; i < N(t); i++) {
                pid_t v = 777;

                assert_int_equal(np_parse_pid(t[i].s, &v), t[i].rc);
                assert_int_equal(v, t[i].rc ? 777 : t[i].want);
        }
}

static void test_base0(void **state)
{
        static const struct {
                const char *s;
                uint64_t max;
                int rc;
                uint64_t want;
        } t[] = {
                { "33", 0xff, 0, 33 },
                { "0x21", 0xff, 0, 0x21 },
                { "0X1f", 0xff, 0, 0x1f },
                { "041", 0xff, 0, 33 },                 /* octal */
                { "0", 0xff, 0, 0 },
                { "0xff", 0xff, 0, 0xff },
                { "0x100", 0xff, -EINVAL, 0 },          /* above @max */
                { "256", 0xff, -EINVAL, 0 },
                { "08", 0xff, -EINVAL, 0 },             /* no octal digit */
                { "0x", 0xff, -EINVAL, 0 },
                { "0x1g", 0xff, -EINVAL, 0 },
                { "", 0xff, -EINVAL, 0 },
                { "-1", 0xff, -EINVAL, 0 },
                { "+1", 0xff, -EINVAL, 0 },
                { " 1", 0xff, -EINVAL, 0 },
                { "0xffffffffffffffff", UINT64_MAX, 0, UINT64_MAX },
                { "0x10000000000000000", UINT64_MAX, -EINVAL, 0 },
        };

        (void)state;
        for (size_t i = 0; i < N(t); i++) {
                uint64_t v = 777;

                assert_int_equal(np_parse_u64_base0(t[i].s, t[i].max, &v), t[i].rc);
                assert_true(v == (t[i].rc ? 777 : t[i].want));
        }
}

/* A size grammar's cases: the bytes (or -errno) each text gives. */
struct size_case {
        const char *s;
        int rc;
        uint64_t want;
};

static void check_sizes(int (*parse)(const char *, uint64_t *), const struct size_case *t, size_t n)
{
        for (size_t i = 0; i < n; i++) {
                uint64_t v = 777;

                print_message("  %s\n", t[i].s);
                assert_int_equal(parse(t[i].s, &v), t[i].rc);
                assert_true(v == (t[i].rc ? 777 : t[i].want));
        }
}

/* QEMU's qemu_strtosz(): binary suffixes, fractions only with one. */
static void test_qemu_size(void **state)
{
        static const struct size_case t[] = {
                { "0", 0, 0 },
                { "4096", 0, 4096 },
                { "1b", 0, 1 },
                { "1B", 0, 1 },
                { "1k", 0, 1024 },
                { "2M", 0, 2097152 },
                { "1g", 0, 1073741824 },
                { "1T", 0, 1099511627776 },
                { "1P", 0, 1125899906842624 },
                { "1E", 0, 1152921504606846976 },
                { "15E", 0, 17293822569102704640u },
                { "16E", -EINVAL, 0 },                  /* does not fit */
                { "1.5K", 0, 1536 },
                { "0.5M", 0, 524288 },
                { "1.0001K", 0, 1024 },                 /* truncated to whole bytes */
                { "1.5", -EINVAL, 0 },                  /* a fraction of a byte */
                { "1.5B", -EINVAL, 0 },
                { "1.K", -EINVAL, 0 },
                { "0x10", 0, 16 },
                { "0x10K", 0, 16384 },
                { "0X1f", 0, 31 },
                { "0x", -EINVAL, 0 },
                { "18446744073709551615", 0, UINT64_MAX },
                { "18446744073709551616", -EINVAL, 0 },
                { "1KB", -EINVAL, 0 },
                { "1Ki", -EINVAL, 0 },
                { "1Z", -EINVAL, 0 },
                { "", -EINVAL, 0 },
                { "K", -EINVAL, 0 },
                { "-1", -EINVAL, 0 },
                { " 1", -EINVAL, 0 },
                { "1 K", -EINVAL, 0 },
        };

        (void)state;
        check_sizes(np_parse_qemu_size, t, N(t));
}

/* libvirt's virScaleInteger() units. */
static void test_libvirt_unit(void **state)
{
        static const struct size_case t[] = {
                { "b", 0, 1 },
                { "bytes", 0, 1 },
                { "Byte", 0, 1 },
                { "k", 0, 1024 },
                { "KiB", 0, 1024 },
                { "kib", 0, 1024 },
                { "KB", 0, 1000 },
                { "kb", 0, 1000 },
                { "M", 0, 1048576 },
                { "MB", 0, 1000000 },
                { "GiB", 0, 1073741824 },
                { "TB", 0, 1000000000000 },
                { "PiB", 0, 1125899906842624 },
                { "EiB", 0, 1152921504606846976 },
                { "EB", 0, 1000000000000000000 },
                { "", -EINVAL, 0 },
                { "KiBs", -EINVAL, 0 },
                { "Ki", -EINVAL, 0 },
                { "ZiB", -EINVAL, 0 },
                { " KiB", -EINVAL, 0 },
        };

        (void)state;
        check_sizes(np_parse_libvirt_unit, t, N(t));
}

/* LXD's units.ParseByteSizeString(). */
static void test_lxd_size(void **state)
{
        static const struct size_case t[] = {
                { "0", 0, 0 },
                { "512", 0, 512 },
                { "512B", 0, 512 },
                { "4GiB", 0, 4294967296 },
                { "4 GiB", 0, 4294967296 },
                { "512MiB", 0, 536870912 },
                { "1kB", 0, 1000 },
                { "2GB", 0, 2000000000 },
                { "1EiB", 0, 1152921504606846976 },
                { "16EiB", -ERANGE, 0 },
                { "18446744073709551615", 0, UINT64_MAX },
                { "18446744073709551616", -ERANGE, 0 },
                { "50%", -ENODATA, 0 },
                { "4gib", -EINVAL, 0 },                 /* case matters */
                { "4KB", -EINVAL, 0 },
                { "4G", -EINVAL, 0 },
                { "1.5GiB", -EINVAL, 0 },
                { "GiB", -EINVAL, 0 },
                { "", -EINVAL, 0 },
                { "-1", -EINVAL, 0 },
                { " 1", -EINVAL, 0 },
                { "4GiB ", -EINVAL, 0 },
        };

        (void)state;
        check_sizes(np_parse_lxd_size, t, N(t));
}

static void test_array_reserve(void **state)
{
        uint32_t *a = NULL;
        size_t cap = 0;

        (void)state;
        assert_int_equal(np_array_reserve(&a, &cap, 1), 0);
        assert_int_equal(cap, 8);
        assert_non_null(a);
        for (uint32_t i = 0; i < 1000; i++) {
                assert_int_equal(np_array_reserve(&a, &cap, i + 1), 0);
                a[i] = i;
        }
        assert_int_equal(cap, 1024);
        for (uint32_t i = 0; i < 1000; i++)
                assert_int_equal(a[i], i);
        /* a request that cannot fit in size_t fails and leaves the array */
        assert_int_equal(np_array_reserve(&a, &cap, SIZE_MAX / 2), -ENOMEM);
        assert_int_equal(cap, 1024);
        assert_int_equal(a[999], 999);
        free(a);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_u64_len),
                cmocka_unit_test(test_u64_max),
                cmocka_unit_test(test_uint),
                cmocka_unit_test(test_dec_prefix),
                cmocka_unit_test(test_hex),
                cmocka_unit_test(test_pid),
                cmocka_unit_test(test_base0),
                cmocka_unit_test(test_qemu_size),
                cmocka_unit_test(test_libvirt_unit),
                cmocka_unit_test(test_lxd_size),
                cmocka_unit_test(test_array_reserve),
        };
        return cmocka_run_group_tests_name("number", tests, NULL, NULL);
}
