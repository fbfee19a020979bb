/*
 * query_parse.c - the query language's syntax: query text -> tokens -> a
 * tree (lib/query_parse.h). Lenient by design: people paste text from PDFs
 * with stray quotes and brackets ("zorg (wonen"), type lone operators and
 * half-closed phrases, and a search box must still answer. The grammar:
 *
 *   query   := or
 *   or      := and ( OR and )*
 *   and     := unary ( [AND] unary )*        spaces mean AND as well
 *   unary   := ( NOT | '-' )* near
 *   near    := primary ( NEAR[/n] primary )*
 *   primary := '(' or ')' | word | "phrase" | field:value | range
 *
 * Only upper-case AND, OR, NOT, NEAR are operators: "of" and "en" (and "or",
 * "and") are words, because "zorg en welzijn" is a Dutch phrase, not logic.
 *
 * The lexer is a loop and the parser recurses once per parenthesis level at
 * most VIND_MAX_QUERY_DEPTH deep, so "((((...", 10,000 times, cannot
 * overflow the stack: it is refused with a message before parsing.
 */
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include <vind/limits.h>
#include "date.h"
#include "error.h"
#include "normalize.h"
#include "query_parse.h"

typedef enum {
    TOKEN_END,
    TOKEN_WORD,
    TOKEN_PHRASE,
    TOKEN_FILTER,
    TOKEN_RANGE,
    TOKEN_OPEN,
    TOKEN_CLOSE,
    TOKEN_AND,
    TOKEN_OR,
    TOKEN_NOT,
    TOKEN_NEAR,
} token_kind_t;

typedef struct {
    token_kind_t kind;
    vind_qfield_t field;
    char *text;          /* WORD, PHRASE; for FILTER the raw value */
    int prefix;          /* WORD ending in '*' */
    int quoted;          /* FILTER whose value was quoted (no '|' splitting) */
    char *from, *to;     /* RANGE */
    unsigned distance;   /* NEAR */
    char *operator_text; /* AND/OR/NOT/NEAR as typed, for the all-operators fallback */
} token_t;

typedef struct {
    token_t *tokens;
    size_t n_tokens;
    size_t next;
    size_t depth_exceeded;
} parser_t;

/* ------------------------------------------------------------------ */
/* Input repair                                                        */

/*
 * Makes the query valid UTF-8 with one quote character and one space:
 * invalid bytes become U+FFFD (the analyzer treats it as a separator), NUL
 * and other control characters and no-break spaces become spaces, and the
 * typographic quotes Dutch word processors produce („zorg” “zorg”) become
 * '"' so that a phrase pasted from Word is still a phrase.
 */
static char *repair_query(const char *query, size_t len)
{
    GString *out = g_string_sized_new(len + 1);
    size_t i = 0;
    while (i < len) {
        gunichar cp;
        size_t n = vind_utf8_decode(query, len, i, &cp);
        if (cp < 0x20 || cp == 0x7F || cp == 0xA0 || cp == 0x2007 || cp == 0x202F || cp == 0x3000)
            g_string_append_c(out, ' ');
        else if (cp == 0x201C || cp == 0x201D || cp == 0x201E || cp == 0x201F || cp == 0xAB ||
                 cp == 0xBB)
            g_string_append_c(out, '"');
        else if (cp == VIND_REPLACEMENT_CHARACTER)
            g_string_append(out, "\xEF\xBF\xBD");
        else
            g_string_append_len(out, query + i, (gssize)n);
        i += n;
    }
    return g_string_free(out, FALSE);
}

/* ------------------------------------------------------------------ */
/* Lexer                                                               */

static int is_space(char c)
{
    return c == ' ';
}

static int ends_word(char c)
{
    return c == '\0' || is_space(c) || c == '"' || c == '(' || c == ')';
}

typedef struct {
    const char *name;
    vind_qfield_t field;
} field_name_t;

/* English names as documented, plus the Dutch ones a Dutch user types. */
static const field_name_t field_names[] = {
    {"title", VIND_QFIELD_TITLE},   {"titel", VIND_QFIELD_TITLE}, {"author", VIND_QFIELD_AUTHOR},
    {"auteur", VIND_QFIELD_AUTHOR}, {"tag", VIND_QFIELD_TAG},     {"trefwoord", VIND_QFIELD_TAG},
    {"theme", VIND_QFIELD_THEME},   {"thema", VIND_QFIELD_THEME}, {"type", VIND_QFIELD_TYPE},
    {"year", VIND_QFIELD_YEAR},     {"jaar", VIND_QFIELD_YEAR},   {"date", VIND_QFIELD_DATE},
    {"datum", VIND_QFIELD_DATE},
};

static int field_lookup(const char *name, size_t len, vind_qfield_t *field)
{
    for (size_t i = 0; i < G_N_ELEMENTS(field_names); i++) {
        if (strlen(field_names[i].name) == len &&
            g_ascii_strncasecmp(field_names[i].name, name, len) == 0) {
            *field = field_names[i].field;
            return 1;
        }
    }
    return 0;
}

const char *vind_qfield_name(vind_qfield_t field)
{
    switch (field) {
    case VIND_QFIELD_TITLE:
        return "title";
    case VIND_QFIELD_AUTHOR:
        return "author";
    case VIND_QFIELD_TAG:
        return "tag";
    case VIND_QFIELD_THEME:
        return "theme";
    case VIND_QFIELD_TYPE:
        return "type";
    case VIND_QFIELD_YEAR:
        return "year";
    case VIND_QFIELD_DATE:
        return "date";
    case VIND_QFIELD_ANY:
        break;
    }
    return "";
}

static int all_digits(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (!g_ascii_isdigit(s[i]))
            return 0;
    return 1;
}

static int is_year(const char *s, size_t len)
{
    return len == 4 && all_digits(s, 4);
}

/* "2021" or "2021|2022": the values of a year: filter. */
static int all_years(const char *value)
{
    char **parts = g_strsplit(value, "|", -1);
    int ok = parts[0] != NULL;
    for (char **part = parts; *part; part++)
        if (**part && !is_year(*part, strlen(*part)))
            ok = 0;
    g_strfreev(parts);
    return ok;
}

/* "2019", "2019-06" or "2019-06-30": a day that exists (lib/date.h). */
static int is_date(const char *s, size_t len)
{
    return vind_date_filter_valid(s, len, NULL, 0);
}

int vind_qfield_year_valid(const char *value)
{
    return is_year(value, strlen(value));
}

int vind_qfield_type_known(const char *value)
{
    static const char *const types[] = {"article", "pdf", "page"};
    for (size_t i = 0; i < G_N_ELEMENTS(types); i++)
        if (g_ascii_strcasecmp(value, types[i]) == 0)
            return 1;
    return 0;
}

/* Splits "lo..hi" (either side may be empty, not both) checking each side
 * with valid(). Returns 1 and sets *from and *to (g_malloc'd or NULL). */
static int split_range(const char *s, size_t len, int (*valid)(const char *, size_t), char **from,
                       char **to)
{
    const char *dots = g_strstr_len(s, (gssize)len, "..");
    if (!dots)
        return 0;
    size_t lo_len = (size_t)(dots - s);
    const char *hi = dots + 2;
    size_t hi_len = len - lo_len - 2;
    if (lo_len == 0 && hi_len == 0)
        return 0;
    if ((lo_len && !valid(s, lo_len)) || (hi_len && !valid(hi, hi_len)))
        return 0;
    *from = lo_len ? g_strndup(s, lo_len) : NULL;
    *to = hi_len ? g_strndup(hi, hi_len) : NULL;
    return 1;
}

static void token_clear(token_t *token)
{
    g_free(token->text);
    g_free(token->from);
    g_free(token->to);
    g_free(token->operator_text);
}

/* Reads a phrase starting after its opening quote; an unclosed quote runs to
 * the end ("\"langdurige zorg" is the phrase "langdurige zorg"). */
static const char *read_phrase(const char *p, char **text)
{
    const char *end = strchr(p, '"');
    size_t len = end ? (size_t)(end - p) : strlen(p);
    *text = g_strstrip(g_strndup(p, len));
    return end ? end + 1 : p + len;
}

static const char *read_run(const char *p, const char **start, size_t *len)
{
    *start = p;
    while (!ends_word(*p))
        p++;
    *len = (size_t)(p - *start);
    return p;
}

static int classify_operator(const char *w, size_t len, token_t *token)
{
    if (len == 3 && memcmp(w, "AND", 3) == 0)
        token->kind = TOKEN_AND;
    else if (len == 2 && memcmp(w, "OR", 2) == 0)
        token->kind = TOKEN_OR;
    else if (len == 3 && memcmp(w, "NOT", 3) == 0)
        token->kind = TOKEN_NOT;
    else if (len == 4 && memcmp(w, "NEAR", 4) == 0) {
        token->kind = TOKEN_NEAR;
        token->distance = VIND_NEAR_DEFAULT_DISTANCE;
    } else if (len > 5 && len <= 8 && memcmp(w, "NEAR/", 5) == 0 && all_digits(w + 5, len - 5)) {
        token->kind = TOKEN_NEAR;
        unsigned d = (unsigned)strtoul(w + 5, NULL, 10);
        token->distance = d < 1 ? 1 : d;
    } else
        return 0;
    token->operator_text = g_strndup(w, len);
    return 1;
}

/* Records the first problem of the query (g_malloc'd, for the user). */
static void problem_set(char **problem, char *message)
{
    if (*problem)
        g_free(message);
    else
        *problem = message;
}

/* Why a year: or date: value is refused: the first part (a side of
 * "lo..hi", an alternative of "2021|2022") that is not a year or a day that
 * exists, and what the field takes. */
static char *date_problem(vind_qfield_t field, const char *value)
{
    int year = field == VIND_QFIELD_YEAR;
    char **parts = g_strsplit(value, strstr(value, "..") ? ".." : year ? "|" : "\x01", -1);
    char *reason = NULL;
    for (char **part = parts; *part && !reason; part++) {
        size_t len = strlen(*part);
        char why[96];
        if (len && year && !is_year(*part, len))
            reason = g_strdup_printf("\"%s\" is not a year", *part);
        else if (len && !year && !vind_date_filter_valid(*part, len, why, sizeof why))
            reason = g_strdup_printf("the date \"%s\" %s", *part, why);
    }
    g_strfreev(parts);
    /* A date's reason already says what a date is; a year's does not. */
    char *message = g_strdup_printf(
        "%s:%s: %s%s", vind_qfield_name(field), value, reason ? reason : "is not a value it takes",
        year ? " (year: takes YYYY, YYYY|YYYY or a range YYYY..YYYY)"
             : reason ? "" : " (date: takes YYYY, YYYY-MM, YYYY-MM-DD or a range FROM..TO)");
    g_free(reason);
    return message;
}

/* Why a type: value is refused, or NULL when every alternative is a type. */
static char *type_problem(const char *value, int quoted)
{
    char **parts = quoted ? g_strsplit(value, "\x01", 1) : g_strsplit(value, "|", -1);
    char *message = NULL;
    for (char **part = parts; *part && !message; part++) {
        char *type = g_strstrip(*part);
        if (*type && !vind_qfield_type_known(type))
            message = g_strdup_printf("type:%s: unknown type \"%s\" (the types are %s)", value,
                                      type, VIND_QFIELD_TYPES);
    }
    g_strfreev(parts);
    return message;
}

/* A field token from `field:value`; value may be empty, then the next
 * phrase or word is the value ("tag: \"Wonen en zorg\""). A value the
 * field cannot take is a problem (*problem), and the token is dropped. */
static const char *lex_field(const char *p, vind_qfield_t field, token_t *token, char **problem)
{
    while (is_space(*p))
        p++;
    char *value = NULL;
    int quoted = 0;
    if (*p == '"') {
        p = read_phrase(p + 1, &value);
        quoted = 1;
    } else {
        const char *start;
        size_t len;
        p = read_run(p, &start, &len);
        value = g_strndup(start, len);
    }
    if (!*value) {
        g_free(value);
        token->kind = TOKEN_END; /* nothing: the caller skips it */
        return p;
    }
    size_t len = strlen(value);
    if (field == VIND_QFIELD_TITLE || field == VIND_QFIELD_AUTHOR) {
        token->field = field;
        if (quoted) {
            token->kind = TOKEN_PHRASE;
            token->text = value;
            return p;
        }
        while (len > 0 && value[len - 1] == '*') {
            value[--len] = '\0';
            token->prefix = 1;
        }
        token->kind = len ? TOKEN_WORD : TOKEN_END;
        token->text = value;
        return p;
    }
    if (field == VIND_QFIELD_YEAR || field == VIND_QFIELD_DATE) {
        int (*valid)(const char *, size_t) = field == VIND_QFIELD_YEAR ? is_year : is_date;
        if (strcmp(value, "..") == 0) {
            g_free(value); /* "year:..": a range of everything, no filter */
            token->kind = TOKEN_END;
            return p;
        }
        if (split_range(value, len, valid, &token->from, &token->to)) {
            token->kind = TOKEN_RANGE;
            token->field = field;
            g_free(value);
            return p;
        }
        if (field == VIND_QFIELD_DATE && is_date(value, len)) {
            /* date:2019 is the range of that year (month, day). */
            token->kind = TOKEN_RANGE;
            token->field = field;
            token->from = value;
            token->to = g_strdup(value);
            return p;
        }
        if (field == VIND_QFIELD_DATE || !all_years(value)) {
            problem_set(problem, date_problem(field, value));
            g_free(value);
            token->kind = TOKEN_END;
            return p;
        }
    }
    char *wrong_type = field == VIND_QFIELD_TYPE ? type_problem(value, quoted) : NULL;
    if (wrong_type) {
        problem_set(problem, wrong_type);
        g_free(value);
        token->kind = TOKEN_END;
        return p;
    }
    token->kind = TOKEN_FILTER;
    token->field = field;
    token->text = value;
    token->quoted = quoted;
    return p;
}

/* Lexes one word-like run at p (not a quote, parenthesis or space). */
static const char *lex_run(const char *p, int operators, token_t *token, char **problem)
{
    const char *w;
    size_t len;
    const char *after = read_run(p, &w, &len);
    if (operators && classify_operator(w, len, token))
        return after;
    const char *colon = memchr(w, ':', len);
    vind_qfield_t field;
    if (colon && colon > w && field_lookup(w, (size_t)(colon - w), &field)) {
        /* Re-read the value from just after the colon: it may be quoted. */
        return lex_field(colon + 1, field, token, problem);
    }
    if (split_range(w, len, is_year, &token->from, &token->to)) {
        token->kind = TOKEN_RANGE; /* a bare 2019..2021 is a range of years */
        token->field = VIND_QFIELD_YEAR;
        return after;
    }
    while (len > 0 && w[len - 1] == '*') {
        len--;
        token->prefix = 1;
    }
    if (len == 0) {
        token->kind = TOKEN_END;
        return after;
    }
    token->kind = TOKEN_WORD;
    token->text = g_strndup(w, len);
    return after;
}

/* Splits the repaired query into tokens; operators = 0 reads AND, OR, NOT,
 * NEAR and '-' as words (the fallback for a query of operators only).
 * *problem: the first field value refused (g_malloc'd), or left NULL. */
static GArray *lex(const char *q, int operators, char **problem)
{
    GArray *tokens = g_array_new(FALSE, TRUE, sizeof(token_t));
    const char *p = q;
    for (;;) {
        while (is_space(*p))
            p++;
        if (!*p)
            break;
        token_t token = {0};
        if (*p == '(') {
            token.kind = TOKEN_OPEN;
            p++;
        } else if (*p == ')') {
            token.kind = TOKEN_CLOSE;
            p++;
        } else if (*p == '"') {
            token.kind = TOKEN_PHRASE;
            p = read_phrase(p + 1, &token.text);
            if (!*token.text)
                token.kind = TOKEN_END;
        } else if ((*p == '-' || *p == '+') && operators) {
            /* "-zorg" excludes; "+zorg" is what a plain word already means.
             * A lone "-" (as in "zorg - welzijn") means nothing. */
            if (*p == '-' && !is_space(p[1]) && p[1] != '\0') {
                token.kind = TOKEN_NOT;
                token.operator_text = g_strdup("-");
            } else
                token.kind = TOKEN_END;
            p++;
        } else {
            p = lex_run(p, operators, &token, problem);
        }
        if (token.kind == TOKEN_END) {
            token_clear(&token);
            continue;
        }
        g_array_append_val(tokens, token);
    }
    token_t end = {.kind = TOKEN_END};
    g_array_append_val(tokens, end);
    return tokens;
}

static void tokens_free(GArray *tokens)
{
    for (size_t i = 0; i < tokens->len; i++)
        token_clear(&g_array_index(tokens, token_t, i));
    g_array_free(tokens, TRUE);
}

/* ------------------------------------------------------------------ */
/* Tree                                                                */

vind_qnode_t *vind_qnode_new(vind_qnode_kind_t kind)
{
    vind_qnode_t *node = g_new0(vind_qnode_t, 1);
    node->kind = kind;
    return node;
}

void vind_qnode_free(vind_qnode_t *node)
{
    if (!node)
        return;
    for (size_t i = 0; i < node->n_children; i++)
        vind_qnode_free(node->children[i]);
    g_free(node->children);
    for (size_t i = 0; i < node->n_values; i++)
        g_free(node->values[i]);
    g_free(node->values);
    g_free(node->text);
    g_free(node->from);
    g_free(node->to);
    g_free(node);
}

static void add_child(vind_qnode_t *parent, vind_qnode_t *child)
{
    parent->children = g_renew(vind_qnode_t *, parent->children, parent->n_children + 1);
    parent->children[parent->n_children++] = child;
}

/* An AND or OR with one child is that child. */
static vind_qnode_t *collapse(vind_qnode_t *node)
{
    if (node->n_children == 0) {
        vind_qnode_free(node);
        return NULL;
    }
    if (node->n_children == 1 && node->children[0]->kind != VIND_QNODE_NOT) {
        vind_qnode_t *only = node->children[0];
        node->n_children = 0;
        vind_qnode_free(node);
        return only;
    }
    return node;
}

/* ------------------------------------------------------------------ */
/* Parser                                                              */

static token_t *peek(parser_t *parser)
{
    return &parser->tokens[parser->next];
}

static token_t *take(parser_t *parser)
{
    token_t *token = peek(parser);
    if (token->kind != TOKEN_END)
        parser->next++;
    return token;
}

static vind_qnode_t *parse_or(parser_t *parser, size_t depth);

static vind_qnode_t *node_from_token(token_t *token)
{
    vind_qnode_t *node;
    switch (token->kind) {
    case TOKEN_WORD:
        node = vind_qnode_new(VIND_QNODE_WORD);
        node->text = g_strdup(token->text);
        node->prefix = token->prefix;
        node->field = token->field;
        return node;
    case TOKEN_PHRASE:
        node = vind_qnode_new(VIND_QNODE_PHRASE);
        node->text = g_strdup(token->text);
        node->field = token->field;
        return node;
    case TOKEN_RANGE:
        node = vind_qnode_new(VIND_QNODE_RANGE);
        node->field = token->field;
        node->from = g_strdup(token->from);
        node->to = g_strdup(token->to);
        return node;
    case TOKEN_FILTER: {
        node = vind_qnode_new(VIND_QNODE_FILTER);
        node->field = token->field;
        /* type:pdf|article: alternatives; a quoted value is one value. */
        char **parts =
            token->quoted ? g_strsplit(token->text, "\x01", 1) : g_strsplit(token->text, "|", -1);
        for (char **part = parts; *part; part++) {
            char *value = g_strstrip(*part);
            if (!*value)
                continue;
            node->values = g_renew(char *, node->values, node->n_values + 1);
            node->values[node->n_values++] = g_strdup(value);
        }
        g_strfreev(parts);
        if (node->n_values == 0) {
            vind_qnode_free(node);
            return NULL;
        }
        return node;
    }
    default:
        return NULL;
    }
}

static vind_qnode_t *parse_primary(parser_t *parser, size_t depth)
{
    token_t *token = peek(parser);
    if (token->kind == TOKEN_OPEN) {
        take(parser);
        if (depth >= VIND_MAX_QUERY_DEPTH) {
            /* Refused by vind_query_parse; never recurse further. */
            parser->depth_exceeded = 1;
            return NULL;
        }
        vind_qnode_t *inner = parse_or(parser, depth + 1);
        if (peek(parser)->kind == TOKEN_CLOSE)
            take(parser);
        /* else: "zorg (wonen" - an unclosed group closes at the end. */
        return inner;
    }
    if (token->kind == TOKEN_WORD || token->kind == TOKEN_PHRASE || token->kind == TOKEN_FILTER ||
        token->kind == TOKEN_RANGE) {
        take(parser);
        return node_from_token(token);
    }
    return NULL;
}

static int is_near_operand(const vind_qnode_t *node)
{
    return node && (node->kind == VIND_QNODE_WORD || node->kind == VIND_QNODE_PHRASE) &&
           !node->prefix;
}

static vind_qnode_t *parse_near(parser_t *parser, size_t depth)
{
    vind_qnode_t *left = parse_primary(parser, depth);
    while (peek(parser)->kind == TOKEN_NEAR) {
        unsigned distance = take(parser)->distance;
        vind_qnode_t *right = parse_primary(parser, depth);
        if (!right)
            continue; /* "zorg NEAR": the NEAR is dropped */
        if (!left) {
            left = right;
            continue;
        }
        if (!is_near_operand(left) && left->kind != VIND_QNODE_NEAR) {
            /* NEAR needs words on both sides; anything else is an AND. */
            vind_qnode_t *and_node = vind_qnode_new(VIND_QNODE_AND);
            add_child(and_node, left);
            add_child(and_node, right);
            left = and_node;
            continue;
        }
        if (!is_near_operand(right)) {
            vind_qnode_t *and_node = vind_qnode_new(VIND_QNODE_AND);
            add_child(and_node, left);
            add_child(and_node, right);
            left = and_node;
            continue;
        }
        if (left->kind != VIND_QNODE_NEAR) {
            vind_qnode_t *near = vind_qnode_new(VIND_QNODE_NEAR);
            near->distance = distance;
            add_child(near, left);
            left = near;
        } else if (distance > left->distance)
            left->distance = distance;
        add_child(left, right);
    }
    return left;
}

static vind_qnode_t *parse_unary(parser_t *parser, size_t depth)
{
    /* "NOT NOT x" and "--x" are x: count instead of recursing. */
    int negated = 0;
    while (peek(parser)->kind == TOKEN_NOT) {
        take(parser);
        negated = !negated;
    }
    vind_qnode_t *operand = parse_near(parser, depth);
    if (!operand || !negated)
        return operand;
    if (operand->kind == VIND_QNODE_NOT) {
        vind_qnode_t *inner = operand->children[0];
        operand->n_children = 0;
        vind_qnode_free(operand);
        return inner;
    }
    vind_qnode_t *not_node = vind_qnode_new(VIND_QNODE_NOT);
    add_child(not_node, operand);
    return not_node;
}

static int ends_and(token_kind_t kind)
{
    return kind == TOKEN_END || kind == TOKEN_CLOSE || kind == TOKEN_OR;
}

static vind_qnode_t *parse_and(parser_t *parser, size_t depth)
{
    vind_qnode_t *and_node = vind_qnode_new(VIND_QNODE_AND);
    int explicit_and = 0;
    while (!ends_and(peek(parser)->kind)) {
        token_t *token = peek(parser);
        if (token->kind == TOKEN_AND) {
            take(parser);
            explicit_and = 1;
            continue;
        }
        if (token->kind == TOKEN_NEAR) {
            take(parser); /* a NEAR without a left operand */
            continue;
        }
        size_t before = parser->next;
        vind_qnode_t *child = parse_unary(parser, depth);
        if (child)
            add_child(and_node, child);
        else if (parser->next == before)
            take(parser); /* cannot happen with the grammar above; never loop */
        if (parser->depth_exceeded)
            break;
    }
    and_node->implicit = !explicit_and;
    return collapse(and_node);
}

static vind_qnode_t *parse_or(parser_t *parser, size_t depth)
{
    vind_qnode_t *or_node = vind_qnode_new(VIND_QNODE_OR);
    for (;;) {
        vind_qnode_t *child = parse_and(parser, depth);
        if (child)
            add_child(or_node, child);
        if (parser->depth_exceeded || peek(parser)->kind != TOKEN_OR)
            break;
        take(parser); /* a dangling OR ("zorg OR") simply ends */
    }
    return collapse(or_node);
}

/* The whole query: parse_or, and a stray ')' at the top ("zorg) wonen") is
 * skipped and the rest joins with AND. */
static vind_qnode_t *parse_query(parser_t *parser)
{
    vind_qnode_t *top = vind_qnode_new(VIND_QNODE_AND);
    top->implicit = 1;
    for (;;) {
        vind_qnode_t *part = parse_or(parser, 0);
        if (part) {
            if (part->kind == VIND_QNODE_AND && top->n_children == 0 &&
                peek(parser)->kind == TOKEN_END) {
                vind_qnode_free(top);
                return part;
            }
            add_child(top, part);
        }
        if (parser->depth_exceeded || peek(parser)->kind == TOKEN_END)
            break;
        take(parser); /* the stray ')' */
    }
    return collapse(top);
}

/* ------------------------------------------------------------------ */
/* Limits and entry point                                              */

static size_t count_words(const char *text)
{
    size_t n = 0;
    int in_word = 0;
    for (const char *p = text; *p; p++) {
        if (is_space(*p))
            in_word = 0;
        else if (!in_word)
            in_word = 1, n++;
    }
    return n;
}

static size_t count_terms(GArray *tokens)
{
    size_t n = 0;
    for (size_t i = 0; i < tokens->len; i++) {
        token_t *token = &g_array_index(tokens, token_t, i);
        if (token->kind == TOKEN_PHRASE)
            n += count_words(token->text);
        else if (token->kind == TOKEN_WORD || token->kind == TOKEN_FILTER ||
                 token->kind == TOKEN_RANGE)
            n++;
    }
    return n;
}

static size_t max_paren_depth(GArray *tokens)
{
    size_t depth = 0, deepest = 0;
    for (size_t i = 0; i < tokens->len; i++) {
        token_kind_t kind = g_array_index(tokens, token_t, i).kind;
        if (kind == TOKEN_OPEN && ++depth > deepest)
            deepest = depth;
        else if (kind == TOKEN_CLOSE && depth > 0)
            depth--;
    }
    return deepest;
}

static int has_operators(GArray *tokens)
{
    for (size_t i = 0; i < tokens->len; i++)
        if (g_array_index(tokens, token_t, i).operator_text)
            return 1;
    return 0;
}

vind_status_t vind_query_parse(const char *query, size_t len, vind_qnode_t **out, char **errmsg)
{
    *out = NULL;
    if (!query || len == 0)
        return VIND_OK;
    if (len > VIND_MAX_QUERY_BYTES)
        return vind_error(errmsg, VIND_BAD_QUERY, "the query is too long: %zu bytes (at most %u)",
                          len, VIND_MAX_QUERY_BYTES);
    char *text = repair_query(query, len);
    char *problem = NULL;
    GArray *tokens = lex(text, 1, &problem);
    if (problem) {
        tokens_free(tokens);
        g_free(text);
        vind_status_t status = vind_error(errmsg, VIND_BAD_QUERY, "%s", problem);
        g_free(problem);
        return status;
    }
    size_t terms = count_terms(tokens);
    if (terms > VIND_MAX_QUERY_TERMS) {
        tokens_free(tokens);
        g_free(text);
        return vind_error(errmsg, VIND_BAD_QUERY, "the query has too many words: %zu (at most %u)",
                          terms, VIND_MAX_QUERY_TERMS);
    }
    if (max_paren_depth(tokens) > VIND_MAX_QUERY_DEPTH) {
        tokens_free(tokens);
        g_free(text);
        return vind_error(errmsg, VIND_BAD_QUERY,
                          "the query nests parentheses too deeply (at most %u levels)",
                          VIND_MAX_QUERY_DEPTH);
    }
    parser_t parser = {.tokens = (token_t *)tokens->data, .n_tokens = tokens->len};
    vind_qnode_t *tree = parse_query(&parser);
    if (!tree && has_operators(tokens)) {
        /* "AND", "NOT OR": nothing but operators; search them as words. */
        tokens_free(tokens);
        tokens = lex(text, 0, &problem); /* the values were checked above */
        parser = (parser_t){.tokens = (token_t *)tokens->data, .n_tokens = tokens->len};
        tree = parse_query(&parser);
    }
    tokens_free(tokens);
    g_free(text);
    *out = tree;
    return VIND_OK;
}

/* ------------------------------------------------------------------ */
/* Description                                                         */

static int needs_quotes(const char *value)
{
    for (const char *p = value; *p; p++)
        if (ends_word(*p) || *p == '|')
            return 1;
    return !*value;
}

static void describe(GString *out, const vind_qnode_t *node, int parenthesise);

/* Whether a word would be read as an operator. */
static int is_operator_word(const char *text)
{
    static const char *const operators[] = {"AND", "OR", "NOT", "NEAR"};
    for (size_t i = 0; i < G_N_ELEMENTS(operators); i++)
        if (strcmp(text, operators[i]) == 0 || (strncmp(text, "NEAR/", 5) == 0 && i == 3))
            return 1;
    return 0;
}

static void describe_value(GString *out, const char *value)
{
    if (needs_quotes(value))
        g_string_append_printf(out, "\"%s\"", value);
    else
        g_string_append(out, value);
}

static void describe_field(GString *out, const vind_qnode_t *node)
{
    if (node->field != VIND_QFIELD_ANY)
        g_string_append_printf(out, "%s:", vind_qfield_name(node->field));
}

static void describe_children(GString *out, const vind_qnode_t *node, const char *joiner)
{
    for (size_t i = 0; i < node->n_children; i++) {
        if (i)
            g_string_append(out, joiner);
        describe(out, node->children[i], 1);
    }
}

static void describe(GString *out, const vind_qnode_t *node, int parenthesise)
{
    switch (node->kind) {
    case VIND_QNODE_WORD:
        describe_field(out, node);
        /* A word that reads as syntax ("-", "AND", "(") is quoted, so that the
         * description parses back to the same query (fuzz input
         * tests/fuzz/regressions/query_parse/roundtrip-operator-word). */
        if (!node->prefix && (needs_quotes(node->text) || is_operator_word(node->text) ||
                              node->text[0] == '-'))
            g_string_append_printf(out, "\"%s\"", node->text);
        else
            g_string_append(out, node->text);
        if (node->prefix)
            g_string_append_c(out, '*');
        break;
    case VIND_QNODE_PHRASE:
        describe_field(out, node);
        g_string_append_printf(out, "\"%s\"", node->text);
        break;
    case VIND_QNODE_FILTER:
        describe_field(out, node);
        for (size_t i = 0; i < node->n_values; i++) {
            if (i)
                g_string_append_c(out, '|');
            describe_value(out, node->values[i]);
        }
        break;
    case VIND_QNODE_RANGE:
        describe_field(out, node);
        if (node->from && node->to && strcmp(node->from, node->to) == 0)
            g_string_append(out, node->from);
        else
            g_string_append_printf(out, "%s..%s", node->from ? node->from : "",
                                   node->to ? node->to : "");
        break;
    case VIND_QNODE_NOT:
        g_string_append(out, "NOT ");
        describe(out, node->children[0], 1);
        break;
    case VIND_QNODE_NEAR: {
        char joiner[32];
        if (node->distance == VIND_NEAR_DEFAULT_DISTANCE)
            g_snprintf(joiner, sizeof joiner, " NEAR ");
        else
            g_snprintf(joiner, sizeof joiner, " NEAR/%u ", node->distance);
        describe_children(out, node, joiner);
        break;
    }
    case VIND_QNODE_AND:
    case VIND_QNODE_OR: {
        /* A group of one NOT keeps its parentheses: "NOT (NOT x)" written
         * "NOT NOT x" would parse back as x. */
        int group = parenthesise && (node->n_children > 1 || (node->n_children == 1 &&
                                                               node->children[0]->kind ==
                                                                   VIND_QNODE_NOT));
        if (group)
            g_string_append_c(out, '(');
        describe_children(out, node, node->kind == VIND_QNODE_AND ? " AND " : " OR ");
        if (group)
            g_string_append_c(out, ')');
        break;
    }
    }
}

char *vind_qnode_describe(const vind_qnode_t *node)
{
    if (!node)
        return strdup("");
    GString *out = g_string_new(NULL);
    describe(out, node, 0);
    char *result = strdup(out->str);
    g_string_free(out, TRUE);
    return result;
}
