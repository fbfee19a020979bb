/*
 * fuzz_html.c - libFuzzer target for the HTML extractor (vind_extract_html):
 * libxml2's HTML parser, then vind's metadata (title, date, author, tags,
 * themes, JSON-LD), main-text and listing-page heuristics.
 *
 * Input: byte 0 picks options (bit 0: the site-specific XPath selectors a
 * config file may give; bit 1: a site name to strip; bit 2: index listings),
 * the rest is the page, any bytes in any declared charset. Properties
 * checked: success gives a document whose strings are valid UTF-8 (the
 * indexer and JSON need that), and the document survives its JSON round
 * trip (the isolated extractor sends it to the indexer that way) unchanged.
 */
#include <glib.h>
#include <stdlib.h>
#include <string.h>

#include <vind/doc.h>
#include <vind/extract.h>
#include "common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_string(const char *text, const char *what)
{
    fuzz_require(text == NULL || g_utf8_validate(text, -1, NULL), what);
}

static void check_strings(char **values, size_t count, const char *what)
{
    fuzz_require(count == 0 || values != NULL, what);
    for (size_t i = 0; i < count; i++) {
        fuzz_require(values[i] != NULL, what);
        check_string(values[i], what);
    }
}

static void check_doc(const vind_doc_t *doc)
{
    check_string(doc->title, "title is not UTF-8");
    check_string(doc->date, "date is not UTF-8");
    check_string(doc->author, "author is not UTF-8");
    check_string(doc->description, "description is not UTF-8");
    check_string(doc->lang, "lang is not UTF-8");
    check_string(doc->canonical, "canonical is not UTF-8");
    check_string(doc->section, "section is not UTF-8");
    check_string(doc->listing_reason, "listing reason is not UTF-8");
    check_strings(doc->tags, doc->n_tags, "tag is not UTF-8");
    check_strings(doc->themes, doc->n_themes, "theme is not UTF-8");
    check_strings(doc->links, doc->n_links, "link is not UTF-8");
    check_strings(doc->pages, doc->n_pages, "page text is not UTF-8");
    if (doc->date != NULL)
        fuzz_require(strlen(doc->date) == 10 && doc->date[4] == '-' && doc->date[7] == '-',
                     "date is not YYYY-MM-DD");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    vind_extract_options_t opts;
    vind_extract_options_init(&opts);
    opts.isolate = 0;
    if (data[0] & 1) {
        opts.content_xpath = "//main//article | //div[@class='entry-content']";
        opts.title_xpath = "//h1";
        opts.date_xpath = "//time/@datetime | //*[@class='date']";
        opts.tags_xpath = "//a[@rel='tag']";
        opts.themes_xpath = "//*[@class='thema']//a";
    }
    if (data[0] & 2)
        opts.site_name = "Radicale vernieuwing";
    opts.index_listings = (data[0] & 4) != 0;

    vind_doc_t *doc = NULL;
    char *errmsg = NULL;
    vind_status_t status =
        vind_extract_html((const char *)data + 1, size - 1, "fuzz.html", &opts, &doc, &errmsg);
    if (status != VIND_OK) {
        fuzz_require(doc == NULL, "document set on failure");
        fuzz_require(errmsg != NULL, "failure without a message");
        free(errmsg);
        return 0;
    }
    fuzz_require(doc != NULL, "success without a document");
    check_doc(doc);
    fuzz_require_json_round_trip(doc);
    vind_doc_free(doc);
    return 0;
}
