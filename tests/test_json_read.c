/* test_json_read.c: the JSON reader, through a small printer that walks
 * a whole document with it: objects as {k=v;...}, arrays as [v;...],
 * scalars as their text, null as "null". */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "json_read.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void put(char *out, size_t len, const char *s)
{
        size_t used = strlen(out);

        snprintf(out + used, len - used, "%s", s);
}

static int walk(np_json_reader *jr, char *out, size_t len)
{
        int c = np_json_read_peek(jr), r;
        size_t count = 0;
        char *s;

        if (c == '{') {
                put(out, len, "{");
                r = np_json_read_object_begin(jr);
                while (r == 0 && (r = np_json_read_object_next(jr, &count, &s)) == 1) {
                        put(out, len, s);
                        put(out, len, "=");
                        free(s);
                        r = walk(jr, out, len);
                        put(out, len, ";");
                }
                put(out, len, "}");
                return r;
        }
        if (c == '[') {
                put(out, len, "[");
                r = np_json_read_array_begin(jr);
                while (r == 0 && (r = np_json_read_array_next(jr, &count)) == 1) {
                        r = walk(jr, out, len);
                        put(out, len, ";");
                }
                put(out, len, "]");
                return r;
        }
        r = np_json_read_scalar(jr, &s, NULL);
        if (r == NP_JSON_NULL) {
                put(out, len, "null");
                return 0;
        }
        if (r == 0) {
                put(out, len, s);
                free(s);
        }
        return r;
}

/* The printed document, or the error message. */
static const char *read_doc(const char *text, size_t len, bool single_quotes, char *out, size_t outlen)
{
        np_json_reader jr;
        np_error err = { { 0 } };
        int r;

        out[0] = '\0';
        np_json_reader_init(&jr, text, len, "t.json", &err);
        jr.single_quotes = single_quotes;
        r = walk(&jr, out, outlen);
        if (r == 0)
                r = np_json_read_end(&jr);
        if (r < 0)
                snprintf(out, outlen, "%s", err.msg);
        return out;
}

static const struct json_case {
        const char *name;
        const char *text;
        bool single_quotes;
        const char *want;
} cases[] = {
        { "object", "{\"a\": \"b\", \"c\": 1}", false, "{a=b;c=1;}" },
        { "blanks everywhere", " \t\r\n{ \"a\" : [ 1 , true , false , null ] }\n", false, "{a=[1;true;false;null;];}" },
        { "empty containers", "{\"a\":{},\"b\":[]}", false, "{a={};b=[];}" },
        { "duplicate names passed on in order", "{\"a\":\"1\",\"a\":\"2\"}", false, "{a=1;a=2;}" },
        { "escapes", "\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"", false, "\"\\/\b\f\n\r\t" },
        { "\\u BMP", "\"\\u00e9\\u20AC\"", false, "\xc3\xa9\xe2\x82\xac" },
        { "\\u surrogate pair", "\"\\ud83d\\ude00\"", false, "\xf0\x9f\x98\x80" },
        { "raw UTF-8", "\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"", false, "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80" },
        { "numbers as written", "[0,-0,12,-3.25,1e9,2E-3,4.5e+1]", false, "[0;-0;12;-3.25;1e9;2E-3;4.5e+1;]" },
        { "single quotes when allowed", "{'a':'it\\'s \"x\"'}", true, "{a=it's \"x\";}" },
        { "single quotes otherwise refused", "{'a':1}", false, "t.json: byte 1: expected a member name" },
        { "\\' with single quotes allowed", "\"\\'\"", true, "'" },
        { "\\' otherwise refused", "\"\\'\"", false, "t.json: byte 3: an unknown escape in a string" },

        { "lone high surrogate", "\"\\ud83d\"", false, "t.json: byte 7: a lone UTF-16 surrogate" },
        { "high surrogate, then no low", "\"\\ud83d\\u0041\"", false, "t.json: byte 13: a lone UTF-16 surrogate" },
        { "lone low surrogate", "\"\\ude00\"", false, "t.json: byte 7: a lone UTF-16 surrogate" },
        { "\\u0000", "\"a\\u0000\"", false, "t.json: byte 8: a NUL character inside a string" },
        { "short \\u", "\"\\u12\"", false, "t.json: byte 3: a \\u escape needs four hex digits" },
        { "bad hex in \\u", "\"\\u12g4\"", false, "t.json: byte 3: a \\u escape needs four hex digits" },
        { "invalid UTF-8: lone continuation", "\"a\x80\"", false, "t.json: byte 2: invalid UTF-8 in a string" },
        { "invalid UTF-8: overlong", "\"\xc0\xaf\"", false, "t.json: byte 1: invalid UTF-8 in a string" },
        { "invalid UTF-8: overlong 3 bytes", "\"\xe0\x80\xaf\"", false, "t.json: byte 1: invalid UTF-8 in a string" },
        { "invalid UTF-8: encoded surrogate", "\"\xed\xa0\x80\"", false, "t.json: byte 1: invalid UTF-8 in a string" },
        { "invalid UTF-8: above U+10FFFF", "\"\xf4\x90\x80\x80\"", false, "t.json: byte 1: invalid UTF-8 in a string" },
        { "invalid UTF-8: cut short", "\"\xe2\x82\"", false, "t.json: byte 1: invalid UTF-8 in a string" },
        { "control character", "\"a\tb\"", false, "t.json: byte 3: a control character inside a string" },
        { "open string", "{\"a\": \"b", false, "t.json: byte 8: a string is not closed" },
        { "backslash at the end", "\"a\\", false, "t.json: byte 3: a string is not closed" },
        { "unknown escape", "\"\\x\"", false, "t.json: byte 3: an unknown escape in a string" },

        { "leading zero", "[01]", false, "t.json: byte 2: expected ',' or ']'" },
        { "plus sign", "[+1]", false, "t.json: byte 1: expected a value" },
        { "minus alone", "[-]", false, "t.json: byte 2: expected a value" },
        { "no digits after the point", "[1.]", false, "t.json: byte 3: expected digits after '.'" },
        { "no digits in the exponent", "[1e+]", false, "t.json: byte 4: expected digits in the exponent" },
        { "hex is no JSON number", "[0x10]", false, "t.json: byte 2: expected ',' or ']'" },
        { "a bare word", "[tru]", false, "t.json: byte 1: expected a value" },

        { "trailing comma in an object", "{\"a\":1,}", false, "t.json: byte 7: expected a member name" },
        { "trailing comma in an array", "[1,]", false, "t.json: byte 3: expected a value" },
        { "missing colon", "{\"a\" 1}", false, "t.json: byte 5: expected ':'" },
        { "missing comma", "{\"a\":1 \"b\":2}", false, "t.json: byte 7: expected ',' or '}'" },
        { "unclosed array", "[1", false, "t.json: byte 2: expected ',' or ']'" },
        { "trailing garbage", "{} x", false, "t.json: byte 3: text after the JSON object" },
        { "a second document", "{}{}", false, "t.json: byte 2: text after the JSON object" },
        { "nothing at all", "", false, "t.json: byte 0: expected a value" },
};

static void test_documents(void **state)
{
        char out[512];

        (void)state;
        for (size_t i = 0; i < N(cases); i++) {
                const struct json_case *c = &cases[i];

                print_message("  %s\n", c->name);
                assert_string_equal(read_doc(c->text, strlen(c->text), c->single_quotes, out, sizeof(out)),
                                    c->want);
        }
}

/* A NUL byte is text like any other: inside a string it is a control
 * character, after the document it is trailing garbage. */
static void test_nul_bytes(void **state)
{
        char out[128];

        (void)state;
        assert_string_equal(read_doc("\"a\0b\"", 5, false, out, sizeof(out)),
                            "t.json: byte 3: a control character inside a string");
        assert_string_equal(read_doc("{}\0", 3, false, out, sizeof(out)),
                            "t.json: byte 2: text after the JSON object");
}

/* The text ends inside a UTF-8 sequence: the bytes after it in memory
 * (here the rest of a valid euro sign) are not read. */
static void test_utf8_cut_by_the_end(void **state)
{
        char out[128];

        (void)state;
        assert_string_equal(read_doc("\"\xe2\x82\xac\"", 3, false, out, sizeof(out)),
                            "t.json: byte 1: invalid UTF-8 in a string");
        assert_string_equal(read_doc("\"\xe2\x82\xac\"", 5, false, out, sizeof(out)), "\xe2\x82\xac");
}

/* Containers nest at most NP_JSON_DEPTH_MAX (64) deep. */
static void test_depth(void **state)
{
        char text[2 * 70 + 1], out[512];

        (void)state;
        memset(text, 0, sizeof(text));
        memset(text, '[', 64);
        memset(text + 64, ']', 64);
        assert_int_equal(read_doc(text, strlen(text), false, out, sizeof(out))[0], '[');
        memset(text, 0, sizeof(text));
        memset(text, '[', 65);
        memset(text + 65, ']', 65);
        assert_string_equal(read_doc(text, strlen(text), false, out, sizeof(out)),
                            "t.json: byte 64: nested too deeply");
}

/* Skipping checks what it skips. */
static void test_skip(void **state)
{
        static const struct {
                const char *text;
                int rc;
                size_t pos;
        } t[] = {
                { "{\"a\":[1,{\"b\":null}]} ,", 0, 20 },
                { "\"x\" ,", 0, 3 },
                { "[1,{\"b\" 2}]", -EINVAL, 8 },
                { "[\"\xff\"]", -EINVAL, 2 },
        };

        (void)state;
        for (size_t i = 0; i < N(t); i++) {
                np_json_reader jr;
                np_error err;

                np_json_reader_init(&jr, t[i].text, strlen(t[i].text), "t.json", &err);
                assert_int_equal(np_json_read_skip(&jr), t[i].rc);
                assert_int_equal(jr.pos, t[i].pos);
        }
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_documents),
                cmocka_unit_test(test_nul_bytes),
                cmocka_unit_test(test_utf8_cut_by_the_end),
                cmocka_unit_test(test_depth),
                cmocka_unit_test(test_skip),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
