/*
 * test_doc.c - the document record: string arrays and the JSON form that
 * carries a document from the isolated extraction child to the indexer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <vind/doc.h>

#include "check.h"

/* What may be a link of the site's pages (a --from-jsonl record's url). */
static void check_url_is_link(void)
{
    const char *links[] = {"/", "/actueel/zorg/", "/rapport.pdf#page=2", "https://www.example.nl/x/",
                           "HTTP://example.nl", "/a b/", "/caf\xC3\xA9/"};
    char what[128];
    for (size_t i = 0; i < sizeof links / sizeof *links; i++) {
        snprintf(what, sizeof what, "vind_url_is_link: %s is a link", links[i]);
        CHECK(vind_url_is_link(links[i]), what);
    }
    const char *not_links[] = {NULL, "", "javascript:alert(1)", "JaVaScRiPt:alert(1)",
                               " javascript:alert(1)", "\tjavascript:alert(1)", "data:text/html,x",
                               "file:///etc/passwd", "vbscript:x", "//evil.example/",
                               "/\\evil.example/", "/a\nb/", "/tab\t/", "/esc\x1b[31m/",
                               "/del\x7f", "actueel/zorg/", "https:/x", "http:evil"};
    for (size_t i = 0; i < sizeof not_links / sizeof *not_links; i++) {
        snprintf(what, sizeof what, "vind_url_is_link: not_links[%zu] is not a link", i);
        CHECK(!vind_url_is_link(not_links[i]), what);
        snprintf(what, sizeof what, "vind_url_as_link: not_links[%zu] is withheld (NULL)", i);
        CHECK(vind_url_as_link(not_links[i]) == NULL, what);
    }
    CHECK(vind_url_as_link(links[1]) == links[1], "vind_url_as_link: a link is given as it is");
}

/* Issue 12: vind_url_is_link tests 8 bytes at a time (the last 8
 * overlapping): a control character, DEL or a backslash at every place of
 * paths and http URLs of every length up to 40 makes them no link, and
 * the bytes around those (' ', '~', 0x80, 0x9f, 0xff, '[', ']') do not. */
static void check_url_every_place(void)
{
    static const char bad[] = {'\x01', '\x1f', '\x7f', '\\', '\t'},
                      good[] = {' ', '~', '\x80', '\x9f', '\xff', '[', ']'};
    static const char *const starts[] = {"/", "https://"};
    size_t wrong = 0;
    char url[48];
    for (size_t s = 0; s < 2; s++)
        for (size_t length = strlen(starts[s]) + 1; length <= 40; length++)
            for (size_t at = strlen(starts[s]); at < length; at++)
                for (size_t b = 0; b < sizeof bad + sizeof good; b++) {
                    int is_bad = b < sizeof bad;
                    memset(url, 'a', length);
                    memcpy(url, starts[s], strlen(starts[s]));
                    url[at] = is_bad ? bad[b] : good[b - sizeof bad];
                    url[length] = '\0';
                    if (vind_url_is_link(url) != !is_bad && wrong++ < 5)
                        printf("# wrong: length %zu, byte %02x at %zu\n", length,
                               (unsigned char)url[at], at);
                }
    CHECK(wrong == 0, "vind_url_is_link: a byte that may not be in a link, at every place");
}

/* What may begin every URL vind-index makes from a file name (--base-url):
 * until session 14 any string was taken. */
static void check_base_url(void)
{
    const char *good[] = {"", "/", "/site/", "/site", "https://www.example.nl", "https://example.nl/",
                          "HTTP://example.nl:8080/nieuws/", "https://[::1]:8080/", "http://192.0.2.1/",
                          "/caf\xC3\xA9/", "/a%20b/", "/.well/", "/...x/"};
    char what[160];
    for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
        char *errmsg = NULL;
        snprintf(what, sizeof what, "vind_base_url_check: '%s' is taken", good[i]);
        CHECK_INT(vind_base_url_check(good[i], &errmsg), VIND_OK, what);
        free(errmsg);
    }
    struct {
        const char *base, *reason;
    } bad[] = {
        {NULL, "no base URL"},
        {"javascript:alert(1)//", "neither http(s)://HOST/"},
        {"//evil.example/", "neither http(s)://HOST/"},
        {"site/", "neither http(s)://HOST/"},
        {"/\\evil.example/", "backslash"},
        {"https://x.example/\x1b[31m/", "control character"},
        {"/a\tb/", "control character"},
        {"/c1\xC2\x9B/", "control character"},
        {"/a b/", "space"},
        {"/bad\xFF/", "not UTF-8"},
        {"https://site.example@evil.example/", "not a host"},
        {"https:///x/", "not a host"},
        {"https://x.example:99999/", "not a host"},
        {"https://x.example:/", "not a host"},
        {"https://[::1/", "not a host"},
        {"/zoek?q=", "query or a fragment"},
        {"https://x.example/#", "query or a fragment"},
        {"/../", "segment"},
        {"/site/./", "segment"},
        {"/%2E%2e/x/", "segment"},
        {"/100%/", "two hexadecimal digits"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char *errmsg = NULL;
        snprintf(what, sizeof what, "vind_base_url_check: bad[%zu] is refused: %s", i, bad[i].reason);
        CHECK(vind_base_url_check(bad[i].base, &errmsg) == VIND_INVALID_ARGUMENT && errmsg &&
                  strstr(errmsg, bad[i].reason),
              what);
        free(errmsg);
    }
}

int main(void)
{
    vind_doc_free(NULL);
    CHECK(1, "vind_doc_free(NULL) is harmless");

    vind_doc_t *doc = vind_doc_new();
    CHECK(doc != NULL && doc->type == VIND_DOC_ARTICLE && doc->n_pages == 0, "new record is empty");
    CHECK_INT(vind_doc_append(&doc->tags, &doc->n_tags, "'t Zorghuus", 1), VIND_OK, "append tag");
    CHECK_INT(vind_doc_append(&doc->tags, &doc->n_tags, "'t Zorghuus", 1), VIND_OK,
              "duplicate tag");
    CHECK_INT(vind_doc_append(&doc->tags, &doc->n_tags, "Co\xC3\xB6rdinatoren", 1), VIND_OK,
              "tag 2");
    CHECK_INT(doc->n_tags, 2, "unique append skipped the duplicate");
    vind_doc_append(&doc->pages, &doc->n_pages, "Eerste pagina.\n\nMet \"quotes\" en \\.", 0);
    vind_doc_append(&doc->pages, &doc->n_pages, "", 0);
    vind_doc_append(&doc->pages, &doc->n_pages, "", 0);
    CHECK_INT(doc->n_pages, 3, "pages keep duplicates (empty pages keep numbering)");
    CHECK_INT(vind_doc_append(NULL, &doc->n_pages, "x", 0), VIND_INVALID_ARGUMENT, "NULL array");
    doc->type = VIND_DOC_PDF;
    doc->path = strdup("/corpus/pdf/bijlage-d.pdf");
    doc->title = strdup("Advies Raad van State \xE2\x80\x93 CoronaMelder");
    doc->date = strdup("2020-08-24");
    doc->n_empty_pages = 2;
    doc->is_listing = 1;
    doc->listing_reason = strdup("archive page");

    char *json = vind_doc_to_json(doc);
    CHECK(json != NULL, "to JSON");
    vind_doc_t *back = NULL;
    char *errmsg = NULL;
    CHECK_INT(vind_doc_from_json(json, json ? strlen(json) : 0, &back, &errmsg), VIND_OK,
              "from JSON");
    if (back != NULL) {
        CHECK_INT(back->type, VIND_DOC_PDF, "type survives");
        CHECK_STR(back->title, doc->title, "title survives (UTF-8)");
        CHECK_STR(back->date, "2020-08-24", "date survives");
        CHECK_STR(back->author, NULL, "absent author stays NULL");
        CHECK_INT(back->n_tags, 2, "tags survive");
        CHECK_STR(back->tags[1], "Co\xC3\xB6rdinatoren", "tag text survives");
        CHECK_INT(back->n_pages, 3, "page count survives");
        CHECK_STR(back->pages[0], doc->pages[0], "page text with quotes and backslash survives");
        CHECK_INT(back->n_empty_pages, 2, "empty page count survives");
        CHECK_INT(back->is_listing, 1, "listing flag survives");
        CHECK_STR(back->listing_reason, "archive page", "listing reason survives");
    }
    vind_doc_free(back);
    free(json);

    back = (vind_doc_t *)1;
    CHECK_INT(vind_doc_from_json("niet json", 9, &back, &errmsg), VIND_CORRUPT_FILE, "not JSON");
    CHECK(back == NULL && errmsg != NULL, "out NULL and a message on failure");
    free(errmsg);
    errmsg = NULL;
    CHECK_INT(vind_doc_from_json("[1,2]", 5, &back, &errmsg), VIND_CORRUPT_FILE, "not an object");
    free(errmsg);
    errmsg = NULL;
    CHECK_INT(vind_doc_from_json("{\"type\":7}", 10, &back, &errmsg), VIND_CORRUPT_FILE,
              "type out of range");
    free(errmsg);
    errmsg = NULL;
    const char *wrong = "{\"type\":0,\"tags\":\"geen lijst\"}";
    CHECK_INT(vind_doc_from_json(wrong, strlen(wrong), &back, &errmsg), VIND_CORRUPT_FILE,
              "tags not a list");
    free(errmsg);
    errmsg = NULL;
    CHECK_INT(vind_doc_from_json("", 0, &back, &errmsg), VIND_CORRUPT_FILE, "empty input");
    free(errmsg);
    CHECK_INT(vind_doc_from_json("{}", 2, NULL, NULL), VIND_INVALID_ARGUMENT, "NULL out");
    vind_doc_free(doc);
    check_url_is_link();
    check_url_every_place();
    check_base_url();
    return check_done();
}
