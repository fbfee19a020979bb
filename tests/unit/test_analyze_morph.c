/* test_analyze_morph.c - the lemma -> term pipeline (issue 13): the term of a
 * word the lexicon knows is its lemma, not Snowball's stem of it; different
 * words never share a term; the forms of one word do, strong verbs and the
 * verbs derived from them included; a term is never a stop word unless the
 * word is one. Asks the real analyzer over the built lexicon. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <vind/analyze.h>
#include "lexicon.h"
#include "check.h"
#include "lexicon_open.h"

static vind_lexicon_t *lexicon;
static vind_analyzer_t *analyzer;

/* The main term of a single word (malloc'd), or NULL. */
static char *term(const char *word)
{
    return vind_analyze_word(analyzer, word, VIND_LANG_NL);
}

/* Every word of the NULL-terminated list gets the same term. */
static void check_same(const char *const *words, const char *what)
{
    char *first = term(words[0]);
    int same = first != NULL;
    for (size_t k = 1; same && words[k]; k++) {
        char *other = term(words[k]);
        same = other && strcmp(first, other) == 0;
        if (!same)
            printf("#   %s -> %s but %s -> %s\n", words[0], first ? first : "(null)", words[k],
                   other ? other : "(null)");
        free(other);
    }
    CHECK(same, what);
    free(first);
}

/* The two words get different terms. */
static void check_apart(const char *a, const char *b)
{
    char *x = term(a), *y = term(b);
    char what[128];
    snprintf(what, sizeof what, "%s and %s do not share a term", a, b);
    int apart = x && y && strcmp(x, y) != 0;
    if (!apart)
        printf("#   %s -> %s, %s -> %s\n", a, x ? x : "(null)", b, y ? y : "(null)");
    CHECK(apart, what);
    free(x);
    free(y);
}

static void check_term(const char *word, const char *expected)
{
    char *t = term(word);
    char what[128];
    snprintf(what, sizeof what, "term of %s is %s", word, expected);
    CHECK_STR(t, expected, what);
    free(t);
}

/* Whether term is the main term or an extra term of the first token of text. */
static int has_term(const char *text, const char *wanted)
{
    vind_tokens_t *tokens = NULL;
    if (vind_analyze(analyzer, text, strlen(text), VIND_LANG_NL, &tokens, NULL) != VIND_OK)
        return 0;
    const vind_token_t *t = vind_tokens_get(tokens, 0);
    int found = t && strcmp(t->stem, wanted) == 0;
    for (const char *const *e = t ? t->extra : NULL; e && *e && !found; e++)
        found = strcmp(*e, wanted) == 0;
    vind_tokens_free(tokens);
    return found;
}

static void test_snowball_does_not_undo_the_lemma(void)
{
    /* The pairs, and more of the kind: Snowball stems one onto the other. */
    static const char *const pairs[][2] = {
        {"kans", "kan"},       {"boom", "bom"},        {"raad", "rad"},
        {"slaap", "slap"},     {"arts", "art"},        {"kansen", "kan"},
        {"bomen", "bom"},      {"raden", "rad"},       {"lid", "leed"},
        {"kaart", "kaar"},     {"lijst", "lijs"},      {"laat", "laatste"},
        {"beheer", "beheren"}, {"opvang", "opvangen"}, {"maan", "man"},
        {"zaak", "zak"},       {"boot", "bot"},        {"heer", "her"},
        {"zoon", "zon"},       {"vaart", "vart"},      {"koning", "koon"},
        {"woning", "won"},     {"waarheid", "waar"},   {"gelegenheid", "gelegen"},
    };
    for (size_t k = 0; k < sizeof pairs / sizeof pairs[0]; k++)
        check_apart(pairs[k][0], pairs[k][1]);
    check_term("kans", "kans");
    check_term("kansen", "kans");
    check_term("bomen", "boom");
    check_term("cliënten", "client");
}

static void test_compound_parts_are_lemmas(void)
{
    CHECK(has_term("kerstboom", "boom") && !has_term("kerstboom", "bom"),
          "kerstboom: part boom, not bom");
    CHECK(has_term("cliëntenraad", "raad") && !has_term("cliëntenraad", "rad"),
          "cliëntenraad: part raad, not rad");
    CHECK(has_term("slaapkamer", "slaap") && !has_term("slaapkamer", "slap"),
          "slaapkamer: part slaap, not slap");
    CHECK(has_term("huisarts", "arts") && !has_term("huisarts", "art"),
          "huisarts: part arts, not art");
    /* Recall kept: a part is the same term as the word alone. */
    char *zorg = term("zorg");
    CHECK(zorg && has_term("verpleeghuiszorg", zorg), "zorg finds verpleeghuiszorg");
    free(zorg);
    char *huis = term("verpleeghuis");
    CHECK(huis && has_term("verpleeghuizen", huis), "verpleeghuizen has the term of verpleeghuis");
    free(huis);
}

static void test_wrong_lemmas(void)
{
    check_same((const char *const[]){"lid", "leden", NULL}, "leden is the plural of lid");
    check_same((const char *const[]){"schip", "schepen", NULL}, "schepen ~ schip");
    check_same((const char *const[]){"stad", "steden", NULL}, "steden ~ stad");
    check_same((const char *const[]){"kaart", "kaartje", "kaartjes", NULL}, "kaartje ~ kaart");
    check_same((const char *const[]){"lijst", "lijstje", "lijstjes", NULL}, "lijstje ~ lijst");
    check_same((const char *const[]){"staart", "staartje", NULL}, "staartje ~ staart");
    check_same((const char *const[]){"laatst", "laatste", NULL}, "laatste ~ laatst");
    check_same((const char *const[]){"groot", "groter", "grootste", "grote", NULL},
               "regular degrees stay with their adjective");
    /* A plural noun is no participle + s; a noun is no verb form. */
    check_apart("gegevens", "geven");
    check_apart("gegevens", "gegeven");
    check_apart("geluid", "luien");
    check_apart("wet", "weten");
    check_same((const char *const[]){"heel", "hele", NULL}, "hele is heel, not hel");
    check_apart("hele", "hel");
    /* -s plurals that nl.dic lists as roots of their own */
    check_same((const char *const[]){"meisje", "meisjes", NULL}, "meisjes ~ meisje");
    check_same((const char *const[]){"gaatje", "gaatjes", NULL}, "gaatjes ~ gaatje");
    check_apart("oorlogswees", "oorlogswee");
    /* -en plurals that nl.dic lists as roots of their own: "zorgen" (cares) */
    check_same((const char *const[]){"zorg", "zorgen", NULL}, "zorgen ~ zorg");
    check_same((const char *const[]){"kost", "kosten", NULL}, "kosten ~ kost");
    check_term("kinderopvang", "kinderopvang");
    check_term("wachtwoordbeheer", "wachtwoordbeheer");
    check_term("leden", "lid");
    /* Nouns keep their plurals. */
    check_same((const char *const[]){"bewoner", "bewoners", NULL}, "bewoner ~ bewoners");
    check_same((const char *const[]){"clienten", "cliënten", "client", NULL},
               "clienten ~ cliënten ~ client");
    check_same((const char *const[]){"naam", "namen", NULL}, "namen is the plural of naam");
    check_same((const char *const[]){"opname", "opnamen", NULL}, "opnamen is the plural of opname");
}

/* Words of their own that the lexicon gave another word's lemma (session 8,
 * lexicon/lemma-other-word-sample.tsv): a compound split at a non-word
 * ("sc" + "hipper"), an agent noun read as a comparative, an adjective in
 * -s read as a plural, ge-X-en read as the participle of a weak verb. */
static void test_not_another_words_lemma(void)
{
    check_apart("contrast", "contra");         /* "con" + "trast" */
    check_apart("schipper", "schip");          /* "sc" + "hipper" (hip) */
    check_apart("jeugdrechter", "jeugdrecht"); /* "jeugdr" + "echter" */
    check_apart("inbrengst", "inbreng");       /* "inbr" + "engst" */
    check_apart("sorteerder", "sorteren");     /* agent noun, not a verb form */
    check_apart("opbrengst", "opbrengen");
    check_apart("pools", "pool");       /* Polish, not the plural of "Pool" */
    check_apart("brabants", "brabant"); /* an adjective, not a plural */
    check_apart("geboren", "boren");    /* born: "boren" (drill) is weak, "geboord" */
    check_apart("gelegen", "legen");    /* of "liggen", not of "legen" (empty) */
    check_apart("gesloten", "sloot");   /* of "sluiten", not the ditch */
    check_apart("geslagen", "slag");
    check_apart("vrijwilliger", "vrijwillig"); /* a noun is no comparative */
    check_apart("versterker", "versterken");
    check_apart("engels", "engel");             /* an adjective is no plural ("eng" + "els") */
    check_apart("kapotje", "kapot");            /* no "ka" + "potje" */
    check_apart("tussendoortje", "tussendoor"); /* no "tussend" + "oortje" */
    check_apart("lekkere", "lek");              /* lekker + e, no comparative of "lek" */
    check_apart("wakkere", "wak");
    check_apart("meerdere", "meer");            /* several, not "more" */
    check_term("natuur", "natuur");             /* no "na" + "tuur" (naturen) */
    check_term("voorwerp", "voorwerp");
    /* The forms of one word still share a term. */
    check_same((const char *const[]){"schipper", "schippers", NULL}, "schippers ~ schipper");
    check_same((const char *const[]){"opbrengst", "opbrengsten", NULL}, "opbrengsten ~ opbrengst");
    check_same((const char *const[]){"brabants", "brabantse", NULL}, "brabantse ~ brabants");
    check_same((const char *const[]){"gesloten", "sluiten", NULL}, "gesloten ~ sluiten");
    check_same((const char *const[]){"gelegen", "liggen", "lag", NULL}, "gelegen ~ liggen");
    check_same((const char *const[]){"geslagen", "slaan", "sloeg", NULL}, "geslagen ~ slaan");
    check_same((const char *const[]){"gevochten", "vechten", NULL}, "gevochten ~ vechten");
    check_same((const char *const[]){"draaikrukken", "draaikruk", NULL},
               "draaikrukken ~ draaikruk");
    check_same((const char *const[]){"barkrukken", "barkruk", NULL}, "barkrukken ~ barkruk");
    check_same((const char *const[]){"pompgemalen", "pompgemaal", NULL},
               "pompgemalen ~ pompgemaal");
    check_same((const char *const[]){"spreekbuizen", "spreekbuis", NULL},
               "spreekbuizen ~ spreekbuis");
    check_same((const char *const[]){"afgesloten", "afsluiten", NULL}, "afgesloten ~ afsluiten");
    check_same((const char *const[]){"natuur", "naturen", NULL}, "naturen ~ natuur");
    check_same((const char *const[]){"vrijwilliger", "vrijwilligers", NULL},
               "vrijwilligers ~ vrijwilliger");
    check_same((const char *const[]){"lekker", "lekkere", "lekkerder", NULL}, "lekkere ~ lekker");
    check_same((const char *const[]){"meerdere", "meerderen", NULL}, "meerderen ~ meerdere");
}

static void test_strong_verbs(void)
{
    static const char *const verbs[][8] = {
        {"lopen", "liep", "liepen", "gelopen", "loopt", NULL},
        {"vinden", "vond", "vonden", "gevonden", "vindt", NULL},
        {"brengen", "bracht", "brachten", "gebracht", NULL},
        {"gaan", "ging", "gingen", "gegaan", NULL},
        {"komen", "kwam", "kwamen", "gekomen", "komt", NULL},
        {"geven", "gaf", "gegeven", "geeft", NULL},
        {"schrijven", "schreven", "geschreven", "schrijft", NULL},
        {"nemen", "nam", "genomen", NULL},
        {"denken", "dacht", "dachten", "gedacht", NULL},
        {"zoeken", "zocht", "zochten", "gezocht", NULL},
        {"sterven", "stierf", "stierven", "gestorven", NULL},
        {"helpen", "hielp", "hielpen", "geholpen", NULL},
        /* derived by rule: inseparable prefixes take no ge- */
        {"ondernemen", "ondernam", "ondernamen", "ondernomen", NULL},
        {"vergeven", "vergaf", "vergaven", NULL},
        {"bevinden", "bevond", "bevonden", NULL},
        {"ontvangen", "ontving", "ontvingen", NULL},
        {"begrijpen", "begreep", "begrepen", NULL},
        {"verbieden", "verbood", NULL}, /* "verboden" is also the plural of "verbod" */
        /* separable: the participle's ge- after the particle */
        {"opnemen", "opnam", "opgenomen", NULL},
        {"plaatsvinden", "plaatsvond", "plaatsgevonden", NULL},
        {"aankomen", "aankwam", "aangekomen", NULL},
        {"uitgeven", "uitgaf", "uitgegeven", NULL},
        {"voorkomen", "voorkwam", "voorgekomen", NULL},
        /* weak verbs whose stem nl.dic lists without verb flags */
        {"overtuigen", "overtuig", "overtuigt", NULL},
        {"herschikken", "herschik", "herschikt", NULL},
    };
    for (size_t k = 0; k < sizeof verbs / sizeof verbs[0]; k++) {
        char what[96];
        snprintf(what, sizeof what, "the forms of %s share its term", verbs[k][0]);
        check_same(verbs[k], what);
    }
    check_same((const char *const[]){"goed", "beter", "best", "beste", NULL},
               "beter and best ~ goed");
    /* A past form that is also another word keeps that word. */
    check_apart("namen", "nemen");
    check_apart("weten", "wijten");
    check_apart("bleek", "blijken");
    check_apart("bond", "binden");
    check_apart("zagen", "zien");
    check_apart("afzagen", "afzien");
    check_apart("vervoer", "vervaren");
    check_apart("opnamen", "opnemen");
    check_apart("schreef", "schrijven"); /* a serif */
}

/* Words that are no stop words whose lemma or stem is one. */
static void test_no_stop_word_terms(void)
{
    /* "nieten" (staples) has the lemma "niet", Snowball stems "mennen" to
     * "men" and "kansen" to "kan": all three are stop words. */
    static const char *const words[] = {"nieten",   "mennen",   "kansen",   "dieen",   "zijnde",
                                        "hebbende", "wordende", "kunnende", "allen",   "dezen",
                                        "welken",   "eenen",    "ware",     "geweest", "gehad",
                                        "wezens",   NULL};
    for (size_t k = 0; words[k]; k++) {
        if (vind_is_stopword(lexicon, words[k], VIND_LANG_NL))
            continue;
        char *t = term(words[k]);
        char what[96];
        snprintf(what, sizeof what, "the term of %s is no stop word", words[k]);
        int ok = t && !vind_is_stopword(lexicon, t, VIND_LANG_NL);
        if (!ok)
            printf("#   %s -> %s\n", words[k], t ? t : "(null)");
        CHECK(ok, what);
        free(t);
    }
}

/* The -s of a name is no form of a common word (tests/morph/collision-sample.tsv,
 * tune half: "als" shared "al"'s term, 22 of its 130 weighted draws): hunspell reads
 * "Als" as the genitive of the name "Al", "Schots" of "Schot", "Sluis" of "Slui". */
static void test_name_genitive_is_no_lemma(void)
{
    check_apart("als", "al");
    check_apart("schots", "schot");
    check_term("als", "als");
    check_same((const char *const[]){"sluis", "sluizen", "sluisje", NULL}, "sluizen ~ sluis");
    check_same((const char *const[]){"nederlander", "nederlanders", NULL},
               "a people's plural keeps its singular");
    check_same((const char *const[]){"belg", "belgen", NULL}, "belgen ~ belg");
}

/* Nor is a name's plural a lower-case word's form (tests/morph/collision-sample-5.tsv,
 * tune half: "same"~"samen"): the word list's "Samen", the Sami, made the adverb
 * "samen" a plural of "Same", so the corpus's English "same" found it. A capitalised
 * stem the list also writes in lower case still counts, and so does a name's adjective. */
static void test_name_plural_is_no_lemma(void)
{
    check_apart("samen", "same");
    check_term("samen", "samen");
    check_same((const char *const[]){"ijzer", "ijzeren", NULL}, "ijzeren ~ ijzer");
    check_same((const char *const[]){"romeins", "romeinse", NULL}, "romeinse ~ romeins");
}

/* A function word is no stem of a content verb, and a root that may start a
 * compound is no finite verb form (found from the tune half's "als"~"al":
 * the stop words whose lemma is another word): "maart" (March) was "maar"+t
 * of "maren" and so shared the conjunction's term; "uit" was the stem of
 * "uiten". */
static void test_function_word_is_no_verb_stem(void)
{
    check_term("uit", "uit");
    check_term("maar", "maar");
    check_term("maart", "maart");
    check_apart("uit", "geuit");
    check_apart("maar", "maart");
    check_apart("men", "mennen");
    check_apart("rijst", "rijzen");
    check_same((const char *const[]){"uiten", "geuit", "uitte", NULL}, "uiten keeps its forms");
    check_same((const char *const[]){"zullen", "zou", "zouden", NULL}, "zou stays with zullen");
    check_same((const char *const[]){"hebben", "had", "heb", NULL}, "had stays with hebben");
}

/* A function word is no content noun's plural either (session 11's and the
 * third sample's known "waren"~"waar"): "waren" (were) is a stop word, and the
 * lexicon's noun reading (plural of "waar", wares) put it on the term of
 * "waar" (true, where), so a query "waar" found every "waren". */
static void test_function_word_is_no_noun_plural(void)
{
    check_term("waren", "waren");
    check_apart("waren", "waar");
    check_term("waar", "waar");
    check_same((const char *const[]){"andere", "ander", NULL}, "andere stays with ander");
}

/* A noun in -e whose -n plural nl.dic lists as a flagless root of its own
 * ("deelnamen" beside "deelname/CcCeZa") has its singular as lemma, so the
 * plural finds the singular and is no "deel" + "namen" (session 11's known
 * compound-split; i13-prec3). A form with noun flags of its own is another
 * word: "heiden" (heathens) is no plural of "heide" (heath). */
static void test_n_plural_of_e_noun(void)
{
    check_same((const char *const[]){"deelnamen", "deelname", NULL}, "deelnamen ~ deelname");
    check_same((const char *const[]){"werkwijzen", "werkwijze", NULL}, "werkwijzen ~ werkwijze");
    check_apart("heiden", "heide");
}

/* An infinitive in -den is no past plural of another verb (found with the
 * function words, listing infinitives whose lemma is another word): "luidt"
 * ("de tekst luidt") was "luien" (to laze), "gereden" was "rij" (a row). */
static void test_infinitive_is_no_other_past(void)
{
    check_apart("luidt", "luien");
    check_apart("gereden", "rij");
    check_apart("wendt", "wennen");
    check_same((const char *const[]){"luiden", "luidt", "luidde", NULL}, "luidt ~ luiden");
    check_same((const char *const[]){"rijden", "rijdt", "gereden", NULL}, "gereden ~ rijden");
    check_same((const char *const[]){"zetten", "gezet", "zette", NULL}, "zetten keeps its forms");
    check_same((const char *const[]){"missen", "mist", "gemist", NULL}, "mist stays with missen");
}


/* Step 8's chain from a verb form through its infinitive to the noun the
 * infinitive is the plural of stops where the noun is another word: no stem
 * of the verb ("typte" -> "typen", stem "typ", is no "type"; "geladen" no
 * "lade"), or glossed with no English word in common by FreeDict
 * ("geboekt"/"boek": enter, record / book; "geldt"/"geld": be valid /
 * money). The infinitive keeps its noun and gets the verb as an extra term,
 * so "kiezen" still finds "gekozen". */
static void test_verb_stops_before_another_noun(void)
{
    check_apart("typte", "type");
    check_term("getypt", "typen");
    check_apart("geladen", "lade");
    check_apart("geboekt", "boek");
    check_apart("geldt", "geld");
    check_apart("gekozen", "kies");
    check_apart("schermt", "scherm");
    check_same((const char *const[]){"typte", "typt", "getypt", NULL}, "typen keeps its forms");
    check_same((const char *const[]){"boeken", "boek", NULL}, "boeken is still boek's plural");
    CHECK(has_term("kiezen", "kiezen") && has_term("kiezen", "kies"),
          "kiezen has its noun's term and the verb as an extra term");
    CHECK(!has_term("kies", "kiezen"), "kies has no extra verb term");
    /* the noun that is the verb's stem and names its act stays joined */
    check_same((const char *const[]){"gebruik", "gebruikt", "gebruiken", NULL}, "gebruik");
    check_same((const char *const[]){"werk", "werkt", "gewerkt", NULL}, "werk");
    check_same((const char *const[]){"zorg", "zorgt", "zorgen", NULL}, "zorg");
    check_same((const char *const[]){"onderzoek", "onderzocht", "onderzoeken", NULL},
               "onderzoek");
    check_same((const char *const[]){"verschil", "verschilt", NULL}, "differ ~ difference");
}

/* A comparative FreeDict glosses as another word is none ("echter": but,
 * however; "middelste": central), while one glossed as a degree stays
 * ("langer": further, more; "belangrijkste": most important); and an English
 * stop word in Dutch text is English ("at" is no past of "eten"). */
static void test_degree_and_english_word_apart(void)
{
    check_apart("echter", "echt");
    check_apart("echter", "echte");
    check_apart("middelste", "middel");
    check_same((const char *const[]){"lang", "langer", "langste", NULL}, "langer ~ lang");
    check_same((const char *const[]){"belangrijk", "belangrijkste", NULL}, "belangrijkste");
    check_same((const char *const[]){"groot", "groter", "grootste", NULL}, "groter ~ groot");
    check_apart("at", "eten");
    check_term("at", "at");
    check_same((const char *const[]){"eten", "gegeten", "aten", NULL}, "eten keeps its forms");
}

/* A participle with ge- after a prefix that is never separable is no form of
 * the inseparable verb the prefix and the stem spell (tests/morph/collision-
 * sample-6.tsv, tune half: "vergezochte"~"verzoekjes"): "vergezocht" is "ver"
 * (far) + "gezocht", far-fetched; "verzoeken" has "verzocht". Separable
 * particles keep theirs, listed or not ("opgezocht", "volgehouden"). */
static void test_ge_participle_after_inseparable_prefix(void)
{
    check_apart("vergezocht", "verzoek");
    check_apart("vergezochte", "verzoeken");
    check_same((const char *const[]){"vergezocht", "vergezochte", NULL}, "vergezochte ~ vergezocht");
    check_same((const char *const[]){"verzoeken", "verzocht", NULL}, "verzocht ~ verzoeken");
    check_same((const char *const[]){"opzoeken", "opgezocht", NULL}, "opgezocht ~ opzoeken");
    check_same((const char *const[]){"volhouden", "volgehouden", NULL}, "volgehouden ~ volhouden");
    check_same((const char *const[]){"weergeven", "weergegeven", NULL}, "weergegeven ~ weergeven");
}

/* An English word the Dutch list lacks has its English lemma in a Dutch text,
 * not Dutch Snowball's stem (tests/morph/collision-sample-7.tsv, tune half:
 * "not"~"note", Snowball's "not" of "note"): "less" is no "les", "good" no
 * "god"; the English inflections meet ("notes", "templates"). A cognate of a
 * Dutch word keeps Snowball's Dutch stem (VIND_LEX_COGNATE: "process",
 * "proces"), and an English -er noun with a plural is no degree ("number"). */
static void test_english_word_in_dutch_text(void)
{
    check_apart("note", "not");
    check_apart("less", "les");
    check_apart("good", "god");
    check_apart("number", "numb");
    check_same((const char *const[]){"note", "notes", NULL}, "notes ~ note");
    check_same((const char *const[]){"template", "templates", NULL}, "templates ~ template");
    check_same((const char *const[]){"proces", "process", "processen", NULL},
               "process stays with proces");
    check_same((const char *const[]){"rol", "role", NULL}, "role stays with rol");
}

/* A plural that writes its singular's doubled first vowel once (i13-prec9). */
static void test_open_syllable_plural(void)
{
    check_same((const char *const[]){"oog", "ogen", NULL}, "ogen is the plural of oog");
    check_same((const char *const[]){"uur", "uren", NULL}, "uren ~ uur");
    check_same((const char *const[]){"oor", "oren", NULL}, "oren ~ oor");
    check_same((const char *const[]){"eed", "eden", NULL}, "eden ~ eed");
    CHECK(has_term("werkuren", "uur"), "werkuren: part uur");
    /* no head after a chance start: "afmaken" is no "afm" + "aken" (barges) */
    check_apart("afmaken", "aak");
    check_apart("verleden", "eed");
}

/* An -eren plural that nl.dic lists as a noun root beside a verb or a name
 * of its -er form (i13-prec9): "kalveren" (also "to calve"), "volkeren"
 * ("Volker"), "bladeren" (also "to leaf through", which keeps its verb). */
static void test_eren_plural_beside_verb(void)
{
    check_same((const char *const[]){"kalf", "kalveren", NULL}, "kalveren ~ kalf");
    check_same((const char *const[]){"volk", "volkeren", NULL}, "volkeren ~ volk");
    check_same((const char *const[]){"blad", "bladeren", NULL}, "bladeren ~ blad");
    CHECK(has_term("bladeren", "blad") && has_term("bladeren", "bladeren"),
          "bladeren: the noun's term and the verb's");
    check_apart("gommeren", "gom");
    CHECK(has_term("mestkalveren", "kalf"), "mestkalveren: part kalf");
}

/* An adjective's -e form after a start that is no word makes no form of a
 * noun (i13-prec9): "sprake" is no "sp" + "rake" of "spraak". */
static void test_adjective_head_after_no_word(void)
{
    check_apart("sprake", "spraak");
    check_apart("onrechte", "onrecht");
    check_same((const char *const[]){"ingezet", "ingezette", NULL}, "ingezette ~ ingezet");
    check_same((const char *const[]){"afvalarm", "afvalarme", NULL}, "afvalarme ~ afvalarm");
}

int main(void)
{
    lexicon = open_test_lexicon();
    if (lexicon == NULL)
        return check_done();
    CHECK_INT(vind_analyzer_new(lexicon, &analyzer, NULL), VIND_OK, "analyzer created");
    test_snowball_does_not_undo_the_lemma();
    test_compound_parts_are_lemmas();
    test_wrong_lemmas();
    test_strong_verbs();
    test_not_another_words_lemma();
    test_no_stop_word_terms();
    test_name_genitive_is_no_lemma();
    test_name_plural_is_no_lemma();
    test_function_word_is_no_verb_stem();
    test_function_word_is_no_noun_plural();
    test_n_plural_of_e_noun();
    test_infinitive_is_no_other_past();
    test_verb_stops_before_another_noun();
    test_degree_and_english_word_apart();
    test_ge_participle_after_inseparable_prefix();
    test_english_word_in_dutch_text();
    test_open_syllable_plural();
    test_adjective_head_after_no_word();
    test_eren_plural_beside_verb();
    vind_analyzer_free(analyzer);
    vind_lexicon_close(lexicon);
    return check_done();
}
