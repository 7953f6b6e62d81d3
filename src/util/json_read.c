/* json_read.c: the JSON reader (json_read.h). */
#include "json_read.h"
#include "array.h"
#include "error.h"
#include "number.h"
#include "utf8.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void np_json_reader_init(np_json_reader *jr, const char *text, size_t len,
                         const char *name, np_error *err)
{
        memset(jr, 0, sizeof(*jr));
        jr->text = text;
        jr->len = len;
        jr->name = name;
        jr->err = err;
}

int np_json_read_fail(np_json_reader *jr, const char *what)
{
        return np_err(jr->err, EINVAL, "%s: byte %zu: %s", jr->name, jr->pos, what);
}

int np_json_read_peek(np_json_reader *jr)
{
        while (jr->pos < jr->len && (jr->text[jr->pos] == ' ' || jr->text[jr->pos] == '\t' ||
                                     jr->text[jr->pos] == '\n' || jr->text[jr->pos] == '\r'))
                jr->pos++;
        return jr->pos < jr->len ? (unsigned char)jr->text[jr->pos] : -1;
}

static bool is_quote(const np_json_reader *jr, int c)
{
        return c == '"' || (c == '\'' && jr->single_quotes);
}

/* Four hex digits after "\u". */
static int hex4(np_json_reader *jr, unsigned *ret)
{
        char digits[5] = "";
        const char *p = digits;
        uint64_t v;

        if (jr->len - jr->pos >= 4)
                memcpy(digits, jr->text + jr->pos, 4);
        if (strlen(digits) != 4 || np_parse_hex(&p, '\0', &v) < 0)
                return np_json_read_fail(jr, "a \\u escape needs four hex digits");
        jr->pos += 4;
        *ret = (unsigned)v;
        return 0;
}

/* The code point of a \u escape (the "\u" read), surrogate pairs joined. */
static int unicode_escape(np_json_reader *jr, unsigned *ret)
{
        unsigned cp = 0, lo = 0;
        int r;

        if ((r = hex4(jr, &cp)) < 0)
                return r;
        if (cp >= 0xd800 && cp <= 0xdbff) {
                if (jr->len - jr->pos < 2 || jr->text[jr->pos] != '\\' || jr->text[jr->pos + 1] != 'u')
                        return np_json_read_fail(jr, "a lone UTF-16 surrogate");
                jr->pos += 2;
                if ((r = hex4(jr, &lo)) < 0)
                        return r;
                if (lo < 0xdc00 || lo > 0xdfff)
                        return np_json_read_fail(jr, "a lone UTF-16 surrogate");
                cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
        } else if (cp >= 0xdc00 && cp <= 0xdfff) {
                return np_json_read_fail(jr, "a lone UTF-16 surrogate");
        }
        if (cp == 0)
                return np_json_read_fail(jr, "a NUL character inside a string");
        *ret = cp;
        return 0;
}

/* One character of a string body (the cursor past the opening quote)
 * into @buf: its length in bytes, or < 0.  QEMU's lexer takes \' in
 * either kind of string. */
static int string_char(np_json_reader *jr, char buf[4])
{
        const unsigned char *s = (const unsigned char *)jr->text + jr->pos;
        unsigned char c = s[0];
        unsigned cp = 0;
        size_t n;
        int r;

        if (c >= 0x80) {
                n = np_utf8_char_len_n((const char *)s, jr->len - jr->pos);
                if (!n)
                        return np_json_read_fail(jr, "invalid UTF-8 in a string");
                memcpy(buf, s, n);
                jr->pos += n;
                return (int)n;
        }
        jr->pos++;
        if (c < 0x20)
                return np_json_read_fail(jr, "a control character inside a string");
        if (c != '\\') {
                buf[0] = (char)c;
                return 1;
        }
        c = jr->pos < jr->len ? (unsigned char)jr->text[jr->pos] : 0;
        jr->pos++;
        switch (c) {
        case '"': case '\\': case '/': buf[0] = (char)c; return 1;
        case 'b': buf[0] = '\b'; return 1;
        case 'f': buf[0] = '\f'; return 1;
        case 'n': buf[0] = '\n'; return 1;
        case 'r': buf[0] = '\r'; return 1;
        case 't': buf[0] = '\t'; return 1;
        case 'u':
                if ((r = unicode_escape(jr, &cp)) < 0)
                        return r;
                return (int)np_utf8_encode(cp, buf);
        default:
                if (c == '\'' && jr->single_quotes)
                        break;
                if (!c)
                        jr->pos = jr->len;
                return np_json_read_fail(jr, c ? "an unknown escape in a string" : "a string is not closed");
        }
        buf[0] = (char)c;
        return 1;
}

int np_json_read_string(np_json_reader *jr, char **ret, size_t *ret_len)
{
        int quote = np_json_read_peek(jr);
        char *out = NULL;
        size_t o = 0, cap = 0;

        if (!is_quote(jr, quote))
                return np_json_read_fail(jr, "expected a string");
        jr->pos++;
        /* room for a name or a short value at once; longer ones grow as
         * they are decoded (sizing by the rest of the document would
         * allocate that much for every string) */
        if (ret && np_array_reserve(&out, &cap, 64) < 0)
                return np_err(jr->err, ENOMEM, "out of memory");
        for (;;) {
                char buf[4];
                int n;

                if (jr->pos >= jr->len) {
                        free(out);
                        return np_json_read_fail(jr, "a string is not closed");
                }
                if (jr->text[jr->pos] == quote) {
                        jr->pos++;
                        break;
                }
                n = string_char(jr, buf);
                if (n < 0) {
                        free(out);
                        return n;
                }
                if (ret) {
                        if (o + (size_t)n + 1 > cap && np_array_reserve(&out, &cap, o + (size_t)n + 1) < 0) {
                                free(out);
                                return np_err(jr->err, ENOMEM, "out of memory");
                        }
                        memcpy(out + o, buf, (size_t)n);
                }
                o += (size_t)n;
        }
        if (ret) {
                out[o] = '\0'; /* room kept for it above */
                *ret = out;
        }
        if (ret_len)
                *ret_len = o;
        return 0;
}

static size_t digits(const np_json_reader *jr, size_t pos)
{
        size_t n = 0;

        while (pos + n < jr->len && jr->text[pos + n] >= '0' && jr->text[pos + n] <= '9')
                n++;
        return n;
}

/* -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? at the cursor; leaves
 * the cursor after it. */
static int number(np_json_reader *jr)
{
        const char *t = jr->text;
        size_t n;

        if (jr->pos < jr->len && t[jr->pos] == '-')
                jr->pos++;
        n = digits(jr, jr->pos);
        if (n == 0)
                return np_json_read_fail(jr, "expected a value");
        jr->pos += t[jr->pos] == '0' ? 1 : n;
        if (jr->pos < jr->len && t[jr->pos] == '.') {
                jr->pos++;
                if (!(n = digits(jr, jr->pos)))
                        return np_json_read_fail(jr, "expected digits after '.'");
                jr->pos += n;
        }
        if (jr->pos < jr->len && (t[jr->pos] == 'e' || t[jr->pos] == 'E')) {
                jr->pos++;
                if (jr->pos < jr->len && (t[jr->pos] == '+' || t[jr->pos] == '-'))
                        jr->pos++;
                if (!(n = digits(jr, jr->pos)))
                        return np_json_read_fail(jr, "expected digits in the exponent");
                jr->pos += n;
        }
        return 0;
}

static bool word(np_json_reader *jr, const char *w)
{
        size_t n = strlen(w);

        if (jr->len - jr->pos < n || memcmp(jr->text + jr->pos, w, n) != 0)
                return false;
        jr->pos += n;
        return true;
}

int np_json_read_scalar(np_json_reader *jr, char **ret, size_t *ret_len)
{
        int c = np_json_read_peek(jr), r;
        size_t start = jr->pos;

        if (c == '{' || c == '[')
                return NP_JSON_CONTAINER;
        if (is_quote(jr, c))
                return np_json_read_string(jr, ret, ret_len);
        if (word(jr, "null"))
                return NP_JSON_NULL;
        if (!word(jr, "true") && !word(jr, "false") && (r = number(jr)) < 0)
                return r;
        if (ret && !(*ret = strndup(jr->text + start, jr->pos - start)))
                return np_err(jr->err, ENOMEM, "out of memory");
        if (ret_len)
                *ret_len = jr->pos - start;
        return 0;
}

static int enter(np_json_reader *jr, int open, const char *what)
{
        if (np_json_read_peek(jr) != open)
                return np_json_read_fail(jr, what);
        if (jr->depth >= NP_JSON_DEPTH_MAX)
                return np_json_read_fail(jr, "nested too deeply");
        jr->pos++;
        jr->depth++;
        return 0;
}

int np_json_read_object_begin(np_json_reader *jr)
{
        return enter(jr, '{', "expected an object");
}

int np_json_read_array_begin(np_json_reader *jr)
{
        return enter(jr, '[', "expected an array");
}

/* Before the next item of a container: 1 when one follows, 0 after the
 * container's end. */
static int next_item(np_json_reader *jr, size_t *count, int close, const char *what)
{
        int c = np_json_read_peek(jr);

        if (c == close) {
                jr->pos++;
                jr->depth--;
                return 0;
        }
        if (*count > 0) {
                if (c != ',')
                        return np_json_read_fail(jr, what);
                jr->pos++;
        }
        (*count)++;
        return 1;
}

int np_json_read_object_next(np_json_reader *jr, size_t *count, char **ret_key)
{
        int r = next_item(jr, count, '}', "expected ',' or '}'");

        if (r <= 0)
                return r;
        if (!is_quote(jr, np_json_read_peek(jr)))
                return np_json_read_fail(jr, "expected a member name");
        if ((r = np_json_read_string(jr, ret_key, NULL)) < 0)
                return r;
        if (np_json_read_peek(jr) != ':') {
                if (ret_key)
                        free(*ret_key);
                return np_json_read_fail(jr, "expected ':'");
        }
        jr->pos++;
        return 1;
}

int np_json_read_array_next(np_json_reader *jr, size_t *count)
{
        return next_item(jr, count, ']', "expected ',' or ']'");
}

int np_json_read_skip(np_json_reader *jr)
{
        int c = np_json_read_peek(jr), r;
        size_t count = 0;

        if (c == '{' || c == '[') {
                bool object = c == '{';

                r = object ? np_json_read_object_begin(jr) : np_json_read_array_begin(jr);
                while (r == 0 && (r = object ? np_json_read_object_next(jr, &count, NULL)
                                             : np_json_read_array_next(jr, &count)) == 1)
                        r = np_json_read_skip(jr);
                return r;
        }
        r = np_json_read_scalar(jr, NULL, NULL);
        return r < 0 ? r : 0;
}

int np_json_read_end(np_json_reader *jr)
{
        return np_json_read_peek(jr) == -1 ? 0 : np_json_read_fail(jr, "text after the JSON object");
}
