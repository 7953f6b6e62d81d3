/* test_enum.c: names of enumerations (enum.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <errno.h>

#include "enum.h"

typedef enum colour {
        COLOUR_RED,
        COLOUR_GAP,     /* deliberately unnamed */
        COLOUR_BLUE,
        COLOUR__COUNT,
} colour;

static const char *const colour_names[COLOUR__COUNT] = {
        [COLOUR_RED] = "red",
        [COLOUR_BLUE] = "blue",
};

const char *colour_to_string(colour c);
int colour_from_string(const char *s, colour *ret);

NP_ENUM_TO_STRING(colour_to_string, colour, colour_names, "?")
NP_ENUM_FROM_STRING(colour_from_string, colour, colour_names)

static void test_to_string(void **state)
{
        (void)state;
        assert_string_equal(colour_to_string(COLOUR_RED), "red");
        assert_string_equal(colour_to_string(COLOUR_BLUE), "blue");
        assert_string_equal(colour_to_string(COLOUR_GAP), "?");
        assert_string_equal(colour_to_string(COLOUR__COUNT), "?");
        assert_string_equal(colour_to_string((colour)-1), "?");
}

static void test_from_string(void **state)
{
        colour c = COLOUR_GAP;

        (void)state;
        assert_int_equal(colour_from_string("blue", &c), 0);
        assert_int_equal(c, COLOUR_BLUE);
        assert_int_equal(colour_from_string("red", &c), 0);
        assert_int_equal(c, COLOUR_RED);
        c = COLOUR_GAP;
        assert_int_equal(colour_from_string("Blue", &c), -EINVAL);
        assert_int_equal(colour_from_string("", &c), -EINVAL);
        assert_int_equal(colour_from_string("?", &c), -EINVAL);
        assert_int_equal(colour_from_string(NULL, &c), -EINVAL);
        assert_int_equal(c, COLOUR_GAP);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_to_string),
                cmocka_unit_test(test_from_string),
        };
        return cmocka_run_group_tests_name("enum", tests, NULL, NULL);
}
