/*
 * test_lang.c - a document's language from its declaration and its text
 * (lib/lang.c): the declaration stands unless the text clearly says the
 * other of Dutch and English; a bilingual or short text keeps it; without a
 * declaration the majority decides. Then through the HTML extractor: an
 * English page declared Dutch is analysed as English and reported, a Dutch
 * page with English code comments stays Dutch.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <vind/extract.h>

#include "lang.h"

#include "check.h"

static const char *const english_text =
    "There will, unfortunately, be no conference this year. With a very heavy heart, we have to "
    "inform you that we are not able to hold our conference. Despite a big push in the last few "
    "weeks, we needed to sell more tickets to make it possible for us to hold this year's event. "
    "We would like to thank all the people who supported us and we hope to see you again.";
static const char *const dutch_text =
    "Er is dit jaar helaas geen congres. Met pijn in het hart moeten we je laten weten dat we het "
    "congres niet kunnen houden. Ondanks een grote inspanning in de laatste weken hebben we niet "
    "genoeg kaarten verkocht om het mogelijk te maken. We willen iedereen die ons heeft gesteund "
    "bedanken en hopen je volgend jaar weer te zien bij een van onze bijeenkomsten.";

static vind_lang_votes_t votes_of(const char *text)
{
    vind_lang_votes_t votes = {0, 0};
    vind_lang_count(text, strlen(text), &votes);
    return votes;
}

static void test_count(void)
{
    vind_lang_votes_t votes = votes_of("The cat and THE dog: de kat en de hond, is in of over.");
    CHECK_INT(votes.english, 3, "count: the, and, THE are English (any case)");
    CHECK_INT(votes.dutch, 3, "count: de, en, de are Dutch; is, in, of, over are both");
    votes = votes_of("caf\xC3\xA9 d\xC3\xA9 th\xC3\xA9 zo'n don't I a");
    CHECK_INT(votes.dutch + votes.english, 1,
              "count: words with accents are whole words (no 'caf', 'd', 'th'); single letters "
              "count for neither, 'zo' of zo'n is Dutch");
    votes = votes_of("");
    CHECK_INT(votes.dutch + votes.english, 0, "count: empty text");
}

static void test_choose(void)
{
    int overruled = 1;
    vind_lang_votes_t english = votes_of(english_text), dutch = votes_of(dutch_text);
    CHECK(english.english >= VIND_LANG_MIN_WORDS && english.dutch == 0,
          "choose: the English sample has enough English words and no Dutch one");
    CHECK_STR(vind_lang_choose("nl", &english, &overruled), "en", "choose: English text over nl");
    CHECK_INT(overruled, 1, "choose: ... says it overruled the declaration");
    CHECK_STR(vind_lang_choose("fr", &english, &overruled), "en",
              "choose: English text over fr (analysed as Dutch)");
    CHECK_STR(vind_lang_choose("en", &dutch, &overruled), "nl", "choose: Dutch text over en");
    CHECK_STR(vind_lang_choose("nl", &dutch, &overruled), "nl", "choose: Dutch text, nl kept");
    CHECK_INT(overruled, 0, "choose: ... not overruled");
    CHECK_STR(vind_lang_choose("fr", &dutch, &overruled), "fr",
              "choose: Dutch text over fr: kept (both analysed as Dutch)");

    /* the thresholds: at VIND_LANG_MIN_PERCENT exactly it flips, just under it not */
    vind_lang_votes_t at = {5, 95}, under = {6, 94}, short_text = {0, VIND_LANG_MIN_WORDS - 1};
    CHECK_STR(vind_lang_choose("nl", &at, &overruled), "en", "choose: 95% English flips");
    CHECK_STR(vind_lang_choose("nl", &under, &overruled), "nl",
              "choose: 94% English keeps nl (a Dutch page with English code comments: 89%)");
    CHECK_STR(vind_lang_choose("nl", &short_text, &overruled), "nl",
              "choose: too few words to overrule");
    vind_lang_votes_t bilingual = {163, 173};
    CHECK_STR(vind_lang_choose("nl", &bilingual, &overruled), "nl",
              "choose: a bilingual page keeps its declaration");

    /* nothing declared: the majority, Dutch on a tie, none when too short */
    vind_lang_votes_t tie = {10, 10}, few = {0, VIND_LANG_GUESS_MIN_WORDS - 1};
    CHECK_STR(vind_lang_choose(NULL, &english, &overruled), "en", "choose: none declared, English");
    CHECK_INT(overruled, 0, "choose: ... nothing overruled");
    CHECK_STR(vind_lang_choose(NULL, &bilingual, &overruled), "en",
              "choose: none declared, the majority");
    CHECK_STR(vind_lang_choose(NULL, &tie, &overruled), "nl", "choose: none declared, a tie: nl");
    CHECK(vind_lang_choose(NULL, &few, &overruled) == NULL, "choose: none declared, too short");
}

static void test_primary(void)
{
    char *tag = vind_lang_primary("nl-NL");
    CHECK_STR(tag, "nl", "primary: nl-NL");
    g_free(tag);
    tag = vind_lang_primary("EN_us");
    CHECK_STR(tag, "en", "primary: EN_us, lower case");
    g_free(tag);
    const char *none[] = {"x-unknown", "und", "mul", "zxx", "", "-nl", "abcdefghij", NULL};
    int all_none = 1;
    for (size_t i = 0; none[i] != NULL; i++) {
        tag = vind_lang_primary(none[i]);
        all_none &= tag == NULL;
        g_free(tag);
    }
    CHECK(all_none && vind_lang_primary(NULL) == NULL,
          "primary: x-unknown, und, mul, zxx, empty and malformed tags name no language");
}

static void test_settle(void)
{
    char *pages[] = {(char *)english_text, (char *)dutch_text};
    char *note = NULL;
    char *lang = vind_lang_settle("nl", pages, 1, &note);
    CHECK_STR(lang, "en", "settle: an English page declared nl");
    CHECK(note != NULL && strstr(note, "not the declared language \"nl\"") != NULL &&
              strstr(note, "analysed as English") != NULL,
          "settle: ... and a note saying so");
    g_free(lang);
    g_free(note);
    lang = vind_lang_settle("nl", pages, 2, &note);
    CHECK_STR(lang, "nl", "settle: half English, half Dutch: nl kept");
    CHECK(note == NULL, "settle: ... no note");
    g_free(lang);
    lang = vind_lang_settle(NULL, pages, 0, &note);
    CHECK(lang == NULL && note == NULL, "settle: no pages, nothing declared: none");
    g_free(lang);
}

static vind_doc_t *extract_html(const char *lang, const char *body)
{
    char *html = g_strdup_printf("<!DOCTYPE html><html lang=\"%s\"><head><title>Nieuws</title>"
                                 "</head><body><main><article><h1>Nieuws</h1><p>%s</p></article>"
                                 "</main></body></html>",
                                 lang, body);
    vind_extract_options_t opts;
    vind_extract_options_init(&opts);
    opts.isolate = 0;
    vind_doc_t *doc = NULL;
    char *errmsg = NULL;
    if (vind_extract_html(html, strlen(html), "page.html", &opts, &doc, &errmsg) != VIND_OK)
        printf("# %s\n", errmsg ? errmsg : "(no message)");
    free(errmsg);
    g_free(html);
    return doc;
}

static void test_html(void)
{
    vind_doc_t *doc = extract_html("nl-NL", english_text);
    CHECK(doc != NULL && doc->lang != NULL && strcmp(doc->lang, "en") == 0,
          "html: English text declared nl-NL is analysed as English");
    CHECK(doc != NULL && doc->warning != NULL &&
              strstr(doc->warning, "not the declared language \"nl\"") != NULL,
          "html: ... and reported (\"indexed, but its text is English ...\")");
    vind_doc_free(doc);
    doc = extract_html("nl", dutch_text);
    CHECK(doc != NULL && doc->lang != NULL && strcmp(doc->lang, "nl") == 0 && doc->warning == NULL,
          "html: Dutch text declared nl stays nl, no report");
    vind_doc_free(doc);
    doc = extract_html("nl", "Open the source and the table: the code is here.");
    CHECK(doc != NULL && doc->lang != NULL && strcmp(doc->lang, "nl") == 0,
          "html: a short English text keeps the declared nl");
    vind_doc_free(doc);
    doc = extract_html("en", dutch_text);
    CHECK(doc != NULL && doc->lang != NULL && strcmp(doc->lang, "nl") == 0,
          "html: Dutch text declared en is analysed as Dutch");
    vind_doc_free(doc);
}

int main(void)
{
    test_count();
    test_choose();
    test_primary();
    test_settle();
    test_html();
    return check_done();
}
