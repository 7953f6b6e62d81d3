/* cli_output.c: column selection and libsmartcols tables, shared by the
 * subcommands so every table takes -o, -r, -n and -b the same way. */
#include "cli.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

void np_warnx(const char *fmt, ...)
{
        va_list ap;

        fputs("numaplace: ", stderr);
        va_start(ap, fmt);
        vfprintf(stderr, fmt, ap);
        va_end(ap);
        fputc('\n', stderr);
}

static int column_by_name(const np_column *table, size_t n_table,
                          const char *name, size_t len)
{
        for (size_t i = 0; i < n_table; i++)
                if (strlen(table[i].name) == len && strncasecmp(table[i].name, name, len) == 0)
                        return (int)i;
        return -1;
}

int np_output_columns(np_output *out, const np_column *table, size_t n_table,
                      const int *defaults, size_t n_defaults)
{
        const char *p = out->columns_arg;

        out->n_columns = 0;
        if (!p || *p == '+') {
                memcpy(out->columns, defaults, n_defaults * sizeof(*defaults));
                out->n_columns = n_defaults;
                if (p)
                        p++;
        }
        while (p && *p) {
                size_t len = strcspn(p, ",");
                int col = column_by_name(table, n_table, p, len);

                if (col < 0) {
                        np_warnx("unknown column '%.*s' in --output", (int)len, p);
                        return -1;
                }
                if (out->n_columns == NP_MAX_COLUMNS) {
                        np_warnx("too many columns in --output");
                        return -1;
                }
                out->columns[out->n_columns++] = col;
                p += len;
                if (*p == ',')
                        p++;
        }
        if (!out->n_columns) {
                np_warnx("--output names no column");
                return -1;
        }
        return 0;
}

struct libscols_table *np_output_table(const np_output *out, const np_column *table)
{
        struct libscols_table *tb = scols_new_table();

        if (!tb)
                return NULL;
        scols_table_enable_raw(tb, out->raw);
        scols_table_enable_noheadings(tb, out->noheadings);
        for (size_t i = 0; i < out->n_columns; i++) {
                const np_column *c = &table[out->columns[i]];

                if (!scols_table_new_column(tb, c->name, c->whint, c->flags)) {
                        scols_unref_table(tb);
                        return NULL;
                }
        }
        return tb;
}

int np_output_print(struct libscols_table *tb)
{
        int r = scols_print_table(tb);

        scols_unref_table(tb);
        if (r == 0 && fflush(stdout) != 0)
                r = -1;
        return r;
}

int np_output_print_rows(const np_output *out, const np_column *table, const void *rows,
                         size_t n_rows, size_t row_size, np_output_cell cell, const void *userdata)
{
        struct libscols_table *tb = np_output_table(out, table);

        if (!tb)
                return -1;
        for (size_t i = 0; i < n_rows; i++) {
                struct libscols_line *ln = scols_table_new_line(tb, NULL);
                const void *row = (const char *)rows + i * row_size;

                for (size_t c = 0; ln && c < out->n_columns; c++) {
                        char buf[NP_OUTPUT_CELL_MAX] = "";

                        cell(out, row, out->columns[c], buf, sizeof(buf), userdata);
                        if (scols_line_set_data(ln, c, buf[0] ? buf : "-") < 0)
                                ln = NULL;
                }
                if (!ln) {
                        scols_unref_table(tb);
                        return -1;
                }
        }
        return np_output_print(tb);
}

void np_output_help_options(FILE *f, bool bytes)
{
        fputs(" -J, --json               JSON output\n"
              " -r, --raw                raw output\n"
              " -n, --noheadings         no table headings\n"
              " -o, --output COLS        columns to show (+COLS adds to the default)\n", f);
        if (bytes)
                fputs(" -b, --bytes              sizes in bytes\n", f);
        fputs(" -h, --help               this help\n"
              " -V, --version            version\n", f);
}

void np_output_help_columns(FILE *f, const np_column *table, size_t n_table)
{
        fputs("\nAvailable output columns:\n", f);
        for (size_t i = 0; i < n_table; i++)
                fprintf(f, " %11s  %s\n", table[i].name, table[i].help);
}

char *np_output_size(const np_output *out, uint64_t kib, char *buf, size_t len)
{
        static const char units[] = "KMGTPE";
        uint64_t unit = 1;
        size_t i = 0;

        if (out->bytes) {
                snprintf(buf, len, "%llu", (unsigned long long)kib * 1024);
                return buf;
        }
        if (kib == 0) {
                snprintf(buf, len, "0");
                return buf;
        }
        while (i + 1 < sizeof(units) - 1 && kib >= unit * 1024) {
                unit *= 1024;
                i++;
        }
        if (kib % unit == 0) {
                snprintf(buf, len, "%llu%c", (unsigned long long)(kib / unit), units[i]);
        } else {
                uint64_t tenths = (kib * 10 + unit / 2) / unit;

                snprintf(buf, len, "%llu.%llu%c", (unsigned long long)(tenths / 10),
                         (unsigned long long)(tenths % 10), units[i]);
        }
        return buf;
}

bool np_output_option(np_output *out, int c, const char *arg)
{
        switch (c) {
        case 'J': out->json = true; return true;
        case 'r': out->raw = true; return true;
        case 'n': out->noheadings = true; return true;
        case 'o': out->columns_arg = arg; return true;
        case 'b': out->bytes = true; return true;
        default: return false;
        }
}
