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
// Escaping functions for xmlOutputBufferWriteEscape (libxml2's xmlCharEncodingOutputFunc
// signature): the same rules as xmlTextWriter — character data as xmlEncodeSpecialChars
// (& < > " and CR), attribute values as xmlAttrSerializeTxtContent (& < > " and TAB, LF, CR) —
// written straight into the output buffer, without the copy xmlEncodeSpecialChars allocates.
// UTF-8 passes through unchanged. Stops when fewer than 6 bytes of room are left; libxml2 then
// flushes and calls again with the rest.
static const unsigned char verso_escape_class[256] = {
    ['&'] = 1, ['<'] = 2, ['>'] = 3, ['"'] = 4, ['\r'] = 5, ['\n'] = 6, ['\t'] = 7,
};
static inline int verso_escape(unsigned char *out, int *outlen, const unsigned char *in, int *inlen, int attribute) {
    unsigned char *o = out;
    unsigned char *const safe = out + *outlen - 6;
    const unsigned char *i = in;
    const unsigned char *const end = in + *inlen;
    while (i < end && o <= safe) {
        unsigned char c = *i;
        unsigned char k = verso_escape_class[c];
        if (k == 0 || (k >= 6 && !attribute)) { *o++ = c; i++; continue; }
        const char *rep;
        int n;
        switch (k) {
        case 1: rep = "&amp;"; n = 5; break;
        case 2: rep = "&lt;"; n = 4; break;
        case 3: rep = "&gt;"; n = 4; break;
        case 4: rep = "&quot;"; n = 6; break;
        case 5: rep = "&#13;"; n = 5; break;
        case 6: rep = "&#10;"; n = 5; break;
        default: rep = "&#9;"; n = 4; break;
        }
        for (int j = 0; j < n; j++) o[j] = (unsigned char)rep[j];
        o += n;
        i++;
    }
    *outlen = (int)(o - out);
    *inlen = (int)(i - in);
    return *outlen;
}
static int verso_escape_text(unsigned char *out, int *outlen, const unsigned char *in, int *inlen) {
    return verso_escape(out, outlen, in, inlen, 0);
}
static int verso_escape_attribute(unsigned char *out, int *outlen, const unsigned char *in, int *inlen) {
    return verso_escape(out, outlen, in, inlen, 1);
}
static inline int verso_write_escaped_text(xmlOutputBufferPtr out, const xmlChar *s) {
    return xmlOutputBufferWriteEscape(out, s, verso_escape_text);
}
static inline int verso_write_escaped_attribute(xmlOutputBufferPtr out, const xmlChar *s) {
    return xmlOutputBufferWriteEscape(out, s, verso_escape_attribute);
}
#endif
