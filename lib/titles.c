/*
 * titles.c - the documents whose title starts with a prefix (lib/titles.h).
 */
#include "titles.h"

#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "schema.h"

typedef struct {
    const char *title; /* into the index's text */
    size_t length;
    uint32_t docid;
} title_t;

/* The titles of one revision of one database, sorted by their bytes. */
typedef struct {
    vind_revision_mark_t mark;
    title_t *titles;
    size_t n;
    char *text;    /* every title, one after another */
    size_t bytes;  /* what it holds */
    unsigned walks; /* reads of the titles for this revision */
} title_index_t;

static void index_free(void *data)
{
    title_index_t *index = data;
    if (!index)
        return;
    free(index->titles);
    free(index->text);
    free(index);
}

static int compare_titles(const void *a, const void *b)
{
    const title_t *x = a, *y = b;
    size_t n = x->length < y->length ? x->length : y->length;
    int order = memcmp(x->title, y->title, n);
    if (order != 0)
        return order;
    return x->length < y->length ? -1 : x->length > y->length;
}

/* Whether the searcher's index holds for its database as it is now. */
static int current(const title_index_t *index, const vind_searcher_t *searcher)
{
    return index && vind_revision_current(searcher, &index->mark);
}

/* Whether text (length bytes) starts with prefix (prefix_length bytes). */
static int starts_with(const char *text, size_t length, const char *prefix, size_t prefix_length)
{
    return length >= prefix_length && memcmp(text, prefix, prefix_length) == 0;
}

/* Calls fn for the values that start with prefix (the walk without an index). */
static int walk_values(const vind_xapian_values_t *values, const char *prefix, size_t length,
                       vind_titles_fn fn, void *rock)
{
    for (size_t i = 0; i < values->count; i++)
        if (starts_with(values->items[i].value, values->items[i].length, prefix, length) &&
            fn(rock, values->items[i].docid))
            return 1;
    return 0;
}

/* The first title at or after prefix in the sorted titles. Cost: log2(n)
 * comparisons. */
static size_t lower_bound(const title_index_t *index, const char *prefix, size_t length)
{
    size_t low = 0, high = index->n;
    title_t key = {prefix, length, 0};
    while (low < high) {
        size_t middle = low + (high - low) / 2;
        if (compare_titles(&index->titles[middle], &key) < 0)
            low = middle + 1;
        else
            high = middle;
    }
    return low;
}

/* An index of no titles yet for the searcher's database as it is now (NULL on NOMEM). */
static title_index_t *stub_new(const vind_searcher_t *searcher)
{
    title_index_t *index = calloc(1, sizeof *index);
    if (!index)
        return NULL;
    vind_revision_mark(searcher, &index->mark);
    return index;
}

/* Fills index (still without titles) with values, sorted, when they fit
 * budget bytes; leaves it empty otherwise or on NOMEM. */
static void fill(title_index_t *index, const vind_xapian_values_t *values, size_t budget)
{
    size_t bytes = 0;
    for (size_t i = 0; i < values->count; i++)
        bytes += values->items[i].length;
    size_t need = sizeof *index + bytes + values->count * sizeof(title_t);
    if (need > budget)
        return;
    index->titles = malloc((values->count ? values->count : 1) * sizeof *index->titles);
    index->text = malloc(bytes ? bytes : 1);
    if (!index->titles || !index->text) {
        free(index->titles);
        free(index->text);
        index->titles = NULL;
        index->text = NULL;
        return;
    }
    size_t at = 0;
    for (size_t i = 0; i < values->count; i++) {
        const vind_xapian_value_t *value = &values->items[i];
        memcpy(index->text + at, value->value, value->length);
        index->titles[i] = (title_t){index->text + at, value->length, value->docid};
        at += value->length;
    }
    index->n = values->count;
    index->bytes = need;
    qsort(index->titles, index->n, sizeof *index->titles, compare_titles);
}

/*
 * The titles read from the index for prefix: walked, and at the second call
 * of a revision also kept sorted (when they fit the budget). Not at the
 * first: a one-off process (`vind suggest`) would pay a sort it never uses
 * again, and a daemon's next keystroke comes soon. *walked: fn has seen
 * every title that starts with prefix.
 */
static vind_status_t read_titles(vind_searcher_t *searcher, title_index_t *index,
                                 const char *prefix, vind_titles_fn fn, void *rock, int *walked,
                                 char **errmsg)
{
    vind_xapian_values_t *values = NULL;
    vind_status_t status =
        vind_xapian_reader_values(searcher->reader, VIND_SLOT_TITLE, &values, errmsg);
    if (status != VIND_OK)
        return status;
    if (index->walks++ > 0)
        fill(index, values, searcher->cache_bytes);
    *walked = !index->titles;
    if (*walked)
        walk_values(values, prefix, strlen(prefix), fn, rock);
    vind_xapian_values_free(values);
    return VIND_OK;
}

vind_status_t vind_titles_with_prefix(vind_searcher_t *searcher, const char *prefix,
                                      vind_titles_fn fn, void *rock, char **errmsg)
{
    title_index_t *index = searcher->title_index;
    /* Another revision, or a budget lowered since (vind_searcher_set_cache_size). */
    if (index && (!current(index, searcher) || index->bytes > searcher->cache_bytes)) {
        index_free(index);
        index = searcher->title_index = NULL;
    }
    if (!index) {
        if (!(index = stub_new(searcher)))
            return vind_error(errmsg, VIND_NOMEM, "out of memory completing titles");
        searcher->title_index = index;
        searcher->title_index_free = index_free;
    }
    if (!index->titles) {
        int walked = 0;
        vind_status_t status = read_titles(searcher, index, prefix, fn, rock, &walked, errmsg);
        if (status != VIND_OK || walked)
            return status;
    }
    size_t length = strlen(prefix);
    for (size_t i = lower_bound(index, prefix, length); i < index->n; i++) {
        const title_t *title = &index->titles[i];
        if (!starts_with(title->title, title->length, prefix, length))
            break; /* sorted: no title after it starts with prefix either */
        if (fn(rock, title->docid))
            break;
    }
    return VIND_OK;
}

int vind_titles_indexed(const vind_searcher_t *searcher)
{
    const title_index_t *index = searcher ? searcher->title_index : NULL;
    return index && current(index, searcher) && index->titles != NULL;
}
