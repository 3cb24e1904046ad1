// CICU: the few ICU C functions Verso's segmenter needs (regular expressions and the sentence
// break iterator), behind a header that mentions no ICU type.
//
// Why a wrapper: Debian's ICU renames every function with a version suffix (`uregex_open_72`) and
// its headers clash with the ICU that Foundation bundles ("'UErrorCode' has different definitions
// in different modules") in any Swift module that imports Foundation and can see them. Here the ICU
// headers are included only by CICU.c; Swift sees opaque structs and stdint types.
//
// Text is UTF-16 (`uint16_t`, ICU's UChar); offsets are UTF-16 code unit indexes. The caller owns
// the text buffer and keeps it alive and unchanged while a regex or break iterator refers to it.
#ifndef CICU_H
#define CICU_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// A compiled ICU regular expression together with its matcher state. Not thread-safe: one
/// thread at a time; use `cicu_regex_clone` to get an independent matcher for another thread.
typedef struct CICURegex CICURegex;

/// An ICU sentence break iterator. Not thread-safe.
typedef struct CICUBreakIterator CICUBreakIterator;

/// Flags for `cicu_regex_open` (the values of ICU's URegexpFlag).
enum {
    CICU_REGEX_CASE_INSENSITIVE = 2,
    CICU_REGEX_COMMENTS = 4,
    CICU_REGEX_DOTALL = 32,
    CICU_REGEX_MULTILINE = 8,
    CICU_REGEX_UWORD = 256
};

/// Compiles `pattern` (UTF-16, `length` code units). On failure returns NULL and sets `*status` to
/// the ICU error code (non-zero), `*errorLine` and `*errorOffset` to the 1-based line and the
/// code unit offset in that line where ICU found the problem (-1 when unknown).
CICURegex *cicu_regex_open(const uint16_t *pattern, int32_t length, uint32_t flags,
                           int32_t *status, int32_t *errorLine, int32_t *errorOffset);

/// An independent matcher sharing the compiled pattern (for use on another thread). NULL on failure.
CICURegex *cicu_regex_clone(const CICURegex *regex);

/// Frees a regex (NULL is allowed).
void cicu_regex_close(CICURegex *regex);

/// Sets the text to match against; the text is not copied. Returns 0 or an ICU error code.
int32_t cicu_regex_set_text(CICURegex *regex, const uint16_t *text, int32_t length);

/// Anchored match starting exactly at `index` (the whole text stays visible to look-behind and
/// `^`). Returns the end of the match, or -1 when there is none.
int32_t cicu_regex_looking_at(CICURegex *regex, int32_t index);
/// Like cicu_regex_looking_at, but the match may not extend past `limit` (a UTF-16 index);
/// look-arounds still see the text beyond it.
int32_t cicu_regex_looking_at_within(CICURegex *regex, int32_t index, int32_t limit);

/// Searches for the first match starting at or after `index`. Returns 1 and sets `*start`/`*end`
/// when found, 0 when not found.
int32_t cicu_regex_find(CICURegex *regex, int32_t index, int32_t *start, int32_t *end);

/// ICU's symbolic name for an error code (`U_REGEX_RULE_SYNTAX`).
const char *cicu_error_name(int32_t status);

/// The ICU version string ("72.1").
const char *cicu_version(void);

/// Opens a sentence break iterator for a locale ("fr", "en_US"). NULL on failure.
CICUBreakIterator *cicu_sentence_break_open(const char *locale, int32_t *status);

/// Frees a break iterator (NULL is allowed).
void cicu_break_close(CICUBreakIterator *iterator);

/// Sets the text (not copied). Returns 0 or an ICU error code.
int32_t cicu_break_set_text(CICUBreakIterator *iterator, const uint16_t *text, int32_t length);

/// The next boundary after the current one, or -1 when done (the end of the text is reported).
int32_t cicu_break_next(CICUBreakIterator *iterator);

/// Simple Unicode case folding of one code point (as ICU's case-insensitive matching does).
uint32_t cicu_fold_case(uint32_t codePoint);

/// Adds the BMP code points of an ICU UnicodeSet pattern (`[\p{Lu}]`) to `bits`, 1024 words of
/// one bit per UTF-16 code unit. Returns 0, or -1 when ICU rejects the pattern or the set holds
/// strings (then nothing is written).
int32_t cicu_set_bmp_bits(const uint16_t *pattern, int32_t length, uint64_t *bits);

#ifdef __cplusplus
}
#endif

#endif
