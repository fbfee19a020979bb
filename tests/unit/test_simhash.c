/*
 * test_simhash.c - near-duplicates: the simhash of word 4-shingles
 * (lib/simhash.c) keeps a text with a few words changed within
 * VIND_SIMHASH_MAX_DISTANCE bits and puts an unrelated text far away; a
 * short text gets no fingerprint; an analyzer that gives the same words
 * other stems, or takes other words for stop words, does not move the
 * fingerprint (it is made of the normalised forms, stop words too). Then the groups the indexer assigns
 * (lib/index.c) as a search sees them: two versions of a report collapse
 * into one hit with similar 1 and the group's key, a distinct report stays
 * alone, the group's own list and a search without collapsing list both,
 * and vind_count and a search of every match (limit 0) count every document.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include <vind/search.h>

#include "simhash.h"

#include "check.h"
#include "index_folder.h"
#include "temp_tree.h"

/* A deterministic text of n words from a small vocabulary, varied by seed. */
static char *make_text(unsigned n, unsigned seed)
{
    static const char *const words[] = {
        "onderzoek",    "app",     "scherm",     "knop",         "tekst",   "contrast",
        "schermlezer",  "melding", "gebruiker",  "formulier",    "versie",  "richtlijn",
        "toegankelijk", "kleur",   "animatie",   "link",         "website", "instelling",
        "telefoon",     "tablet",  "volgorde",   "beschrijving", "advies",  "rapport",
        "norm",         "grootte", "informatie", "taal"};
    GString *text = g_string_new(NULL);
    unsigned state = seed * 2654435761u + 1u;
    for (unsigned i = 0; i < n; i++) {
        state = state * 1103515245u + 12345u;
        g_string_append_printf(text, "%s%s", i ? " " : "",
                               words[(state >> 16) % G_N_ELEMENTS(words)]);
    }
    return g_string_free(text, FALSE);
}

/* The fingerprint of text's words (split on spaces), or 0 when none. */
static uint64_t fingerprint(const char *text, int *has)
{
    vind_simhash_t s;
    vind_simhash_init(&s);
    gchar **words = g_strsplit(text, " ", -1);
    for (gchar **w = words; *w; w++)
        vind_simhash_add(&s, *w, strlen(*w));
    g_strfreev(words);
    uint64_t out = 0;
    *has = vind_simhash_result(&s, &out);
    return out;
}

/* The tokens of text's words (split on spaces) as an analyzer would give
 * them: form = the word; stem = the word, or for every seventh word
 * another stem (as a new lemma rule would: "samen" -> "same" ...); every
 * fifth word flagged a stop word when other_stops. */
static GArray *make_tokens(const char *text, int other_stems, int other_stops, gchar ***keep)
{
    GArray *tokens = g_array_new(FALSE, TRUE, sizeof(vind_token_t));
    gchar **words = g_strsplit(text, " ", -1);
    GPtrArray *stems = g_ptr_array_new_with_free_func(g_free);
    for (unsigned i = 0; words[i]; i++) {
        char *stem = other_stems && i % 7 == 0 ? g_strdup_printf("%.3s", words[i])
                                               : g_strdup(words[i]);
        g_ptr_array_add(stems, stem);
        vind_token_t token = {.form = words[i], .lemma = stem, .stem = stem,
                              .flags = other_stops && i % 5 == 0 ? VIND_TOKEN_STOP : 0u};
        g_array_append_val(tokens, token);
    }
    g_ptr_array_add(stems, NULL);
    keep[0] = words;
    keep[1] = (gchar **)g_ptr_array_free(stems, FALSE);
    return tokens;
}

/* The fingerprint of tokens, by vind_simhash_add_token (by_stem 0) or, as
 * the indexer did before session 15, by each non-stop token's stem. */
static uint64_t token_fingerprint(const GArray *tokens, int by_stem)
{
    vind_simhash_t s;
    vind_simhash_init(&s);
    for (guint i = 0; i < tokens->len; i++) {
        const vind_token_t *token = &g_array_index(tokens, vind_token_t, i);
        if (!by_stem)
            vind_simhash_add_token(&s, token);
        else if (!(token->flags & VIND_TOKEN_STOP))
            vind_simhash_add(&s, token->stem, strlen(token->stem));
    }
    uint64_t out = 0;
    vind_simhash_result(&s, &out);
    return out;
}

/* Analyses of one text that differ in the stems of some words, or in which
 * words are stop words, give the same fingerprint; the stems would not
 * have (the check that this test can fail). */
static void test_analyzer_independent(void)
{
    char *text = make_text(400, 4);
    gchar **keep_a[2], **keep_b[2], **keep_c[2];
    GArray *a = make_tokens(text, 0, 0, keep_a);
    GArray *b = make_tokens(text, 1, 0, keep_b);
    GArray *c = make_tokens(text, 1, 1, keep_c);
    uint64_t print_a = token_fingerprint(a, 0);
    CHECK(print_a != 0, "a text of 400 tokens has a fingerprint");
    CHECK_INT(token_fingerprint(b, 0), print_a, "other stems of the same words: the same fingerprint");
    CHECK_INT(token_fingerprint(c, 0), print_a, "other stop words too: the same fingerprint");
    unsigned by_stems = vind_simhash_distance(token_fingerprint(a, 1), token_fingerprint(b, 1));
    unsigned by_stops = vind_simhash_distance(token_fingerprint(b, 1), token_fingerprint(c, 1));
    CHECK(by_stems > 0 && by_stops > 0, "the stems' fingerprints would have moved");
    printf("# stems' fingerprints: one stem in seven changed %u bits, one stop word in five %u\n",
           by_stems, by_stops);
    /* The minimum counts the words that are not stop words: 50 words make
     * 47 shingles, but with every fifth a stop word only 40 words count. */
    char *brief = make_text(50, 5);
    gchar **keep_d[2], **keep_e[2];
    GArray *d = make_tokens(brief, 0, 0, keep_d);
    GArray *e = make_tokens(brief, 0, 1, keep_e);
    CHECK(token_fingerprint(d, 0) != 0, "50 words: a fingerprint");
    CHECK_INT(token_fingerprint(e, 0), 0, "50 words, 10 of them stop words: none (40 count)");
    GArray *arrays[] = {a, b, c, d, e};
    gchar **const *keeps[] = {keep_a, keep_b, keep_c, keep_d, keep_e};
    for (size_t k = 0; k < G_N_ELEMENTS(arrays); k++) {
        g_array_free(arrays[k], TRUE);
        g_strfreev(keeps[k][0]);
        g_strfreev(keeps[k][1]);
    }
    free(text);
    free(brief);
}

static void test_fingerprints(void)
{
    char *text = make_text(400, 1);
    int has = 0, has_copy = 0, has_other = 0, has_short = 0;
    uint64_t a = fingerprint(text, &has);
    CHECK(has, "a text of 400 words has a fingerprint");
    /* A few words changed: a new version of the same report. */
    GString *edited = g_string_new(text);
    const char *spot = strstr(edited->str + 1000, " ");
    g_string_insert(edited, spot - edited->str, " versie twee van het rapport");
    g_string_append(edited, " met een nieuwe bijlage");
    uint64_t b = fingerprint(edited->str, &has_copy);
    CHECK(has_copy && vind_simhash_distance(a, b) <= VIND_SIMHASH_MAX_DISTANCE,
          "a few words added: within the near-duplicate distance");
    printf("# distance of the edited copy: %u\n", vind_simhash_distance(a, b));
    CHECK_INT(fingerprint(text, &has), a, "the same text, the same fingerprint");
    char *other = make_text(400, 2);
    uint64_t c = fingerprint(other, &has_other);
    CHECK(has_other && vind_simhash_distance(a, c) > VIND_SIMHASH_MAX_DISTANCE,
          "an unrelated text of the same words is far away");
    printf("# distance of the unrelated text: %u\n", vind_simhash_distance(a, c));
    char *brief = make_text(VIND_SIMHASH_SHINGLE + VIND_SIMHASH_MIN_SHINGLES - 2, 3);
    fingerprint(brief, &has_short);
    CHECK(!has_short, "a short text gets no fingerprint");
    char hex[17];
    uint64_t back = 0;
    vind_simhash_hex(a, hex);
    CHECK(strlen(hex) == 16 && vind_simhash_parse(hex, 16, &back) && back == a,
          "a fingerprint as 16 hex digits and back");
    CHECK(!vind_simhash_parse("0123456789abcdeX", 16, &back), "no key with a non-hex digit");
    CHECK(!vind_simhash_parse("0123", 4, &back), "no key of another length");
    CHECK_INT(vind_simhash_distance(0, ~(uint64_t)0), 64, "distance counts differing bits");
    g_string_free(edited, TRUE);
    free(text), free(other), free(brief);
}

static char root[64];

static void write_page(const char *slug, const char *title, const char *body)
{
    char *html = g_strdup_printf("<!DOCTYPE html><html lang=\"nl\"><head><meta charset=\"utf-8\">"
                                 "<title>%s</title><meta property=\"og:type\" content=\"article\">"
                                 "</head><body><article><h1>%s</h1><p>%s</p></article></body>"
                                 "</html>",
                                 title, title, body);
    write_test_page(root, "site", slug, html);
    g_free(html);
}

static vind_results_t *search(vind_searcher_t *searcher, const char *query, size_t limit)
{
    vind_search_request_t req;
    vind_search_request_init(&req);
    req.query = query;
    req.limit = limit;
    req.snippets = 0;
    vind_results_t *results = NULL;
    if (vind_search(searcher, &req, &results, NULL) != VIND_OK)
        return NULL;
    return results;
}

static void test_groups(const vind_lexicon_t *lexicon)
{
    char *text = make_text(300, 7), *other = make_text(300, 8);
    char *version = g_strdup_printf("%s rapport versie twee", text);
    char *body = g_strdup_printf("rapport %s", text), *body2 = g_strdup_printf("rapport %s", other);
    write_page("v1", "Rapport versie 1", body);
    write_page("v2", "Rapport versie 2", version);
    write_page("anders", "Een ander rapport", body2);
    char site[128], db[128];
    snprintf(site, sizeof site, "%s/site", root);
    snprintf(db, sizeof db, "%s/db", root);
    vind_index_report_t report = {0};
    CHECK(index_folder(lexicon, db, site, &report), "three reports indexed");
    vind_searcher_t *searcher = NULL;
    if (vind_searcher_open(db, lexicon, &searcher, NULL) != VIND_OK) {
        CHECK(0, "searcher opens");
        goto out;
    }
    vind_results_t *r = search(searcher, "rapport", 10);
    size_t n = r ? vind_results_count(r) : 0;
    const vind_hit_t *version_hit = NULL, *other_hit = NULL;
    for (size_t i = 0; i < n; i++) {
        const vind_hit_t *hit = vind_results_get(r, i);
        if (strstr(hit->url, "anders"))
            other_hit = hit;
        else
            version_hit = hit;
    }
    CHECK_INT(n, 2, "the two versions are one hit, the other report another");
    CHECK(version_hit && version_hit->similar == 1 && version_hit->group &&
              strlen(version_hit->group) == 16,
          "the versions' hit: one similar document, and its group");
    CHECK(other_hit && other_hit->similar == 0 && !other_hit->group,
          "the other report is not collapsed");
    CHECK_INT(r ? vind_results_total(r) : 0, 3, "the total counts every document");
    CHECK_INT(r ? vind_results_listed(r) : 0, 2, "the collapsed list has two entries");
    char group[17] = "";
    if (version_hit && version_hit->group)
        snprintf(group, sizeof group, "%s", version_hit->group);
    vind_results_free(r);

    CHECK_INT(vind_searcher_set_similar(searcher, group, NULL), VIND_OK, "a group to list");
    r = search(searcher, "rapport", 10);
    CHECK_INT(r ? vind_results_count(r) : 0, 2, "the group's list has both versions");
    vind_results_free(r);
    char *message = NULL;
    CHECK_INT(vind_searcher_set_similar(searcher, "nogroup", &message), VIND_INVALID_ARGUMENT,
              "a key that is no group is refused");
    free(message);
    vind_searcher_set_similar(searcher, NULL, NULL);

    r = search(searcher, "rapport", 0);
    CHECK_INT(r ? vind_results_count(r) : 0, 3, "every match (limit 0, --all) lists all three");
    vind_results_free(r);
    vind_searcher_set_collapse(searcher, 0);
    r = search(searcher, "rapport", 10);
    CHECK_INT(r ? vind_results_count(r) : 0, 3, "collapse off: all three");
    vind_results_free(r);
    vind_searcher_set_collapse(searcher, 1);
    vind_search_request_t req;
    vind_search_request_init(&req);
    req.query = "rapport";
    vind_results_t *counted = NULL;
    CHECK_INT(vind_count(searcher, &req, &counted, NULL), VIND_OK, "vind_count");
    CHECK_INT(counted ? vind_results_total(counted) : 0, 3, "vind_count counts every document");
    vind_results_free(counted);
    vind_searcher_close(searcher);
out:
    g_free(version), g_free(body), g_free(body2);
    free(text), free(other);
}

int main(void)
{
    test_fingerprints();
    test_analyzer_independent();
    vind_lexicon_t *lexicon = NULL;
    if (vind_lexicon_open(NULL, &lexicon, NULL) != VIND_OK) {
        SKIP("no lexicon data (run make first)");
        return check_done();
    }
    if (make_temp_tree(root, sizeof root, "simhash")) {
        test_groups(lexicon);
        remove_tree(root);
    }
    vind_lexicon_close(lexicon);
    return check_done();
}
