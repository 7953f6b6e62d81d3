/* test_bitmap.c: libvirt's nodeset grammar and set formatting. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "bitmap.h"
#include "error.h"

static const struct {
        const char *in;
        const char *out; /* formatted back */
} good[] = {
        { "0", "0" },
        { "1", "1" },
        { "0-3", "0-3" },
        { "0-3,^2", "0-1,3" },
        { "^2,0-3", "0-3" },            /* each item applies where it stands */
        { "0,^0,0", "0" },              /* as libvirt 9.0 reads them */
        { "0-3,^1,1", "0-3" },
        { "^1,0-2", "0-2" },
        { "1,0,^1", "0" },
        { "0,2,4-6", "0,2,4-6" },
        { " 1 , 3 ", "1,3" },
        { "0-1,1-2", "0-2" },
        { "63-65", "63-65" },           /* across a 64-bit word */
        { "1023", "1023" },
        { "0-7,^0,^1", "2-7" },
};

static void test_parse_good(void **state)
{
        (void)state;
        for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
                np_bitmap b;
                np_error err = { "" };
                char buf[128];

                assert_int_equal(np_bitmap_parse(good[i].in, NP_NODE_MAX, &b, &err), 0);
                np_bitmap_format(&b, buf, sizeof(buf));
                assert_string_equal(buf, good[i].out);
        }
}

static const struct {
        const char *in;
        int ret;
        const char *msg;
} bad[] = {
        { "", -EINVAL, "expected a number" },
        { "a", -EINVAL, "expected a number at 'a'" },
        { "1-", -EINVAL, "expected a number" },
        { "3-1", -EINVAL, "runs backwards" },
        { "1,,2", -EINVAL, "expected a number" },
        { "1;2", -EINVAL, "unexpected ';'" },
        { "^1", -EINVAL, "is empty" },
        { "0-1,^0,^1", -EINVAL, "is empty" },
        { "0-7,^0-1", -EINVAL, "unexpected '-'" }, /* '^' takes one number, as in libvirt */
        { "1024", -ERANGE, "out of range" },
        { "99999999999999999999", -ERANGE, "out of range" },
        { "0-x", -EINVAL, "expected a number at 'x'" },
        { "-1", -EINVAL, "expected a number" },
};

static void test_parse_bad(void **state)
{
        (void)state;
        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
                np_bitmap b;
                np_error err = { "" };

                assert_int_equal(np_bitmap_parse(bad[i].in, NP_NODE_MAX, &b, &err), bad[i].ret);
                if (!strstr(err.msg, bad[i].msg))
                        fail_msg("'%s': message '%s' lacks '%s'", bad[i].in, err.msg, bad[i].msg);
        }
}

static void test_parse_list_empty(void **state)
{
        np_bitmap b;

        (void)state;
        assert_int_equal(np_bitmap_parse_list("", NP_NODE_MAX, &b, NULL), 0);
        assert_true(np_bitmap_is_empty(&b));
        /* kernel list files end in a newline */
        assert_int_equal(np_bitmap_parse_list("0-1\n", NP_NODE_MAX, &b, NULL), 0);
        assert_int_equal(np_bitmap_count(&b), 2);
}

static void test_set_algebra(void **state)
{
        np_bitmap a, b;

        (void)state;
        assert_int_equal(np_bitmap_parse("1", 64, &a, NULL), 0);
        assert_int_equal(np_bitmap_parse("0-3", 64, &b, NULL), 0);
        assert_true(np_bitmap_is_subset(&a, &b));
        assert_false(np_bitmap_is_subset(&b, &a));
        assert_int_equal(np_bitmap_next(&b, 2), 2);
        assert_int_equal(np_bitmap_next(&a, 2), -1);
        np_bitmap_and(&b, &a);
        assert_true(np_bitmap_equal(&a, &b));
        np_bitmap_set(&a, 8191);
        assert_int_equal(np_bitmap_next(&a, 2), 8191);
        np_bitmap_set(&a, 8192); /* beyond the type: ignored */
        assert_int_equal(np_bitmap_count(&a), 2);
}

static void test_format_truncates(void **state)
{
        np_bitmap a;
        char buf[4];

        (void)state;
        assert_int_equal(np_bitmap_parse("0,2,4,6", 64, &a, NULL), 0);
        assert_int_equal(np_bitmap_format(&a, buf, sizeof(buf)), 7);
        assert_string_equal(buf, "0,2");
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_parse_good),
                cmocka_unit_test(test_parse_bad),
                cmocka_unit_test(test_parse_list_empty),
                cmocka_unit_test(test_set_algebra),
                cmocka_unit_test(test_format_truncates),
        };
        return cmocka_run_group_tests_name("bitmap", tests, NULL, NULL);
}
