/*
 * test_extract_html.c - the HTML extractor on fixtures shaped like the
 * corpus theme (tests/data/extract/): main text without chrome, metadata,
 * listing pages, charsets, invalid UTF-8, junk and deep nesting.
 */
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <vind/extract.h>

#include "check.h"

static char data_dir[4096];

static void find_data_dir(const char *argv0)
{
    const char *env = getenv("VIND_TEST_DATA");
    if (env != NULL) {
        snprintf(data_dir, sizeof data_dir, "%s/extract", env);
        return;
    }
    char *copy = strdup(argv0);
    snprintf(data_dir, sizeof data_dir, "%s/../../tests/data/extract", dirname(copy));
    free(copy);
    if (!g_file_test(data_dir, G_FILE_TEST_IS_DIR))
        snprintf(data_dir, sizeof data_dir, "tests/data/extract");
}

static char *fixture(const char *name, size_t *len)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", data_dir, name);
    char *data = NULL;
    gsize length = 0;
    if (!g_file_get_contents(path, &data, &length, NULL)) {
        printf("# cannot read %s\n", path);
        *len = 0;
        return NULL;
    }
    *len = length;
    return data;
}

static vind_doc_t *extract(const char *name, const vind_extract_options_t *opts,
                           vind_status_t *status)
{
    size_t len = 0;
    char *data = fixture(name, &len);
    vind_doc_t *doc = NULL;
    char *errmsg = NULL;
    *status = vind_extract_html(data, len, name, opts, &doc, &errmsg);
    if (*status != VIND_OK)
        printf("# %s: %s\n", name, errmsg ? errmsg : "(no message)");
    free(errmsg);
    g_free(data);
    return doc;
}

static const char *text(const vind_doc_t *doc)
{
    return doc != NULL && doc->n_pages > 0 ? doc->pages[0] : "";
}

static int contains(const vind_doc_t *doc, const char *needle)
{
    return strstr(text(doc), needle) != NULL;
}

static int has_link(const vind_doc_t *doc, const char *href)
{
    for (size_t i = 0; doc != NULL && i < doc->n_links; i++)
        if (strcmp(doc->links[i], href) == 0)
            return 1;
    return 0;
}

static void test_article(void)
{
    vind_status_t status;
    vind_doc_t *doc = extract("article.html", NULL, &status);
    CHECK_INT(status, VIND_OK, "article: extracted");
    if (doc == NULL)
        return;
    CHECK_INT(doc->type, VIND_DOC_ARTICLE, "article: og:type article");
    CHECK_INT(doc->is_listing, 0, "article: not a listing");
    CHECK_STR(doc->title, "Krachtige beweging bespreekt plannen 2022", "article: title");
    CHECK_STR(doc->date, "2021-10-28", "article: date from JSON-LD, as written");
    CHECK_STR(doc->author,
              "Marie Antoinette B\xC3\xA4"
              "ckes",
              "article: author, entity decoded");
    CHECK_STR(doc->description, "Halfjaarlijkse ontmoeting beweging Radicale vernieuwing zorg",
              "article: description");
    CHECK_STR(doc->lang, "nl", "article: nl-NL -> nl");
    CHECK_STR(doc->section, "actueel", "article: section from the canonical URL");
    CHECK_INT(doc->n_tags, 2, "article: two tags");
    if (doc->n_tags == 2) {
        CHECK_STR(doc->tags[0], "'t Zorghuus", "article: tag with a leading apostrophe");
        CHECK_STR(doc->tags[1], "Co\xC3\xB6rdinatoren", "article: tag with a diaeresis");
    }
    CHECK_INT(doc->n_themes, 1, "article: one theme");
    if (doc->n_themes == 1)
        CHECK_STR(doc->themes[0], "Vernieuwend besturen en toezicht houden", "article: theme");
    CHECK(contains(doc, "fikse buien en een stralende zon"), "article: whitespace collapsed");
    CHECK(contains(doc, "zorgorganisaties.\nHet ministerie & de inspectie"),
          "article: <br> is a newline, &amp; decoded");
    CHECK(contains(doc, "elkaar af.\n\nOntwikkelingen vanaf"), "article: blocks are paragraphs");
    CHECK(contains(doc, "Co\xC3\xB6rdinatoren"), "article: list items kept");
    static const char *const chrome[] = {
        "Praat mee",
        "Het e-mailadres",
        "Dit veld is bedoeld",
        "Deelnemende organisaties",
        "cookies",
        "Verborgen tekst",
        "tracking",
        "Nieuwsbrief",
        "Home",
        "Geplaatst op",
        "Trefwoorden",
        "Meer artikelen",
        "RSS-feed",
        "Krachtige beweging bespreekt",
        NULL,
    };
    for (size_t i = 0; chrome[i] != NULL; i++) {
        char what[120];
        snprintf(what, sizeof what, "article: no \"%s\" in the text", chrome[i]);
        CHECK(!contains(doc, chrome[i]), what);
    }
    CHECK(has_link(doc, "/media/presentatie-raffy.pdf"), "article: PDF link collected");
    CHECK(!has_link(doc, "/index.xml") && !has_link(doc, "/trefwoord/cederhof/"),
          "article: no links from footer or sidebar");
    vind_doc_free(doc);
}

static void test_article_without_metadata(void)
{
    vind_status_t status;
    vind_doc_t *doc = extract("article-plain.html", NULL, &status);
    CHECK_INT(status, VIND_OK, "plain article: extracted");
    if (doc == NULL)
        return;
    CHECK_STR(doc->title, "Wetenswaardigheden #5: Augustus t/m november 2022",
              "plain article: title from the h1");
    CHECK_STR(doc->date, "2022-12-05", "plain article: 'Geplaatst op' NBSP '5 dec. 2022'");
    CHECK_INT(doc->type, VIND_DOC_ARTICLE, "plain article: h1 + date is article-like");
    CHECK_INT(doc->is_listing, 0, "plain article: not a listing");
    CHECK_INT(doc->n_tags, 2, "plain article: tags after 'Trefwoorden:'");
    if (doc->n_tags == 2)
        CHECK_STR(doc->tags[0], "WarmThuis", "plain article: first tag");
    CHECK_INT(doc->n_themes, 2, "plain article: themes after 'Thema\xE2\x80\x99s:' (curly)");
    if (doc->n_themes == 2)
        CHECK_STR(doc->themes[1], "Vernieuwing onderwijs", "plain article: second theme");
    CHECK(contains(doc, "experimenteerruimte"), "plain article: text by density");
    CHECK(!contains(doc, "Recente berichten") && !contains(doc, "Home"),
          "plain article: sidebar and menu dropped");
    vind_doc_free(doc);
}

static void test_listings(void)
{
    vind_status_t status;
    vind_doc_t *doc = extract("listing.html", NULL, &status);
    CHECK(doc != NULL && doc->is_listing == 1, "taxonomy page is a listing");
    CHECK(doc != NULL && doc->listing_reason != NULL && strstr(doc->listing_reason, "archive"),
          "taxonomy page: reason says archive");
    vind_doc_free(doc);

    vind_extract_options_t opts;
    vind_extract_options_init(&opts);
    opts.index_listings = 1;
    doc = extract("listing.html", &opts, &status);
    CHECK(doc != NULL && doc->is_listing == 0 && doc->type == VIND_DOC_PAGE,
          "index_listings: taxonomy page indexed as a page");
    vind_doc_free(doc);

    doc = extract("redirect.html", &opts, &status);
    CHECK(doc != NULL && doc->is_listing == 1 && strstr(doc->listing_reason, "redirect"),
          "meta refresh stub is a listing even with index_listings");
    vind_doc_free(doc);

    /* Issue 11: only a page without content of its own that moves on at
     * once is a redirect stub. */
    static const char *const refreshes[][3] = {
        {"<meta http-equiv=\"refresh\" content=\"600\">", "", "a reload timer"},
        {"<meta http-equiv=\"refresh\" content=\"0\">", "", "a refresh without url"},
        {"<meta http-equiv=\"refresh\" content=\"30; url=/nieuw/\">", "",
         "a refresh after 30 s"},
        {"<noscript><meta http-equiv=\"refresh\" content=\"0; URL=../noscript.html\"></noscript>",
         "", "a refresh in <noscript> on a page with words"},
        {"<meta http-equiv=\"refresh\" content=\"0; url=/nieuw/\">",
         "<p>Deze pagina heeft veel eigen tekst over mantelzorg, verpleeghuizen en de zorg voor "
         "ouderen in de wijk, met nog meer woorden erachter zodat het duidelijk een echte pagina "
         "is en geen doorverwijzing.</p>",
         "a refresh on a page with content"},
    };
    for (size_t i = 0; i < sizeof refreshes / sizeof refreshes[0]; i++) {
        char *html = g_strdup_printf("<html><head><title>Pagina</title>%s</head><body><h1>Pagina"
                                     "</h1><p>Klik op dit pictogram om de macro te starten.</p>"
                                     "%s</body></html>",
                                     refreshes[i][0], refreshes[i][1]);
        doc = NULL;
        vind_extract_html(html, strlen(html), "site/pagina.html", NULL, &doc, NULL);
        g_free(html);
        CHECK(doc != NULL && !doc->is_listing, refreshes[i][2]);
        vind_doc_free(doc);
    }
    static const char *const stubs[] = {
        "<html><head><meta http-equiv=\"refresh\" content=\"0; url='/nieuw/'\"></head>"
        "<body><p>Verhuisd: <a href=\"/nieuw/\">klik hier</a>.</p></body></html>",
        "<html><head><noscript><meta http-equiv=\"refresh\" content=\"0;URL=/x/\"></noscript>"
        "</head><body></body></html>",
    };
    for (size_t i = 0; i < sizeof stubs / sizeof stubs[0]; i++) {
        doc = NULL;
        vind_extract_html(stubs[i], strlen(stubs[i]), "site/oud.html", NULL, &doc, NULL);
        CHECK(doc != NULL && doc->is_listing && strstr(doc->listing_reason, "redirect stub"),
              "a page without content that moves on at once is a redirect stub");
        vind_doc_free(doc);
    }

    doc = extract("feed.xml", NULL, &status);
    CHECK(doc != NULL && doc->is_listing == 1 && strstr(doc->listing_reason, "feed"),
          "RSS feed is a listing");
    vind_doc_free(doc);

    size_t len = 0;
    char *data = fixture("page.html", &len);
    doc = NULL;
    status =
        vind_extract_html(data, len, "site/thema/ambassadeurs/page/2/index.html", NULL, &doc, NULL);
    CHECK(doc != NULL && doc->is_listing == 1, "a /thema/x/page/2/ path is a listing");
    vind_doc_free(doc);
    doc = NULL;
    status = vind_extract_html(data, len, "site/over-ons/index.html", NULL, &doc, NULL);
    g_free(data);
    CHECK(doc != NULL && doc->is_listing == 0 && doc->type == VIND_DOC_PAGE,
          "plain page is a page, not a listing");
    if (doc != NULL) {
        CHECK_STR(doc->title, "Over ons", "page: ' | Site' suffix stripped from <title>");
        CHECK(contains(doc, "sinds 2016") && !contains(doc, "Home"), "page: densest text only");
    }
    vind_doc_free(doc);
}

static void test_charsets(void)
{
    vind_status_t status;
    vind_doc_t *doc = extract("wrong-charset.html", NULL, &status);
    CHECK_INT(status, VIND_OK, "cp1252 bytes declared UTF-8: extracted");
    if (doc != NULL) {
        CHECK(contains(doc, "\xE2\x80\x9C"
                            "caf\xC3\xA9\xE2\x80\x9D voor ge\xC3\xAFnteresseerde "
                            "pati\xC3\xAB"
                            "nten in Belgi\xC3\xAB"),
              "cp1252 bytes repaired (quotes, é, ï, ë)");
        CHECK_STR(doc->title,
                  "Caf\xC3\xA9 en ge\xC3\xAFnteresseerde pati\xC3\xAB"
                  "nten",
                  "repaired title, ' – test' suffix guessed away");
    }
    vind_doc_free(doc);
    doc = extract("utf8-declared-latin1.html", NULL, &status);
    CHECK(doc != NULL && contains(doc, "Co\xC3\xB6rdinatoren en hulptechnologie\xC3\xABn"),
          "UTF-8 bytes under a latin-1 declaration are read as UTF-8");
    vind_doc_free(doc);
    doc = extract("real-cp1252.html", NULL, &status);
    CHECK(doc != NULL && contains(doc, "Re\xC3\xAB"
                                       "el Latin-1: ge\xC3\xAFmplementeerd \xE2\x82\xAC 5"),
          "a real windows-1252 page is converted (ë, ï, €)");
    vind_doc_free(doc);
    doc = extract("invalid-utf8.html", NULL, &status);
    CHECK_INT(status, VIND_OK, "invalid UTF-8: extracted");
    CHECK(doc != NULL && g_utf8_validate(text(doc), -1, NULL), "invalid UTF-8: output is valid");
    CHECK(doc != NULL && contains(doc, "Kapot") && contains(doc, "na nul"),
          "invalid UTF-8: text around bad bytes and a NUL kept");
    vind_doc_free(doc);
}

static void test_hostile(void)
{
    vind_status_t status;
    vind_doc_t *doc = extract("junk.html", NULL, &status);
    CHECK_INT(status, VIND_UNSUPPORTED_FILE, "binary junk named .html is unsupported");
    CHECK(doc == NULL, "junk: no document");

    char *errmsg = NULL;
    doc = (vind_doc_t *)1;
    CHECK_INT(vind_extract_html("", 0, "leeg.html", NULL, &doc, &errmsg), VIND_UNSUPPORTED_FILE,
              "empty input is unsupported");
    CHECK(doc == NULL && errmsg != NULL && strstr(errmsg, "leeg.html") != NULL,
          "empty: message names the file");
    free(errmsg);
    CHECK_INT(vind_extract_html("<p>x</p>", 8, NULL, NULL, NULL, NULL), VIND_INVALID_ARGUMENT,
              "NULL out");

    /* 100 000 nested <div>s: libxml2 caps the depth, nothing recurses. */
    GString *deep = g_string_new("<html><body><main><p>Begin van de tekst.</p>");
    for (int i = 0; i < 100000; i++)
        g_string_append(deep, "<div>");
    g_string_append(deep, "diep");
    doc = NULL;
    status = vind_extract_html(deep->str, deep->len, "diep.html", NULL, &doc, NULL);
    CHECK_INT(status, VIND_OK, "100 000 nested divs: no crash");
    CHECK(doc != NULL && contains(doc, "Begin van de tekst"), "deep nesting: text before kept");
    CHECK(doc != NULL && doc->warning != NULL && strstr(doc->warning, "nested deeper than") != NULL,
          "deep nesting: the page is reported as cut, not silently");
    vind_doc_free(doc);
    g_string_free(deep, TRUE);

    /* libxml2 stops at the 257th level and drops the rest of the page;
     * 300 unclosed <font> tags (an old editor's page) lost every paragraph
     * after them without a word until session 11. */
    GString *fonts = g_string_new("<html><body><p>Begin van de tekst.</p>");
    for (int i = 0; i < 300; i++)
        g_string_append(fonts, "<font size=\"2\">");
    g_string_append(fonts, "<p>Het eind van de tekst over zorg.</p></body></html>");
    doc = NULL;
    status = vind_extract_html(fonts->str, fonts->len, "font.html", NULL, &doc, NULL);
    CHECK(status == VIND_OK && doc != NULL && contains(doc, "Het eind van de tekst"),
          "300 unclosed <font> tags (past libxml2's 256 levels): the text after them is kept");
    CHECK(doc != NULL && doc->warning == NULL, "... and the page is not reported as cut");
    vind_doc_free(doc);
    g_string_free(fonts, TRUE);

    doc = extract("xxe.html", NULL, &status);
    CHECK(doc != NULL && !contains(doc, "root:") && !contains(doc, "lollollol"),
          "DTD entities are not expanded (no file read, no billion laughs)");
    vind_doc_free(doc);

    /* a text file without markup still parses (as one paragraph) */
    const char *plain = "Gewone tekst zonder opmaak over de CoronaMelder.";
    doc = NULL;
    CHECK_INT(vind_extract_html(plain, strlen(plain), NULL, NULL, &doc, NULL), VIND_OK,
              "plain text parses");
    CHECK(doc != NULL && contains(doc, "CoronaMelder"), "plain text: kept");
    vind_doc_free(doc);
}

static void test_configured_xpaths(void)
{
    vind_extract_options_t opts;
    vind_extract_options_init(&opts);
    opts.content_xpath = "//*[@class='kolom-rechts']";
    opts.title_xpath = "//div[@class='menu']/a[2]";
    opts.tags_xpath = "//div[@class='menu']/a";
    vind_status_t status;
    vind_doc_t *doc = extract("page.html", &opts, &status);
    CHECK(doc != NULL && strcmp(text(doc), "Kort.") == 0, "content_xpath selects the content");
    CHECK(doc != NULL && doc->title && strcmp(doc->title, "Over ons") == 0, "title_xpath");
    CHECK(doc != NULL && doc->n_tags == 2, "tags_xpath");
    vind_doc_free(doc);
}

static int has_value(char **values, size_t count, const char *value)
{
    for (size_t i = 0; i < count; i++)
        if (strcmp(values[i], value) == 0)
            return 1;
    return 0;
}

/* data-vind-* on tests/data/marked-site (neither WordPress nor Hugo, docs/indexing.md). */
static void test_marked_attributes(void)
{
    vind_status_t status;
    vind_doc_t *doc = extract("../marked-site/nieuws/wijkteams.html", NULL, &status);
    CHECK(doc != NULL && !doc->is_listing, "marked: the page is indexed");
    CHECK_STR(doc ? doc->title : NULL, "Wijkteams gaan van start", "marked: data-vind-title");
    CHECK_STR(doc ? doc->date : NULL, "2023-03-14", "marked: data-vind-date (Dutch date in the text)");
    CHECK(contains(doc, "vier wijkteams bewoners") && contains(doc, "vast spreekuur"),
          "marked: data-vind-body is the content, though its class holds \"share\"");
    CHECK(contains(doc, "Aanmelden kan bij het loket"), "marked: a second data-vind-body is content too");
    CHECK(!contains(doc, "negeerwoord"), "marked: data-vind-ignore is not content");
    CHECK(!contains(doc, "Menu met veel tekst") && !contains(doc, "Koptekst") &&
              !contains(doc, "voetwoord") && !contains(doc, "Mantelzorg"),
          "marked: nothing outside data-vind-body is content");
    CHECK(doc != NULL && doc->n_tags == 2 && has_value(doc->tags, doc->n_tags, "Mantelzorg") &&
              has_value(doc->tags, doc->n_tags, "Wijkteams"),
          "marked: data-vind-tag from the text and from the attribute value");
    CHECK(doc != NULL && doc->n_themes == 1 && strcmp(doc->themes[0], "Zorg en welzijn") == 0,
          "marked: data-vind-theme on a <meta>");
    vind_doc_free(doc);

    doc = extract("../marked-site/nieuws/parkeren.html", NULL, &status);
    CHECK(doc != NULL && doc->type == VIND_DOC_ARTICLE, "marked: data-vind-type=\"article\"");
    CHECK_STR(doc ? doc->date : NULL, "2022-11-02", "marked: data-vind-date from the attribute value");
    CHECK(doc != NULL && doc->n_tags == 1 && strcmp(doc->tags[0], "Parkeren") == 0 &&
              doc->n_themes == 1 && strcmp(doc->themes[0], "Wonen en verkeer") == 0,
          "marked: one tag and one theme (on an empty element)");
    vind_doc_free(doc);

    doc = extract("../marked-site/nieuws/index.html", NULL, &status);
    CHECK(doc != NULL && !doc->is_listing && doc->type == VIND_DOC_PAGE,
          "marked: data-vind-type=\"page\" is indexed, though it looks like an archive");
    vind_doc_free(doc);

    doc = extract("../marked-site/overzicht.html", NULL, &status);
    CHECK(doc != NULL && doc->is_listing && doc->listing_reason &&
              strstr(doc->listing_reason, "data-vind-type") != NULL,
          "marked: data-vind-type=\"listing\" is a listing");
    vind_doc_free(doc);

    static const char page[] = "<html><body><main><p>Gewone tekst over zorg in de wijk.</p>"
                               "<p data-vind-ignore>weggelaten</p></main></body></html>";
    doc = NULL;
    CHECK_INT(vind_extract_html(page, strlen(page), NULL, NULL, &doc, NULL), VIND_OK,
              "unmarked page with data-vind-ignore parses");
    CHECK(contains(doc, "Gewone tekst") && !contains(doc, "weggelaten"),
          "data-vind-ignore works without data-vind-body");
    vind_doc_free(doc);
}

static vind_doc_t *extract_string(const char *page)
{
    vind_doc_t *doc = NULL;
    if (vind_extract_html(page, strlen(page), "/x/pagina.html", NULL, &doc, NULL) != VIND_OK)
        printf("# cannot extract: %s\n", page);
    return doc;
}

/* The extractor finds elements with C tests that answer as XPath expressions
 * did ("descendant::*[contains(concat(' ', normalize-space(@class), ' '), ' x ')]",
 * "//main//article", "contains(text(), 'Geplaatst op')", ...). Each page
 * holds a case where a looser test (any white space, any case, any text
 * child, any <link>) would answer otherwise. */
static void test_xpath_semantics(void)
{
    vind_doc_t *doc = extract_string(
        "<html><body><div class=\"Entry-Content\"><p>Hoofdletters zijn geen inhoud hier.</p></div>"
        "<div class=\"x\tentry-content\n y\"><p>Dit is de inhoud van het artikel.</p></div>"
        "</body></html>");
    CHECK(contains(doc, "Dit is de inhoud") && !contains(doc, "Hoofdletters"),
          "xpath: a class token is case-sensitive and split at tabs and newlines");
    vind_doc_free(doc);

    doc = extract_string("<html><head><meta name=\"description\" content=\"  \">"
                         "<meta property=\"description\" content=\" Echte  beschrijving \">"
                         "<link rel=\"canonical\"><link rel=\"Canonical\" href=\"/fout/\">"
                         "<link rel=\"canonical\" href=\" /goed/pagina/ \"></head>"
                         "<body><main><p>Tekst van de pagina over zorg.</p></main></body></html>");
    CHECK_STR(doc ? doc->description : NULL, "Echte beschrijving",
              "xpath: a blank <meta> content is passed over for the next");
    CHECK_STR(doc ? doc->canonical : NULL, "/goed/pagina/",
              "xpath: the first <link rel=canonical> with an href, rel compared exactly");
    CHECK_STR(doc ? doc->section : NULL, "goed", "xpath: the section of that canonical URL");
    vind_doc_free(doc);

    doc = extract_string("<html><body><h1>Kop</h1>"
                         "<p>Intro <b>x</b> Geplaatst op 3 maart 2021</p>"
                         "<p><b>y</b>Datum: 4 april 2022</p></body></html>");
    CHECK_STR(doc ? doc->date : NULL, "2022-04-04",
              "xpath: \"Geplaatst op\" counts only in an element's first text child");
    vind_doc_free(doc);

    doc = extract_string("<html><body><article><p>Samenvatting van een ander bericht.</p></article>"
                         "<main><article><p>Het artikel dat de inhoud is van deze pagina.</p>"
                         "<a rel=\"tag category\" href=\"/thema/zorg/\">Zorg</a>"
                         "<a rel=\"nofollow tag\" href=\"/trefwoord/wijk/\">Wijk</a></article></main>"
                         "</body></html>");
    CHECK(contains(doc, "Het artikel dat de inhoud") && !contains(doc, "Samenvatting"),
          "xpath: the one article in <main> is the content, though the page has two");
    CHECK(doc != NULL && doc->n_tags == 1 && strcmp(doc->tags[0], "Wijk") == 0,
          "xpath: a rel=\"tag category\" link is no tag");
    CHECK(doc != NULL && doc->n_themes == 1 && strcmp(doc->themes[0], "Zorg") == 0,
          "xpath: a rel=\"tag category\" link is a theme");
    vind_doc_free(doc);

    /* The robots rules compare the name and the values without case, and
     * "none" is noindex, nofollow: these pages were indexed until session 11. */
    static const char *const excluded[] = {
        "<META NAME=\"ROBOTS\" CONTENT=\"NOINDEX, FOLLOW\">",
        "<meta name=\"robots\" content=\"none\">",
        "<meta name=\"robots\" content=\"index\"><meta name=\"Robots\" content=\"noindex\">"};
    for (size_t i = 0; i < sizeof excluded / sizeof *excluded; i++) {
        char *html = g_strdup_printf("<html><head>%s<title>Weg</title></head><body><main>"
                                     "<p>Een pagina die niet in de zoekmachine hoort.</p>"
                                     "</main></body></html>", excluded[i]);
        doc = extract_string(html);
        char *what = g_strdup_printf("robots: %s is a page left out (robots noindex)", excluded[i]);
        CHECK(doc != NULL && doc->is_listing == 1 && doc->listing_reason != NULL &&
                  strcmp(doc->listing_reason, "robots noindex") == 0,
              what);
        g_free(what);
        vind_doc_free(doc);
        g_free(html);
    }
    doc = extract_string("<html><head><meta name=\"robots\" content=\"index, follow, nosnippet\">"
                         "<title>Blijft</title></head><body><main><p>Een gewone pagina over zorg."
                         "</p></main></body></html>");
    CHECK(doc != NULL && doc->is_listing == 0, "robots: index, follow, nosnippet is indexed");
    vind_doc_free(doc);

    doc = extract_string("<html><body><div data-vind-body><p>Buiten.</p>"
                         "<div data-vind-body><p>Binnen.</p></div></div></body></html>");
    CHECK(doc != NULL && strcmp(text(doc), "Buiten.\n\nBinnen.") == 0,
          "xpath: a data-vind-body inside another is not taken twice");
    vind_doc_free(doc);
}

/* page (UTF-8) in charset, with prefix bytes (a BOM) before it, through
 * vind_extract_html. */
static vind_doc_t *extract_encoded(const char *page, const char *charset, const char *prefix,
                                   size_t prefix_len, vind_status_t *status, char **errmsg)
{
    gsize written = 0;
    char *encoded = g_convert(page, -1, charset, "UTF-8", NULL, &written, NULL);
    GByteArray *bytes = g_byte_array_new();
    g_byte_array_append(bytes, (const guint8 *)prefix, (guint)prefix_len);
    if (encoded != NULL)
        g_byte_array_append(bytes, (const guint8 *)encoded, (guint)written);
    vind_doc_t *doc = NULL;
    *status =
        vind_extract_html((const char *)bytes->data, bytes->len, "pagina.html", NULL, &doc, errmsg);
    g_free(encoded);
    g_byte_array_free(bytes, TRUE);
    return doc;
}

/* UTF-32 and UTF-16 without a BOM were refused as binary data, UTF-32 with
 * one and EBCDIC read as windows-1252 (garbage in the index, until session
 * 14); now decoded, or refused when EBCDIC declares no EBCDIC charset. */
static void test_wide_and_ebcdic(void)
{
    const char *page = "<!DOCTYPE html><html><head>%s<title>Caf\xC3\xA9</title></head><body>"
                       "<article><h1>Caf\xC3\xA9</h1><p>De gemeente is ge\xC3\xAFnteresseerd in "
                       "zorg.</p></article></body></html>";
    char *plain = g_strdup_printf(page, "");
    static const struct {
        const char *charset, *bom;
        size_t bom_len;
        const char *what;
    } wide[] = {
        {"UTF-32LE", "", 0, "UTF-32LE without a BOM is decoded"},
        {"UTF-32BE", "", 0, "UTF-32BE without a BOM is decoded"},
        {"UTF-32LE", "\xFF\xFE\0\0", 4, "UTF-32LE with its BOM is decoded"},
        {"UTF-32BE", "\0\0\xFE\xFF", 4, "UTF-32BE with its BOM is decoded"},
        {"UTF-16LE", "", 0, "UTF-16LE without a BOM is decoded"},
        {"UTF-16BE", "", 0, "UTF-16BE without a BOM is decoded"},
        {"UTF-16LE", "\xFF\xFE", 2, "UTF-16LE with its BOM is decoded"},
        {"UTF-16BE", "\xFE\xFF", 2, "UTF-16BE with its BOM is decoded"},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(wide); i++) {
        vind_status_t status;
        vind_doc_t *doc =
            extract_encoded(plain, wide[i].charset, wide[i].bom, wide[i].bom_len, &status, NULL);
        CHECK(status == VIND_OK && doc != NULL &&
                  contains(doc, "De gemeente is ge\xC3\xAFnteresseerd in zorg.") &&
                  doc->warning == NULL,
              wide[i].what);
        vind_doc_free(doc);
    }
    vind_status_t status;
    char *errmsg = NULL;
    vind_doc_t *doc = extract_encoded(plain, "IBM500", "", 0, &status, &errmsg);
    CHECK(status == VIND_UNSUPPORTED_FILE && doc == NULL && errmsg != NULL &&
              strstr(errmsg, "EBCDIC") != NULL,
          "EBCDIC (IBM500) without a declared charset is refused, the reason says EBCDIC");
    free(errmsg);
    char *declared = g_strdup_printf(page, "<meta charset=\"IBM037\">");
    doc = extract_encoded(declared, "IBM037", "", 0, &status, NULL);
    CHECK(status == VIND_OK && doc != NULL &&
              contains(doc, "De gemeente is ge\xC3\xAFnteresseerd in zorg."),
          "EBCDIC that declares IBM037 is decoded");
    vind_doc_free(doc);
    g_free(declared);
    g_free(plain);
}

/* A page without a title and a word was indexed empty and unsaid: it is
 * named after its file and reported "no text" (session 12). */
static void test_pages_without_text(void)
{
    static const char svg[] = "<svg xmlns=\"http://www.w3.org/2000/svg\"><circle r=\"4\"/></svg>";
    vind_doc_t *doc = NULL;
    vind_status_t status =
        vind_extract_html(svg, strlen(svg), "/site/beeld/logo-groot.html", NULL, &doc, NULL);
    CHECK(status == VIND_OK && doc != NULL && doc->warning != NULL &&
              strncmp(doc->warning, "no text: ", 9) == 0,
          "an <svg> named .html is reported \"no text: ...\"");
    CHECK(doc != NULL && doc->title != NULL && strcmp(doc->title, "logo-groot") == 0,
          "... and titled after its file name (logo-groot)");
    vind_doc_free(doc);
    static const char markup[] = "<html><body><div><img src=\"a.png\"></div></body></html>";
    doc = NULL;
    status = vind_extract_html(markup, strlen(markup), "alleen-beeld.htm", NULL, &doc, NULL);
    CHECK(status == VIND_OK && doc != NULL && doc->warning != NULL &&
              strstr(doc->warning, "no text: ") != NULL && doc->title != NULL &&
              strcmp(doc->title, "alleen-beeld") == 0,
          "a page that is only markup: reported \"no text\", titled alleen-beeld");
    vind_doc_free(doc);
    static const char titled[] = "<html><head><title>Alleen een titel</title></head></html>";
    doc = NULL;
    status = vind_extract_html(titled, strlen(titled), "titel.html", NULL, &doc, NULL);
    CHECK(status == VIND_OK && doc != NULL && doc->warning == NULL &&
              strcmp(doc->title, "Alleen een titel") == 0,
          "a page with a title and no text keeps its title, unreported");
    vind_doc_free(doc);
}

/* A page of n table cells "<td>celN</td>". */
static GString *table_page(size_t n)
{
    GString *page = g_string_new("<html><head><title>Tabel</title></head><body><table><tr>");
    for (size_t i = 0; i < n; i++)
        g_string_append_printf(page, "<td>cel%zu</td>", i);
    g_string_append(page, "</tr></table><p>slotwoord</p></body></html>");
    return page;
}

/* The tree of a 70 MB table page took 1.6 GB: past a quarter of the
 * worker's memory limit (by VIND_HTML_TAG_COST per tag) the page is parsed
 * no further and reported cut (session 12). */
static void test_markup_budget(void)
{
    GString *page = table_page(200000); /* 3.3 MB, 400,000 tags: ~75 MB estimated */
    vind_extract_options_t small;
    vind_extract_options_init(&small);
    small.isolate = 0;
    small.memory_bytes = 128u * 1024u * 1024u; /* a budget of 32 MB */
    vind_doc_t *doc = NULL;
    vind_status_t status =
        vind_extract_html(page->str, page->len, "tabel.html", &small, &doc, NULL);
    CHECK(status == VIND_OK && doc != NULL && contains(doc, "cel0") && contains(doc, "cel1000") &&
              !contains(doc, "slotwoord"),
          "a table page past its parse budget: the first cells indexed, the end not");
    CHECK(doc != NULL && doc->warning != NULL && strstr(doc->warning, "bytes of markup") != NULL &&
              strstr(doc->warning, "not indexed") != NULL,
          "... and reported: \"N bytes of markup, ...: the text past its first M bytes is not "
          "indexed\"");
    vind_doc_free(doc);
    doc = NULL;
    status = vind_extract_html(page->str, page->len, "tabel.html", NULL, &doc, NULL);
    CHECK(status == VIND_OK && doc != NULL && contains(doc, "cel199999") &&
              contains(doc, "slotwoord") && doc->warning == NULL,
          "the same page under the default 2 GB limit: whole, unreported");
    vind_doc_free(doc);
    g_string_free(page, TRUE);
}

/* libxml2 halts at a run of text past 10,000,000 bytes (its lookup limit
 * without XML_PARSE_HUGE): until session 18 an 11 MB <pre> (a log, a table
 * as text) lost its end and every paragraph after it, and the page was
 * indexed as whole, unreported. */
static void test_long_text_runs(void)
{
    static const char *const openers[] = {"<pre>", "<p>", "<title>", "<script>var a='"};
    static const char *const closers[] = {"</pre>", "</p>", "</title>", "';</script>"};
    static const char *const names[] = {"<pre>", "<p>", "<title>", "<script>"};
    for (size_t k = 0; k < 4; k++) {
        GString *page = g_string_new("<html><head>");
        if (k != 2)
            g_string_append(page, "<title>Lange tekst</title></head><body>");
        g_string_append(page, openers[k]);
        g_string_append(page, "beginwoord ");
        while (page->len < 11u * 1024 * 1024)
            g_string_append(page, "vulwoord ");
        g_string_append(page, "eindwoord");
        g_string_append(page, closers[k]);
        if (k == 2)
            g_string_append(page, "</head><body>");
        g_string_append(page, "<p>Het slotwoord na de lange tekst.</p></body></html>");
        vind_doc_t *doc = NULL;
        vind_status_t status =
            vind_extract_html(page->str, page->len, "lang.html", NULL, &doc, NULL);
        char what[160];
        snprintf(what, sizeof what,
                 "an 11 MB %s: the paragraph after it is indexed (libxml2's 10 MB text limit)",
                 names[k]);
        CHECK(status == VIND_OK && doc != NULL && contains(doc, "slotwoord"), what);
        if (k < 2) {
            snprintf(what, sizeof what, "... and the %s's own last word", names[k]);
            CHECK(doc != NULL && contains(doc, "eindwoord"), what);
        }
        snprintf(what, sizeof what, "... and the %s page is not reported", names[k]);
        CHECK(doc != NULL && doc->warning == NULL, what);
        vind_doc_free(doc);
        g_string_free(page, TRUE);
    }
}

/* A page nested past VIND_MAX_HTML_DEPTH after an 11 MB <pre>: until
 * session 18 the first parse (halted at the <pre>) was kept, and the text
 * after the <pre> and after the deep part was lost, though the report said
 * only "past its 256th level". */
static void test_deep_after_long_text(void)
{
    GString *page = g_string_new("<html><head><title>Diep</title></head><body><pre>");
    while (page->len < 11u * 1024 * 1024)
        g_string_append(page, "vulwoord ");
    g_string_append(page, "</pre><p>Het woord napreparagraaf.</p>");
    for (int i = 0; i < 5000; i++)
        g_string_append(page, "<div>");
    g_string_append(page, "diepwoord");
    for (int i = 0; i < 5000; i++)
        g_string_append(page, "</div>");
    g_string_append(page, "<p>Het woord naiedereparagraaf.</p></body></html>");
    vind_doc_t *doc = NULL;
    vind_status_t status = vind_extract_html(page->str, page->len, "diep.html", NULL, &doc, NULL);
    CHECK(status == VIND_OK && doc != NULL && contains(doc, "napreparagraaf"),
          "an 11 MB <pre>, then 5,000 levels: the paragraph after the <pre> is kept");
    CHECK(doc != NULL && contains(doc, "naiedereparagraaf") && !contains(doc, "diepwoord"),
          "... and the one after the deep part; the text past the 256th level is not");
    CHECK(doc != NULL && doc->warning != NULL && strstr(doc->warning, "nested deeper than") != NULL,
          "... and the page is reported as cut");
    vind_doc_free(doc);
    g_string_free(page, TRUE);
}

/* A NUL byte is valid UTF-8 but no text: read as a space and reported as
 * what it is (until session 18: "bytes that are not UTF-8 were read as
 * windows-1252", the probe of session 17's wrong wording). */
static void test_nul_bytes(void)
{
    static const char page[] = "<html><head><title>Nul</title></head><body><p>voor\0na en "
                               "nog\0\0meer</p></body></html>";
    vind_doc_t *doc = NULL;
    vind_status_t status = vind_extract_html(page, sizeof page - 1, "nul.html", NULL, &doc, NULL);
    CHECK(status == VIND_OK && doc != NULL && contains(doc, "voor na") && contains(doc, "nog meer"),
          "NUL bytes are read as spaces, the words around them kept");
    CHECK(doc != NULL && doc->warning != NULL &&
              strcmp(doc->warning, "3 NUL bytes (no text) read as spaces") == 0,
          "a page with 3 NUL bytes is reported \"3 NUL bytes (no text) read as spaces\"");
    CHECK(doc == NULL || doc->warning == NULL || strstr(doc->warning, "UTF-8") == NULL,
          "... and not as bytes that are not UTF-8");
    vind_doc_free(doc);
    static const char latin[] = "<html><head><title>Nul</title></head><body><p>caf\xe9\0"
                                "bar</p></body></html>";
    doc = NULL;
    status = vind_extract_html(latin, sizeof latin - 1, "latin.html", NULL, &doc, NULL);
    CHECK(status == VIND_OK && doc != NULL && doc->warning != NULL &&
              strstr(doc->warning, "not UTF-8 were read as windows-1252") != NULL &&
              strstr(doc->warning, "1 NUL byte (no text) read as a space") != NULL,
          "a Latin-1 byte and a NUL: both reported, each as what it is");
    vind_doc_free(doc);
}

/* A page's links as its reader's browser resolves them under <base href>
 * (session 20's probe): an off-site base makes every relative link one of
 * that host, a base of the site's path a path under it; without a base, or
 * with a relative one, the links stay as written. */
static vind_doc_t *page_with_base(const char *base)
{
    char *html = g_strdup_printf(
        "<html><head>%s%s%s<title>Basis</title></head><body><article><p>Tekst over zorg.</p>"
        "<p><a href=\"rapport.pdf\">a</a> <a href=\"/x/b.pdf\">b</a> "
        "<a href=\"https://o.example/c.pdf\">c</a> <a href=\"../d%%20e.pdf\">d</a></p>"
        "</article></body></html>",
        base ? "<base href=\"" : "", base ? base : "", base ? "\">" : "");
    vind_doc_t *doc = NULL;
    vind_extract_html(html, strlen(html), "basis.html", NULL, &doc, NULL);
    g_free(html);
    return doc;
}

static void test_base_href(void)
{
    vind_doc_t *doc = page_with_base("https://evil.example/");
    CHECK(has_link(doc, "https://evil.example/rapport.pdf") && !has_link(doc, "rapport.pdf"),
          "<base href> off-site: rapport.pdf is the other host's link, not the site's");
    CHECK(has_link(doc, "https://evil.example/x/b.pdf") &&
              has_link(doc, "https://o.example/c.pdf") &&
              has_link(doc, "https://evil.example/d%20e.pdf"),
          "<base href> off-site: a path and ../ resolve to that host, an absolute link stays");
    vind_doc_free(doc);
    doc = page_with_base("//evil.example/sub/");
    CHECK(has_link(doc, "https://evil.example/sub/rapport.pdf"),
          "<base href> without a scheme (//host/): that host's link");
    vind_doc_free(doc);
    doc = page_with_base("/docs/");
    CHECK(has_link(doc, "/docs/rapport.pdf") && has_link(doc, "/x/b.pdf") &&
              has_link(doc, "/d%20e.pdf"),
          "<base href=\"/docs/\">: the links are paths of the site under it");
    vind_doc_free(doc);
    doc = page_with_base(NULL);
    CHECK(has_link(doc, "rapport.pdf") && has_link(doc, "../d%20e.pdf"),
          "no <base href>: the links as written");
    vind_doc_free(doc);
    doc = page_with_base("docs/");
    CHECK(has_link(doc, "rapport.pdf"), "a relative <base href>: the links as written");
    vind_doc_free(doc);
}

int main(int argc, char **argv)
{
    (void)argc;
    find_data_dir(argv[0]);
    test_article();
    test_article_without_metadata();
    test_listings();
    test_charsets();
    test_hostile();
    test_configured_xpaths();
    test_marked_attributes();
    test_xpath_semantics();
    test_wide_and_ebcdic();
    test_pages_without_text();
    test_markup_budget();
    test_long_text_runs();
    test_deep_after_long_text();
    test_nul_bytes();
    test_base_href();
    return check_done();
}
