/* libxml_load.c: open libxml2 on first use. */
#include "libxml_load.h"
#include "error.h"

#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>

static np_libxml table;
static char failure[NP_ERROR_MAX];
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load(void)
{
        void *h = dlopen("libxml2.so.2", RTLD_LAZY | RTLD_LOCAL);
        xmlFreeFunc *free_var;

        if (!h) {
                snprintf(failure, sizeof(failure), "cannot load libxml2 (libxml2.so.2): %s", dlerror());
                return;
        }
#define SYM(field, name) \
        if (!(*(void **)&table.field = dlsym(h, name))) { \
                snprintf(failure, sizeof(failure), "libxml2.so.2 lacks %s", name); \
                return; \
        }
        SYM(InitParser, "xmlInitParser");
        SYM(NewParserCtxt, "xmlNewParserCtxt");
        SYM(CtxtReadMemory, "xmlCtxtReadMemory");
        SYM(FreeParserCtxt, "xmlFreeParserCtxt");
        SYM(StopParser, "xmlStopParser");
        SYM(FreeDoc, "xmlFreeDoc");
        SYM(DocGetRootElement, "xmlDocGetRootElement");
        SYM(GetLineNo, "xmlGetLineNo");
        SYM(GetNoNsProp, "xmlGetNoNsProp");
        SYM(NodeGetContent, "xmlNodeGetContent");
        SYM(XPathNewContext, "xmlXPathNewContext");
        SYM(XPathFreeContext, "xmlXPathFreeContext");
        SYM(XPathNodeEval, "xmlXPathNodeEval");
        SYM(XPathFreeObject, "xmlXPathFreeObject");
#undef SYM
        free_var = dlsym(h, "xmlFree");
        if (!free_var || !*free_var) {
                snprintf(failure, sizeof(failure), "libxml2.so.2 lacks xmlFree");
                return;
        }
        table.InitParser();
        table.Free = *free_var; /* last: a set Free means a complete table */
}

const np_libxml *np_libxml_load(np_error *err)
{
        pthread_once(&once, load);
        if (!table.Free) {
                np_err(err, ENOENT, "%s", failure);
                return NULL;
        }
        return &table;
}

const np_libxml *np_libxml_loaded(void)
{
        return &table;
}
