/* cli.h: what the command front end's files share: output options,
 * column tables for libsmartcols, and the subcommand entry points. */
#pragma once

#include <libsmartcols.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

/* Exit codes of every command. */
enum {
        NP_EXIT_OK = 0,
        NP_EXIT_VIOLATION = 1,
        NP_EXIT_TROUBLE = 2,
};

typedef struct np_column {
        const char *name;
        double whint;
        int flags;         /* SCOLS_FL_* */
        const char *help;
} np_column;

#define NP_MAX_COLUMNS 32

typedef struct np_output {
        bool json, raw, noheadings, bytes;
        const char *columns_arg;  /* -o */
        int columns[NP_MAX_COLUMNS];
        size_t n_columns;
} np_output;

/* Resolve -o against a column table and its defaults ("+COL" appends to
 * the defaults).  Prints one error line and returns -1 on an unknown
 * column. */
int np_output_columns(np_output *out, const np_column *table, size_t n_table,
                      const int *defaults, size_t n_defaults);

/* A new table with the chosen columns, set up for raw/noheadings. */
struct libscols_table *np_output_table(const np_output *out, const np_column *table);

/* Print and free a table; returns 0 or -1 when stdout failed. */
int np_output_print(struct libscols_table *tb);

/* Write the text of column @column (an index into the command's column
 * table) for @row into @buf; left empty, the cell shows "-". */
#define NP_OUTPUT_CELL_MAX 4096
typedef void (*np_output_cell)(const np_output *out, const void *row, int column,
                               char *buf, size_t len, const void *userdata);

/* A table of @n_rows rows (@rows, @row_size bytes apart) with the chosen
 * columns, each cell from @cell; printed and freed.  Returns 0, or -1
 * when it could not be built or written. */
int np_output_print_rows(const np_output *out, const np_column *table, const void *rows,
                         size_t n_rows, size_t row_size, np_output_cell cell, const void *userdata);

/* The long options every table command takes (-J -r -n -o -h -V), for
 * its getopt_long() table; NP_BYTES_LONGOPT adds -b where sizes show. */
#define NP_OUTPUT_LONGOPTS \
        { "json", no_argument, NULL, 'J' }, \
        { "raw", no_argument, NULL, 'r' }, \
        { "noheadings", no_argument, NULL, 'n' }, \
        { "output", required_argument, NULL, 'o' }, \
        { "help", no_argument, NULL, 'h' }, \
        { "version", no_argument, NULL, 'V' }
#define NP_BYTES_LONGOPT { "bytes", no_argument, NULL, 'b' }

/* Take getopt's @c when it is -J, -r, -n, -o (with @arg) or -b into
 * @out.  Returns whether it was one of them. */
bool np_output_option(np_output *out, int c, const char *arg);

/* Print the options every table command takes, for --help (-b only
 * where @bytes). */
void np_output_help_options(FILE *f, bool bytes);

/* Print the column list for --help. */
void np_output_help_columns(FILE *f, const np_column *table, size_t n_table);

/* Size for a cell: "64M" style (util-linux), or bytes with -b. */
char *np_output_size(const np_output *out, uint64_t kib, char *buf, size_t len);

/* The end of a command's getopt switch: -h prints @usage, -V the
 * version (exit 0); anything else says "Try 'numaplace @command
 * --help'" (exit 2).  Returns -1 with *@ret_exit set. */
int np_cli_common_option(int c, const char *command, void (*usage)(FILE *), int *ret_exit);

/* --pid: decimal digits only, 1 to INT_MAX.  Prints the error line and
 * returns -1 when @arg is anything else. */
int np_cli_pid_arg(const char *arg, pid_t *ret);

/* The options that tune a check (--preferred, --device-policy,
 * --sample), for getopt_long() tables of the commands that check. */
enum { NP_OPT_PREFERRED = 0x1a0, NP_OPT_DEVICE_POLICY, NP_OPT_SAMPLE };
#define NP_CHECK_LONGOPTS \
        { "preferred", required_argument, NULL, NP_OPT_PREFERRED }, \
        { "device-policy", required_argument, NULL, NP_OPT_DEVICE_POLICY }, \
        { "sample", required_argument, NULL, NP_OPT_SAMPLE }

struct np_check_options;

/* Take getopt's @c into @o when it is one of NP_CHECK_LONGOPTS.  Returns
 * 1 when taken, 0 when not one of them, -1 after printing an error line
 * for a bad value. */
int np_check_option(struct np_check_options *o, int c, const char *arg);

/* Error line on stderr: "numaplace: ..." */
void np_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

struct np_error;
struct np_intent;
struct np_sysroot;

struct np_host;

/* What the XML alone cannot say: the default huge page size of @host
 * (NULL: a host that could not be read, which gives none), and
 * for placement='auto' numad's nodeset from @status_xml (NULL: libvirt's
 * status file below @root, when it exists). */
int np_cli_complete_intent(const struct np_sysroot *root, const struct np_host *host,
                           struct np_intent *intent, const char *status_xml, struct np_error *err);

int np_cmd_check(int argc, char **argv);
int np_cmd_scan(int argc, char **argv);
int np_cmd_intent(int argc, char **argv);
int np_cmd_host(int argc, char **argv);
int np_cmd_preflight(int argc, char **argv);
int np_cmd_migrate(int argc, char **argv);
int np_cmd_capture(int argc, char **argv);
