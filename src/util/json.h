/* json.h: a small streaming JSON writer.
 *
 * The check document nests objects keyed by node number ("pages_kib":
 * {"0": 0, "1": 65536}) inside arrays inside an object, which
 * libsmartcols's one-table-per-document JSON cannot express; this writer
 * covers exactly what the reports need, with correct escaping. */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define NP_JSON_DEPTH 16

typedef struct np_json {
        FILE *out;
        bool pretty;
        int depth;
        bool first[NP_JSON_DEPTH];
        bool after_key;
} np_json;

void np_json_init(np_json *j, FILE *out, bool pretty);
void np_json_object_begin(np_json *j);
void np_json_object_end(np_json *j);
void np_json_array_begin(np_json *j);
void np_json_array_end(np_json *j);
void np_json_key(np_json *j, const char *key);
void np_json_string(np_json *j, const char *s);    /* NULL writes null */
void np_json_u64(np_json *j, uint64_t v);
void np_json_i64(np_json *j, int64_t v);
void np_json_bool(np_json *j, bool v);
void np_json_null(np_json *j);
/* A value already rendered as JSON (one compact document, its trailing
 * newline removed), written as it is. */
void np_json_raw(np_json *j, const char *json);
/* Finish the document with a newline; returns 0 or -EIO when the stream
 * failed. */
int np_json_finish(np_json *j);

/* Shorthands for "key": value. */
void np_json_kv_string(np_json *j, const char *key, const char *s);
void np_json_kv_u64(np_json *j, const char *key, uint64_t v);
void np_json_kv_i64(np_json *j, const char *key, int64_t v);
void np_json_kv_bool(np_json *j, const char *key, bool v);
