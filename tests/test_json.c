/* test_json.c: the JSON writer: nesting, separators and escaping. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

/* Run @write against a memory stream and compare what it produced. */
static void expect(void (*write)(np_json *j), bool pretty, const char *want)
{
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        np_json j;

        assert_non_null(f);
        np_json_init(&j, f, pretty);
        write(&j);
        assert_int_equal(np_json_finish(&j), 0);
        fclose(f);
        assert_string_equal(buf, want);
        free(buf);
}

static void doc(np_json *j)
{
        np_json_object_begin(j);
        np_json_kv_string(j, "id", "ram-node0");
        np_json_kv_u64(j, "size_kib", 18446744073709551615ull);
        np_json_kv_i64(j, "cell", -1);
        np_json_kv_bool(j, "shared", false);
        np_json_kv_string(j, "nodes", NULL);
        np_json_key(j, "pages_kib");
        np_json_object_begin(j);
        np_json_kv_u64(j, "0", 0);
        np_json_kv_u64(j, "1", 65536);
        np_json_object_end(j);
        np_json_key(j, "empty");
        np_json_array_begin(j);
        np_json_array_end(j);
        np_json_key(j, "list");
        np_json_array_begin(j);
        np_json_u64(j, 1);
        np_json_null(j);
        np_json_array_end(j);
        np_json_object_end(j);
}

static void test_compact(void **state)
{
        (void)state;
        expect(doc, false,
               "{\"id\":\"ram-node0\",\"size_kib\":18446744073709551615,\"cell\":-1,\"shared\":false,"
               "\"nodes\":null,\"pages_kib\":{\"0\":0,\"1\":65536},\"empty\":[],\"list\":[1,null]}\n");
}

static void test_pretty(void **state)
{
        (void)state;
        expect(doc, true,
               "{\n"
               "  \"id\": \"ram-node0\",\n"
               "  \"size_kib\": 18446744073709551615,\n"
               "  \"cell\": -1,\n"
               "  \"shared\": false,\n"
               "  \"nodes\": null,\n"
               "  \"pages_kib\": {\n"
               "    \"0\": 0,\n"
               "    \"1\": 65536\n"
               "  },\n"
               "  \"empty\": [],\n"
               "  \"list\": [\n"
               "    1,\n"
               "    null\n"
               "  ]\n"
               "}\n");
}

static void escaped(np_json *j)
{
        np_json_string(j, "a\"b\\c\nd\te\r\x01/\xc3\xa9");
}

static void test_escaping(void **state)
{
        (void)state;
        /* control characters escaped, UTF-8 passed through */
        expect(escaped, false, "\"a\\\"b\\\\c\\nd\\te\\r\\u0001/\xc3\xa9\"\n");
}

static void invalid_utf8(np_json *j)
{
        /* a hostname with 0xff 0xfe, a lone continuation byte, a cut
         * sequence and an overlong '/' */
        np_json_object_begin(j);
        np_json_kv_string(j, "host\xff", "a\xff\xfe" "b\x80" "c\xe2\x82" "d\xc0\xaf" "e\xe2\x82\xac");
        np_json_object_end(j);
}

/* JSON must be valid UTF-8: what is not becomes U+FFFD, one per byte,
 * as in the JUnit and Prometheus writers. */
static void test_invalid_utf8(void **state)
{
        (void)state;
        expect(invalid_utf8, false,
               "{\"host\xef\xbf\xbd\":\"a\xef\xbf\xbd\xef\xbf\xbd" "b\xef\xbf\xbd"
               "c\xef\xbf\xbd\xef\xbf\xbd" "d\xef\xbf\xbd\xef\xbf\xbd" "e\xe2\x82\xac\"}\n");
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_compact),
                cmocka_unit_test(test_pretty),
                cmocka_unit_test(test_escaping),
                cmocka_unit_test(test_invalid_utf8),
        };
        return cmocka_run_group_tests_name("json", tests, NULL, NULL);
}
