/*
 * tokenize.h - (private) splits text into word spans with byte offsets in
 * the original text: Dutch words with their apostrophe plurals, hyphenated
 * words and elliptic compounds, abbreviations, numbers, e-mail addresses
 * and URLs. It decides only where tokens are and what kind; lib/analyze.c
 * turns each span into a form, lemma and stem.
 */
#ifndef VIND_LIB_TOKENIZE_H
#define VIND_LIB_TOKENIZE_H

#include <stddef.h>
#include <vind/analyze.h>
#include <vind/status.h>

typedef enum {
    VIND_SPAN_WORD = 0, /* "Cliënten", "auto's" (form "auto"), "zo'n", "covid19" */
    VIND_SPAN_NUMBER,   /* "2021", "3,5", "1.000", "35 538" */
    VIND_SPAN_URL,      /* "https://www.rivm.nl/corona", "www.rivm.nl", "coronamelder.nl" */
    VIND_SPAN_EMAIL,    /* "info@rivm.nl" */
    VIND_SPAN_ABBREV,   /* "o.a.", "d.w.z.", "bijv.", "t/m" */
    VIND_SPAN_NAME,     /* "'s-Hertogenbosch", "'s-Gravenhage": one name */
    VIND_SPAN_CLITIC,   /* "'t", "'s", "'n": short articles, always stop words */
} vind_span_kind_t;

typedef struct {
    size_t start;                /* first byte of the surface in the text */
    size_t end;                  /* just past the surface ("zorg-" includes its hyphen) */
    size_t form_end;             /* the form is made of [start, form_end): "auto's" -> "auto" */
    unsigned char kind;          /* vind_span_kind_t */
    unsigned char hyphen_next;   /* the next span is the next part of this hyphenated word */
    unsigned char elliptic;      /* "zorg-" of "zorg- en onderwijsvernieuwing" */
    unsigned char elliptic_tail; /* "-beleid" of "onderwijsvernieuwing en -beleid" */
} vind_span_t;

/* A growing array of spans; reused across calls to save allocations. */
typedef struct {
    vind_span_t *items;
    size_t count;
    size_t capacity;
} vind_spans_t;

/*
 * Replaces spans->items with the spans of len bytes of text (any bytes:
 * invalid UTF-8, NUL bytes and private-use characters separate words).
 * Spans are in text order, never overlap, and start and end on UTF-8
 * character boundaries. lang selects the Dutch abbreviation list.
 *
 * Return value: VIND_OK; VIND_NOMEM (spans->count is then 0).
 */
vind_status_t vind_tokenize(const char *text, size_t len, vind_lang_t lang, vind_spans_t *spans,
                            char **errmsg);

/* Frees the array (not the struct). */
void vind_spans_release(vind_spans_t *spans);

#endif
