/*
 * word_memo.c - the query builder's answers about words, remembered
 * (word_memo.h). A plan of one to three words asked the analyzer ~16 times
 * (callgrind, the 1,000 bench requests: 10,817 analyses and 3,970 word
 * stems in 1,000 plans) and bisected the translation list ~5 times; each
 * answer is now made once per searcher. A hit costs one string hash and
 * compare (~100 instructions) where an analysis cost ~3,000.
 */
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "tokens_memory.h"
#include "word_memo.h"

/* Entries of each table, and bytes of all, before the memo is emptied:
 * far more than the distinct words of a day's queries; the bytes bound a
 * memo fed long phrases (a query may be 4 kB: ~700 tokens). */
#define WORD_MEMO_MAX 8192
#define WORD_MEMO_BYTES (4u << 20)

struct vind_word_memo {
    vind_analyzer_t *analyzer;
    const vind_synonyms_t *synonyms;
    GHashTable *analyses;     /* text -> vind_tokens_t* */
    GHashTable *stems;        /* language letter + word -> char* (malloc) */
    GHashTable *translations; /* term -> the stems list (g_malloc), NULL: none */
    size_t bytes; /* about what the entries hold: keys, values, tokens, malloc's
                   * headers and hash slots (session 15: strings alone before) */
};

static void tokens_free(gpointer tokens)
{
    vind_tokens_free(tokens);
}

vind_word_memo_t *vind_word_memo_new(vind_analyzer_t *analyzer, const vind_synonyms_t *synonyms)
{
    vind_word_memo_t *memo = g_new0(vind_word_memo_t, 1);
    memo->analyzer = analyzer;
    memo->synonyms = synonyms;
    memo->analyses = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, tokens_free);
    memo->stems = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, free);
    memo->translations = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    return memo;
}

void vind_word_memo_free(vind_word_memo_t *memo)
{
    if (!memo)
        return;
    g_hash_table_destroy(memo->analyses);
    g_hash_table_destroy(memo->stems);
    g_hash_table_destroy(memo->translations);
    g_free(memo);
}

void vind_word_memo_begin(vind_word_memo_t *memo)
{
    if (g_hash_table_size(memo->analyses) >= WORD_MEMO_MAX ||
        g_hash_table_size(memo->stems) >= WORD_MEMO_MAX ||
        g_hash_table_size(memo->translations) >= WORD_MEMO_MAX || memo->bytes >= WORD_MEMO_BYTES) {
        g_hash_table_remove_all(memo->analyses);
        g_hash_table_remove_all(memo->stems);
        g_hash_table_remove_all(memo->translations);
        memo->bytes = 0;
    }
}

size_t vind_word_memo_bytes(const vind_word_memo_t *memo)
{
    return memo->bytes;
}

const vind_tokens_t *vind_word_memo_analysis(vind_word_memo_t *memo, const char *text)
{
    vind_tokens_t *tokens = g_hash_table_lookup(memo->analyses, text);
    if (tokens)
        return tokens;
    if (vind_analyze(memo->analyzer, text, strlen(text), VIND_LANG_NL, &tokens, NULL) != VIND_OK)
        return NULL; /* out of memory: asked again next time */
    g_hash_table_insert(memo->analyses, g_strdup(text), tokens);
    /* what the analysis holds, arena and room included (its strings alone
     * were a 64th of it before session 15: the bound did not bound) */
    memo->bytes += vind_heap_bytes(strlen(text) + 1) + vind_tokens_memory(tokens) +
                   VIND_HASH_ENTRY_BYTES;
    return tokens;
}

const char *vind_word_memo_stem(vind_word_memo_t *memo, const char *word, vind_lang_t lang)
{
    char *key = g_strconcat(lang == VIND_LANG_EN ? "e" : "n", word, NULL);
    char *stem = g_hash_table_lookup(memo->stems, key);
    if (stem) {
        g_free(key);
        return stem;
    }
    /* NULL (no token, or out of memory) is not remembered: asked again. */
    stem = vind_analyze_word(memo->analyzer, word, lang);
    if (stem) {
        memo->bytes += vind_heap_bytes(strlen(key) + 1) + vind_heap_bytes(strlen(stem) + 1) +
                       VIND_HASH_ENTRY_BYTES;
        g_hash_table_insert(memo->stems, key, stem);
    } else
        g_free(key);
    return stem;
}

/* Bytes of a stems list up to and with its closing empty string. */
static size_t list_bytes(const char *stems)
{
    const char *s = stems;
    while (*s)
        s += strlen(s) + 1;
    return (size_t)(s - stems) + 1;
}

const char *vind_word_memo_translations(vind_word_memo_t *memo, const char *term)
{
    gpointer stems = NULL;
    if (g_hash_table_lookup_extended(memo->translations, term, NULL, &stems))
        return stems;
    char list[VIND_TRANSLATION_BYTES];
    if (vind_synonyms_translations(memo->synonyms, term, list, sizeof list)) {
        stems = g_memdup2(list, list_bytes(list));
        memo->bytes += vind_heap_bytes(list_bytes(list));
    }
    memo->bytes += vind_heap_bytes(strlen(term) + 1) + VIND_HASH_ENTRY_BYTES;
    g_hash_table_insert(memo->translations, g_strdup(term), stems);
    return stems;
}
