/*
 * suggest.c - the index's vocabulary put to use for the person typing:
 * "Bedoelde je …?" when a query word is rare or unknown and a close word is
 * frequent ("verpleeghuizne" -> "verpleeghuizen"), and completions of what
 * has been typed so far from index words and titles (vind_suggest).
 *
 * The same corrections are searched (vind_spelling_correction, the query
 * corrector of lib/query.h): a word no document has is searched with its
 * correction, so "draagmoedershap" finds the report on draagmoederschap.
 *
 * Spelling uses Xapian's spelling table, which the indexer fills with the
 * normalised forms of the words it indexes (lib/index.c), so a suggestion
 * is always a form that occurs in the site.
 *
 * Only a word OpenTaal's dictionary lacks can be a typo (word_kind): a
 * correct Dutch word is never searched as another one ("kapper" is no typo
 * of the name "kasper"), gets no "Bedoelde je" when the site has it
 * ("gestaakt" is not "gemaakt"), and when the site lacks it at most the
 * offer of another dictionary word. Names and acronyms ("NRC", "Irak",
 * "PFCongres") are never corrected.
 */
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include <vind/limits.h>
#include "english.h"
#include "error.h"
#include "lexicon_lookup.h"
#include "lexicon_format.h"
#include "normalize.h"
#include "schema.h"
#include "searcher.h"
#include "synonyms.h"
#include "titles.h"
#include "tokens_memory.h"

/* A query word occurring in more documents than this is not misspelt. */
#define RARE_DOCUMENTS 2u
/* A correction must occur in this many times more documents than the word. */
#define FREQUENT_FACTOR 10u
/* Xapian's edit distance: two edits catch "zorgverzekeraar" ->
 * "zorgverzekeraars" and "cliemten" -> "clienten" but not unrelated words. */
#define SPELLING_EDIT_DISTANCE 2u
/* Index words examined for one completion prefix: "v" has thousands. */
#define COMPLETION_SCAN_TERMS 20000u
/* Titles starting with a prefix read for completions: a one-letter prefix
 * starts a tenth of a site's titles, each a hit record read, to offer a few
 * (the corpus: at most ~300). Past it, the first in their normalised order
 * (in document order where the searcher keeps no sorted copy, lib/titles.h). */
#define COMPLETION_SCAN_TITLES 1000u

static uint32_t form_frequency(vind_searcher_t *searcher, const char *form)
{
    char *term = g_strconcat(VIND_PREFIX_EXACT, form, NULL);
    uint32_t frequency = 0;
    if (vind_xapian_reader_term_frequency(searcher->reader, term, &frequency, NULL) != VIND_OK)
        frequency = 0;
    g_free(term);
    return frequency;
}

static int worth_checking(const char *form)
{
    size_t length = strlen(form);
    if (length < 3 || length > 40)
        return 0;
    for (const char *p = form; *p; p++)
        if (g_ascii_isdigit(*p))
            return 0;
    return 1;
}

/* What OpenTaal's dictionary says of a query word decides what spelling
 * may do with it. */
typedef enum {
    WORD_UNLISTED, /* not in the dictionary: perhaps a typo, corrected as always */
    WORD_DUTCH,    /* a correct Dutch word: never searched as another word */
    WORD_NAME,     /* a name or acronym: never corrected at all */
} word_kind_t;

/* Longest all-capital word still read as an acronym ("NRC", "VNG", "KNMI");
 * a longer one is a word typed in capitals and may be a typo. */
#define ACRONYM_LETTERS 5u

/* A name or acronym by how it was typed: two capitals or more, either
 * within a word ("PFCongres", "CoronaMelder") or as a short acronym. */
static int typed_as_name(const char *typed)
{
    if (!typed || !g_utf8_validate(typed, -1, NULL))
        return 0;
    size_t upper = 0, lower = 0;
    for (const char *p = typed; *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        upper += g_unichar_isupper(c) != 0;
        lower += g_unichar_islower(c) != 0;
    }
    return upper >= 2 && (lower > 0 || upper <= ACRONYM_LETTERS);
}

/* The dictionary's verdict on a normalised form; typed is the word as
 * typed (may be NULL). Costs one binary search of the lexicon (~19 steps). */
static word_kind_t word_kind(const vind_lexicon_t *lexicon, const char *typed, const char *form)
{
    if (typed_as_name(typed))
        return WORD_NAME;
    uint32_t flags = lexicon ? vind_lexicon_flags(lexicon, form, strlen(form)) : 0;
    if (flags & VIND_LEX_PROPER)
        return WORD_NAME;
    /* A part found only inside compounds ("kinder") is no word on its own. */
    if ((flags & VIND_LEX_LIST) || ((flags & VIND_LEX_ROOT) && !(flags & VIND_LEX_BOUND)))
        return WORD_DUTCH;
    return WORD_UNLISTED;
}

/* 1 when form is an English word ("seats", "tricks", "weather", "sad"): no
 * Dutch headword of the translations (stem is its Dutch stem), and its
 * English term a word of their English side (as lib/query.c's
 * is_english_word), reached by taking off an English ending, or a word of
 * at most four letters, or a word of the English list (wamerican): since
 * session 15 a word such as "weather" is its own English term, no shorter
 * Snowball stem ("maturity" is English no longer: its term is no word of
 * the side, which has "mature"). Without those conditions a Dutch word cut short by a typo
 * ("middl", "centr") passed as a Snowball stem of the English side.
 * Correct English, not a typo: "Some sad news" was offered "Some pad
 * news". Costs a bisection of the translations, one English analysis and
 * at most one bisection of the English list. */
static int english_word(vind_searcher_t *searcher, const char *form, const char *stem)
{
    char stems[VIND_TRANSLATION_BYTES];
    if (!searcher->synonyms || !stem ||
        vind_synonyms_translations(searcher->synonyms, stem, stems, sizeof stems))
        return 0;
    char *english = vind_analyze_word(searcher->analyzer, form, VIND_LANG_EN);
    size_t length = strlen(form);
    int yes = english &&
              (strlen(english) < length || length <= 4 ||
               vind_analyzer_knows_english(searcher->analyzer, form)) &&
              vind_synonyms_is_english(searcher->synonyms, english);
    free(english);
    return yes;
}

static vind_status_t term_known(vind_searcher_t *searcher, const char *prefix, const char *term,
                                int *known, char **errmsg)
{
    char *full = g_strconcat(prefix, term, NULL);
    vind_status_t status = vind_xapian_reader_term_exists(searcher->reader, full, known, errmsg);
    g_free(full);
    return status;
}

/* Whether no document has the word in any form vind would match it by:
 * its stem, as a compound part, its exact form or its English stem. */
static vind_status_t word_unknown(vind_searcher_t *searcher, const vind_token_t *token,
                                  int *unknown, char **errmsg)
{
    int known = 0;
    vind_status_t status = term_known(searcher, "", token->stem, &known, errmsg);
    if (status == VIND_OK && !known)
        status = term_known(searcher, VIND_PREFIX_PART, token->stem, &known, errmsg);
    if (status == VIND_OK && !known)
        status = term_known(searcher, VIND_PREFIX_EXACT, token->form, &known, errmsg);
    if (status == VIND_OK && !known) {
        char *english = vind_analyze_word(searcher->analyzer, token->form, VIND_LANG_EN);
        if (english)
            status = term_known(searcher, "", english, &known, errmsg);
        free(english);
    }
    *unknown = status == VIND_OK && !known;
    return status;
}

/* For a dictionary word the site lacks as a whole: whether a part of it is
 * missing too. A compound whose parts the site has ("speelgroep": speel,
 * groep) is searched by its parts (lib/query.c), so the site has something
 * for it and "Bedoelde je speelgoed?" would correct correct Dutch. Costs one
 * analysis of the word and a look-up per part. */
static vind_status_t parts_unknown(vind_searcher_t *searcher, const char *form, int *unknown,
                                   char **errmsg)
{
    *unknown = 1;
    vind_tokens_t *tokens = NULL;
    vind_status_t status =
        vind_analyze(searcher->analyzer, form, strlen(form), VIND_LANG_NL, &tokens, errmsg);
    const vind_token_t *token =
        status == VIND_OK && vind_tokens_count(tokens) == 1 ? vind_tokens_get(tokens, 0) : NULL;
    if (token && token->extra[0] && token->extra[1]) {
        int known = 1;
        for (const char *const *part = token->extra; status == VIND_OK && known && *part; part++)
            status = term_known(searcher, "", *part, &known, errmsg);
        *unknown = !known;
    }
    vind_tokens_free(tokens);
    return status;
}

/* A compound whose parts the site has is searched by them: not absent. */
vind_status_t vind_spelling_absent(vind_searcher_t *searcher, const vind_query_word_t *word,
                                   int *absent, char **errmsg)
{
    vind_token_t token = {.surface = word->typed, .form = word->form, .stem = word->stem};
    vind_status_t status = word_unknown(searcher, &token, absent, errmsg);
    if (status == VIND_OK && *absent)
        status = parts_unknown(searcher, word->form, absent, errmsg);
    return status;
}

/*
 * Xapian's get_spelling_suggestion for form, once per revision of the
 * index: it walks the spelling table's trigrams of the word (2.4 M
 * instructions on average over the bench requests, the costliest call of
 * a search with a rare word); the plan and "Bedoelde je" ask about the same
 * words, and requests about the same typos. The answer is Xapian's for the
 * spelling table at that revision, whatever asked. Past a failed read
 * (no suggestion, as before) nothing is remembered. malloc'd, or NULL.
 */
static char *spelling_suggestion(vind_searcher_t *searcher, const char *form)
{
    /* form -> suggestion, "" for none */
    GHashTable *table =
        vind_revision_table(searcher, &searcher->spellings, g_free, VIND_SPELLINGS_BYTES);
    const char *known = g_hash_table_lookup(table, form);
    if (known)
        return *known ? strdup(known) : NULL;
    char *better = NULL;
    searcher->spelling_walks++;
    if (vind_xapian_reader_spelling_suggestion(searcher->reader, form, SPELLING_EDIT_DISTANCE,
                                               &better, NULL) != VIND_OK)
        return NULL;
    g_hash_table_insert(table, g_strdup(form), g_strdup(better ? better : ""));
    vind_revision_table_count(searcher->spellings, form,
                              vind_heap_bytes(better ? strlen(better) + 1 : 1));
    return better;
}

/* At each request: over an index whose revision is not known (a remote
 * shard reports none), a spelling committed there may go unnoticed, so the
 * suggestions hold for the request only. */
void vind_spelling_forget(vind_searcher_t *searcher)
{
    if (searcher->revision == 0)
        vind_revision_table_empty(searcher->spellings);
}

/* An unknown word takes any close word of the site; a rare one only a much
 * more frequent one ("zorgen" is no typo of "zorg"). */
static int frequent_enough(uint32_t frequency, uint32_t better_frequency)
{
    return frequency == 0 ? better_frequency > 0
                          : better_frequency >= (uint64_t)frequency * FREQUENT_FACTOR;
}

/* The site's word within two edits of form that is frequent enough to
 * replace it (malloc'd), or NULL; dutch_only: only a dictionary word that is
 * no name. Costs Xapian's spelling walk and one frequency read. */
static char *closest_word(vind_searcher_t *searcher, const char *form, uint32_t frequency,
                          int dutch_only)
{
    char *better = spelling_suggestion(searcher, form);
    /* The spelling table may still hold a word of a removed document. */
    if (better && (strcmp(better, form) == 0 ||
                   !frequent_enough(frequency, form_frequency(searcher, better)) ||
                   (dutch_only && word_kind(searcher->lexicon, NULL, better) != WORD_DUTCH))) {
        free(better);
        better = NULL;
    }
    return better;
}

vind_status_t vind_spelling_lookup(vind_searcher_t *searcher, const vind_token_t *token, int rare,
                                   char **correction, char **errmsg)
{
    *correction = NULL;
    /* Only a word the dictionary lacks is searched as another word, and
     * not an English one. */
    if (!worth_checking(token->form) ||
        word_kind(searcher->lexicon, token->surface, token->form) != WORD_UNLISTED ||
        english_word(searcher, token->form, token->stem))
        return VIND_OK;
    uint32_t frequency = 0;
    if (rare) {
        frequency = form_frequency(searcher, token->form);
        if (frequency > RARE_DOCUMENTS)
            return VIND_OK;
    } else {
        /* Neither is a compound of words the site has, which is searched
         * by its parts (offered_word). */
        int unknown = 0;
        vind_status_t status = word_unknown(searcher, token, &unknown, errmsg);
        if (status == VIND_OK && unknown)
            status = parts_unknown(searcher, token->form, &unknown, errmsg);
        if (status != VIND_OK || !unknown)
            return status;
    }
    *correction = closest_word(searcher, token->form, frequency, 0);
    return VIND_OK;
}

/* Replaces the first occurrence of typed at or after *from in text. */
static int replace_word(GString *text, size_t *from, const char *typed, const char *replacement)
{
    const char *found = strstr(text->str + *from, typed);
    if (!found)
        return 0;
    size_t at = (size_t)(found - text->str);
    g_string_erase(text, (gssize)at, (gssize)strlen(typed));
    g_string_insert(text, (gssize)at, replacement);
    *from = at + strlen(replacement);
    return 1;
}

/*
 * The word "Bedoelde je" offers for a query word that was not corrected
 * (malloc'd into *better), or NULL: for a rare word the dictionary lacks, a
 * much more frequent close word; for a Dutch word the site lacks in every
 * form and part ("kapper"), a close dictionary word; for a Dutch word the site has
 * ("gestaakt", "ontslagen") and for a name, nothing. Costs a frequency read
 * and, for a rare word, the spelling walk (a Dutch word first checks that
 * the site lacks it: up to four term look-ups).
 */
static vind_status_t offered_word(vind_searcher_t *searcher, const vind_query_word_t *word,
                                  char **better, char **errmsg)
{
    *better = NULL;
    if (!worth_checking(word->form))
        return VIND_OK;
    word_kind_t kind = word_kind(searcher->lexicon, word->typed, word->form);
    if (kind == WORD_NAME)
        return VIND_OK;
    uint32_t frequency = form_frequency(searcher, word->form);
    if (frequency > RARE_DOCUMENTS || (kind == WORD_DUTCH && frequency > 0))
        return VIND_OK;
    if (kind == WORD_DUTCH) {
        vind_token_t token = {.surface = word->typed, .form = word->form, .stem = word->stem};
        int unknown = 0;
        vind_status_t status = word_unknown(searcher, &token, &unknown, errmsg);
        if (status == VIND_OK && unknown)
            status = parts_unknown(searcher, word->form, &unknown, errmsg);
        if (status != VIND_OK || !unknown)
            return status;
    } else if (english_word(searcher, word->form, word->stem)) {
        return VIND_OK;
    } else {
        /* A compound the dictionary lacks, of words the site has
         * ("standaardenorganisatie", "gebruikerstoepassing"), is searched
         * by its parts: correct Dutch, not a typo. Its walk (~1 ms for a
         * long word; 13 of the 56 walks of the 1,000 bench requests) could
         * at best offer a form of itself, which finds nothing more. */
        int unknown = 1;
        vind_status_t status = parts_unknown(searcher, word->form, &unknown, errmsg);
        if (status != VIND_OK || !unknown)
            return status;
    }
    *better = closest_word(searcher, word->form, frequency, kind == WORD_DUTCH);
    return VIND_OK;
}

vind_status_t vind_spelling_suggestion(vind_searcher_t *searcher, const vind_search_request_t *req,
                                       const vind_query_plan_t *plan, uint64_t total,
                                       char **suggestion, int *searched_out, char **errmsg)
{
    *suggestion = NULL;
    *searched_out = 0;
    if (!req->query || plan->n_words == 0)
        return VIND_OK;
    GString *corrected = g_string_new(req->query);
    size_t from = 0;
    int changed = 0;
    int searched = 0; /* a correction was searched already: always say so */
    vind_status_t status = VIND_OK;
    for (size_t i = 0; i < plan->n_words; i++) {
        const vind_query_word_t *word = &plan->words[i];
        if (word->correction) {
            if (replace_word(corrected, &from, word->typed, word->correction))
                changed = searched = 1;
            continue;
        }
        char *better = NULL;
        status = offered_word(searcher, word, &better, errmsg);
        if (status != VIND_OK)
            break;
        if (better && replace_word(corrected, &from, word->typed, better))
            changed = 1;
        free(better);
    }
    if (status != VIND_OK) {
        g_string_free(corrected, TRUE);
        return status;
    }
    if (searched) {
        /* The results already hold the correction: the page must say what
         * was searched ("Bedoelde je draagmoederschap?"). */
        if (!(*suggestion = strdup(corrected->str)))
            status = vind_error(errmsg, VIND_NOMEM, "out of memory");
        *searched_out = 1;
    } else if (changed) {
        /* Only worth saying when the correction finds more. */
        vind_search_request_t other = *req;
        other.query = corrected->str;
        vind_qnode_t *tree = NULL;
        vind_xapian_query_t *query = NULL;
        uint64_t count = 0;
        if (vind_query_parse(corrected->str, corrected->len, &tree, NULL) == VIND_OK &&
            vind_searcher_full_query(searcher, tree, &other, 0, -1, &query, NULL, NULL) ==
                VIND_OK) {
            status = vind_searcher_count(searcher, query, &count, errmsg);
            if (status == VIND_OK && count > total && !(*suggestion = strdup(corrected->str)))
                status = vind_error(errmsg, VIND_NOMEM, "out of memory");
        }
        vind_xapian_query_free(query);
        vind_qnode_free(tree);
    }
    g_string_free(corrected, TRUE);
    return status;
}

/* ------------------------------------------------------------------ */
/* Completions                                                         */

/* A completion: its text (a title as displayed; for a word, the form
 * completing the last word typed, which the typed head precedes), and how
 * many documents have it (1 for a title). */
typedef struct {
    char *text;
    uint32_t frequency;
} candidate_t;

static int compare_candidates(const void *a, const void *b)
{
    const candidate_t *x = a, *y = b;
    if (x->frequency != y->frequency)
        return x->frequency > y->frequency ? -1 : 1;
    return strcmp(x->text, y->text);
}

/* Normalised, spaces collapsed, ends trimmed. */
static char *normalised_prefix(const char *prefix)
{
    return vind_normalize_collapsed(prefix, strlen(prefix));
}

/* Index words completing the last word of prefix (*last_at: where that
 * word starts in prefix), most frequent first. Each candidate's text is
 * the completed word alone: every one has the same head before it, so it
 * orders them as the whole text would, and the whole text is built only
 * for the few taken (a one-letter prefix has thousands: "b" 2,256). */
static vind_status_t word_candidates(vind_searcher_t *searcher, const char *prefix,
                                     int ends_with_space, GArray *out, size_t *last_at,
                                     char **errmsg)
{
    if (ends_with_space)
        return VIND_OK; /* "langdurige " has no last word to complete */
    const char *space = strrchr(prefix, ' ');
    const char *last = space ? space + 1 : prefix;
    *last_at = (size_t)(last - prefix);
    if (!*last)
        return VIND_OK;
    char *term_prefix = g_strconcat(VIND_PREFIX_EXACT, last, NULL);
    vind_xapian_terms_t *terms = NULL;
    vind_status_t status = vind_xapian_reader_all_terms(searcher->reader, term_prefix,
                                                        COMPLETION_SCAN_TERMS, &terms, errmsg);
    size_t skip = strlen(VIND_PREFIX_EXACT);
    for (size_t i = 0; status == VIND_OK && i < terms->count; i++) {
        candidate_t candidate = {.text = terms->items[i].term, .frequency = terms->items[i].frequency};
        /* The term's string moves into the candidate, its prefix cut off. */
        memmove(candidate.text, candidate.text + skip, strlen(candidate.text + skip) + 1);
        terms->items[i].term = NULL;
        g_array_append_val(out, candidate);
    }
    vind_xapian_terms_free(terms);
    g_free(term_prefix);
    return status;
}

/* The title of docid as displayed (malloc'd), or NULL: from its hit record,
 * else (an index written before hit records) its stored record. Cost: one
 * value read and a decode of ~1 kB, not the parse of the stored record. */
static char *display_title(vind_searcher_t *searcher, uint32_t docid)
{
    char *value = NULL;
    vind_hit_record_t record = {0};
    char *title = NULL;
    if (vind_searcher_hit_record(searcher, docid, &value, &record, NULL) == VIND_OK && value) {
        title = record.title && *record.title ? strdup(record.title) : NULL;
        free(record.tags);
        free(record.themes);
        free((void *)record.ocr_pages);
        free(value);
        return title;
    }
    json_t *stored = NULL;
    if (vind_searcher_stored(searcher, docid, &stored, NULL) != VIND_OK)
        return NULL;
    const char *text = json_string_value(json_object_get(stored, "title"));
    title = text && *text ? strdup(text) : NULL;
    json_decref(stored);
    return title;
}

typedef struct {
    vind_searcher_t *searcher;
    GArray *out;
    unsigned read; /* titles read so far */
} titles_rock_t;

/* vind_titles_with_prefix's walk: each title, as displayed, a candidate. */
static int add_title(void *rock, uint32_t docid)
{
    titles_rock_t *at = rock;
    candidate_t candidate = {.text = display_title(at->searcher, docid), .frequency = 1};
    if (candidate.text)
        g_array_append_val(at->out, candidate);
    return ++at->read >= COMPLETION_SCAN_TITLES;
}

/* Titles whose normalised form starts with prefix, as displayed. Cost: two
 * binary searches in the searcher's sorted titles (lib/titles.h) and a hit
 * record read per title that starts with prefix. */
static vind_status_t title_candidates(vind_searcher_t *searcher, const char *prefix, GArray *out,
                                      char **errmsg)
{
    titles_rock_t rock = {searcher, out, 0};
    return vind_titles_with_prefix(searcher, prefix, add_title, &rock, errmsg);
}

static void clear_candidates(GArray *candidates)
{
    for (guint i = 0; i < candidates->len; i++)
        free(g_array_index(candidates, candidate_t, i).text);
    g_array_free(candidates, TRUE);
}

/* Adds text to list (once, compared normalised) while there is room. */
static void take(GPtrArray *list, GHashTable *seen, size_t max, const char *text)
{
    if (list->len >= max)
        return;
    char *key = vind_normalize(text, strlen(text));
    if (!key || g_hash_table_contains(seen, key)) {
        free(key);
        return;
    }
    g_hash_table_add(seen, key);
    g_ptr_array_add(list, strdup(text));
}

/* take() for the completed word: the head of prefix before it, then it. */
static void take_word(GPtrArray *list, GHashTable *seen, size_t max, const char *prefix,
                      size_t head, const char *word)
{
    if (list->len >= max)
        return;
    char *text = g_strdup_printf("%.*s%s", (int)head, prefix, word);
    take(list, seen, max, text);
    g_free(text);
}

/*
 * The words completing a short last word ("v", "ve"), kept per revision.
 * A search box asks for them at its first keystrokes, and they are the
 * dearest: "b" scans 2,256 index terms, "v" thousands (up to 20,000). Kept:
 * the first WORD_CACHE_TOP in completion order (most frequent first), which
 * is all a list of up to ten takes unless many normalise alike; a list that
 * needs more asks the index again (vind_suggest). Bounded by a quarter of
 * the read-cache budget; emptied at a new revision.
 */
#define WORD_CACHE_CHARS 2u
#define WORD_CACHE_TOP 64u

typedef struct {
    candidate_t *items; /* sorted, texts malloc'd */
    size_t n;
    int complete; /* every word completing it, not only the first WORD_CACHE_TOP */
} word_list_t;

typedef struct {
    vind_revision_mark_t mark;
    GHashTable *lists; /* last word -> word_list_t */
    size_t bytes;
} word_cache_t;

static void word_list_free(gpointer data)
{
    word_list_t *list = data;
    for (size_t i = 0; i < list->n; i++)
        free(list->items[i].text);
    free(list->items);
    free(list);
}

static void word_cache_free(void *data)
{
    word_cache_t *cache = data;
    if (cache) {
        g_hash_table_destroy(cache->lists);
        free(cache);
    }
}

/* The searcher's cache for its index as it is now (made or emptied), or NULL on NOMEM. */
static word_cache_t *word_cache_of(vind_searcher_t *searcher)
{
    word_cache_t *cache = searcher->word_cache;
    if (cache && vind_revision_current(searcher, &cache->mark))
        return cache;
    word_cache_free(cache);
    searcher->word_cache = cache = calloc(1, sizeof *cache);
    if (!cache)
        return NULL;
    searcher->word_cache_free = word_cache_free;
    vind_revision_mark(searcher, &cache->mark);
    cache->lists = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, word_list_free);
    return cache;
}

/* Whether last (a normalised word) is short enough for the cache. */
static int short_word(const char *last)
{
    return *last && g_utf8_validate(last, -1, NULL) && g_utf8_strlen(last, -1) <= WORD_CACHE_CHARS;
}

/* words (sorted) into the cache under last, at most WORD_CACHE_TOP of them. */
static void cache_words(vind_searcher_t *searcher, const char *last, const GArray *words)
{
    word_cache_t *cache = word_cache_of(searcher);
    size_t n = words->len < WORD_CACHE_TOP ? words->len : WORD_CACHE_TOP;
    /* counted as malloc holds it (headers, 16-byte steps) with the hash
     * entry: until session 16 only the strings and structs were */
    size_t bytes = vind_heap_bytes(sizeof(word_list_t)) + vind_heap_bytes(strlen(last) + 1) +
                   VIND_HASH_ENTRY_BYTES + vind_heap_bytes((n ? n : 1) * sizeof(candidate_t));
    for (size_t i = 0; i < n; i++)
        bytes += vind_heap_bytes(strlen(g_array_index(words, candidate_t, i).text) + 1);
    if (!cache || cache->bytes + bytes > searcher->cache_bytes / 4)
        return;
    word_list_t *list = calloc(1, sizeof *list);
    if (!list || !(list->items = calloc(n ? n : 1, sizeof *list->items))) {
        free(list);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        const candidate_t *word = &g_array_index(words, candidate_t, i);
        list->items[i] = (candidate_t){strdup(word->text), word->frequency};
        if (!list->items[i].text) {
            list->n = i;
            word_list_free(list);
            return;
        }
    }
    list->n = n;
    list->complete = n == words->len;
    g_hash_table_replace(cache->lists, g_strdup(last), list);
    cache->bytes += bytes;
}

/* The cached words completing last into out (sorted), with *complete; 0
 * when last is not cached. */
static int cached_words(vind_searcher_t *searcher, const char *last, GArray *out, int *complete)
{
    word_cache_t *cache = searcher->word_cache;
    if (cache && cache->bytes > searcher->cache_bytes / 4) {
        /* a budget lowered since (vind_searcher_set_cache_size) */
        word_cache_free(cache);
        searcher->word_cache = cache = NULL;
    }
    const word_list_t *list = cache && vind_revision_current(searcher, &cache->mark)
                                  ? g_hash_table_lookup(cache->lists, last)
                                  : NULL;
    if (!list)
        return 0;
    for (size_t i = 0; i < list->n; i++) {
        candidate_t copy = {strdup(list->items[i].text), list->items[i].frequency};
        if (copy.text)
            g_array_append_val(out, copy);
    }
    *complete = list->complete && out->len == list->n;
    return 1;
}

/* The words completing the last word of prefix, sorted (most frequent
 * first), from the cache when it is short and use_cache is set; *complete
 * 0 when they are only the first of them (word_cache_t). */
static vind_status_t sorted_words(vind_searcher_t *searcher, const char *prefix, int ends_with_space,
                                  int use_cache, GArray *words, size_t *head, int *complete,
                                  char **errmsg)
{
    *complete = 1;
    const char *space = strrchr(prefix, ' ');
    const char *last = space ? space + 1 : prefix;
    int cacheable = use_cache && !ends_with_space && short_word(last);
    if (cacheable && cached_words(searcher, last, words, complete)) {
        *head = (size_t)(last - prefix);
        return VIND_OK;
    }
    vind_status_t status = word_candidates(searcher, prefix, ends_with_space, words, head, errmsg);
    g_array_sort(words, compare_candidates);
    if (status == VIND_OK && cacheable)
        cache_words(searcher, last, words);
    return status;
}

/* The completions (malloc'd strings in a new array): up to half the list
 * words, then titles, then more words if room is left ("verpleeg" offers
 * "verpleeghuis" and "Verpleeghuiszorg in beeld"). *ran_out: the words
 * ran out while the list wanted more. */
static GPtrArray *completion_list(const char *prefix, size_t head, const GArray *words,
                                  const GArray *titles, size_t max, int *ran_out)
{
    GPtrArray *list = g_ptr_array_new();
    GHashTable *seen = g_hash_table_new_full(g_str_hash, g_str_equal, free, NULL);
    size_t half = (max + 1) / 2;
    guint i = 0;
    for (; i < words->len && list->len < half; i++)
        take_word(list, seen, max, prefix, head, g_array_index(words, candidate_t, i).text);
    *ran_out = i == words->len && list->len < half;
    for (guint t = 0; t < titles->len; t++)
        take(list, seen, max, g_array_index(titles, candidate_t, t).text);
    for (i = 0; i < words->len && list->len < max; i++)
        take_word(list, seen, max, prefix, head, g_array_index(words, candidate_t, i).text);
    *ran_out |= list->len < max;
    g_hash_table_destroy(seen);
    return list;
}

vind_status_t vind_suggest(vind_searcher_t *searcher, const char *prefix, size_t max, char ***out,
                           char **errmsg)
{
    if (!out)
        return vind_error(errmsg, VIND_INVALID_ARGUMENT, "vind_suggest: out is NULL");
    *out = NULL;
    if (!searcher || !prefix)
        return vind_error(errmsg, VIND_INVALID_ARGUMENT, "vind_suggest: no searcher or prefix");
    size_t length = strlen(prefix);
    if (length > VIND_MAX_QUERY_BYTES)
        return vind_error(errmsg, VIND_BAD_QUERY, "the prefix is too long: %zu bytes (at most %u)",
                          length, VIND_MAX_QUERY_BYTES);
    if (max == 0)
        max = 10;
    char *normal = normalised_prefix(prefix);
    if (!normal)
        return vind_error(errmsg, VIND_NOMEM, "out of memory");
    int ends_with_space = length > 0 && g_ascii_isspace(prefix[length - 1]);
    GArray *words = g_array_new(FALSE, TRUE, sizeof(candidate_t));
    GArray *titles = g_array_new(FALSE, TRUE, sizeof(candidate_t));
    vind_status_t status = VIND_OK;
    size_t head = 0;
    int complete = 1, ran_out = 0;
    if (*normal) {
        status = sorted_words(searcher, normal, ends_with_space, 1, words, &head, &complete, errmsg);
        if (status == VIND_OK)
            status = title_candidates(searcher, normal, titles, errmsg);
    }
    g_array_sort(titles, compare_candidates);
    GPtrArray *list = completion_list(normal, head, words, titles, max, &ran_out);
    if (status == VIND_OK && !complete && ran_out) {
        /* The cached first words were not enough (many normalise alike): all of them. */
        g_ptr_array_set_free_func(list, free);
        g_ptr_array_free(list, TRUE);
        clear_candidates(words);
        words = g_array_new(FALSE, TRUE, sizeof(candidate_t));
        status = sorted_words(searcher, normal, ends_with_space, 0, words, &head, &complete, errmsg);
        list = completion_list(normal, head, words, titles, max, &ran_out);
    }
    clear_candidates(words);
    clear_candidates(titles);
    free(normal);
    char **result = status == VIND_OK ? calloc(list->len + 1, sizeof *result) : NULL;
    for (guint i = 0; i < list->len; i++) {
        if (result)
            result[i] = g_ptr_array_index(list, i);
        else
            free(g_ptr_array_index(list, i));
    }
    g_ptr_array_free(list, TRUE);
    if (status != VIND_OK)
        return status;
    if (!result)
        return vind_error(errmsg, VIND_NOMEM, "out of memory");
    *out = result;
    return VIND_OK;
}
