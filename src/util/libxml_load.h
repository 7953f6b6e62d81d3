/* libxml_load.h: libxml2, opened on first use.
 *
 * Debian's libxml2 pulls ICU and libstdc++ with it: eight shared objects
 * that cost some 4 ms to map and relocate.  Linked normally, every run
 * pays that before main(), including the libvirt hook on every lifecycle
 * event it ignores (stopped, release, migrate, ...).  Opened here on
 * first use, only what parses XML pays it. */
#pragma once

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>

struct np_error;

typedef struct np_libxml {
        __typeof__(xmlInitParser) *InitParser;
        __typeof__(xmlNewParserCtxt) *NewParserCtxt;
        __typeof__(xmlCtxtReadMemory) *CtxtReadMemory;
        __typeof__(xmlFreeParserCtxt) *FreeParserCtxt;
        __typeof__(xmlStopParser) *StopParser;
        __typeof__(xmlFreeDoc) *FreeDoc;
        __typeof__(xmlDocGetRootElement) *DocGetRootElement;
        __typeof__(xmlGetLineNo) *GetLineNo;
        __typeof__(xmlGetNoNsProp) *GetNoNsProp;
        __typeof__(xmlNodeGetContent) *NodeGetContent;
        __typeof__(xmlXPathNewContext) *XPathNewContext;
        __typeof__(xmlXPathFreeContext) *XPathFreeContext;
        __typeof__(xmlXPathNodeEval) *XPathNodeEval;
        __typeof__(xmlXPathFreeObject) *XPathFreeObject;
        xmlFreeFunc Free;       /* libxml2's xmlFree, a variable there */
} np_libxml;

/* Open libxml2 and resolve what numaplace uses; safe to call from several
 * threads and many times.  Returns a table, or NULL with @err naming the
 * library and what is missing. */
const np_libxml *np_libxml_load(struct np_error *err);

/* The table np_libxml_load() returned, for code that has called it
 * successfully (in any thread: the load happens once, before any
 * caller sees the table). */
const np_libxml *np_libxml_loaded(void);
