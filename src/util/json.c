/* json.c: streaming JSON writer. */
#include "json.h"
#include "utf8.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>

void np_json_init(np_json *j, FILE *out, bool pretty)
{
        j->out = out;
        j->pretty = pretty;
        j->depth = 0;
        j->first[0] = true;
        j->after_key = false;
}

static void indent(np_json *j)
{
        if (!j->pretty)
                return;
        fputc('\n', j->out);
        for (int i = 0; i < j->depth; i++)
                fputs("  ", j->out);
}

/* Separator and indentation before a value or key. */
static void before_item(np_json *j)
{
        if (j->after_key) {
                j->after_key = false;
                return;
        }
        if (j->depth > 0) {
                if (!j->first[j->depth])
                        fputc(',', j->out);
                indent(j);
        }
        j->first[j->depth] = false;
}

static void open_scope(np_json *j, char c)
{
        before_item(j);
        fputc(c, j->out);
        if (j->depth + 1 < NP_JSON_DEPTH)
                j->depth++;
        j->first[j->depth] = true;
}

static void close_scope(np_json *j, char c)
{
        bool empty = j->first[j->depth];

        if (j->depth > 0)
                j->depth--;
        if (!empty)
                indent(j);
        fputc(c, j->out);
}

void np_json_object_begin(np_json *j) { open_scope(j, '{'); }
void np_json_object_end(np_json *j) { close_scope(j, '}'); }
void np_json_array_begin(np_json *j) { open_scope(j, '['); }
void np_json_array_end(np_json *j) { close_scope(j, ']'); }

/* The one escaping policy of every writer (np_utf8_write): bytes that
 * are not UTF-8 become U+FFFD, so the document always parses. */
static void write_escaped(FILE *out, const char *s)
{
        fputc('"', out);
        for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
                size_t n = np_utf8_char_len((const char *)p);

                if (n == 0) {
                        fputs("\xef\xbf\xbd", out);
                        continue;
                }
                if (n > 1) {
                        fwrite(p, 1, n, out);
                        p += n - 1;
                        continue;
                }
                switch (*p) {
                case '"': fputs("\\\"", out); break;
                case '\\': fputs("\\\\", out); break;
                case '\n': fputs("\\n", out); break;
                case '\t': fputs("\\t", out); break;
                case '\r': fputs("\\r", out); break;
                default:
                        if (*p < 0x20)
                                fprintf(out, "\\u%04x", *p);
                        else
                                fputc(*p, out);
                }
        }
        fputc('"', out);
}

void np_json_key(np_json *j, const char *key)
{
        before_item(j);
        write_escaped(j->out, key);
        fputs(j->pretty ? ": " : ":", j->out);
        j->after_key = true;
}

void np_json_string(np_json *j, const char *s)
{
        before_item(j);
        if (s)
                write_escaped(j->out, s);
        else
                fputs("null", j->out);
}

void np_json_u64(np_json *j, uint64_t v)
{
        before_item(j);
        fprintf(j->out, "%" PRIu64, v);
}

void np_json_i64(np_json *j, int64_t v)
{
        before_item(j);
        fprintf(j->out, "%" PRId64, v);
}

void np_json_bool(np_json *j, bool v)
{
        before_item(j);
        fputs(v ? "true" : "false", j->out);
}

void np_json_null(np_json *j)
{
        before_item(j);
        fputs("null", j->out);
}

void np_json_raw(np_json *j, const char *json)
{
        size_t n = strlen(json);

        before_item(j);
        while (n && json[n - 1] == '\n')
                n--;
        fwrite(json, 1, n, j->out);
}

int np_json_finish(np_json *j)
{
        fputc('\n', j->out);
        return ferror(j->out) ? -EIO : 0;
}

void np_json_kv_string(np_json *j, const char *key, const char *s)
{
        np_json_key(j, key);
        np_json_string(j, s);
}

void np_json_kv_u64(np_json *j, const char *key, uint64_t v)
{
        np_json_key(j, key);
        np_json_u64(j, v);
}

void np_json_kv_i64(np_json *j, const char *key, int64_t v)
{
        np_json_key(j, key);
        np_json_i64(j, v);
}

void np_json_kv_bool(np_json *j, const char *key, bool v)
{
        np_json_key(j, key);
        np_json_bool(j, v);
}
