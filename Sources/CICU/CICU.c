// The only file that includes ICU's headers (see CICU.h for why).
#include "CICU.h"

#include <stdlib.h>
#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/uregex.h>
#include <unicode/uset.h>
#include <unicode/utypes.h>
#include <unicode/uversion.h>

struct CICURegex {
    URegularExpression *regex;
};

struct CICUBreakIterator {
    UBreakIterator *iterator;
};

CICURegex *cicu_regex_open(const uint16_t *pattern, int32_t length, uint32_t flags,
                           int32_t *status, int32_t *errorLine, int32_t *errorOffset) {
    UErrorCode code = U_ZERO_ERROR;
    UParseError parseError;
    parseError.line = -1;
    parseError.offset = -1;
    URegularExpression *regex = uregex_open((const UChar *)pattern, length, flags, &parseError, &code);
    *status = (int32_t)code;
    *errorLine = parseError.line;
    *errorOffset = parseError.offset;
    if (U_FAILURE(code)) {
        if (regex != NULL) uregex_close(regex);
        return NULL;
    }
    CICURegex *result = malloc(sizeof(CICURegex));
    if (result == NULL) {
        uregex_close(regex);
        *status = (int32_t)U_MEMORY_ALLOCATION_ERROR;
        return NULL;
    }
    result->regex = regex;
    return result;
}

CICURegex *cicu_regex_clone(const CICURegex *regex) {
    UErrorCode code = U_ZERO_ERROR;
    URegularExpression *copy = uregex_clone(regex->regex, &code);
    if (U_FAILURE(code)) {
        if (copy != NULL) uregex_close(copy);
        return NULL;
    }
    CICURegex *result = malloc(sizeof(CICURegex));
    if (result == NULL) {
        uregex_close(copy);
        return NULL;
    }
    result->regex = copy;
    return result;
}

void cicu_regex_close(CICURegex *regex) {
    if (regex == NULL) return;
    uregex_close(regex->regex);
    free(regex);
}

int32_t cicu_regex_set_text(CICURegex *regex, const uint16_t *text, int32_t length) {
    UErrorCode code = U_ZERO_ERROR;
    static const UChar empty[1] = {0};
    uregex_setText(regex->regex, text != NULL ? (const UChar *)text : empty, length, &code);
    return (int32_t)code;
}

int32_t cicu_regex_looking_at(CICURegex *regex, int32_t index) {
    UErrorCode code = U_ZERO_ERROR;
    UBool found = uregex_lookingAt(regex->regex, index, &code);
    if (U_FAILURE(code) || !found) return -1;
    int32_t end = uregex_end(regex->regex, 0, &code);
    return U_FAILURE(code) ? -1 : end;
}

int32_t cicu_regex_looking_at_within(CICURegex *regex, int32_t index, int32_t limit) {
    UErrorCode code = U_ZERO_ERROR;
    // Transparent bounds: look-arounds and \b still see past the limit; no anchoring bounds:
    // `$` does not match at the limit, only at the real end of the text.
    uregex_setRegion(regex->regex, index, limit, &code);
    uregex_useTransparentBounds(regex->regex, 1, &code);
    uregex_useAnchoringBounds(regex->regex, 0, &code);
    if (U_FAILURE(code)) return -1;
    UBool found = uregex_lookingAt(regex->regex, -1, &code);
    if (U_FAILURE(code) || !found) return -1;
    int32_t end = uregex_end(regex->regex, 0, &code);
    return U_FAILURE(code) ? -1 : end;
}

int32_t cicu_regex_find(CICURegex *regex, int32_t index, int32_t *start, int32_t *end) {
    UErrorCode code = U_ZERO_ERROR;
    UBool found = uregex_find(regex->regex, index, &code);
    if (U_FAILURE(code) || !found) return 0;
    *start = uregex_start(regex->regex, 0, &code);
    *end = uregex_end(regex->regex, 0, &code);
    return U_FAILURE(code) ? 0 : 1;
}

const char *cicu_error_name(int32_t status) {
    return u_errorName((UErrorCode)status);
}

const char *cicu_version(void) {
    return U_ICU_VERSION;
}

CICUBreakIterator *cicu_sentence_break_open(const char *locale, int32_t *status) {
    UErrorCode code = U_ZERO_ERROR;
    UBreakIterator *iterator = ubrk_open(UBRK_SENTENCE, locale, NULL, 0, &code);
    *status = (int32_t)code;
    if (U_FAILURE(code)) {
        if (iterator != NULL) ubrk_close(iterator);
        return NULL;
    }
    CICUBreakIterator *result = malloc(sizeof(CICUBreakIterator));
    if (result == NULL) {
        ubrk_close(iterator);
        *status = (int32_t)U_MEMORY_ALLOCATION_ERROR;
        return NULL;
    }
    result->iterator = iterator;
    return result;
}

void cicu_break_close(CICUBreakIterator *iterator) {
    if (iterator == NULL) return;
    ubrk_close(iterator->iterator);
    free(iterator);
}

int32_t cicu_break_set_text(CICUBreakIterator *iterator, const uint16_t *text, int32_t length) {
    UErrorCode code = U_ZERO_ERROR;
    static const UChar empty[1] = {0};
    ubrk_setText(iterator->iterator, text != NULL ? (const UChar *)text : empty, length, &code);
    return (int32_t)code;
}

int32_t cicu_break_next(CICUBreakIterator *iterator) {
    int32_t next = ubrk_next(iterator->iterator);
    return next == UBRK_DONE ? -1 : next;
}

uint32_t cicu_fold_case(uint32_t codePoint) {
    return (uint32_t)u_foldCase((UChar32)codePoint, U_FOLD_CASE_DEFAULT);
}

int32_t cicu_set_bmp_bits(const uint16_t *pattern, int32_t length, uint64_t *bits) {
    UErrorCode code = U_ZERO_ERROR;
    USet *set = uset_openPattern((const UChar *)pattern, length, &code);
    if (U_FAILURE(code) || set == NULL) {
        if (set != NULL) uset_close(set);
        return -1;
    }
    int32_t count = uset_getItemCount(set);
    // Strings first: a set holding any is refused before anything is written.
    for (int32_t i = 0; i < count; i++) {
        UChar32 start, end;
        UErrorCode itemCode = U_ZERO_ERROR;
        if (uset_getItem(set, i, &start, &end, NULL, 0, &itemCode) != 0) {
            uset_close(set);
            return -1;
        }
    }
    for (int32_t i = 0; i < count; i++) {
        UChar32 start, end;
        UErrorCode itemCode = U_ZERO_ERROR;
        uset_getItem(set, i, &start, &end, NULL, 0, &itemCode);
        if (start > 0xFFFF) break;
        if (end > 0xFFFF) end = 0xFFFF;
        for (UChar32 c = start; c <= end; c++) bits[c >> 6] |= (uint64_t)1 << (c & 63);
    }
    uset_close(set);
    return 0;
}
