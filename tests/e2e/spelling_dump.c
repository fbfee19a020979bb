/*
 * spelling_dump.c - prints the spelling dictionary of an index, one
 * "word<TAB>frequency" a line in byte order (xapian-delve cannot list it,
 * and vind offers only suggestions). Test-only: built with the unit tests
 * as build/tests/spelling-dump (tests/e2e/Makefile.local) and run by
 * tests/e2e/vindlib.py's spelling_table, to check that an updated index
 * holds the spelling table a fresh one holds.
 */
#include <stdio.h>
#include <stdlib.h>

#include <vind/xapian.h>

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: spelling-dump DATABASE\n");
        return 2;
    }
    char *errmsg = NULL;
    vind_xapian_reader_t *reader = NULL;
    vind_xapian_terms_t *terms = NULL;
    vind_status_t status = vind_xapian_reader_open(argv[1], &reader, &errmsg);
    if (status == VIND_OK)
        status = vind_xapian_reader_spellings(reader, &terms, &errmsg);
    if (status != VIND_OK) {
        fprintf(stderr, "%s: %s\n", argv[1], errmsg ? errmsg : "cannot read");
        free(errmsg);
        vind_xapian_reader_close(reader);
        return 1;
    }
    for (size_t i = 0; i < terms->count; i++)
        printf("%s\t%u\n", terms->items[i].term, (unsigned)terms->items[i].frequency);
    vind_xapian_terms_free(terms);
    vind_xapian_reader_close(reader);
    return 0;
}
