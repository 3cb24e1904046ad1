#ifndef VERSO_CLIBXML2_SHIM_H
#define VERSO_CLIBXML2_SHIM_H
#include <stdint.h>
#include <string.h>
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

// XMLStreamWriter's staging buffer: escapes `n` bytes of UTF-8 straight into `out` (which has
// `room` bytes), as character data (`attribute` 0: & < > " CR) or as an attribute value
// (`attribute` 1: also TAB and LF), with the rules of xmlTextWriter (xmlEncodeSpecialChars,
// xmlAttrSerializeTxtContent; UTF-8 passes unchanged), and in the same pass replaces each character XML 1.0 cannot hold (C0 controls but TAB, LF, CR; U+FFFE and
// U+FFFF, i.e. EF BF BE / EF BF BF) by the `replacement` bytes (1-4, a character that needs no
// escaping), counting them in *replaced. One pass instead of a check, a scan and libxml2's
// chunked escaping. Stops when the input is used up or fewer than 6 bytes of room are left
// before a byte that expands; returns the bytes written and sets *consumed to the bytes read
// (the caller hands the buffer on and calls again with the rest).
// Byte classes: 1-2 TAB and LF (escaped in attribute values only), 3-7 the other escaped
// characters; 8: a control byte XML 1.0 refuses; 9: 0xEF, which may start U+FFFE/U+FFFF. A byte
// passes as it is when its class is at most 0 (attribute) or 2 (text).
static const unsigned char verso_output_class[256] = {
    ['\t'] = 1, ['\n'] = 2, ['&'] = 3, ['<'] = 4, ['>'] = 5, ['"'] = 6, ['\r'] = 7,
    [0x00] = 8, [0x01] = 8, [0x02] = 8, [0x03] = 8, [0x04] = 8, [0x05] = 8, [0x06] = 8, [0x07] = 8,
    [0x08] = 8, [0x0B] = 8, [0x0C] = 8, [0x0E] = 8, [0x0F] = 8, [0x10] = 8, [0x11] = 8, [0x12] = 8,
    [0x13] = 8, [0x14] = 8, [0x15] = 8, [0x16] = 8, [0x17] = 8, [0x18] = 8, [0x19] = 8, [0x1A] = 8,
    [0x1B] = 8, [0x1C] = 8, [0x1D] = 8, [0x1E] = 8, [0x1F] = 8, [0xEF] = 9,
};
// Sixteen bytes at a time (clang's vector extension: SSE2 on x86_64, NEON on arm64): a mask
// byte 0xFF for each byte below 0x20, '&', '<', '>', '"' or 0xEF, the bytes to look at.
typedef unsigned char verso_bytes16 __attribute__((vector_size(16)));
typedef char verso_chars16 __attribute__((vector_size(16)));
static inline verso_bytes16 verso_unclean_bytes16(verso_bytes16 x) {
    // '<' is 0x3C and '>' 0x3E: they differ only in bit 1.
    return (verso_bytes16)((x < 0x20) | (x == '&') | ((x & 0xFD) == '<') | (x == '"') | (x == 0xEF));
}
// The index of the first marked byte of a mask, 16 when none is.
static inline long verso_first_marked16(verso_bytes16 mask) {
#if defined(__SSE2__)
    unsigned bits = (unsigned)__builtin_ia32_pmovmskb128((verso_chars16)mask);
    return bits ? (long)__builtin_ctz(bits) : 16;
#else
    uint64_t lo, hi;
    memcpy(&lo, &mask, 8);
    memcpy(&hi, (const unsigned char *)&mask + 8, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    if (lo) return (long)(__builtin_ctzll(lo) >> 3);
    if (hi) return 8 + (long)(__builtin_ctzll(hi) >> 3);
    return 16;
#else
    // Big-endian: the block is looked at byte by byte from its start.
    return (lo | hi) ? 0 : 16;
#endif
#endif
}
static inline long verso_escape_into(unsigned char *out, long room, const unsigned char *in, long n,
                                     int attribute, const unsigned char *replacement, int replacementLength,
                                     long *consumed, long *replaced) {
    unsigned char *o = out;
    unsigned char *const oend = out + room;
    const unsigned char *i = in;
    const unsigned char *const end = in + n;
    const unsigned char passing = attribute ? 0 : 2;
    while (i < end) {
        // Sixteen bytes at a time while they pass unchanged (most text): each block is stored
        // whole, then only its clean prefix counts when it holds a byte to look at.
        long blocks = (end - i < oend - o ? end - i : oend - o) >> 4;
        long clean = 16;
        while (blocks > 0) {
            verso_bytes16 x;
            memcpy(&x, i, 16);
            memcpy(o, &x, 16);
            clean = verso_first_marked16(verso_unclean_bytes16(x));
            i += clean;
            o += clean;
            if (clean < 16) break;
            blocks -= 1;
        }
        if (clean == 16) {
            // Fewer than sixteen bytes of input (or room) left: one by one.
            while (i < end && o < oend && verso_output_class[*i] <= passing) *o++ = *i++;
            if (i == end || o == oend) break;
        } else if (verso_output_class[*i] <= passing) {
            // TAB or LF in text.
            *o++ = *i++;
            continue;
        }
        // A byte that changes: room for the widest replacement (`&quot;`) first.
        if (oend - o < 6) break;
        const char *rep;
        int m;
        switch (verso_output_class[*i]) {
        case 1: rep = "&#9;"; m = 4; break;
        case 2: rep = "&#10;"; m = 5; break;
        case 3: rep = "&amp;"; m = 5; break;
        case 4: rep = "&lt;"; m = 4; break;
        case 5: rep = "&gt;"; m = 4; break;
        case 6: rep = "&quot;"; m = 6; break;
        case 7: rep = "&#13;"; m = 5; break;
        case 8:
            memcpy(o, replacement, (size_t)replacementLength);
            o += replacementLength;
            *replaced += 1;
            i++;
            continue;
        default:
            // 0xEF: U+FFFE and U+FFFF are refused, every other character passes whole.
            if (end - i >= 3 && i[1] == 0xBF && (i[2] == 0xBE || i[2] == 0xBF)) {
                memcpy(o, replacement, (size_t)replacementLength);
                o += replacementLength;
                *replaced += 1;
                i += 3;
            } else {
                *o++ = *i++;
            }
            continue;
        }
        memcpy(o, rep, (size_t)m);
        o += m;
        i++;
    }
    *consumed = (long)(i - in);
    return (long)(o - out);
}

// XMLEscaping.escapeMarkup: escapes only `&`, `<` and `>` of `n` bytes into `out` (`room` bytes),
// for text known to hold nothing else that needs escaping or that XML 1.0 refuses (the skeleton
// of a document, JSON lines, which may hold `"` as it is). Sixteen bytes at a time while none of
// the three is among them (an HTML page's skeleton is mostly markup, so stretches between them
// are short, and those are copied byte by byte). Stops when the input is used up or fewer than
// 5 bytes of room are left; returns the bytes written and sets *consumed to the bytes read.
static inline verso_bytes16 verso_markup_bytes16(verso_bytes16 x) {
    // '<' is 0x3C and '>' 0x3E: they differ only in bit 1.
    return (verso_bytes16)(((x & 0xFD) == '<') | (x == '&'));
}
static inline long verso_escape_markup(unsigned char *out, long room, const unsigned char *in, long n, long *consumed) {
    unsigned char *o = out;
    unsigned char *const oend = out + room;
    const unsigned char *i = in;
    const unsigned char *const end = in + n;
    while (i < end) {
        while (end - i >= 16 && oend - o >= 16) {
            verso_bytes16 x;
            memcpy(&x, i, 16);
            memcpy(o, &x, 16);
            long clean = verso_first_marked16(verso_markup_bytes16(x));
            i += clean;
            o += clean;
            if (clean < 16) break;
        }
        // Up to sixteen bytes one by one: the block that held one of the three, or the tail.
        const unsigned char *limit = end - i > 16 ? i + 16 : end;
        while (i < limit) {
            if (oend - o < 5) { *consumed = (long)(i - in); return (long)(o - out); }
            unsigned char b = *i++;
            if (b == '&') { memcpy(o, "&amp;", 5); o += 5; }
            else if (b == '<') { memcpy(o, "&lt;", 4); o += 4; }
            else if (b == '>') { memcpy(o, "&gt;", 4); o += 4; }
            else *o++ = b;
        }
        if (oend - o < 5) break;
    }
    *consumed = (long)(i - in);
    return (long)(o - out);
}

// ---------------------------------------------------------------------------------------------
// XML streaming over libxml2's SAX2 push parser (XMLSupport.XMLStreamReader).
//
// xmlTextReader builds a tree node for every element, attribute and text and frees it again; the
// SAX2 callbacks below record each event into flat arrays instead (names stay interned in the
// parser's dictionary, text and attribute values are copied into one byte arena), which parses
// about twice as fast. The reader feeds the parser a chunk at a time and hands the recorded events
// out before feeding the next, so memory stays bounded by the chunk size and the longest piece
// of text (which, as in libxml2's tree builder, may not exceed XML_MAX_TEXT_LENGTH).
// DTD-related callbacks keep libxml2's SAX2 defaults (the internal subset is read, nothing is
// loaded); a reference to a declared entity is refused when it is looked up, before its text is
// parsed, so nothing is ever expanded (no XML_PARSE_NOENT either). The callbacks reach this state
// through ctxt->_private, because the SAX2 defaults need the parser context as their user data.
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum {
    VERSO_SAX_START = 1, VERSO_SAX_END = 2, VERSO_SAX_TEXT = 3, VERSO_SAX_COMMENT = 4,
    VERSO_SAX_PI = 5, VERSO_SAX_ENTITY = 6
};

typedef struct {
    int kind;
    int firstAttribute, attributeCount;  // start: attributes, namespace declarations excluded
    int firstNamespace, namespaceCount;  // start: namespace declarations made on the element
    long line, column;                   // the parser's position once the event was parsed
    long elementLine;                    // start and end: line of the start tag's end
    const xmlChar *localName, *prefix, *uri;  // start and end, interned in the parser's dictionary
    size_t textOffset, textLength;       // text, comment, PI data, entity name: bytes in the arena
    size_t targetOffset, targetLength;   // PI target
    int refersToEntities;                // entity: its replacement text refers to other entities
} verso_sax_event;

typedef struct {
    const xmlChar *localName, *prefix, *uri;  // interned
    size_t valueOffset, valueLength;          // decoded value in the arena, NUL-terminated
} verso_sax_attribute;

typedef struct {
    const xmlChar *prefix, *uri;  // prefix NULL for the default namespace
} verso_sax_namespace;

typedef struct {
    xmlParserCtxtPtr ctxt;
    verso_sax_event *events; int eventCount, eventCapacity;
    verso_sax_attribute *attributes; int attributeCount, attributeCapacity;
    verso_sax_namespace *namespaces; int namespaceCount, namespaceCapacity;
    unsigned char *arena; size_t arenaLength, arenaCapacity;
    long *lines; int depth, lineCapacity;  // start-tag lines of the open elements
    int outOfMemory;
    int textTooLong;      // a text grew past XML_MAX_TEXT_LENGTH (without XML_PARSE_HUGE)
    int eventsBeforeError;  // events recorded when the first error came; -1 before any
    xmlStructuredErrorFunc errorHandler; void *errorContext;
} verso_sax_state;

static inline int verso_sax_reserve(void **items, int *capacity, size_t size, int needed) {
    if (needed <= *capacity) return 1;
    int wanted = *capacity ? *capacity * 2 : 256;
    while (wanted < needed) wanted *= 2;
    void *grown = realloc(*items, (size_t)wanted * size);
    if (!grown) return 0;
    *items = grown;
    *capacity = wanted;
    return 1;
}

// Appends bytes (and a NUL after them, not counted) to the arena; returns their offset, or
// SIZE_MAX when memory ran out (the parse is then stopped and the reader throws before handing
// out anything of this chunk).
static inline size_t verso_sax_append(verso_sax_state *s, const xmlChar *bytes, size_t length) {
    if (s->arenaLength + length + 1 > s->arenaCapacity) {
        size_t wanted = s->arenaCapacity ? s->arenaCapacity * 2 : 65536;
        while (wanted < s->arenaLength + length + 1) wanted *= 2;
        unsigned char *grown = realloc(s->arena, wanted);
        if (!grown) { s->outOfMemory = 1; xmlStopParser(s->ctxt); return SIZE_MAX; }
        s->arena = grown;
        s->arenaCapacity = wanted;
    }
    size_t offset = s->arenaLength;
    if (length) memcpy(s->arena + offset, bytes, length);
    s->arena[offset + length] = 0;
    s->arenaLength = offset + length + 1;
    return offset;
}

static inline verso_sax_event *verso_sax_push(verso_sax_state *s, int kind) {
    if (!verso_sax_reserve((void **)&s->events, &s->eventCapacity, sizeof(verso_sax_event), s->eventCount + 1)) {
        s->outOfMemory = 1; xmlStopParser(s->ctxt); return NULL;
    }
    verso_sax_event *e = &s->events[s->eventCount++];
    memset(e, 0, sizeof *e);
    e->kind = kind;
    e->line = s->ctxt->input ? s->ctxt->input->line : 0;
    e->column = s->ctxt->input ? s->ctxt->input->col : 0;
    return e;
}

static inline verso_sax_state *verso_sax_of(void *ctx) {
    return (verso_sax_state *)((xmlParserCtxtPtr)ctx)->_private;
}

// libxml2 checks an entity's replacement text (for well-formedness and amplification) with a
// nested parser context that shares these callbacks and `_private`: what it reports is not
// document content, and is ignored.
#define VERSO_SAX_DOCUMENT_ONLY(ctx, s) if (!(s) || (xmlParserCtxtPtr)(ctx) != (s)->ctxt) return

static void verso_sax_start(void *ctx, const xmlChar *localName, const xmlChar *prefix, const xmlChar *uri,
                            int namespaceCount, const xmlChar **namespaces, int attributeCount,
                            int defaultedCount, const xmlChar **attributes) {
    verso_sax_state *s = verso_sax_of(ctx);
    VERSO_SAX_DOCUMENT_ONLY(ctx, s);
    verso_sax_event *e = verso_sax_push(s, VERSO_SAX_START);
    if (!e) return;
    e->localName = localName; e->prefix = prefix; e->uri = uri;
    e->elementLine = e->line;
    if (!verso_sax_reserve((void **)&s->lines, &s->lineCapacity, sizeof(long), s->depth + 1)) {
        s->outOfMemory = 1; xmlStopParser(s->ctxt); return;
    }
    s->lines[s->depth++] = e->line;
    e->firstNamespace = s->namespaceCount;
    if (namespaceCount > 0) {
        if (!verso_sax_reserve((void **)&s->namespaces, &s->namespaceCapacity, sizeof(verso_sax_namespace), s->namespaceCount + namespaceCount)) {
            s->outOfMemory = 1; xmlStopParser(s->ctxt); return;
        }
        for (int i = 0; i < namespaceCount; i++) {
            s->namespaces[s->namespaceCount].prefix = namespaces[2 * i];
            s->namespaces[s->namespaceCount].uri = namespaces[2 * i + 1];
            s->namespaceCount++;
        }
        e->namespaceCount = namespaceCount;
    }
    // Attributes a DTD would default are left out, as libxml2's own tree builder does without
    // XML_PARSE_DTDATTR.
    int count = attributeCount - defaultedCount;
    e->firstAttribute = s->attributeCount;
    if (count <= 0) return;
    if (!verso_sax_reserve((void **)&s->attributes, &s->attributeCapacity, sizeof(verso_sax_attribute), s->attributeCount + count)) {
        s->outOfMemory = 1; xmlStopParser(s->ctxt); return;
    }
    for (int i = 0; i < count; i++) {
        const xmlChar **a = attributes + 5 * i;
        const xmlChar *value = a[3];
        size_t length = (size_t)(a[4] - a[3]);
        verso_sax_attribute *attribute = &s->attributes[s->attributeCount++];
        attribute->localName = a[0]; attribute->prefix = a[1]; attribute->uri = a[2];
        attribute->valueOffset = verso_sax_append(s, value, length);
        attribute->valueLength = length;
        if (attribute->valueOffset == SIZE_MAX) return;
        if (!memchr(value, '&', length)) continue;
        // Without entity substitution libxml2 hands attribute values over with '&' written as
        // "&#38;" (for its tree builder to re-parse), and references to declared entities as
        // "&name;": decode the first, report the second like a reference in content.
        unsigned char *v = s->arena + attribute->valueOffset;
        size_t in = 0, out = 0;
        while (in < length) {
            if (v[in] != '&') { v[out++] = v[in++]; continue; }
            if (in + 5 <= length && memcmp(v + in, "&#38;", 5) == 0) { v[out++] = '&'; in += 5; continue; }
            // Copied out first: appending to the arena may move it.
            unsigned char name[256];
            size_t n = 0;
            for (size_t k = in + 1; k < length && v[k] != ';' && n < sizeof name; k++) name[n++] = v[k];
            verso_sax_event *r = verso_sax_push(s, VERSO_SAX_ENTITY);
            if (r) { r->textOffset = verso_sax_append(s, name, n); r->textLength = n; }
            xmlStopParser(s->ctxt);
            return;
        }
        v[out] = 0;
        attribute->valueLength = out;
    }
    e->attributeCount = count;
}

static void verso_sax_end(void *ctx, const xmlChar *localName, const xmlChar *prefix, const xmlChar *uri) {
    verso_sax_state *s = verso_sax_of(ctx);
    VERSO_SAX_DOCUMENT_ONLY(ctx, s);
    verso_sax_event *e = verso_sax_push(s, VERSO_SAX_END);
    if (!e) return;
    e->localName = localName; e->prefix = prefix; e->uri = uri;
    e->elementLine = s->depth > 0 ? s->lines[--s->depth] : e->line;
}

// Character data, CDATA sections and white space: adjacent pieces make one text event.
static void verso_sax_characters(void *ctx, const xmlChar *bytes, int length) {
    verso_sax_state *s = verso_sax_of(ctx);
    VERSO_SAX_DOCUMENT_ONLY(ctx, s);
    if (s->eventCount > 0) {
        verso_sax_event *last = &s->events[s->eventCount - 1];
        if (last->kind == VERSO_SAX_TEXT && last->textOffset + last->textLength + 1 == s->arenaLength) {
            // libxml2's own tree builder refuses a text node this long unless XML_PARSE_HUGE:
            // one piece of text is held whole, so it is what bounds memory.
            if (last->textLength + (size_t)length > XML_MAX_TEXT_LENGTH && !(s->ctxt->options & XML_PARSE_HUGE)) {
                s->textTooLong = 1;
                xmlStopParser(s->ctxt);
                return;
            }
            s->arenaLength -= 1;  // drop the NUL, append after the text
            if (verso_sax_append(s, bytes, (size_t)length) == SIZE_MAX) {
                s->arenaLength += 1;
                return;
            }
            last->textLength += (size_t)length;
            last->line = s->ctxt->input ? s->ctxt->input->line : 0;
            last->column = s->ctxt->input ? s->ctxt->input->col : 0;
            return;
        }
    }
    verso_sax_event *e = verso_sax_push(s, VERSO_SAX_TEXT);
    if (!e) return;
    e->textOffset = verso_sax_append(s, bytes, (size_t)length);
    e->textLength = e->textOffset == SIZE_MAX ? 0 : (size_t)length;
}

static void verso_sax_comment(void *ctx, const xmlChar *value) {
    verso_sax_state *s = verso_sax_of(ctx);
    VERSO_SAX_DOCUMENT_ONLY(ctx, s);
    if (s->ctxt->inSubset) return;  // comments inside the DTD are not document content
    verso_sax_event *e = verso_sax_push(s, VERSO_SAX_COMMENT);
    if (!e) return;
    size_t length = value ? strlen((const char *)value) : 0;
    e->textOffset = verso_sax_append(s, value, length);
    e->textLength = e->textOffset == SIZE_MAX ? 0 : length;
}

static void verso_sax_pi(void *ctx, const xmlChar *target, const xmlChar *data) {
    verso_sax_state *s = verso_sax_of(ctx);
    VERSO_SAX_DOCUMENT_ONLY(ctx, s);
    if (s->ctxt->inSubset) return;
    verso_sax_event *e = verso_sax_push(s, VERSO_SAX_PI);
    if (!e) return;
    size_t targetLength = target ? strlen((const char *)target) : 0;
    e->targetOffset = verso_sax_append(s, target, targetLength);
    e->targetLength = e->targetOffset == SIZE_MAX ? 0 : targetLength;
    size_t length = data ? strlen((const char *)data) : 0;
    e->textOffset = verso_sax_append(s, data, length);
    e->textLength = e->textOffset == SIZE_MAX ? 0 : length;
}

// Records the refusal of a reference to `name` and stops the parse there.
static void verso_sax_refuse(verso_sax_state *s, const xmlChar *name, int nested) {
    if (s->eventCount > 0 && s->events[s->eventCount - 1].kind == VERSO_SAX_ENTITY) return;
    verso_sax_event *e = verso_sax_push(s, VERSO_SAX_ENTITY);
    if (e) {
        size_t length = name ? strlen((const char *)name) : 0;
        e->textOffset = verso_sax_append(s, name, length);
        e->textLength = e->textOffset == SIZE_MAX ? 0 : length;
        e->refersToEntities = nested;
    }
    xmlStopParser(s->ctxt);
}

// A reference to an entity that is not predefined, in content: refused (see getEntity).
static void verso_sax_reference(void *ctx, const xmlChar *name) {
    verso_sax_state *s = verso_sax_of(ctx);
    VERSO_SAX_DOCUMENT_ONLY(ctx, s);
    verso_sax_refuse(s, name, 0);
}

// Entities are looked up here before anything uses them. In the document (not in the DTD) a
// declared entity is refused at once, before libxml2 parses its replacement text to check it:
// nothing is ever expanded, and no entity text is parsed over and over (a small file whose
// entities refer to big ones would otherwise cost quadratic time). Predefined entities (&amp;…)
// and the DTD's own lookups are libxml2's.
static xmlEntityPtr verso_sax_get_entity(void *ctx, const xmlChar *name) {
    xmlParserCtxtPtr ctxt = (xmlParserCtxtPtr)ctx;
    xmlEntityPtr entity = xmlSAX2GetEntity(ctx, name);
    verso_sax_state *s = verso_sax_of(ctx);
    if (!s || ctxt != s->ctxt || ctxt->inSubset != 0) return entity;
    if (entity && entity->etype == XML_INTERNAL_PREDEFINED_ENTITY) return entity;
    if (!entity) return NULL;  // undeclared: libxml2 reports it as a well-formedness error
    int nested = entity->content && strchr((const char *)entity->content, '&') != NULL;
    verso_sax_refuse(s, name, nested);
    return NULL;
}

static void verso_sax_error(void *ctx, xmlErrorPtr error) {
    verso_sax_state *s = verso_sax_of(ctx);
    if (!s) return;
    // Errors that do not stop libxml2 (namespace errors) must still stop the events there.
    if (error && error->level >= XML_ERR_ERROR && s->eventsBeforeError < 0) s->eventsBeforeError = s->eventCount;
    if (s->errorHandler) s->errorHandler(s->errorContext, error);
}

// A parser for one document, created with no input: libxml2 detects the encoding from the first
// chunk fed, once its errors can reach the handler. NULL when out of memory.
static inline verso_sax_state *verso_sax_new(int options, xmlStructuredErrorFunc errorHandler, void *errorContext) {
    verso_sax_state *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    xmlSAXHandler sax;
    memset(&sax, 0, sizeof sax);
    xmlSAXVersion(&sax, 2);
    sax.startElementNs = verso_sax_start;
    sax.endElementNs = verso_sax_end;
    sax.characters = verso_sax_characters;
    sax.ignorableWhitespace = verso_sax_characters;
    sax.cdataBlock = verso_sax_characters;
    sax.comment = verso_sax_comment;
    sax.processingInstruction = verso_sax_pi;
    sax.reference = verso_sax_reference;
    sax.getEntity = verso_sax_get_entity;
    sax.serror = verso_sax_error;
    sax.warning = NULL;
    sax.error = NULL;
    sax.fatalError = NULL;
    s->errorHandler = errorHandler;
    s->errorContext = errorContext;
    s->eventsBeforeError = -1;
    s->ctxt = xmlCreatePushParserCtxt(&sax, NULL, NULL, 0, NULL);
    if (!s->ctxt) { free(s); return NULL; }
    s->ctxt->_private = s;
    xmlCtxtUseOptions(s->ctxt, options);
    return s;
}

// Forgets the events handed out; a text event at the end is kept (moved to the front) when
// `keepText`, so that text split across chunks still comes out as one event.
static inline void verso_sax_reset(verso_sax_state *s, int keepText) {
    if (keepText && s->eventCount > 0 && s->events[s->eventCount - 1].kind == VERSO_SAX_TEXT) {
        verso_sax_event text = s->events[s->eventCount - 1];
        memmove(s->arena, s->arena + text.textOffset, text.textLength + 1);
        text.textOffset = 0;
        s->events[0] = text;
        s->eventCount = 1;
        s->arenaLength = text.textLength + 1;
    } else {
        s->eventCount = 0;
        s->arenaLength = 0;
    }
    s->attributeCount = 0;
    s->namespaceCount = 0;
    if (s->eventsBeforeError >= 0) s->eventsBeforeError = 0;
}

static inline int verso_sax_feed(verso_sax_state *s, const char *bytes, int length, int terminate) {
    return xmlParseChunk(s->ctxt, bytes, length, terminate);
}

static inline const xmlChar *verso_sax_intern(verso_sax_state *s, const char *name) {
    return xmlDictLookup(s->ctxt->dict, (const xmlChar *)name, -1);
}

// The name of the encoding the input is decoded from, NULL for UTF-8 read as is.
static inline const char *verso_sax_encoding_name(verso_sax_state *s) {
    xmlParserInputPtr input = s->ctxt->input;
    if (input && input->buf && input->buf->encoder && input->buf->encoder->name) return input->buf->encoder->name;
    return (const char *)s->ctxt->encoding;
}

static inline long verso_sax_parser_line(verso_sax_state *s) { return s->ctxt->input ? s->ctxt->input->line : 0; }
static inline long verso_sax_parser_column(verso_sax_state *s) { return s->ctxt->input ? s->ctxt->input->col : 0; }

static inline void verso_sax_free(verso_sax_state *s) {
    if (!s) return;
    if (s->ctxt) {
        if (s->ctxt->myDoc) xmlFreeDoc(s->ctxt->myDoc);
        s->ctxt->myDoc = NULL;
        xmlFreeParserCtxt(s->ctxt);
    }
    free(s->events); free(s->attributes); free(s->namespaces); free(s->arena); free(s->lines);
    free(s);
}
#endif
