/*
 * lang.c - a document's language from its declaration and its text
 * (lib/lang.h). Why: sites declare one language for every page, and an
 * English page declared Dutch gets Dutch lemmas and compound splits of its
 * English words and no English translation of a Dutch query reaches it
 * (issue 13, session 14).
 */
#include "lang.h"

#include <stdlib.h>
#include <string.h>

#include <glib.h>

/* Snowball's Dutch and English stop lists (stopwords/), less what either
 * language also writes: the words on both lists ("in", "is", "was", "we",
 * "of", "over", "had", "me"), single letters but Dutch "u" ("I", "a" and the
 * pieces of "don't" and "zo'n"), and Dutch words that are English words
 * ("die", "door", "want", "men", "ben", "hem", "den", "ge"). Sorted for
 * bsearch. */
static const char *const dutch_words[] = {
    "aan",    "al",    "alles",  "als",     "altijd", "andere", "bij",    "daar",  "dan",  "dat",
    "de",     "der",   "des",    "deze",    "dit",    "doch",   "doen",   "dus",   "een",  "eens",
    "en",     "er",    "geen",   "geweest", "haar",   "heb",    "hebben", "heeft", "het",  "hier",
    "hij",    "hoe",   "hun",    "iemand",  "iets",   "ik",     "ja",     "je",    "jij",  "jullie",
    "kan",    "kon",   "kunnen", "maar",    "meer",   "met",    "mij",    "mijn",  "moet", "na",
    "naar",   "niet",  "niets",  "nog",     "nu",     "om",     "omdat",  "onder", "ons",  "ook",
    "op",     "reeds", "te",     "tegen",   "toch",   "toen",   "tot",    "u",     "uit",  "uw",
    "van",    "veel",  "voor",   "waren",   "wat",    "werd",   "wezen",  "wie",   "wij",  "wil",
    "worden", "wordt", "zal",    "ze",      "zelf",   "zich",   "zij",    "zijn",  "zo",   "zonder",
    "zou",
};
static const char *const english_words[] = {
    "about",    "above",      "after",  "again",   "against",    "all",       "am",      "an",
    "and",      "any",        "are",    "as",      "at",         "be",        "because", "been",
    "before",   "being",      "below",  "between", "both",       "but",       "by",      "cannot",
    "could",    "did",        "do",     "does",    "doing",      "down",      "during",  "each",
    "few",      "for",        "from",   "further", "has",        "have",      "having",  "he",
    "her",      "here",       "hers",   "herself", "him",        "himself",   "his",     "how",
    "if",       "into",       "it",     "its",     "itself",     "more",      "most",    "my",
    "myself",   "no",         "nor",    "not",     "off",        "on",        "once",    "only",
    "or",       "other",      "ought",  "our",     "ours",       "ourselves", "out",     "own",
    "same",     "she",        "should", "so",      "some",       "such",      "than",    "that",
    "the",      "their",      "theirs", "them",    "themselves", "then",      "there",   "these",
    "they",     "this",       "those",  "through", "to",         "too",       "under",   "until",
    "up",       "very",       "were",   "what",    "when",       "where",     "which",   "while",
    "who",      "whom",       "why",    "with",    "would",      "you",       "your",    "yours",
    "yourself", "yourselves",
};

/* The longest listed word ("themselves", "yourselves"). */
#define LONGEST_WORD 10u

static int compare_word(const void *key, const void *member)
{
    return strcmp(key, *(const char *const *)member);
}

static int listed(const char *word, const char *const *list, size_t n)
{
    return bsearch(word, list, n, sizeof *list, compare_word) != NULL;
}

static int is_ascii_letter(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* A word is a run of ASCII letters and non-ASCII bytes: "één" and "café"
 * are whole words (and listed in neither language), not "caf". */
static int in_word(unsigned char c)
{
    return is_ascii_letter(c) || c >= 0x80;
}

void vind_lang_count(const char *text, size_t len, vind_lang_votes_t *votes)
{
    size_t i = 0;
    while (i < len) {
        while (i < len && !in_word((unsigned char)text[i]))
            i++;
        size_t start = i;
        int ascii = 1;
        while (i < len && in_word((unsigned char)text[i]))
            ascii &= (unsigned char)text[i++] < 0x80;
        size_t n = i - start;
        if (!ascii || n == 0 || n > LONGEST_WORD)
            continue;
        char word[LONGEST_WORD + 1];
        for (size_t k = 0; k < n; k++)
            word[k] = g_ascii_tolower(text[start + k]);
        word[n] = '\0';
        votes->dutch += listed(word, dutch_words, G_N_ELEMENTS(dutch_words));
        votes->english += listed(word, english_words, G_N_ELEMENTS(english_words));
    }
}

char *vind_lang_primary(const char *tag)
{
    if (tag == NULL)
        return NULL;
    size_t n = strcspn(tag, "-_ ");
    if (n == 0 || n > 8)
        return NULL;
    char *primary = g_ascii_strdown(tag, (gssize)n);
    static const char *const no_language[] = {"x", "i", "und", "mul", "zxx"};
    for (size_t i = 0; i < G_N_ELEMENTS(no_language); i++)
        if (strcmp(primary, no_language[i]) == 0) {
            g_free(primary);
            return NULL;
        }
    return primary;
}

static int is_english(const char *lang)
{
    return lang != NULL && g_ascii_strncasecmp(lang, "en", 2) == 0;
}

const char *vind_lang_choose(const char *declared, const vind_lang_votes_t *votes, int *overruled)
{
    *overruled = 0;
    size_t total = votes->dutch + votes->english;
    if (declared == NULL) {
        if (total < VIND_LANG_GUESS_MIN_WORDS)
            return NULL;
        return votes->dutch >= votes->english ? "nl" : "en";
    }
    size_t other = is_english(declared) ? votes->dutch : votes->english;
    if (total < VIND_LANG_MIN_WORDS || other * 100 < total * VIND_LANG_MIN_PERCENT)
        return declared;
    *overruled = 1;
    return is_english(declared) ? "nl" : "en";
}

char *vind_lang_settle(const char *declared, char *const *pages, size_t n_pages, char **note)
{
    *note = NULL;
    vind_lang_votes_t votes = {0, 0};
    size_t budget = VIND_LANG_SCAN_BYTES;
    for (size_t i = 0; i < n_pages && budget > 0; i++) {
        size_t len = strnlen(pages[i], budget);
        vind_lang_count(pages[i], len, &votes);
        budget -= len;
    }
    int overruled = 0;
    const char *lang = vind_lang_choose(declared, &votes, &overruled);
    if (overruled)
        *note = g_strdup_printf("its text is %s (%zu Dutch and %zu English function words), not "
                                "the declared language \"%s\": analysed as %s",
                                is_english(lang) ? "English" : "Dutch", votes.dutch, votes.english,
                                declared, is_english(lang) ? "English" : "Dutch");
    return g_strdup(lang);
}
