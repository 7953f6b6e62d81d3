/* test_ini.c: the INI-style line reader. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "ini.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Every line of @text as "LINENO:TEXT|". */
static const char *lines_of(const char *text, char *out, size_t len)
{
        char buf[256], *cursor = buf, *line;
        unsigned lineno = 0;
        size_t used = 0;

        snprintf(buf, sizeof(buf), "%s", text);
        out[0] = '\0';
        while ((line = np_ini_next_line(&cursor, &lineno)))
                used += (size_t)snprintf(out + used, len - used, "%u:%s|", lineno, line);
        return out;
}

static void test_next_line(void **state)
{
        static const struct {
                const char *text, *want;
        } t[] = {
                { "", "1:|" },
                { "a\nb", "1:a|2:b|" },
                { "a\nb\n", "1:a|2:b|3:|" },
                { "  key = v  \r\n\t\n", "1:key = v|2:|3:|" },
                { "# comment\n  # indented comment\nx # not one", "1:|2:|3:x # not one|" },
                { "; kept\n[s]", "1:; kept|2:[s]|" },
                { "\v\fa\v", "1:a|" },
        };
        char out[256];

        (void)state;
        for (size_t i = 0; i < N(t); i++)
                assert_string_equal(lines_of(t[i].text, out, sizeof(out)), t[i].want);
}

static void test_split(void **state)
{
        static const struct {
                const char *line;
                bool ok;
                const char *key, *value;
        } t[] = {
                { "a = b", true, "a", "b" },
                { "a=b", true, "a", "b" },
                { "a \t=\t \"b c\"", true, "a", "\"b c\"" },
                { "a = b = c", true, "a", "b = c" },
                { "= b", true, "", "b" },
                { "a =", true, "a", "" },
                { "no equals sign", false, NULL, NULL },
        };

        (void)state;
        for (size_t i = 0; i < N(t); i++) {
                char buf[64], *key = NULL, *value = NULL;

                snprintf(buf, sizeof(buf), "%s", t[i].line);
                assert_int_equal(np_ini_split(buf, &key, &value), t[i].ok);
                if (!t[i].ok) {
                        assert_string_equal(buf, t[i].line);
                        continue;
                }
                assert_string_equal(key, t[i].key);
                assert_string_equal(value, t[i].value);
        }
}

static void test_section(void **state)
{
        static const struct {
                const char *line, *want;
        } t[] = {
                { "[numaplace]", "numaplace" },
                { "[object \"mem0\"]", "object \"mem0\"" },
                { "[ spaced ]", " spaced " },
                { "[]", "" },
                { "[open", NULL },
                { "[a] b", NULL },
                { "[a]]", NULL },
                { "a]", NULL },
        };

        (void)state;
        for (size_t i = 0; i < N(t); i++) {
                char buf[64], *name;

                snprintf(buf, sizeof(buf), "%s", t[i].line);
                name = np_ini_section(buf);
                if (!t[i].want) {
                        assert_null(name);
                        assert_string_equal(buf, t[i].line);
                } else {
                        assert_non_null(name);
                        assert_string_equal(name, t[i].want);
                }
        }
}

static void test_trim(void **state)
{
        char a[] = " \t x y \r\n", b[] = "   ", c[] = "z";

        (void)state;
        assert_string_equal(np_ini_trim(a), "x y");
        assert_string_equal(np_ini_trim(b), "");
        assert_string_equal(np_ini_trim(c), "z");
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_next_line),
                cmocka_unit_test(test_split),
                cmocka_unit_test(test_section),
                cmocka_unit_test(test_trim),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
