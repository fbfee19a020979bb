/*
 * test_english.c - the English lemma list (lib/english.c): a word's lemma
 * by bisection of the sorted list, its first and last lines, words before,
 * between and after them, a word that is only a prefix of a line; a datadir
 * without the list (Snowball's stems alone).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "english.h"

#include "check.h"

static const char *const list_text = "apple\n"
                                     "apples\tapple\n"
                                     "boxes\tbox\n"
                                     "manager\n"
                                     "managers\tmanager\n"
                                     "stopped\tstop\n"
                                     "zoo"; /* no final newline */

/* The lemma of word, or NULL when the list lacks it (a static buffer). */
static const char *lemma_of(const vind_english_t *english, const char *word)
{
    static char buffer[64];
    const char *lemma = NULL;
    size_t length = 0;
    if (!vind_english_lemma(english, word, strlen(word), &lemma, &length))
        return NULL;
    snprintf(buffer, sizeof buffer, "%.*s", (int)length, lemma);
    return buffer;
}

int main(void)
{
    char *dir = g_dir_make_tmp("vind-english-XXXXXX", NULL);
    char *path = g_build_filename(dir, "en-lemmas.txt", NULL);
    vind_english_t *english = NULL;
    CHECK_INT(vind_english_open(dir, &english, NULL), VIND_OK, "no list: opens");
    CHECK(english == NULL, "no list: none (Snowball's stems alone)");
    CHECK(lemma_of(NULL, "apples") == NULL, "no list: no lemma");

    CHECK(g_file_set_contents(path, list_text, -1, NULL), "list written");
    CHECK_INT(vind_english_open(dir, &english, NULL), VIND_OK, "list opens");
    CHECK(english != NULL, "list mapped");
    CHECK_STR(lemma_of(english, "apple"), "apple", "first line: its own lemma");
    CHECK_STR(lemma_of(english, "apples"), "apple", "a plural's lemma");
    CHECK_STR(lemma_of(english, "boxes"), "box", "-es");
    CHECK_STR(lemma_of(english, "manager"), "manager", "a word between lines of lemmas");
    CHECK_STR(lemma_of(english, "managers"), "manager", "an -s after its prefix line");
    CHECK_STR(lemma_of(english, "stopped"), "stop", "the line before the last");
    CHECK_STR(lemma_of(english, "zoo"), "zoo", "the last line, no newline");
    CHECK(lemma_of(english, "aardvark") == NULL, "before the first line");
    CHECK(lemma_of(english, "zoos") == NULL, "after the last line");
    CHECK(lemma_of(english, "manage") == NULL, "a prefix of a line is no line");
    CHECK(lemma_of(english, "managerx") == NULL, "between two lines");
    CHECK(lemma_of(english, "") == NULL, "the empty word");
    vind_english_free(english);
    vind_english_free(NULL);

    g_remove(path);
    g_rmdir(dir);
    g_free(path);
    g_free(dir);
    return check_done();
}
