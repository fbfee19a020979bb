/*
 * schema.h - (private) the index schema in one place: term prefixes, value
 * slots, stored data and the schema version. docs/schema.md explains it for
 * people; change both together and bump VIND_SCHEMA_VERSION when an existing
 * index can no longer be read correctly.
 *
 * A brief history of schema versions:
 *   1  (0.1.0) first schema.
 *   2  page text moved out of the stored record into the text store
 *      (lib/textstore.h): the record holds n_pages instead of pages; and
 *      every document has its title-key term XTITLE (exact titles are
 *      pinned through it; a schema-1 index served meanwhile pins none).
 *      Readers still read 1 (VIND_SCHEMA_MIN_READ), so a vind-searchd serves
 *      an old index while vind-index rebuilds it beside and swaps it in.
 *   3  groups of near-duplicates: a simhash fingerprint (slot 9) and a
 *      group key (slot 10), the collapse key of ranked results.
 *      A schema-2 index is searched without collapsing.
 *      Later, without a bump: only documents with a near-duplicate carry
 *      slot 10 (docs/schema.md); a schema-3 index written before, with a key
 *      on every fingerprinted document, is read the same way.
 *   4  the exact forms (E terms) without positions (session 14): a fifth
 *      of the index, and the position lists a replaced document's update
 *      reads. A prefix* snippet places its forms through their stems'
 *      positions, each place checked against the forms (lib/stored.c);
 *      a schema-3 index is searched the same way, with the same snippets.
 */
#ifndef VIND_LIB_SCHEMA_H
#define VIND_LIB_SCHEMA_H

/* Metadata key holding the schema version as decimal text. An index without it
 * (or with another number) is refused with VIND_SCHEMA_MISMATCH. */
#define VIND_SCHEMA_VERSION 4
/* The oldest schema readers still search (vind_searcher_open). */
#define VIND_SCHEMA_MIN_READ 1
#define VIND_META_SCHEMA "vind:schema"
/*
 * Metadata: the analyzer stamp (vind_analyzer_stamp) of the terms in the index.
 * vind-index rebuilds an index whose stamp differs (beside it, then swapped in:
 * docs/schema.md, "Upgrading"), since its terms no longer meet a query's.
 * Bump VIND_ANALYZER_VERSION when the analyzer's code changes its terms; a
 * rebuilt lexicon or stop list changes the stamp by itself.
 * 2: terms are lemmas, not Snowball stems of them (issue 13).
 * 3: a compound part is lemmatised as written, linker included ("gegevens"),
 *    and known compounds without nl.dic's flags split (issue 13, session 8).
 * 4: a stop word's term is no longer content word ("uit" is no "uiten";
 *    issue 13, session 13).
 * 5: a noun plural that is also another verb's infinitive (VIND_LEX_VERB_TOO,
 *    "kiezen") has the infinitive as an extra term, and an English stop word
 *    no Dutch lemma ("at" is no "eten") (issue 13, i13-prec2).
 * 6: a stop word that is a content noun's -en plural by spelling keeps itself
 *    ("waren", were, is no plural of "waar"), and a plural in -n splits only
 *    where its singular does ("deelnamen") (issue 13, i13-prec3).
 * 7: a noun made from a verb with a short head stays whole ("waardering"
 *    is no "waarde" + "ring"), with nl.dic's Ce compound starts in nl.lex
 *    ("gemeenteraad": gemeente + raad) (issue 13, i13-split).
 * 8: a bare verb stem ends no compound through its infinitive
 *    ("programmatuur" is no "programma" + "tuur"), and an inflected form
 *    spelt as its lemma + an ending splits only where its head inflects the
 *    lemma's tail ("operatoren" is no "opera" + "toren", "belangrijkste" no
 *    "belang" + "rijkste") (issue 13, i13-prec4).
 * 9: a name the word list writes only capitalised is no lemma of a
 *    lower-case plural or diminutive ("samen" is no plural of "Same"), and an
 *    English word that Dutch words spell by chance has no compound parts
 *    ("variables" is no "varia" + "bles": VIND_LEX_ENGLISH) (issue 13,
 *    i13-prec5).
 * 10: an adjective's -e form ends no noun root of nl.dic ("hardware" is no
 *    "hard" + "ware": VIND_LEX_ADJECTIVE_FORM), and a ge-participle after a
 *    never-separable prefix is no form of the verb they spell ("vergezocht"
 *    is no "verzoeken") (issue 13, i13-prec6, session 15).
 *    Also in 10 (two branches, one bump): an English word of wamerican has
 *    its lemma as its term, not Snowball's stem ("manager" is no
 *    "management"; en-lemmas.txt, english/mklemmas.py)
 *    (issue 13, session 15, i13-lang2). en-lemmas.txt is built from the
 *    system's wamerican like nl.lex from wdutch, but is not in the lexicon's
 *    fingerprint: a new wamerican needs a bump here (or vind-index --rebuild).
 * 11: no term changes: the near-duplicate fingerprint (slot 9) is the
 *    simhash of the body's normalised forms, not of its stems, so that the
 *    next analyzer rule no longer moves groups (lib/simhash.h; issue 13,
 *    i13-near, session 15). Bumped here rather than the schema: the slots
 *    mean what they meant, but an index keeps fingerprints of both kinds
 *    only by mistake (a new version would never meet an old one's group),
 *    and a stamp change is what makes vind-index rebuild it.
 * 12: an English word of wamerican that the Dutch list lacks has its English
 *    lemma as its term in a Dutch text too, not Dutch Snowball's stem ("note"
 *    is no "not", "templates" is "template"), unless it is a cognate of a
 *    Dutch word ("process" stays "proces": VIND_LEX_COGNATE); and an English
 *    -er noun with a plural of its own is no degree ("number" is no "numb")
 *    (issue 13, i13-prec7, session 16).
 * 13: a verb's infinitive that is its own lemma splits only where its past
 *    (or third person) ends in a listed word: "handhaven" is no "hand" +
 *    "haven" ("handhaafde": no "haafde"), "borduren" no "bord" + "uren";
 *    "thuiswerken" ("werkte") and "neerzetten" ("zette") still split
 *    (issue 13, i13-prec8, session 17).
 */
#define VIND_ANALYZER_VERSION 16
#define VIND_META_ANALYZER "vind:analyzer"

/* "<VIND_ANALYZER_VERSION>-<lexicon fingerprint, hex>", malloc'd; NULL on NOMEM. */
struct vind_lexicon;
char *vind_analyzer_stamp(const struct vind_lexicon *lexicon);

/* Metadata: the ISO time of the last completed indexing run. */
#define VIND_META_LAST_RUN "vind:last-run"

/* Metadata: spelling words counted in committed batches and not yet in the
 * spelling table ("<form>\t<documents>\n" lines; lib/index.c). */
#define VIND_META_SPELLING_PENDING "vind:spelling-pending"

/*
 * Term prefixes. Words are terms made by the analyzer (include/vind/analyze.h):
 * the stem of the lemma. Body words carry no prefix so that a plain query term
 * matches any field; fields get their own prefixed copy for field queries.
 */
#define VIND_PREFIX_UNIQUE "Q"      /* Q<url>: one per document (boolean), the replace/delete key */
#define VIND_PREFIX_EXACT "E"       /* E<form>: the normalised surface form (exact-form boost, prefix*); no positions since schema 4 */
#define VIND_PREFIX_PART "P"        /* P<stem>: compound parts and elliptic completions at the word's position */
#define VIND_PREFIX_TITLE "S"       /* S<stem>: title words, positional (title:) */
#define VIND_PREFIX_AUTHOR "A"      /* A<stem>: author words (author:) */
#define VIND_PREFIX_TAG "K"         /* K<normalised tag>: boolean, one per tag (tag: and --tag) */
#define VIND_PREFIX_THEME "XTHEME"  /* XTHEME<normalised theme>: boolean (theme: and --theme) */
#define VIND_PREFIX_TYPE "XTYPE"    /* XTYPEpdf | XTYPEarticle | XTYPEpage: boolean (type:) */
#define VIND_PREFIX_YEAR "Y"        /* Y2021: boolean (year:) */
#define VIND_PREFIX_LANG "L"        /* Lnl | Len: boolean */
#define VIND_PREFIX_TITLE_KEY "XTITLE" /* XTITLE<title key>: boolean, one per title (exact titles first; schema 2) */
#define VIND_PREFIX_PARENT "XPARENT" /* XPARENT<url>: a PDF attached to the article at url */

/*
 * Value slots. Multi-valued slots join their values with VIND_VALUE_SEPARATOR
 * (the byte 0x1F, which cannot occur in normalised text).
 */
#define VIND_SLOT_DATE 0      /* "YYYYMMDD", sorts as text; absent when undated */
#define VIND_SLOT_YEAR 1      /* "YYYY" (facet) */
#define VIND_SLOT_TYPE 2      /* "article" | "pdf" | "page" (facet) */
#define VIND_SLOT_TAGS 3      /* display forms of the tags, 0x1F-joined (facet) */
#define VIND_SLOT_THEMES 4    /* display forms of the themes, 0x1F-joined (facet) */
#define VIND_SLOT_URL 5       /* the URL: deterministic tie-break */
#define VIND_SLOT_SIGNATURE 6 /* "<size> <mtime> <sha256>" of the source file (incremental runs) */
#define VIND_SLOT_PATH 7      /* the source file's path (removal of vanished files) */
#define VIND_SLOT_TITLE 8     /* normalised title (exact-title matching, suggestions) */
#define VIND_SLOT_SIMHASH 9    /* the body's simhash, 16 hex digits; absent for short texts (schema 3) */
#define VIND_SLOT_GROUP 10     /* group of near-duplicates, 16 hex digits: the collapse key (schema 3);
                                * only on documents that have a near-duplicate */
#define VIND_SLOT_FACETS 12   /* year, type, tags, themes joined by VIND_FACETS_SEPARATOR: one value read per match when counting */
#define VIND_SLOT_HIT 11      /* what a hit shows, read without the record (lib/hitrecord.h) */
#define VIND_VALUE_SEPARATOR '\x1f'
#define VIND_FACETS_SEPARATOR '\x1e' /* between the fields of VIND_SLOT_FACETS */

/*
 * Positions: the title takes positions from VIND_POS_TITLE, the body from
 * VIND_POS_BODY; each PDF page starts at a multiple of VIND_POS_PAGE_STRIDE
 * above the body start (words past the stride on one page are indexed without
 * positions; 50,000 pages still fit a 32-bit position), so that page numbers follow from positions
 * and no phrase spans two fields or pages.
 */
#define VIND_POS_TITLE 1u
#define VIND_POS_BODY 1000u
#define VIND_POS_PAGE_STRIDE 10000u

/* Within-document frequency increments: a title word weighs as much as five
 * body occurrences, a tag or theme word as three (BM25 saturates, so this
 * ranks title matches first without drowning the body). */
#define VIND_WDF_TITLE 5u
#define VIND_WDF_TAXONOMY 3u
#define VIND_WDF_BODY 1u

/*
 * Stored data: a JSON object (jansson), written by lib/index.c:
 *   url, path, type ("article" | "pdf" | "page"), title, date ("YYYY-MM-DD"),
 *   author, description, lang, canonical, section   strings or absent
 *   tags, themes      all values, the document's own plus those a PDF inherits
 *                     from its parent article (display forms)
 *   own_tags, own_themes   the document's own values (to recompute inheritance)
 *   links             hrefs of the page as written (to find attachments)
 *   n_pages           number of pages (one for HTML); their text, paragraphs
 *                     split by "\n\n", is in the text store (lib/textstore.h);
 *                     schema 1 held it here as "pages", an array of strings
 *   n_empty_pages     pages without a text layer
 *   parent            url of the article a PDF belongs to, or absent
 *   attachments       urls of the PDFs an article links to
 * Unique terms and facet terms are made by the functions below, never by hand.
 */

/* The unique term (VIND_PREFIX_UNIQUE) of a URL; a URL too long for a term
 * gets "Q#<sha1>". malloc'd; NULL on NOMEM. */
char *vind_unique_term(const char *url);

/* A boolean facet term: prefix + the value normalised (vind_normalize, white
 * space collapsed), cut to fit a Xapian term. "K", "Coördinatoren" ->
 * "Kcoordinatoren". malloc'd; NULL on NOMEM. */
char *vind_facet_term(const char *prefix, const char *value);

/*
 * The words of text as exact-title matching compares them: normalised,
 * every run of characters other than letters and digits one space, ends
 * trimmed. "Fronteers boekenclub?" -> "fronteers boekenclub". malloc'd;
 * NULL on NOMEM.
 */
char *vind_title_key(const char *text);

/* The title-key term of a title or a query typed as one: "XTITLE" + its
 * vind_title_key ("XTITLE#<sha1>" when too long for a term). NULL when the
 * key is empty, or on NOMEM (*nomem set). malloc'd. */
char *vind_title_term(const char *text, int *nomem);

/* "article", "pdf" or "page" for a vind_doc_type_t value. */
const char *vind_doc_type_name(int type);

#endif
