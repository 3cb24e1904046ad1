#ifndef VERSO_CLIBXML2_SHIM_H
#define VERSO_CLIBXML2_SHIM_H
// xmlversion.h first, then turn ICU off: Debian's libxml2 headers otherwise pull in the system
// ICU headers, which clash with the ICU bundled in Foundation ("UErrorCode has different definitions").
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/xmlmemory.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>
#include <libxml/xmlreader.h>
#include <libxml/xmlwriter.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlschemas.h>
#include <libxml/HTMLparser.h>
#include <libxml/xmlsave.h>
#include <libxml/uri.h>

// xmlFree is a global function-pointer variable; Swift 6 refuses it as not concurrency-safe.
static inline void verso_xml_free(void *p) { xmlFree(p); }

// Silences libxml2's default "print to stderr" handlers on the calling thread (libxml2 keeps
// them per thread); errors are collected through structured handlers instead.
static void verso_xml_ignore_generic(void *ctx, const char *msg, ...) { (void)ctx; (void)msg; }
static inline void verso_xml_silence_thread(void) {
    xmlSetGenericErrorFunc(NULL, verso_xml_ignore_generic);
}
#endif
