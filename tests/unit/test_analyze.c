/* test_analyze.c - the whole analyzer: the issue's examples (a word typed
 * matches every form of it), each Dutch rule, hostile input, and a pass over
 * the corpus text with its throughput. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <glib.h>
#include <vind/analyze.h>
#include <vind/limits.h>
#include "lexicon.h"
#include "check.h"
#include "lexicon_open.h"

static vind_lexicon_t *lexicon;
static vind_analyzer_t *analyzer;

static vind_tokens_t *analyze_lang(const char *text, vind_lang_t lang)
{
    vind_tokens_t *tokens = NULL;
    char *errmsg = NULL;
    if (vind_analyze(analyzer, text, strlen(text), lang, &tokens, &errmsg) != VIND_OK) {
        printf("# vind_analyze failed: %s\n", errmsg ? errmsg : "?");
        free(errmsg);
        return NULL;
    }
    return tokens;
}

static vind_tokens_t *analyze(const char *text)
{
    return analyze_lang(text, VIND_LANG_NL);
}

/* The stems of the tokens that are no stop words, joined by spaces. */
static char *content_stems(const char *text)
{
    vind_tokens_t *tokens = analyze(text);
    GString *out = g_string_new("");
    for (size_t k = 0; tokens && k < vind_tokens_count(tokens); k++) {
        const vind_token_t *t = vind_tokens_get(tokens, k);
        if (t->flags & VIND_TOKEN_STOP)
            continue;
        if (out->len)
            g_string_append_c(out, ' ');
        g_string_append(out, t->stem);
    }
    vind_tokens_free(tokens);
    return g_string_free(out, FALSE);
}

static int has_extra(const vind_token_t *t, const char *term)
{
    for (const char *const *e = t->extra; term && *e; e++)
        if (strcmp(*e, term) == 0)
            return 1;
    return 0;
}

/* Whether term is the stem or an extra term of token i of text. */
static int token_has_term(const char *text, size_t i, const char *term)
{
    vind_tokens_t *tokens = analyze(text);
    const vind_token_t *t = vind_tokens_get(tokens, i);
    int found = t && term && (strcmp(t->stem, term) == 0 || has_extra(t, term));
    if (!found && t) {
        printf("#   token %zu of \"%s\": stem %s, extra", i, text, t->stem);
        for (const char *const *e = t->extra; *e; e++)
            printf(" %s", *e);
        printf("; looked for %s\n", term ? term : "(null)");
    }
    vind_tokens_free(tokens);
    return found;
}

/* Field of token i as a malloc'd string ("form", "surface", "stem", ...). */
static char *field(const char *text, size_t i, const char *name)
{
    vind_tokens_t *tokens = analyze(text);
    const vind_token_t *t = vind_tokens_get(tokens, i);
    char *value = NULL;
    if (t) {
        const char *v = strcmp(name, "form") == 0      ? t->form
                        : strcmp(name, "surface") == 0 ? t->surface
                        : strcmp(name, "lemma") == 0   ? t->lemma
                                                       : t->stem;
        value = strdup(v);
    }
    vind_tokens_free(tokens);
    return value;
}

static unsigned flags_of(const char *text, size_t i)
{
    vind_tokens_t *tokens = analyze(text);
    const vind_token_t *t = vind_tokens_get(tokens, i);
    unsigned flags = t ? t->flags : 0xFFFFu;
    vind_tokens_free(tokens);
    return flags;
}

static void check_field(const char *text, size_t i, const char *name, const char *expected,
                        const char *what)
{
    char *value = field(text, i, name);
    CHECK_STR(value, expected, what);
    free(value);
}

/* Every token inside the text, on character boundaries, surface = text
 * bytes, terms valid UTF-8 within VIND_MAX_TERM_BYTES, extra never NULL,
 * positions increasing by one. */
static int tokens_are_sane(const char *text, size_t len, const vind_tokens_t *tokens)
{
    for (size_t k = 0; k < vind_tokens_count(tokens); k++) {
        const vind_token_t *t = vind_tokens_get(tokens, k);
        if (t->start >= t->end || t->end > len || t->position != k || t->extra == NULL)
            return 0;
        if (!g_utf8_validate(text + t->start, (gssize)(t->end - t->start), NULL))
            return 0;
        if (strlen(t->surface) != t->end - t->start ||
            memcmp(t->surface, text + t->start, t->end - t->start) != 0)
            return 0;
        const char *terms[] = {t->form, t->lemma, t->stem};
        for (size_t n = 0; n < 3; n++)
            if (terms[n] == NULL || terms[n][0] == '\0' || strlen(terms[n]) > VIND_MAX_TERM_BYTES ||
                !g_utf8_validate(terms[n], -1, NULL))
                return 0;
        for (const char *const *e = t->extra; *e; e++)
            if (strlen(*e) > VIND_MAX_TERM_BYTES || !g_utf8_validate(*e, -1, NULL))
                return 0;
    }
    return 1;
}

static void test_issue_examples(void)
{
    char *text = content_stems("Cliënten, bewoners en organisaties van verpleeghuizen met auto's");
    char *typed = content_stems("client bewoner organisatie verpleeghuis auto");
    CHECK_STR(text, typed, "issue: inflected text and typed lemmas give the same stems");
    free(text);
    free(typed);

    char *zorg = vind_analyze_word(analyzer, "zorg", VIND_LANG_NL);
    CHECK(token_has_term("verpleeghuiszorg", 0, zorg),
          "issue: the terms of verpleeghuiszorg include the term of zorg");
    char *verpleeghuis = vind_analyze_word(analyzer, "verpleeghuis", VIND_LANG_NL);
    CHECK(token_has_term("verpleeghuiszorg", 0, verpleeghuis),
          "the terms of verpleeghuiszorg include the term of verpleeghuis");
    free(zorg);
    free(verpleeghuis);

    char *a = vind_analyze_word(analyzer, "Cliënten", VIND_LANG_NL);
    char *b = vind_analyze_word(analyzer, "client", VIND_LANG_NL);
    CHECK(a && b && strcmp(a, b) == 0, "vind_analyze_word: Cliënten and client meet");
    free(a);
    free(b);
    CHECK(vind_analyze_word(analyzer, ",,,", VIND_LANG_NL) == NULL,
          "vind_analyze_word: no token gives NULL");
}

static void test_normalisation(void)
{
    check_field("Cliënten", 0, "form", "clienten", "form folds diacritics and case");
    check_field("Cliënten", 0, "surface", "Cliënten", "surface is the text as written");
    check_field("ﬁnanciën", 0, "form", "financien", "ligature expanded in the form");
    check_field("verpleeg\xc2\xadhuizen", 0, "form", "verpleeghuizen",
                "soft hyphen dropped from the form");
    check_field("één", 0, "form", "een", "één = een");
    char *crèche = vind_analyze_word(analyzer, "crèche", VIND_LANG_NL);
    char *creche = vind_analyze_word(analyzer, "creche", VIND_LANG_NL);
    CHECK(crèche && creche && strcmp(crèche, creche) == 0, "crèche and creche meet");
    free(crèche);
    free(creche);
    char *beinvloeden = vind_analyze_word(analyzer, "beïnvloeden", VIND_LANG_NL);
    char *plain = vind_analyze_word(analyzer, "beinvloeden", VIND_LANG_NL);
    CHECK(beinvloeden && plain && strcmp(beinvloeden, plain) == 0, "beïnvloeden = beinvloeden");
    free(beinvloeden);
    free(plain);
}

static void test_apostrophes_and_stop_words(void)
{
    check_field("auto's", 0, "form", "auto", "auto's: form without 's");
    check_field("auto's", 0, "surface", "auto's", "auto's: surface keeps 's");
    check_field("foto's", 0, "form", "foto", "foto's: form foto");
    check_field("cliënt's", 0, "form", "client", "cliënt's: genitive form");
    check_field("risico’s", 0, "form", "risico", "risico’s with a typographic apostrophe");

    const char *text = "in 't huis en van 's morgens";
    vind_tokens_t *tokens = analyze(text);
    CHECK_INT(vind_tokens_count(tokens), 7, "stop words are kept as tokens");
    const vind_token_t *t = vind_tokens_get(tokens, 1);
    CHECK(t && strcmp(t->form, "'t") == 0 && (t->flags & VIND_TOKEN_STOP), "'t is a stop word");
    t = vind_tokens_get(tokens, 3);
    CHECK(t && strcmp(t->form, "en") == 0 && (t->flags & VIND_TOKEN_STOP) && t->position == 3,
          "en is a stop word with its position");
    t = vind_tokens_get(tokens, 2);
    CHECK(t && !(t->flags & VIND_TOKEN_STOP), "huis is no stop word");
    vind_tokens_free(tokens);

    check_field("'s-Hertogenbosch", 0, "form", "'s-hertogenbosch", "'s-Hertogenbosch is one name");
    CHECK(token_has_term("'s-Hertogenbosch", 0, "shertogenbosch"),
          "'s-Hertogenbosch carries shertogenbosch");
    char *hertogenbosch = vind_analyze_word(analyzer, "Hertogenbosch", VIND_LANG_NL);
    CHECK(token_has_term("’s-Hertogenbosch", 0, hertogenbosch),
          "’s-Hertogenbosch carries the term of hertogenbosch");
    free(hertogenbosch);
}

static void test_hyphens_and_ellipsis(void)
{
    vind_tokens_t *tokens = analyze("Noord-Holland");
    CHECK_INT(vind_tokens_count(tokens), 2, "Noord-Holland: two tokens");
    const vind_token_t *noord = vind_tokens_get(tokens, 0);
    const vind_token_t *holland = vind_tokens_get(tokens, 1);
    CHECK(noord && holland && noord->position == 0 && holland->position == 1,
          "Noord-Holland: consecutive positions, so \"noord holland\" matches as a phrase");
    char *joined = vind_analyze_word(analyzer, "noordholland", VIND_LANG_NL);
    CHECK(noord && has_extra(noord, joined), "Noord-Holland: noord carries noordholland");
    free(joined);
    vind_tokens_free(tokens);

    char *emailadres = vind_analyze_word(analyzer, "emailadres", VIND_LANG_NL);
    CHECK(token_has_term("e-mailadres", 0, emailadres), "e-mailadres: e carries emailadres");
    free(emailadres);
    char *coronamelder = vind_analyze_word(analyzer, "coronamelder", VIND_LANG_NL);
    CHECK(token_has_term("Corona-Melder", 0, coronamelder), "Corona-Melder carries coronamelder");
    free(coronamelder);

    check_field("zorg- en onderwijsvernieuwing", 0, "surface", "zorg-", "elliptic surface zorg-");
    check_field("zorg- en onderwijsvernieuwing", 0, "form", "zorg", "elliptic form zorg");
    char *completion = vind_analyze_word(analyzer, "zorgvernieuwing", VIND_LANG_NL);
    CHECK(token_has_term("zorg- en onderwijsvernieuwing", 0, completion),
          "zorg- carries zorgvernieuwing");
    free(completion);
    completion = vind_analyze_word(analyzer, "welzijnsvernieuwing", VIND_LANG_NL);
    CHECK(token_has_term("zorg-, welzijns- en onderwijsvernieuwing", 1, completion),
          "chain: welzijns- carries welzijnsvernieuwing");
    free(completion);

    completion = vind_analyze_word(analyzer, "noordholland", VIND_LANG_NL);
    CHECK(token_has_term("Noord- en Zuid-Holland", 0, completion),
          "Noord- en Zuid-Holland: noord- carries noordholland");
    free(completion);

    struct {
        const char *text, *completion;
    } cases[] = {
        {"bron- en contactonderzoek", "brononderzoek"}, /* head from the compound split */
        {"in- en uitvoer", "invoer"}, /* particle verbs: head after the particle */
        {"op- en afbouw", "opbouw"},
        {"in- en verkoop", "inkoop"},        /* an inseparable prefix in the particle's place */
        {"zorg- en welzijn", "zorgwelzijn"}, /* no split, no particle: the whole word */
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        char what[128];
        snprintf(what, sizeof what, "%s: carries %s", cases[k].text, cases[k].completion);
        completion = vind_analyze_word(analyzer, cases[k].completion, VIND_LANG_NL);
        CHECK(token_has_term(cases[k].text, 0, completion), what);
        free(completion);
    }
    completion = vind_analyze_word(analyzer, "onderwijsbeleid", VIND_LANG_NL);
    CHECK(token_has_term("onderwijsvernieuwing en -beleid", 2, completion),
          "-beleid carries onderwijsbeleid");
    free(completion);
    /* "verpleeg-" at a line end, then "huis": no conjunction, so no completion. */
    completion = vind_analyze_word(analyzer, "verpleeghuis", VIND_LANG_NL);
    vind_tokens_t *plain = analyze("verpleeg- huis");
    const vind_token_t *first = vind_tokens_get(plain, 0);
    CHECK(first && !has_extra(first, completion), "hyphen without a conjunction: no completion");
    vind_tokens_free(plain);
    free(completion);
}

/* Whether the first token of text has the term of word (its stem or an extra term). */
static int has_term_of(const char *text, const char *word)
{
    char *term = vind_analyze_word(analyzer, word, VIND_LANG_NL);
    vind_tokens_t *tokens = analyze(text);
    const vind_token_t *t = vind_tokens_get(tokens, 0);
    int found = t && term && (strcmp(t->stem, term) == 0 || has_extra(t, term));
    vind_tokens_free(tokens);
    free(term);
    return found;
}

/* Issue 13: a compound carries the terms of its longest known parts, of an
 * unknown compound too, and no term of a shorter word inside a part. */
static void test_compound_parts(void)
{
    static const char *const found[][2] = {
        {"cookiemelding", "melding"},
        {"cookiemeldingen", "melding"},
        {"schermlezergebruikers", "gebruikers"},
        {"schermlezergebruikers", "schermlezer"},
        {"wachtwoordbeheer", "wachtwoord"},
        {"wijkverpleegkundige", "verpleegkundige"},
        {"wijkverpleegkundige", "wijk"},
        {"overheidsbeleid", "overheid"},
        {"toegankelijkheidsverklaring", "toegankelijkheid"},
        {"ouderenzorg", "ouderen"},
        /* a part is lemmatised as the compound writes it: the plural noun
         * "gegevens", not the participle "gegeven" of its linker-less form */
        {"gegevensbescherming", "gegevens"},
        {"gegevensverwerking", "gegevens"},
        {"investeerdersgroep", "investeerders"},
        /* a listed compound nl.dic's flags do not split (h12 of make eval) */
        {"versiebeheersysteem", "versiebeheer"},
        {"versiebeheersysteem", "systeem"},
        /* an English compound of the English list keeps its parts */
        {"logotypes", "logo"},
        {"logotypes", "type"},
    };
    static const char *const not_found[][2] = {
        {"wachtwoordbeheer", "woord"},
        {"wachtwoordbeheer", "wacht"},
        {"wijkverpleegkundige", "kundig"},
        {"richtlijn", "lijn"},
        {"richtlijn", "richten"},
        {"volgorde", "orde"},
        {"leeftijd", "tijd"},
        {"verwarring", "ring"},
        {"gegevensbescherming", "geven"},
        {"gegevensverwerking", "geven"},
        {"investeerdersgroep", "investeren"},
        /* an English word that Dutch words only spell by chance (VIND_LEX_ENGLISH) */
        {"variables", "varia"},
        {"tampering", "ring"},
        {"discovering", "vering"},
        {"discovering", "disco"},
    };
    char what[128];
    for (size_t k = 0; k < sizeof found / sizeof found[0]; k++) {
        snprintf(what, sizeof what, "%s carries the term of %s", found[k][0], found[k][1]);
        CHECK(has_term_of(found[k][0], found[k][1]), what);
    }
    for (size_t k = 0; k < sizeof not_found / sizeof not_found[0]; k++) {
        snprintf(what, sizeof what, "%s has no term of %s", not_found[k][0], not_found[k][1]);
        CHECK(!has_term_of(not_found[k][0], not_found[k][1]), what);
    }

    /* A hyphenated word keeps its stop-word part as a token with a position
     * and a term, so the query's phrase "niet rokers" can match it. */
    const char *hyphenated[] = {"niet-rokers", "niet-westers", "niet-gebruikers", NULL};
    for (size_t k = 0; hyphenated[k]; k++) {
        vind_tokens_t *tokens = analyze(hyphenated[k]);
        const vind_token_t *first = vind_tokens_get(tokens, 0);
        const vind_token_t *second = vind_tokens_get(tokens, 1);
        snprintf(what, sizeof what, "%s: niet is a stop token at position 0 with term niet",
                 hyphenated[k]);
        CHECK(vind_tokens_count(tokens) == 2 && first && second && first->position == 0 &&
                  second->position == 1 && (first->flags & VIND_TOKEN_STOP) &&
                  strcmp(first->stem, "niet") == 0,
              what);
        vind_tokens_free(tokens);
    }
    char *joined = vind_analyze_word(analyzer, "nietrokers", VIND_LANG_NL);
    CHECK(token_has_term("niet-rokers", 0, joined), "niet-rokers: niet carries nietrokers");
    free(joined);
}

static void test_abbreviations_numbers_addresses(void)
{
    check_field("o.a.", 0, "form", "oa", "o.a.: form without dots");
    CHECK(flags_of("o.a.", 0) & VIND_TOKEN_ABBREV, "o.a. is flagged ABBREV");
    check_field("t/m", 0, "form", "tm", "t/m: form tm");
    check_field("bijv.", 0, "stem", "bijv", "bijv.: not stemmed");
    check_field("d.w.z.", 0, "form", "dwz", "d.w.z.: form dwz");
    check_field("m.b.t.", 0, "form", "mbt", "m.b.t.: form mbt");

    check_field("2021", 0, "stem", "2021", "a year is its own term");
    CHECK(flags_of("2021", 0) & VIND_TOKEN_NUMBER, "2021 is flagged NUMBER");
    check_field("3,5", 0, "form", "3,5", "decimal comma kept");
    check_field("1.000", 0, "form", "1000", "thousands dot dropped: 1.000 = 1000");
    check_field("1.000.000,50", 0, "form", "1000000,50", "thousands dots and a decimal comma");
    check_field("35 538", 0, "form", "35538", "digit groups joined: 35 538");
    check_field("3.2", 0, "form", "3.2", "a section number keeps its dot");
    vind_tokens_t *english = analyze_lang("1,000 3.5", VIND_LANG_EN);
    const vind_token_t *t = vind_tokens_get(english, 0);
    CHECK(t && strcmp(t->form, "1000") == 0, "English: thousands comma dropped");
    vind_tokens_free(english);

    check_field("info@rivm.nl", 0, "form", "info@rivm.nl", "e-mail address is one token");
    CHECK(flags_of("info@rivm.nl", 0) & VIND_TOKEN_EMAIL, "e-mail flagged EMAIL");
    char *rivm = vind_analyze_word(analyzer, "rivm", VIND_LANG_NL);
    CHECK(token_has_term("info@rivm.nl", 0, rivm), "e-mail address carries its domain word");
    check_field("Zie https://www.RIVM.nl/corona/", 1, "form", "www.rivm.nl/corona",
                "URL form: no scheme, lower case, no final slash");
    CHECK(flags_of("https://www.rivm.nl/corona", 0) & VIND_TOKEN_URL, "URL flagged URL");
    CHECK(token_has_term("https://www.rivm.nl/corona", 0, rivm), "URL carries its words");
    free(rivm);
}

/* Checks that the English terms of a and b are one (joined: that of b, the
 * lemma) or two. */
static void check_english_pair(const char *a, const char *b, int joined)
{
    char *term_a = vind_analyze_word(analyzer, a, VIND_LANG_EN);
    char *term_b = vind_analyze_word(analyzer, b, VIND_LANG_EN);
    char what[128];
    snprintf(what, sizeof what, "English: %s (%s) and %s (%s) %s", a, term_a ? term_a : "", b,
             term_b ? term_b : "", joined ? "one term, the lemma" : "stay apart");
    int same = term_a && term_b && strcmp(term_a, term_b) == 0;
    CHECK(joined ? same && strcmp(term_a, b) == 0 : term_a && term_b && !same, what);
    g_free(term_a);
    g_free(term_b);
}

static void test_english(void)
{
    vind_tokens_t *tokens = analyze_lang("The running organisations", VIND_LANG_EN);
    const vind_token_t *the = vind_tokens_get(tokens, 0);
    const vind_token_t *running = vind_tokens_get(tokens, 1);
    CHECK(the && (the->flags & VIND_TOKEN_STOP), "English: the is a stop word");
    CHECK(running && strcmp(running->stem, "run") == 0, "English: running -> run");
    vind_tokens_free(tokens);

    /* A word of wamerican has its lemma as its term: inflections join,
     * derivations stay apart (en-lemmas.txt, english/mklemmas.py). */
    static const char *const same[][2] = {
        {"managers", "manager"}, {"stopped", "stop"},     {"companies", "company"},
        {"hoping", "hope"},      {"boxes", "box"},        {"faster", "fast"},
        {"easiest", "easy"},     {"cancelled", "cancel"}, {"called", "call"},
    };
    for (size_t k = 0; k < sizeof same / sizeof same[0]; k++)
        check_english_pair(same[k][0], same[k][1], 1);
    /* Snowball joined each of these pairs ("manag", "gener", "new"). */
    static const char *const apart[][2] = {
        {"manager", "management"}, {"general", "generate"}, {"news", "new"},
        {"morning", "morn"},       {"manager", "manage"},   {"international", "internal"},
    };
    for (size_t k = 0; k < sizeof apart / sizeof apart[0]; k++)
        check_english_pair(apart[k][0], apart[k][1], 0);
    /* A word the list lacks (British spelling, a name) keeps Snowball's stem;
     * so does a stop word, as before ("yourselves", which the list knows as
     * itself, stays Snowball's "yourselv"). */
    char *organisations = vind_analyze_word(analyzer, "organisations", VIND_LANG_EN);
    char *organisation = vind_analyze_word(analyzer, "organisation", VIND_LANG_EN);
    CHECK(organisations && organisation && strcmp(organisations, organisation) == 0,
          "English: a word the list lacks keeps Snowball's stem");
    CHECK(organisations && strcmp(organisations, "organis") == 0,
          "English: organisations -> Snowball's organis");
    char *yourselves = vind_analyze_word(analyzer, "yourselves", VIND_LANG_EN);
    CHECK_STR(yourselves, "yourselv", "English: a stop word keeps Snowball's stem");
    g_free(organisations);
    g_free(organisation);
    g_free(yourselves);
}

static void test_hostile_input(void)
{
    vind_tokens_t *tokens = NULL;
    char *errmsg = NULL;
    CHECK_INT(vind_analyze(analyzer, "", 0, VIND_LANG_NL, &tokens, NULL), VIND_OK, "empty input");
    CHECK_INT(vind_tokens_count(tokens), 0, "empty input: zero tokens");
    vind_tokens_free(tokens);
    CHECK_INT(vind_analyze(analyzer, NULL, 0, VIND_LANG_NL, &tokens, NULL), VIND_OK,
              "NULL text of length 0 is empty");
    vind_tokens_free(tokens);
    CHECK_INT(vind_analyze(analyzer, "x", (size_t)VIND_MAX_ANALYZE_BYTES + 1, VIND_LANG_NL, &tokens,
                           &errmsg),
              VIND_TOO_LARGE, "text beyond VIND_MAX_ANALYZE_BYTES is refused");
    CHECK(tokens == NULL && errmsg != NULL, "too large: no tokens, a message");
    free(errmsg);
    CHECK_INT(vind_analyze(analyzer, "x", 1, (vind_lang_t)7, &tokens, NULL), VIND_INVALID_ARGUMENT,
              "unknown language refused");
    vind_analyzer_t *none = NULL;
    CHECK_INT(vind_analyzer_new(NULL, &none, NULL), VIND_INVALID_ARGUMENT,
              "analyzer without lexicon refused");
    CHECK(vind_tokens_get(NULL, 0) == NULL && vind_tokens_count(NULL) == 0,
          "NULL tokens are empty");
    vind_tokens_free(NULL);
    vind_analyzer_free(NULL);

    size_t big = 1024 * 1024;
    char *huge = malloc(big + 1);
    memset(huge, 'a', big);
    huge[big] = '\0';
    CHECK_INT(vind_analyze(analyzer, huge, big, VIND_LANG_NL, &tokens, NULL), VIND_OK,
              "a 1 MB single token is analysed");
    CHECK(vind_tokens_count(tokens) == 1 &&
              strlen(vind_tokens_get(tokens, 0)->stem) <= VIND_MAX_TERM_BYTES &&
              strlen(vind_tokens_get(tokens, 0)->form) == VIND_MAX_TERM_BYTES,
          "1 MB token: one token, form and stem capped");
    vind_tokens_free(tokens);
    for (size_t k = 0; k + 1 < big; k += 2)
        memcpy(huge + k, "\xc3\xab", 2); /* ë ë ë ... */
    CHECK_INT(vind_analyze(analyzer, huge, big, VIND_LANG_NL, &tokens, NULL), VIND_OK,
              "1 MB of ë analysed");
    CHECK(tokens_are_sane(huge, big, tokens), "1 MB of ë: capped terms on character boundaries");
    vind_tokens_free(tokens);
    free(huge);

    const char hostile[] = "zorg\xff\xfehuis \xc3 caf\xc3\xa9\xe2\x82 x\xc0\xafy \xed\xa0\x80z "
                           "a\0b \xef\x82\xb7 punt";
    CHECK_INT(vind_analyze(analyzer, hostile, sizeof hostile - 1, VIND_LANG_NL, &tokens, NULL),
              VIND_OK, "invalid UTF-8, overlong forms, surrogates and NUL bytes analysed");
    CHECK(tokens_are_sane(hostile, sizeof hostile - 1, tokens),
          "hostile bytes: offsets inside the text, on boundaries");
    CHECK_INT(vind_tokens_count(tokens), 9, "hostile bytes separate words");
    vind_tokens_free(tokens);

    unsigned seed = 7;
    int sane = 1;
    char buffer[400];
    const char *pieces[] = {"Zorg", "é",    "-",    "'",        "’",
                            ".",    ",",    "/",    "@",        " ",
                            "1",    "\xff", "\xc3", "\xc2\xad", "\xef\x82\xb7",
                            "s",    "t",    "www.", ".nl",      "http://",
                            " en ", "huis", "\0",   "ﬁ",        "o.a.",
                            "'s-"};
    for (int round = 0; round < 3000 && sane; round++) {
        size_t len = 0;
        int parts = round % 50 + 1;
        for (int p = 0; p < parts; p++) {
            seed = seed * 1103515245u + 12345u;
            size_t which = (seed >> 16) % (sizeof pieces / sizeof pieces[0]);
            size_t n = which == 22 ? 1 : strlen(pieces[which]);
            if (len + n >= sizeof buffer)
                break;
            memcpy(buffer + len, pieces[which], n);
            len += n;
        }
        sane = vind_analyze(analyzer, buffer, len, VIND_LANG_NL, &tokens, NULL) == VIND_OK &&
               tokens_are_sane(buffer, len, tokens);
        if (!sane)
            printf("# insane tokens for \"%.*s\"\n", (int)len, buffer);
        vind_tokens_free(tokens);
    }
    CHECK(sane, "3000 random texts: sane tokens");
}

/* Reads a whole file into a malloc'd buffer. */
static char *read_file(const char *path, size_t *len)
{
    gchar *contents = NULL;
    gsize length = 0;
    if (!g_file_get_contents(path, &contents, &length, NULL))
        return NULL;
    *len = length;
    return contents;
}

/* The PDF text of the corpus through the analyzer: every token sane, and
 * the throughput reported (the indexer runs all of it through here). */
static void test_corpus(void)
{
    const char *corpus = getenv("CORPUS");
    char *directory = g_build_filename(corpus ? corpus : "", "pdf", "text", NULL);
    DIR *dir = corpus ? opendir(directory) : NULL;
    if (dir == NULL) {
        const char *ci = getenv("CI");
        if (ci && strcmp(ci, "true") == 0)
            CHECK(0, "the corpus is required under CI=true");
        else
            SKIP("no corpus (set CORPUS)");
        g_free(directory);
        return;
    }
    size_t files = 0, bytes = 0, count = 0;
    int sane = 1;
    double seconds = 0;
    struct dirent *entry;
    while ((entry = readdir(dir)) != NULL) {
        if (!g_str_has_suffix(entry->d_name, ".txt"))
            continue;
        char *path = g_build_filename(directory, entry->d_name, NULL);
        size_t len = 0;
        char *text = read_file(path, &len);
        g_free(path);
        if (text == NULL)
            continue;
        vind_tokens_t *tokens = NULL;
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        vind_status_t status = vind_analyze(analyzer, text, len, VIND_LANG_NL, &tokens, NULL);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        seconds += (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
        sane = sane && status == VIND_OK && tokens_are_sane(text, len, tokens);
        files++;
        bytes += len;
        count += vind_tokens_count(tokens);
        vind_tokens_free(tokens);
        g_free(text);
    }
    closedir(dir);
    g_free(directory);
    CHECK(files > 0 && sane, "corpus PDF text: every token sane");
    printf("# corpus: %zu files, %zu bytes, %zu tokens in %.3f s = %.0f tokens/s\n", files, bytes,
           count, seconds, seconds > 0 ? (double)count / seconds : 0.0);
}

/* Every token of text as "stem|extra,extra" lines, for comparing analyses. */
static char *analysis_of(vind_analyzer_t *a, const char *text)
{
    vind_tokens_t *tokens = NULL;
    GString *out = g_string_new("");
    if (vind_analyze(a, text, strlen(text), VIND_LANG_NL, &tokens, NULL) != VIND_OK)
        return g_string_free(out, FALSE);
    for (size_t k = 0; k < vind_tokens_count(tokens); k++) {
        const vind_token_t *t = vind_tokens_get(tokens, k);
        g_string_append_printf(out, "%s %s %x|", t->lemma, t->stem, t->flags);
        for (const char *const *e = t->extra; *e; e++)
            g_string_append_printf(out, "%s,", *e);
        g_string_append_c(out, '\n');
    }
    vind_tokens_free(tokens);
    return g_string_free(out, FALSE);
}

/* The analyzer's cache of word analyses turns over (two generations of
 * 65,536 forms, lib/analyze.c) without changing any analysis: common words
 * used across the turns, and forms dropped with an old generation and met
 * again, are analysed as a fresh analyzer does. */
static void test_cache_turns(void)
{
    const char *common = "De verpleeghuiszorg van organisaties, zorg- en welzijnsinstellingen "
                         "in Noord-Holland: cli\xc3\xabnten liepen naar huizen.";
    char *first = analysis_of(analyzer, common);
    GString *chunk = g_string_new("");
    char *early = NULL;
    int same = 1;
    for (unsigned i = 0; i < 3u * 65536u; i++) {
        /* four letters: not a number, too short for compound splitting */
        g_string_append_printf(chunk, "%c%c%c%c ", 'a' + i % 26, 'a' + i / 26 % 26,
                               'a' + i / 676 % 26, 'b' + i / 17576 % 24);
        if (i % 4096 == 4095) {
            char *tokens = analysis_of(analyzer, chunk->str);
            if (!early)
                early = g_strdup(chunk->str);
            g_free(tokens);
            g_string_truncate(chunk, 0);
            char *again = analysis_of(analyzer, common);
            same = same && strcmp(again, first) == 0;
            g_free(again);
        }
    }
    CHECK(same, "cache turns: common words keep their analysis through 3 x 65,536 new forms");
    vind_analyzer_t *fresh = NULL;
    CHECK_INT(vind_analyzer_new(lexicon, &fresh, NULL), VIND_OK, "cache turns: a fresh analyzer");
    char *dropped = analysis_of(analyzer, early), *expected = analysis_of(fresh, early);
    CHECK(strcmp(dropped, expected) == 0 && strchr(dropped, '|') != NULL,
          "cache turns: forms of a dropped generation are analysed as a fresh analyzer does");
    char *fresh_common = analysis_of(fresh, common);
    CHECK_STR(first, fresh_common, "cache turns: the same analysis as a fresh analyzer");
    vind_analyzer_free(fresh);
    g_free(fresh_common);
    g_free(dropped);
    g_free(expected);
    g_free(early);
    g_free(first);
    g_string_free(chunk, TRUE);
}

/* vind_analyze_forms (snippets of prefix queries) gives vind_analyze's
 * tokens, offsets, positions, flags of the tokenizer and forms, with the
 * form as lemma and stem and no extra terms. */
static void test_forms_only(void)
{
    const char *text = "De verpleeghuiszorg van zorg- en welzijnsinstellingen in Noord-Holland: "
                       "cli\xc3\xabnten liepen o.a. naar https://www.zorg.nl/ en 3,5 huizen "
                       "'s-Hertogenbosch \xef\xac\x81nanci\xc3\xabn.";
    vind_tokens_t *full = analyze(text), *forms = NULL;
    CHECK_INT(vind_analyze_forms(analyzer, text, strlen(text), VIND_LANG_NL, &forms, NULL),
              VIND_OK, "forms only: analysed");
    size_t n = vind_tokens_count(full);
    int same = n > 10 && vind_tokens_count(forms) == n, bare = same;
    for (size_t k = 0; same && k < n; k++) {
        const vind_token_t *a = vind_tokens_get(full, k), *b = vind_tokens_get(forms, k);
        same = a->start == b->start && a->end == b->end && a->position == b->position &&
               strcmp(a->surface, b->surface) == 0 && strcmp(a->form, b->form) == 0;
        bare = bare && strcmp(b->stem, b->form) == 0 && strcmp(b->lemma, b->form) == 0 &&
               b->extra && !b->extra[0];
    }
    CHECK(same, "forms only: the same tokens, offsets, positions and forms as vind_analyze");
    CHECK(bare, "forms only: stem and lemma are the form, no extra terms");
    vind_tokens_free(full);
    vind_tokens_free(forms);
}

int main(void)
{
    lexicon = open_test_lexicon();
    if (lexicon == NULL)
        return check_done();
    CHECK_INT(vind_analyzer_new(lexicon, &analyzer, NULL), VIND_OK, "analyzer created");
    test_issue_examples();
    test_normalisation();
    test_apostrophes_and_stop_words();
    test_hyphens_and_ellipsis();
    test_compound_parts();
    test_abbreviations_numbers_addresses();
    test_english();
    test_hostile_input();
    test_corpus();
    test_cache_turns();
    test_forms_only();
    vind_analyzer_free(analyzer);
    vind_lexicon_close(lexicon);
    return check_done();
}
