/* json_read.h: the one JSON reader (json.h is the writer).
 *
 * A cursor over text in memory, read by the caller one construct at a
 * time, so each user keeps only what it needs (QEMU's -object JSON
 * flattened to key=value pairs, an LXD instance config's string members)
 * and skips the rest.  RFC 8259 JSON: strings must be valid UTF-8, \u
 * escapes must pair their UTF-16 surrogates and may not spell NUL,
 * numbers follow the grammar (their text is handed over as it is), and
 * containers nest at most NP_JSON_DEPTH_MAX deep.  Duplicate member
 * names are passed on in order; which one wins is the caller's rule.
 *
 * Every error is -EINVAL with "NAME: byte N: what" in the np_error, N
 * being where reading stopped, or -ENOMEM.  No I/O. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

struct np_error;

#define NP_JSON_DEPTH_MAX 64

typedef struct np_json_reader {
        const char *text;
        size_t len, pos;
        unsigned depth;         /* containers entered and not yet left */
        bool single_quotes;     /* also 'strings', as QEMU's parser takes them */
        const char *name;       /* the file or field, for messages */
        struct np_error *err;
} np_json_reader;

/* What np_json_read_scalar() found when it was no string, number or boolean. */
enum {
        NP_JSON_NULL = 1,       /* null, read */
        NP_JSON_CONTAINER = 2,  /* '{' or '[' at the cursor, not read */
};

void np_json_reader_init(np_json_reader *jr, const char *text, size_t len,
                         const char *name, struct np_error *err);

/* Report @what at the cursor.  Returns -EINVAL. */
int np_json_read_fail(np_json_reader *jr, const char *what);

/* Skip blanks; the byte at the cursor then, or -1 at the end. */
int np_json_read_peek(np_json_reader *jr);

/* A string at the cursor, decoded (malloc'ed, NUL-terminated; its length
 * in *@ret_len when that is not NULL).  With @ret NULL only checked. */
int np_json_read_string(np_json_reader *jr, char **ret, size_t *ret_len);

/* A string, number, true or false at the cursor as text (strings
 * decoded, numbers as written); 0 with *@ret malloc'ed, or with @ret
 * NULL only checked.  NP_JSON_NULL or NP_JSON_CONTAINER otherwise. */
int np_json_read_scalar(np_json_reader *jr, char **ret, size_t *ret_len);

/* Check and skip any value. */
int np_json_read_skip(np_json_reader *jr);

/* Enter the object (array) at the cursor. */
int np_json_read_object_begin(np_json_reader *jr);
int np_json_read_array_begin(np_json_reader *jr);

/* Step through the object entered last: 1 with the next member's name
 * in *@ret_key (malloc'ed; NULL to skip it) and the cursor on its value,
 * 0 after the closing '}'.  *@count (0 at the start) counts the members
 * and tells whether a ',' must come first. */
int np_json_read_object_next(np_json_reader *jr, size_t *count, char **ret_key);

/* The same for an array: 1 with the cursor on the next element, 0 after
 * the closing ']'. */
int np_json_read_array_next(np_json_reader *jr, size_t *count);

/* Nothing but blanks may follow the document. */
int np_json_read_end(np_json_reader *jr);
