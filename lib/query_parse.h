/*
 * query_parse.h - (private) the query language's syntax: a user's query
 * text -> a tree of words, phrases, operators, field filters and ranges.
 * No analysis happens here (lib/query.c turns the tree into terms); the
 * grammar, its leniency rules and examples are in docs/query.md.
 */
#ifndef VIND_LIB_QUERY_PARSE_H
#define VIND_LIB_QUERY_PARSE_H

#include <stddef.h>
#include <vind/status.h>

typedef enum {
    VIND_QNODE_WORD,   /* text; field ANY, TITLE or AUTHOR; prefix = 1 for `zorg*` */
    VIND_QNODE_PHRASE, /* text between the quotes; field ANY, TITLE or AUTHOR */
    VIND_QNODE_AND,    /* children (some may be NOT); implicit = 1 when joined by spaces only */
    VIND_QNODE_OR,     /* children */
    VIND_QNODE_NOT,    /* one child, excluded: only meaningful inside an AND */
    VIND_QNODE_NEAR,   /* children (words and phrases) within distance words */
    VIND_QNODE_FILTER, /* field TAG, THEME, TYPE or YEAR; n_values alternatives (`type:pdf|article`)
                        */
    VIND_QNODE_RANGE,  /* field YEAR or DATE; from and/or to (the other NULL = open) */
} vind_qnode_kind_t;

typedef enum {
    VIND_QFIELD_ANY = 0,
    VIND_QFIELD_TITLE,
    VIND_QFIELD_AUTHOR,
    VIND_QFIELD_TAG,
    VIND_QFIELD_THEME,
    VIND_QFIELD_TYPE,
    VIND_QFIELD_YEAR,
    VIND_QFIELD_DATE,
} vind_qfield_t;

/* Default word distance of NEAR when the query does not say `NEAR/n`. */
#define VIND_NEAR_DEFAULT_DISTANCE 10u

typedef struct vind_qnode vind_qnode_t;
struct vind_qnode {
    vind_qnode_kind_t kind;
    vind_qfield_t field;
    char *text;    /* WORD, PHRASE: as typed (valid UTF-8, never empty) */
    char **values; /* FILTER: the alternatives as typed */
    size_t n_values;
    char *from, *to;   /* RANGE: "2019" or "2019-01-01"; NULL = open end */
    int prefix;        /* WORD: 1 for a trailing `*` */
    int implicit;      /* AND: 1 when no explicit AND joined the children */
    unsigned distance; /* NEAR */
    vind_qnode_t **children;
    size_t n_children;
};

/*
 * Parses len bytes of query text (any bytes: invalid UTF-8 is repaired to
 * U+FFFD, NUL bytes are spaces) into a tree. Parsing is lenient: an
 * unclosed quote runs to the end, unbalanced parentheses are closed or
 * ignored, operators without operands are dropped (a query of only
 * operators is read as words), unknown fields (`foo:bar`, `10:30`) are plain
 * words. An empty query gives *out = NULL with VIND_OK (match everything).
 * The value of a known field is not lenient: `date:2020-13`, `year:20x5`
 * and `type:boek` are refused with a message saying what the field takes
 * (they would otherwise find nothing, or become words, without a word why).
 *
 * Return value: VIND_OK; VIND_BAD_QUERY with a message for the user when
 * the query exceeds VIND_MAX_QUERY_BYTES, VIND_MAX_QUERY_TERMS words or
 * VIND_MAX_QUERY_DEPTH nested parentheses (the parser never recurses deeper
 * than that bound, whatever the input), or when a year:, date: or type:
 * value is not one.
 */
vind_status_t vind_query_parse(const char *query, size_t len, vind_qnode_t **out, char **errmsg);

/* The document types, for messages; a type value is one of them (any case). */
#define VIND_QFIELD_TYPES "article, pdf or page"
int vind_qfield_type_known(const char *value);

/* Whether value is a year filter: four digits. */
int vind_qfield_year_valid(const char *value);

/* Frees a tree (children too). Accepts NULL. */
void vind_qnode_free(vind_qnode_t *node);

/*
 * The tree as readable query text, malloc'd: `zorg AND (client OR klant)`,
 * `"langdurige zorg"`, `NOT wonen`, `title:ggz`, `tag:"Wonen en zorg"`,
 * `type:pdf|article`, `year:2019..2021`, `a NEAR/5 b`, `zorg*`. NULL
 * gives "".
 */
char *vind_qnode_describe(const vind_qnode_t *node);

/* The field's name in the query language ("title", "tag", ...), "" for ANY. */
const char *vind_qfield_name(vind_qfield_t field);

/* Makes a node (kind only, everything else zero). Exposed for lib/query.c. */
vind_qnode_t *vind_qnode_new(vind_qnode_kind_t kind);

#endif
