/*
 * analyze.c - the one analyzer pipeline: tokenise (lib/tokenize.c), then for
 * each token normalise (lib/normalize.c), flag stop words, find the lemma
 * (lib/lexicon.c), stem it (lib/stem.c) and add compound parts, the joined
 * whole of hyphenated words and elliptic completions as extra terms.
 *
 * Indexing, queries, snippets and highlighting all come through here, so
 * "Cliënten" in a report and "client" typed in the search box meet at the
 * term "client".
 *
 * Speed: the indexer sends every word of the corpus through this file. All
 * strings of one result live in a few large arena chunks (no malloc per
 * token), ASCII words are normalised without allocating, and the analysis of
 * a word form (lemma, stem, compound parts) is cached per analyzer, since
 * text repeats its words (Zipf): most tokens cost one hash lookup.
 */
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <vind/analyze.h>
#include <vind/limits.h>
#include "english.h"
#include "error.h"
#include "lexicon.h"
#include "lexicon_format.h"
#include "lexicon_lookup.h"
#include "normalize.h"
#include "stem.h"
#include "tokenize.h"
#include "tokens_memory.h"

/* Extra terms one token may carry: compound parts, the joined hyphenated
 * word, an elliptic completion, the words of a URL. */
#define MAX_EXTRA 24u
/* Compound parts asked of vind_compound_split. */
#define MAX_COMPOUND_PARTS 8u
/* Cached word analyses per language before the cache starts afresh. */
#define CACHE_ENTRIES 65536u
/* Bytes of the original text normalised for one form: enough for
 * VIND_MAX_TERM_BYTES after invisible characters and decomposition, while a
 * 1 MB "word" costs no more than a short one. */
#define FORM_SOURCE_BYTES (8u * VIND_MAX_TERM_BYTES)
/* Spans searched after "zorg-" for "en onderwijsvernieuwing". */
#define ELLIPSIS_LOOKAHEAD 8u

/* The cached analysis of one normalised Dutch or English word form:
 * data holds lemma, stem and extra_count extra terms, each NUL-terminated. */
typedef struct {
    unsigned extra_count;
    unsigned held; /* bytes its key, itself and its hash slots take (cache_bytes) */
    char data[];
} word_entry_t;

struct vind_analyzer {
    const vind_lexicon_t *lexicon;
    vind_english_t *english;     /* English lemmas; NULL: Snowball's stems alone */
    vind_stemmer_t *stemmers[2]; /* by vind_lang_t */
    /* form -> word_entry_t, by vind_lang_t: the current generation of the
     * cache and the one before it (analyze_form) */
    GHashTable *cache[2];
    GHashTable *older[2];
    size_t cache_bytes[2]; /* what each table holds, as word_entry_t.held counts */
    size_t older_bytes[2];
    size_t table_bytes;    /* the most bytes of one table before it turns */
    vind_spans_t spans;
    GString *form;    /* the form of the token being built */
    GString *scratch; /* forms of neighbouring spans, joined words, completions */
    GString *entry;   /* a word entry being built */
};

typedef struct arena_chunk {
    struct arena_chunk *next;
    size_t used;
    size_t size;
    char data[];
} arena_chunk_t;

struct vind_tokens {
    vind_token_t *items;
    size_t count;
    size_t capacity;
    arena_chunk_t *chunks;
};

static const char *const no_extra[1] = {NULL};

/* ---- the arena that owns every string of a vind_tokens_t ---- */

/* Chunks grow from ARENA_FIRST to ARENA_LARGEST bytes, doubling: the
 * strings of a query of a few words fit the first (a searcher's word memo
 * keeps thousands of such results: with 64 kB chunks from the start, each
 * held 64 kB, 530 MB a searcher, session 15), a page's text reaches the
 * large chunks after eight more mallocs. */
#define ARENA_FIRST 256u
#define ARENA_LARGEST 65536u

static void *arena_alloc(vind_tokens_t *tokens, size_t size)
{
    size = (size + sizeof(void *) - 1) & ~(sizeof(void *) - 1);
    arena_chunk_t *chunk = tokens->chunks;
    if (chunk == NULL || chunk->size - chunk->used < size) {
        size_t grown = chunk ? 2 * (sizeof *chunk + chunk->size) : ARENA_FIRST;
        grown = (grown < ARENA_LARGEST ? grown : ARENA_LARGEST) - sizeof *chunk;
        size_t chunk_size = size > grown ? size : grown;
        chunk = malloc(sizeof *chunk + chunk_size);
        if (chunk == NULL)
            return NULL;
        chunk->next = tokens->chunks;
        chunk->used = 0;
        chunk->size = chunk_size;
        tokens->chunks = chunk;
    }
    void *p = chunk->data + chunk->used;
    chunk->used += size;
    return p;
}

static const char *arena_strndup(vind_tokens_t *tokens, const char *s, size_t n)
{
    char *copy = arena_alloc(tokens, n + 1);
    if (copy == NULL)
        return NULL;
    memcpy(copy, s, n);
    copy[n] = '\0';
    return copy;
}

/* ---- small string helpers ---- */

/* The longest prefix of s (len bytes) of at most max bytes that ends on a
 * UTF-8 character boundary. */
static size_t utf8_cut(const char *s, size_t len, size_t max)
{
    if (len <= max)
        return len;
    size_t n = max;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    return n;
}

static void cut_term(GString *s)
{
    g_string_truncate(s, utf8_cut(s->str, s->len, VIND_MAX_TERM_BYTES));
}

static int ends_with(const char *s, size_t len, const char *suffix)
{
    size_t n = strlen(suffix);
    return n <= len && memcmp(s + len - n, suffix, n) == 0;
}

/* ---- word analysis: lemma, stem, compound parts ---- */

typedef struct {
    const char *items[MAX_EXTRA];
    size_t count;
} extra_list_t;

static int extra_add(extra_list_t *list, const char *term, const char *stem)
{
    if (term == NULL || term[0] == '\0' || strcmp(term, stem) == 0)
        return 0;
    for (size_t k = 0; k < list->count; k++)
        if (strcmp(list->items[k], term) == 0)
            return 0;
    if (list->count == MAX_EXTRA)
        return 0;
    list->items[list->count++] = term;
    return 1;
}

/* Appends the Snowball stem of word to out, cut to VIND_MAX_TERM_BYTES. */
static void append_stem(vind_analyzer_t *analyzer, vind_lang_t lang, const char *word, size_t len,
                        GString *out)
{
    size_t stem_length = 0;
    const char *stem = vind_stemmer_stem(analyzer->stemmers[lang], word, len, &stem_length);
    if (stem == NULL || stem_length == 0) {
        /* word may lie inside out, which the append may move: copy it first. */
        char *copy = g_strndup(word, utf8_cut(word, len, VIND_MAX_TERM_BYTES));
        g_string_append(out, copy);
        g_free(copy);
        return;
    }
    g_string_append_len(out, stem, (gssize)utf8_cut(stem, stem_length, VIND_MAX_TERM_BYTES));
}

/*
 * Appends the index term of a word to out: its lemma when the lexicon knows
 * the word (known), else the Snowball stem of lemma. Snowball must not undo
 * what the lexicon knows apart: "kans" is not "kan", "boom" not "bom",
 * "raad" not "rad". Snowball stays for words the lexicon lacks (names, new
 * compounds, English), where it is the best guess there is.
 *
 * A term is never a stop word unless the word (form) is one: "wezen" must
 * not become "zijn", an unknown word must not stem into "die". Then the
 * form itself is the term. Costs one bsearch in the stop list per new form.
 */
/*
 * Whether form is the stem of infinitive (or of a noun's -en plural, the
 * same spelling rule) by Dutch spelling: infinitive = stem + "en", with the
 * stem's double vowel written single in the open syllable ("maar" ->
 * "maren", "waar" -> "waren") or its last consonant doubled after a short
 * vowel ("men" -> "mennen"): "uit" of "uiten", not "zou" of "zullen".
 */
static int is_en_stem_of(const char *form, const char *infinitive)
{
    size_t f = strlen(form), n = strlen(infinitive);
    if (n < 4 || f < 2 || !ends_with(infinitive, n, "en"))
        return 0;
    size_t b = n - 2; /* the infinitive's body: "mar", "menn", "uit" */
    if (b == f)
        return memcmp(form, infinitive, f) == 0;
    if (b == f + 1) /* doubled consonant: "menn" = "men" + "n" */
        return memcmp(form, infinitive, f) == 0 && infinitive[b - 1] == infinitive[b - 2];
    if (b + 1 == f && f >= 3) /* single vowel: "mar" = "maar" less one "a" */
        return form[f - 2] == form[f - 3] && memcmp(form, infinitive, f - 2) == 0 &&
               form[f - 1] == infinitive[b - 1];
    return 0;
}

/*
 * Whether a word the Dutch lexicon lacks, in a Dutch text, is a word of the
 * English list (wamerican) to be read as English, and then its English
 * lemma. Dutch Snowball reads an English word as Dutch: "note" -> "not",
 * "less" -> "les", "good" -> "god", "template" -> "templat" while
 * "templates" stays; the English lemma keeps "note" apart from "not" and
 * puts "templates" on "template". Two kinds keep Snowball's stem: an English
 * stop word (the form itself, mostly) and a cognate of a Dutch word
 * (VIND_LEX_COGNATE: "process" stays on "proces"). Costs a bisection of the
 * English list and, for a word of it, a lexicon look-up, per new unknown
 * form (the word cache keeps the answer).
 */
static int is_english_word(const vind_analyzer_t *analyzer, vind_lang_t lang, const char *word,
                           size_t len, const char **lemma, size_t *lemma_length)
{
    if (lang != VIND_LANG_NL || !vind_english_lemma(analyzer->english, word, len, lemma, lemma_length))
        return 0;
    if (vind_lexicon_flags(analyzer->lexicon, *lemma, *lemma_length) & VIND_LEX_COGNATE)
        return 0;
    char *copy = g_strndup(word, len);
    int stop = vind_is_stopword(analyzer->lexicon, copy, VIND_LANG_EN);
    g_free(copy);
    return !stop;
}

static void append_term(vind_analyzer_t *analyzer, vind_lang_t lang, const char *form,
                        const char *lemma, size_t lemma_length, int known, GString *out)
{
    size_t offset = out->len;
    const char *english_lemma = NULL;
    size_t english_length = 0;
    if (known)
        g_string_append_len(out, lemma, (gssize)lemma_length);
    else if (is_english_word(analyzer, lang, lemma, lemma_length, &english_lemma, &english_length))
        g_string_append_len(out, english_lemma, (gssize)english_length);
    else
        append_stem(analyzer, lang, lemma, lemma_length, out);
    /* A term is a stop word only when the word is one, and a stop word is no
     * content verb's stem: the lexicon reads "uit" as the stem of "uiten",
     * "maar" of "maren", "men" of "mennen", "zonder" of "zonderen"; as terms
     * they put every "uit" on "geuit". Nor is a stop word a content word's
     * -en plural by spelling: "waren" (were) read as the plural of "waar"
     * (wares) put every "waren" on "waar" (true, where). Irregular forms keep
     * their verb ("zou" -> "zullen", "had" -> "hebben"). Two stop-list
     * look-ups (binary search, ~100 ns), once per distinct word (the word
     * cache keeps it). */
    const char *term = out->str + offset;
    int term_is_stop = vind_is_stopword(analyzer->lexicon, term, lang);
    int form_is_stop = vind_is_stopword(analyzer->lexicon, form, lang);
    if ((term_is_stop && !form_is_stop) ||
        (form_is_stop && !term_is_stop &&
         (is_en_stem_of(form, term) || is_en_stem_of(term, form)))) {
        g_string_truncate(out, offset);
        g_string_append(out, form);
    }
    g_string_truncate(out,
                      offset + utf8_cut(out->str + offset, out->len - offset, VIND_MAX_TERM_BYTES));
}

/* The lexicon's lemma of a normalised form, or the form itself; *known says
 * whether the lexicon has the word at all. */
static const char *lemma_of(const vind_analyzer_t *analyzer, const char *form, int *known)
{
    const char *lemma = vind_lexicon_lemma(analyzer->lexicon, form);
    *known = lemma != NULL || vind_lexicon_has_word(analyzer->lexicon, form);
    return lemma ? lemma : form;
}

/*
 * Appends the term of a compound part to the entry unless it is the main
 * term or an earlier part's ("zorgzorg" is one term); returns 1 if added.
 * written is the part as the compound writes it, its linker included
 * (written_length bytes). The lemma of that form, when the lexicon has one,
 * is the part's lemma: "gegevens" (of "gegevensbescherming") is the plural
 * of the noun "gegeven", as it is standing alone, while "gegeven", the part
 * without its -s, is read alone as the participle of "geven". Lemmatising
 * the part without its linker would reduce the noun one step further, to
 * another word. Costs one look-up more for a part with a linker.
 */
static int append_part_term(vind_analyzer_t *analyzer, const char *part, const char *written,
                            size_t written_length, size_t term_offset)
{
    GString *entry = analyzer->entry;
    int known = 0;
    const char *part_lemma = NULL;
    if (written_length > strlen(part))
        part_lemma = vind_lexicon_lemma_range(analyzer->lexicon, written, written_length);
    if (part_lemma)
        known = 1;
    else
        part_lemma = lemma_of(analyzer, part, &known);
    size_t offset = entry->len;
    append_term(analyzer, VIND_LANG_NL, part, part_lemma, strlen(part_lemma), known, entry);
    const char *part_term = entry->str + offset;
    int duplicate = entry->len == offset;
    for (const char *p = entry->str + term_offset; !duplicate && p < part_term; p += strlen(p) + 1)
        duplicate = strcmp(p, part_term) == 0;
    if (duplicate) {
        g_string_truncate(entry, offset);
        return 0;
    }
    g_string_append_c(entry, '\0');
    return 1;
}

/*
 * A noun plural that is also the infinitive of a verb of another meaning
 * (VIND_LEX_VERB_TOO: "kiezen", molars and to choose; "boeken") has its
 * noun's term and the infinitive as an extra term, which the verb's other
 * forms have as their term ("gekozen" -> "kiezen"): one spelling, both
 * words, while "kies" and "gekozen" stay apart (docs/morphology.md, "Verb
 * and noun"). Returns 1 if added. Costs one lexicon look-up per new form.
 */
static int append_verb_term(vind_analyzer_t *analyzer, const char *form, size_t len,
                            size_t term_offset)
{
    if (!(vind_lexicon_flags(analyzer->lexicon, form, len) & VIND_LEX_VERB_TOO))
        return 0;
    GString *entry = analyzer->entry;
    if (strcmp(entry->str + term_offset, form) == 0)
        return 0;
    size_t offset = entry->len;
    append_term(analyzer, VIND_LANG_NL, form, form, len, 1, entry);
    if (entry->len == offset)
        return 0;
    g_string_append_c(entry, '\0');
    return 1;
}

/*
 * Builds the entry of a Dutch form into analyzer->entry: lemma from the
 * lexicon, else, for a compound whose head the lexicon knows, the form with
 * its head lemmatised ("verpleeghuizen" -> "verpleeg" + lemma("huizen") =
 * "verpleeghuis"), else the form itself; then its term (append_term) and
 * the terms of its compound parts ("verpleeghuiszorg" -> "verpleeghuis",
 * "zorg").
 */
static void build_dutch_entry(vind_analyzer_t *analyzer, const char *form, size_t len,
                              unsigned *extra_count)
{
    GString *entry = analyzer->entry;
    char *parts[MAX_COMPOUND_PARTS];
    size_t written[MAX_COMPOUND_PARTS];
    size_t part_count = 0;
    if (len >= 5)
        part_count = vind_compound_split_written(analyzer->lexicon, form, parts, written,
                                                 MAX_COMPOUND_PARTS);

    int known = 0;
    const char *lemma = lemma_of(analyzer, form, &known);
    /* An English stop word that is no Dutch one is English in a Dutch text,
     * not a rare Dutch form of another word: "at" (286 times in the corpus,
     * all English) is no past of "eten". The only such word with a lemma of
     * OpenTaal's; the others are unknown and keep Snowball's stem. Two
     * stop-list look-ups for a word with a lemma, once per distinct word. */
    if (lemma != form && vind_is_stopword(analyzer->lexicon, form, VIND_LANG_EN) &&
        !vind_is_stopword(analyzer->lexicon, form, VIND_LANG_NL))
        lemma = form;
    g_string_truncate(entry, 0);
    if (!known && part_count >= 2 && ends_with(form, len, parts[part_count - 1])) {
        /* The head is a known word, so the whole is known as well as it. */
        const char *head = parts[part_count - 1];
        const char *head_lemma = lemma_of(analyzer, head, &known);
        g_string_append_len(entry, form, (gssize)(len - strlen(head)));
        g_string_append(entry, head_lemma);
    } else {
        g_string_append(entry, lemma);
    }
    cut_term(entry);
    size_t lemma_length = entry->len;
    g_string_append_c(entry, '\0');
    size_t term_offset = entry->len;
    /* entry->str may move while the term is appended: lemma from a copy. */
    char *lemma_copy = g_strndup(entry->str, lemma_length);
    append_term(analyzer, VIND_LANG_NL, form, lemma_copy, lemma_length, known, entry);
    g_free(lemma_copy);
    g_string_append_c(entry, '\0');

    /* An English word the Dutch list lacks is no Dutch compound: "variables"
     * is no "varia" + "bles", "tampering" no "tampen" + "ring" (VIND_LEX_ENGLISH,
     * from Debian's wamerican). Its term stays as the split made it
     * ("alternatives" -> "alternative"); only the parts go. One look-up more
     * per new form with parts. */
    int english = part_count >= 2 &&
                  (vind_lexicon_flags(analyzer->lexicon, form, len) & VIND_LEX_ENGLISH);
    *extra_count = 0;
    const char *written_at = form;
    for (size_t k = 0; k < part_count; k++) {
        if (part_count >= 2 && !english)
            *extra_count += (unsigned)append_part_term(analyzer, parts[k], written_at, written[k],
                                                       term_offset);
        written_at += written[k];
        free(parts[k]);
    }
    *extra_count += (unsigned)append_verb_term(analyzer, form, len, term_offset);
}

/*
 * Builds the entry of an English form into analyzer->entry. A word of the
 * English list (wamerican) has its lemma as its term: an inflection undone
 * ("stopped" -> "stop", "companies" -> "company", "faster" -> "fast"), a
 * derivation left alone ("manager" and "management" stay two terms, where
 * Snowball made both "manag"; english/mklemmas.py has the rules). A stop
 * word and a word the list lacks (a name, jargon) keep Snowball's stem. No
 * compounds. Costs one bisection of the list per new form.
 */
static void build_english_entry(vind_analyzer_t *analyzer, const char *form, size_t len)
{
    GString *entry = analyzer->entry;
    const char *lemma = form;
    size_t lemma_length = len;
    int known = !vind_is_stopword(analyzer->lexicon, form, VIND_LANG_EN) &&
                vind_english_lemma(analyzer->english, form, len, &lemma, &lemma_length);
    if (!known) {
        lemma = form;
        lemma_length = len;
    }
    g_string_truncate(entry, 0);
    g_string_append_len(entry, lemma, (gssize)lemma_length);
    g_string_append_c(entry, '\0');
    append_term(analyzer, VIND_LANG_EN, form, lemma, lemma_length, known, entry);
    g_string_append_c(entry, '\0');
}

/* A form of the cache's older generation moved into the current one (NULL:
 * not there), so the words a text keeps using survive the next turn. */
static const word_entry_t *promote(vind_analyzer_t *analyzer, vind_lang_t lang, const char *form)
{
    gpointer key = NULL, value = NULL;
    if (!g_hash_table_steal_extended(analyzer->older[lang], form, &key, &value))
        return NULL;
    g_hash_table_insert(analyzer->cache[lang], key, value);
    unsigned held = ((const word_entry_t *)value)->held;
    analyzer->older_bytes[lang] -= held;
    analyzer->cache_bytes[lang] += held;
    return value;
}

/* Starts a new generation once the current one is full, in forms or in
 * bytes: the older one is dropped, so the cache holds at most 2 x
 * CACHE_ENTRIES forms and 2 x table_bytes (plus one entry) a language.
 * Until session 15 only forms counted: 131,072 forms of 60 bytes held
 * ~45 MB an analyzer, and vind-searchd keeps two analyzers a thread. */
static void turn_generation(vind_analyzer_t *analyzer, vind_lang_t lang)
{
    if (g_hash_table_size(analyzer->cache[lang]) < CACHE_ENTRIES &&
        analyzer->cache_bytes[lang] < analyzer->table_bytes)
        return;
    GHashTable *dropped = analyzer->older[lang];
    analyzer->older[lang] = analyzer->cache[lang];
    analyzer->older_bytes[lang] = analyzer->cache_bytes[lang];
    g_hash_table_remove_all(dropped);
    analyzer->cache[lang] = dropped;
    analyzer->cache_bytes[lang] = 0;
}

/*
 * The analysis of a normalised word form (NUL-terminated, len bytes), from
 * the cache or computed and cached. Valid until the next call. A form's
 * analysis depends on the form and the language only (the lexicon and the
 * stemmers), never on its neighbours: those make extra terms in add_token.
 * Cost: a hit is a hash look-up; a miss builds the entry (lexicon look-ups
 * and compound splitting, ~20-30 us for a long unknown word). Why two
 * generations: a bulk load of generated documents meets ~180,000 forms in
 * 5,000 documents, most of them once; emptying one full table made every
 * common word a miss again after each turn (177,456 misses, -j 1); with
 * a generation those used since the last turn stay (146,193).
 */
static const word_entry_t *analyze_form(vind_analyzer_t *analyzer, vind_lang_t lang,
                                        const char *form, size_t len)
{
    GHashTable *cache = analyzer->cache[lang];
    const word_entry_t *cached = g_hash_table_lookup(cache, form);
    if (!cached)
        cached = promote(analyzer, lang, form);
    if (cached)
        return cached;
    unsigned extra_count = 0;
    if (lang == VIND_LANG_NL) {
        build_dutch_entry(analyzer, form, len, &extra_count);
    } else {
        build_english_entry(analyzer, form, len);
    }
    turn_generation(analyzer, lang);
    word_entry_t *entry = g_malloc(sizeof *entry + analyzer->entry->len);
    entry->extra_count = extra_count;
    entry->held = (unsigned)(vind_heap_bytes(len + 1) +
                             vind_heap_bytes(sizeof *entry + analyzer->entry->len) +
                             VIND_HASH_ENTRY_BYTES);
    memcpy(entry->data, analyzer->entry->str, analyzer->entry->len);
    g_hash_table_insert(analyzer->cache[lang], g_strndup(form, len), entry);
    analyzer->cache_bytes[lang] += entry->held;
    return entry;
}

/* The stem of a normalised word, copied into the arena. */
static const char *stem_of_form(vind_analyzer_t *analyzer, vind_tokens_t *tokens, vind_lang_t lang,
                                const char *form, size_t len)
{
    const word_entry_t *entry = analyze_form(analyzer, lang, form, len);
    const char *stem = entry->data + strlen(entry->data) + 1;
    return arena_strndup(tokens, stem, strlen(stem));
}

/* ---- forms of spans ---- */

/*
 * Dutch writes thousands with dots and decimals with a comma ("1.000,50");
 * English the other way round. Group separators are dropped when every
 * group after the first has three digits ("1.000" -> "1000", "35 538" ->
 * "35538"); otherwise the number is kept as written ("3.2", "2.3.1").
 */
static void fold_number(GString *form, vind_lang_t lang)
{
    char group = lang == VIND_LANG_NL ? '.' : ',';
    char decimal = lang == VIND_LANG_NL ? ',' : '.';
    size_t write = 0;
    for (size_t k = 0; k < form->len; k++)
        if (form->str[k] != ' ')
            form->str[write++] = form->str[k];
    g_string_truncate(form, write);

    const char *decimal_at = memchr(form->str, decimal, form->len);
    size_t integer_length = decimal_at ? (size_t)(decimal_at - form->str) : form->len;
    size_t first = 0;
    while (first < integer_length && form->str[first] != group)
        first++;
    if (first == integer_length || first == 0 || first > 3)
        return;
    for (size_t k = first; k < integer_length; k += 4) {
        if (form->str[k] != group || k + 3 >= integer_length + 1)
            return;
        for (size_t d = 1; d <= 3; d++)
            if (k + d >= integer_length || form->str[k + d] < '0' || form->str[k + d] > '9')
                return;
        if (k + 4 < integer_length && form->str[k + 4] != group)
            return;
    }
    write = 0;
    for (size_t k = 0; k < form->len; k++)
        if (k >= integer_length || form->str[k] != group)
            form->str[write++] = form->str[k];
    g_string_truncate(form, write);
}

static void remove_chars(GString *s, const char *chars)
{
    /* The first byte to remove (chars, or a NUL, which strchr finds in
     * chars too): most forms have none, and a memchr a character costs
     * less than a strchr a byte (~220 instructions a word before). */
    size_t first = s->len;
    for (const char *c = chars;; c++) {
        const char *at = memchr(s->str, *c, first);
        if (at)
            first = (size_t)(at - s->str);
        if (!*c)
            break;
    }
    if (first == s->len)
        return;
    size_t write = first;
    for (size_t k = first; k < s->len; k++)
        if (strchr(chars, s->str[k]) == NULL)
            s->str[write++] = s->str[k];
    g_string_truncate(s, write);
}

/* The normalised form of a span into out (replacing it), cut to
 * VIND_MAX_TERM_BYTES: "Cliënten" -> "clienten", "auto's" -> "auto",
 * "o.a." -> "oa", "1.000" -> "1000", "https://www.rivm.nl/" -> "www.rivm.nl". */
static void span_form(const char *text, const vind_span_t *span, vind_lang_t lang, GString *out)
{
    size_t source_length =
        utf8_cut(text + span->start, span->form_end - span->start, FORM_SOURCE_BYTES);
    g_string_truncate(out, 0);
    vind_normalize_append(out, text + span->start, source_length);
    switch ((vind_span_kind_t)span->kind) {
    case VIND_SPAN_WORD:
        remove_chars(out, "-"); /* the hyphen of elliptic "zorg-" */
        break;
    case VIND_SPAN_NUMBER:
        fold_number(out, lang);
        break;
    case VIND_SPAN_ABBREV:
        remove_chars(out, "./"); /* "o.a." -> "oa", "t/m" -> "tm": typed either way */
        break;
    case VIND_SPAN_URL:
        if (g_str_has_prefix(out->str, "https://"))
            g_string_erase(out, 0, 8);
        else if (g_str_has_prefix(out->str, "http://") || g_str_has_prefix(out->str, "ftp://"))
            g_string_erase(out, 0, out->str[0] == 'h' ? 7 : 6);
        while (out->len > 0 && out->str[out->len - 1] == '/')
            g_string_truncate(out, out->len - 1);
        break;
    default:
        break;
    }
    /* Spaces can only come from compatibility characters inside a word. */
    if (span->kind != VIND_SPAN_NUMBER && memchr(out->str, ' ', out->len))
        remove_chars(out, " ");
    cut_term(out);
}

static int is_conjunction(const char *form)
{
    return strcmp(form, "en") == 0 || strcmp(form, "of") == 0 || strcmp(form, "tot") == 0 ||
           strcmp(form, "noch") == 0;
}

/* ---- extra terms from neighbouring spans ---- */

/*
 * The first part of "Noord-Holland", "e-mailadres", "COVID-19" carries the
 * stem of the joined whole ("noordholland"), so the one-word spelling finds
 * the hyphenated one. Numbers alone ("2020-2021") join nothing.
 */
static const char *joined_stem(vind_analyzer_t *analyzer, vind_tokens_t *tokens, const char *text,
                               size_t index, vind_lang_t lang)
{
    const vind_spans_t *spans = &analyzer->spans;
    GString *joined = g_string_sized_new(64);
    GString *part = analyzer->scratch;
    int has_word = 0;
    for (size_t k = index; k < spans->count; k++) {
        const vind_span_t *span = &spans->items[k];
        span_form(text, span, lang, part);
        g_string_append_len(joined, part->str, (gssize)part->len);
        has_word |= span->kind == VIND_SPAN_WORD;
        if (!span->hyphen_next || joined->len > VIND_MAX_TERM_BYTES)
            break;
    }
    cut_term(joined);
    const char *stem = NULL;
    if (has_word && joined->len > 0)
        stem = stem_of_form(analyzer, tokens, lang, joined->str, joined->len);
    g_string_free(joined, TRUE);
    return stem;
}

/* Separable particles: Dutch pairs them in ellipses ("in- en uitvoer",
 * "op- en afbouw", "aan- en afvoer"). */
static const char *const particles[] = {"aan", "af",  "bij",   "door", "in",   "mee",
                                        "na",  "om",  "onder", "op",   "over", "terug",
                                        "toe", "uit", "voor",  "weg"};
/* Inseparable prefixes that take a particle's place ("in- en verkoop"). */
static const char *const prefixes[] = {"be", "ge", "her", "ont", "ver"};

static int starts_with_word(const char *word, const char *const *list, size_t count, size_t *length)
{
    for (size_t k = 0; k < count; k++) {
        size_t n = strlen(list[k]);
        if (strncmp(word, list[k], n) == 0) {
            *length = n;
            return 1;
        }
    }
    return 0;
}

/*
 * The head of an unsplit word after an elliptic particle: "in- en uitvoer"
 * completes "in" to "invoer", "in- en verkoop" to "inkoop", because the
 * lexicon does not split particle verbs ("uitvoer" is one word to it).
 * Otherwise the whole word.
 */
static const char *particle_head(const vind_analyzer_t *analyzer, const char *elliptic,
                                 const char *word)
{
    size_t length = 0;
    size_t particle_count = sizeof particles / sizeof particles[0];
    int is_particle = 0;
    for (size_t k = 0; k < particle_count; k++)
        is_particle |= strcmp(elliptic, particles[k]) == 0;
    if (!is_particle)
        return word;
    if (!starts_with_word(word, particles, particle_count, &length) &&
        !starts_with_word(word, prefixes, sizeof prefixes / sizeof prefixes[0], &length))
        return word;
    if (strlen(word + length) >= 3 && vind_lexicon_has_word(analyzer->lexicon, word + length))
        return word + length;
    return word;
}

/*
 * "zorg- en onderwijsvernieuwing", "bron- en contactonderzoek", "in- en
 * uitvoer": the elliptic part is completed with the head of the word after
 * the conjunction (the last part of its compound split, or the whole word
 * when it does not split): "zorg" carries stem("zorgvernieuwing"). Chains
 * ("zorg-, welzijns- en onderwijsvernieuwing") share the one head, and
 * "Noord- en Zuid-Holland" completes "noord" to "noordholland", the joined
 * term of "Noord-Holland".
 */
static const char *elliptic_completion(vind_analyzer_t *analyzer, vind_tokens_t *tokens,
                                       const char *text, size_t index, const char *form)
{
    const vind_spans_t *spans = &analyzer->spans;
    GString *other = analyzer->scratch;
    int seen_conjunction = 0;
    for (size_t k = index + 1; k < spans->count && k <= index + ELLIPSIS_LOOKAHEAD; k++) {
        const vind_span_t *span = &spans->items[k];
        if (span->kind != VIND_SPAN_WORD)
            return NULL;
        span_form(text, span, VIND_LANG_NL, other);
        if (span->elliptic)
            continue;
        if (is_conjunction(other->str)) {
            seen_conjunction = 1;
            continue;
        }
        if (!seen_conjunction || span->elliptic_tail)
            return NULL;
        /* "Noord- en Zuid-Holland": the head is the last hyphenated part. */
        int hyphenated = span->hyphen_next;
        while (span->hyphen_next && k + 1 < spans->count)
            span = &spans->items[++k];
        if (hyphenated)
            span_form(text, span, VIND_LANG_NL, other);
        char *parts[MAX_COMPOUND_PARTS];
        size_t count = hyphenated ? 0
                                  : vind_compound_split(analyzer->lexicon, other->str, parts,
                                                        MAX_COMPOUND_PARTS);
        GString *completion = g_string_new(form);
        const char *head = count >= 2 ? parts[count - 1] : other->str;
        if (count < 2 && !hyphenated)
            head = particle_head(analyzer, form, other->str);
        g_string_append(completion, head);
        for (size_t p = 0; p < count; p++)
            free(parts[p]);
        cut_term(completion);
        const char *stem =
            stem_of_form(analyzer, tokens, VIND_LANG_NL, completion->str, completion->len);
        g_string_free(completion, TRUE);
        return stem;
    }
    return NULL;
}

/*
 * "onderwijsvernieuwing en -beleid": the part after the hyphen takes the
 * modifier of the compound before the conjunction: "beleid" carries
 * stem("onderwijsbeleid"). Nothing when that word does not split.
 */
static const char *elliptic_tail_completion(vind_analyzer_t *analyzer, vind_tokens_t *tokens,
                                            const char *text, size_t index, const char *form)
{
    const vind_spans_t *spans = &analyzer->spans;
    if (index < 2 || spans->items[index - 1].kind != VIND_SPAN_WORD ||
        spans->items[index - 2].kind != VIND_SPAN_WORD)
        return NULL;
    GString *other = analyzer->scratch;
    span_form(text, &spans->items[index - 1], VIND_LANG_NL, other);
    if (!is_conjunction(other->str))
        return NULL;
    span_form(text, &spans->items[index - 2], VIND_LANG_NL, other);
    char *parts[MAX_COMPOUND_PARTS];
    size_t count = vind_compound_split(analyzer->lexicon, other->str, parts, MAX_COMPOUND_PARTS);
    const char *stem = NULL;
    if (count >= 2 && ends_with(other->str, other->len, parts[count - 1])) {
        GString *completion =
            g_string_new_len(other->str, (gssize)(other->len - strlen(parts[count - 1])));
        g_string_append(completion, form);
        cut_term(completion);
        stem = stem_of_form(analyzer, tokens, VIND_LANG_NL, completion->str, completion->len);
        g_string_free(completion, TRUE);
    }
    for (size_t p = 0; p < count; p++)
        free(parts[p]);
    return stem;
}

/*
 * The words of a URL or e-mail address as extra terms, stemmed like any
 * word, so "rivm" finds "info@rivm.nl" and "https://www.rivm.nl/corona".
 * Scheme words and "www" are left out; so are single characters.
 */
static void address_words(vind_analyzer_t *analyzer, vind_tokens_t *tokens, vind_lang_t lang,
                          const char *form, const char *stem, extra_list_t *extra)
{
    GString *word = analyzer->scratch;
    g_string_truncate(word, 0);
    for (const char *p = form;; p++) {
        unsigned char c = (unsigned char)*p;
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80) {
            g_string_append_c(word, (gchar)c);
            continue;
        }
        if (word->len >= 2 && strcmp(word->str, "www") != 0 && strcmp(word->str, "mailto") != 0) {
            cut_term(word);
            extra_add(extra, stem_of_form(analyzer, tokens, lang, word->str, word->len), stem);
        }
        g_string_truncate(word, 0);
        if (c == '\0' || extra->count == MAX_EXTRA)
            break;
    }
    g_string_truncate(word, 0);
}

/* ---- building tokens ---- */

static vind_token_t *new_token(vind_tokens_t *tokens)
{
    if (tokens->count == tokens->capacity) {
        /* from 4: most analyses are a query's few words (the word memo keeps them) */
        size_t capacity = tokens->capacity ? tokens->capacity * 2 : 4;
        vind_token_t *items = realloc(tokens->items, capacity * sizeof *items);
        if (items == NULL)
            return NULL;
        tokens->items = items;
        tokens->capacity = capacity;
    }
    vind_token_t *token = &tokens->items[tokens->count++];
    memset(token, 0, sizeof *token);
    token->extra = no_extra;
    return token;
}

static const char *const *copy_extra(vind_tokens_t *tokens, const extra_list_t *extra)
{
    if (extra->count == 0)
        return no_extra;
    const char **list = arena_alloc(tokens, (extra->count + 1) * sizeof *list);
    if (list == NULL)
        return NULL;
    memcpy(list, extra->items, extra->count * sizeof *list);
    list[extra->count] = NULL;
    return list;
}

static unsigned span_flags(vind_span_kind_t kind)
{
    switch (kind) {
    case VIND_SPAN_NUMBER:
        return VIND_TOKEN_NUMBER;
    case VIND_SPAN_URL:
        return VIND_TOKEN_URL;
    case VIND_SPAN_EMAIL:
        return VIND_TOKEN_EMAIL;
    case VIND_SPAN_ABBREV:
        return VIND_TOKEN_ABBREV;
    case VIND_SPAN_CLITIC:
        return VIND_TOKEN_STOP; /* "'t", "'s", "'n": articles */
    default:
        return 0;
    }
}

/* Lemma, stem and extra terms of a word span whose form is analyzer->form. */
static int fill_word(vind_analyzer_t *analyzer, vind_tokens_t *tokens, vind_lang_t lang,
                     vind_token_t *token, extra_list_t *extra)
{
    GString *form = analyzer->form;
    if (vind_is_stopword(analyzer->lexicon, form->str, lang))
        token->flags |= VIND_TOKEN_STOP;
    const word_entry_t *entry = analyze_form(analyzer, lang, form->str, form->len);
    const char *lemma = entry->data;
    const char *stem = lemma + strlen(lemma) + 1;
    token->lemma =
        strcmp(lemma, form->str) == 0 ? token->form : arena_strndup(tokens, lemma, strlen(lemma));
    token->stem =
        strcmp(stem, token->lemma) == 0 ? token->lemma : arena_strndup(tokens, stem, strlen(stem));
    if (token->lemma == NULL || token->stem == NULL)
        return 0;
    const char *p = stem + strlen(stem) + 1;
    for (unsigned k = 0; k < entry->extra_count; k++, p += strlen(p) + 1) {
        const char *copy = arena_strndup(tokens, p, strlen(p));
        if (copy == NULL)
            return 0;
        extra_add(extra, copy, token->stem);
    }
    return 1;
}

/* "'s-Hertogenbosch": the name is its own term; "hertogenbosch" and
 * "shertogenbosch" are extra terms for those who type it so. */
static void fill_name(vind_analyzer_t *analyzer, vind_tokens_t *tokens, vind_lang_t lang,
                      vind_token_t *token, extra_list_t *extra)
{
    GString *rest = analyzer->scratch;
    g_string_assign(rest, token->form);
    remove_chars(rest, "'-");
    if (rest->len > 1) {
        extra_add(extra, arena_strndup(tokens, rest->str, rest->len), token->stem);
        extra_add(extra, stem_of_form(analyzer, tokens, lang, rest->str + 1, rest->len - 1),
                  token->stem);
    }
}

/* Builds the token of span index; returns 0 when out of memory. A span whose
 * form is empty (only combining marks) yields no token. forms_only: the token
 * stops at its form (lemma and stem are the form, no extra terms). */
static int add_token(vind_analyzer_t *analyzer, vind_tokens_t *tokens, const char *text,
                     size_t index, vind_lang_t lang, int forms_only, unsigned *position)
{
    const vind_span_t *span = &analyzer->spans.items[index];
    GString *form = analyzer->form;
    span_form(text, span, lang, form);
    if (form->len == 0)
        return 1;
    vind_token_t *token = new_token(tokens);
    if (token == NULL)
        return 0;
    token->start = span->start;
    token->end = span->end;
    token->position = (*position)++;
    token->flags = span_flags((vind_span_kind_t)span->kind);
    token->surface = arena_strndup(tokens, text + span->start, span->end - span->start);
    token->form = arena_strndup(tokens, form->str, form->len);
    if (token->surface == NULL || token->form == NULL)
        return 0;
    if (forms_only) {
        token->lemma = token->stem = token->form;
        return 1;
    }

    extra_list_t extra = {.count = 0};
    if (span->kind == VIND_SPAN_WORD) {
        if (!fill_word(analyzer, tokens, lang, token, &extra))
            return 0;
    } else {
        /* Numbers, addresses, abbreviations and names are terms as they are. */
        token->lemma = token->stem = token->form;
        if (span->kind == VIND_SPAN_ABBREV &&
            vind_is_stopword(analyzer->lexicon, token->form, lang))
            token->flags |= VIND_TOKEN_STOP;
        if (span->kind == VIND_SPAN_URL || span->kind == VIND_SPAN_EMAIL)
            address_words(analyzer, tokens, lang, token->form, token->stem, &extra);
        if (span->kind == VIND_SPAN_NAME)
            fill_name(analyzer, tokens, lang, token, &extra);
    }

    int first_of_group =
        span->hyphen_next && (index == 0 || !analyzer->spans.items[index - 1].hyphen_next);
    if (first_of_group)
        extra_add(&extra, joined_stem(analyzer, tokens, text, index, lang), token->stem);
    if (span->elliptic && lang == VIND_LANG_NL)
        extra_add(&extra, elliptic_completion(analyzer, tokens, text, index, token->form),
                  token->stem);
    if (span->elliptic_tail && lang == VIND_LANG_NL)
        extra_add(&extra, elliptic_tail_completion(analyzer, tokens, text, index, token->form),
                  token->stem);
    token->extra = copy_extra(tokens, &extra);
    return token->extra != NULL;
}

/* ---- public functions ---- */

int vind_analyzer_knows_english(const vind_analyzer_t *analyzer, const char *word)
{
    const char *lemma = NULL;
    size_t lemma_length = 0;
    return analyzer && word &&
           vind_english_lemma(analyzer->english, word, strlen(word), &lemma, &lemma_length);
}


const vind_lexicon_t *vind_analyzer_lexicon(const vind_analyzer_t *analyzer)
{
    return analyzer ? analyzer->lexicon : NULL;
}

vind_status_t vind_analyzer_new(const vind_lexicon_t *lexicon, vind_analyzer_t **out, char **errmsg)
{
    if (out == NULL)
        return vind_error(errmsg, VIND_INVALID_ARGUMENT, "cannot create an analyzer: no output");
    *out = NULL;
    if (lexicon == NULL)
        return vind_error(errmsg, VIND_INVALID_ARGUMENT, "cannot create an analyzer: no lexicon");
    vind_analyzer_t *analyzer = calloc(1, sizeof *analyzer);
    if (analyzer == NULL)
        return vind_error(errmsg, VIND_NOMEM, "cannot create an analyzer: out of memory");
    analyzer->lexicon = lexicon;
    vind_status_t opened =
        vind_english_open(vind_lexicon_datadir(lexicon), &analyzer->english, errmsg);
    if (opened != VIND_OK) {
        vind_analyzer_free(analyzer);
        return opened;
    }
    for (int lang = VIND_LANG_NL; lang <= VIND_LANG_EN; lang++) {
        vind_status_t status =
            vind_stemmer_new((vind_lang_t)lang, &analyzer->stemmers[lang], errmsg);
        if (status != VIND_OK) {
            vind_analyzer_free(analyzer);
            return status;
        }
        analyzer->cache[lang] = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
        analyzer->older[lang] = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    }
    vind_analyzer_set_cache_bytes(analyzer, VIND_ANALYZER_CACHE_BYTES);
    analyzer->form = g_string_sized_new(128);
    analyzer->scratch = g_string_sized_new(128);
    analyzer->entry = g_string_sized_new(256);
    *out = analyzer;
    return VIND_OK;
}

void vind_analyzer_set_cache_bytes(vind_analyzer_t *analyzer, size_t bytes)
{
    analyzer->table_bytes = bytes / 4; /* two languages, two generations */
}

size_t vind_analyzer_cache_bytes(const vind_analyzer_t *analyzer)
{
    return analyzer->cache_bytes[VIND_LANG_NL] + analyzer->older_bytes[VIND_LANG_NL] +
           analyzer->cache_bytes[VIND_LANG_EN] + analyzer->older_bytes[VIND_LANG_EN];
}

void vind_analyzer_free(vind_analyzer_t *analyzer)
{
    if (analyzer == NULL)
        return;
    for (int lang = VIND_LANG_NL; lang <= VIND_LANG_EN; lang++) {
        vind_stemmer_free(analyzer->stemmers[lang]);
        if (analyzer->cache[lang])
            g_hash_table_destroy(analyzer->cache[lang]);
        if (analyzer->older[lang])
            g_hash_table_destroy(analyzer->older[lang]);
    }
    vind_english_free(analyzer->english);
    vind_spans_release(&analyzer->spans);
    if (analyzer->form)
        g_string_free(analyzer->form, TRUE);
    if (analyzer->scratch)
        g_string_free(analyzer->scratch, TRUE);
    if (analyzer->entry)
        g_string_free(analyzer->entry, TRUE);
    free(analyzer);
}

/* vind_analyze, and vind_analyze_forms when forms_only. */
static vind_status_t analyze_text(vind_analyzer_t *analyzer, const char *text, size_t len,
                                  vind_lang_t lang, int forms_only, vind_tokens_t **out,
                                  char **errmsg)
{
    if (out == NULL)
        return vind_error(errmsg, VIND_INVALID_ARGUMENT, "cannot analyse text: no output given");
    *out = NULL;
    if (analyzer == NULL || (text == NULL && len > 0))
        return vind_error(errmsg, VIND_INVALID_ARGUMENT, "cannot analyse text: %s is NULL",
                          analyzer ? "text" : "analyzer");
    if (lang != VIND_LANG_NL && lang != VIND_LANG_EN)
        return vind_error(errmsg, VIND_INVALID_ARGUMENT, "cannot analyse text: unknown language %d",
                          (int)lang);
    if (len > VIND_MAX_ANALYZE_BYTES)
        return vind_error(errmsg, VIND_TOO_LARGE,
                          "cannot analyse %zu bytes of text: the limit is %u bytes", len,
                          VIND_MAX_ANALYZE_BYTES);
    vind_tokens_t *tokens = calloc(1, sizeof *tokens);
    if (tokens == NULL)
        return vind_error(errmsg, VIND_NOMEM, "cannot analyse %zu bytes of text: out of memory",
                          len);
    vind_status_t status = vind_tokenize(text, len, lang, &analyzer->spans, errmsg);
    if (status != VIND_OK) {
        vind_tokens_free(tokens);
        return status;
    }
    unsigned position = 0;
    for (size_t k = 0; k < analyzer->spans.count; k++) {
        if (!add_token(analyzer, tokens, text, k, lang, forms_only, &position)) {
            vind_tokens_free(tokens);
            return vind_error(errmsg, VIND_NOMEM, "cannot analyse %zu bytes of text: out of memory",
                              len);
        }
    }
    *out = tokens;
    return VIND_OK;
}

vind_status_t vind_analyze(vind_analyzer_t *analyzer, const char *text, size_t len,
                           vind_lang_t lang, vind_tokens_t **out, char **errmsg)
{
    return analyze_text(analyzer, text, len, lang, 0, out, errmsg);
}

vind_status_t vind_analyze_forms(vind_analyzer_t *analyzer, const char *text, size_t len,
                                 vind_lang_t lang, vind_tokens_t **out, char **errmsg)
{
    return analyze_text(analyzer, text, len, lang, 1, out, errmsg);
}

size_t vind_tokens_count(const vind_tokens_t *tokens)
{
    return tokens ? tokens->count : 0;
}

const vind_token_t *vind_tokens_get(const vind_tokens_t *tokens, size_t i)
{
    if (tokens == NULL || i >= tokens->count)
        return NULL;
    return &tokens->items[i];
}

size_t vind_tokens_memory(const vind_tokens_t *tokens)
{
    if (tokens == NULL)
        return 0;
    size_t bytes = vind_heap_bytes(sizeof *tokens) +
                   (tokens->capacity ? vind_heap_bytes(tokens->capacity * sizeof *tokens->items) : 0);
    for (const arena_chunk_t *chunk = tokens->chunks; chunk; chunk = chunk->next)
        bytes += vind_heap_bytes(sizeof *chunk + chunk->size);
    return bytes;
}

void vind_tokens_free(vind_tokens_t *tokens)
{
    if (tokens == NULL)
        return;
    arena_chunk_t *chunk = tokens->chunks;
    while (chunk) {
        arena_chunk_t *next = chunk->next;
        free(chunk);
        chunk = next;
    }
    free(tokens->items);
    free(tokens);
}

char *vind_analyze_word(vind_analyzer_t *analyzer, const char *word, vind_lang_t lang)
{
    if (analyzer == NULL || word == NULL)
        return NULL;
    vind_tokens_t *tokens = NULL;
    if (vind_analyze(analyzer, word, strlen(word), lang, &tokens, NULL) != VIND_OK)
        return NULL;
    char *stem = NULL;
    if (tokens->count > 0)
        stem = strdup(tokens->items[0].stem);
    vind_tokens_free(tokens);
    return stem;
}
