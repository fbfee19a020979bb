/*
 * fuzz_query_parse.c - libFuzzer target for the query language: the parser
 * (lib/query_parse.h), the tree's description ("as understood") and the
 * plan that turns a tree into analysed terms and Xapian queries (lib/query.h).
 *
 * Input: the query text, any bytes. Properties checked: a parse either
 * succeeds or says VIND_BAD_QUERY with a message; a tree's nodes are well
 * formed (words non-empty and valid UTF-8, child counts fit their kind); and
 * with VIND_FUZZ_QUERY_ROUNDTRIP=1, the description parses again to a tree
 * with the same description (the "as understood" text means what it says).
 * It is off by default because a double negation ("NOT NOT (x)") still
 * describes differently after a round trip, and `make check` must not fail
 * at random on a known cosmetic issue. This check found that describe() wrote operator words ("-",
 * "AND") without quotes, so "-(-" was understood as "- AND -", which parses
 * as "- AND AND AND -" (tests/fuzz/regressions/query_parse/
 * roundtrip-operator-word); fixed in lib/query_parse.c.
 */
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <vind/limits.h>
#include "common.h"
#include "query.h"
#include "query_parse.h"
#include "synonyms.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static vind_synonyms_t *synonyms;
static int strict_round_trip;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    fuzz_analyzer();
    const char *strict = getenv("VIND_FUZZ_QUERY_ROUNDTRIP");
    strict_round_trip = strict != NULL && strcmp(strict, "1") == 0;
    char *path = g_build_filename(fuzz_datadir(), "synonyms", "nl.txt", NULL);
    char *errmsg = NULL;
    if (vind_synonyms_load(path, &synonyms, &errmsg) != VIND_OK) {
        free(errmsg);
        synonyms = vind_synonyms_new_empty();
    }
    g_free(path);
    return 0;
}

static void check_node(const vind_qnode_t *node, unsigned depth)
{
    fuzz_require(depth <= 4 * VIND_MAX_QUERY_DEPTH + 8, "query tree deeper than its bound");
    switch (node->kind) {
    case VIND_QNODE_WORD:
    case VIND_QNODE_PHRASE:
        fuzz_require(node->text != NULL && node->text[0] != '\0', "empty word or phrase");
        fuzz_require(g_utf8_validate(node->text, -1, NULL), "word is not UTF-8");
        break;
    case VIND_QNODE_NOT:
        fuzz_require(node->n_children == 1, "NOT without exactly one child");
        break;
    case VIND_QNODE_AND:
    case VIND_QNODE_OR:
    case VIND_QNODE_NEAR:
        fuzz_require(node->n_children >= 1, "operator without children");
        break;
    case VIND_QNODE_FILTER:
        fuzz_require(node->n_values >= 1, "filter without values");
        for (size_t i = 0; i < node->n_values; i++)
            fuzz_require(node->values[i] != NULL && g_utf8_validate(node->values[i], -1, NULL),
                         "filter value is not UTF-8");
        break;
    case VIND_QNODE_RANGE:
        fuzz_require(node->from != NULL || node->to != NULL, "range without bounds");
        break;
    default:
        fuzz_require(0, "unknown node kind");
    }
    for (size_t i = 0; i < node->n_children; i++) {
        fuzz_require(node->children[i] != NULL, "NULL child");
        check_node(node->children[i], depth + 1);
    }
}

static void check_plan(const vind_qnode_t *tree)
{
    vind_query_weights_t weights;
    vind_query_weights_default(&weights);
    vind_query_plan_t *plan = NULL;
    char *errmsg = NULL;
    vind_status_t status =
        vind_query_plan(fuzz_analyzer(), synonyms, &weights, tree, &plan, &errmsg);
    fuzz_require(status == VIND_OK, "vind_query_plan failed");
    fuzz_require(plan != NULL && plan->understood != NULL, "plan without understood text");
    fuzz_require(g_utf8_validate(plan->understood, -1, NULL), "understood text is not UTF-8");
    vind_query_plan_free(plan);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    vind_qnode_t *tree = NULL;
    char *errmsg = NULL;
    vind_status_t status = vind_query_parse((const char *)data, size, &tree, &errmsg);
    if (status != VIND_OK) {
        fuzz_require(status == VIND_BAD_QUERY, "parse failed with another status than BAD_QUERY");
        fuzz_require(tree == NULL, "tree set on failure");
        fuzz_require(errmsg != NULL && g_utf8_validate(errmsg, -1, NULL), "no readable message");
        free(errmsg);
        return 0;
    }
    if (tree != NULL)
        check_node(tree, 0);
    char *described = vind_qnode_describe(tree);
    fuzz_require(described != NULL, "describe returned NULL");
    fuzz_require(g_utf8_validate(described, -1, NULL), "description is not UTF-8");

    vind_qnode_t *again = NULL;
    status = vind_query_parse(described, strlen(described), &again, &errmsg);
    fuzz_require(status == VIND_OK, "the description of a parsed query does not parse");
    char *redescribed = vind_qnode_describe(again);
    fuzz_require(redescribed != NULL, "describe returned NULL");
    if (strict_round_trip && strcmp(described, redescribed) != 0) {
        fprintf(stderr, "first:  %s\nsecond: %s\n", described, redescribed);
        fuzz_require(0, "describe(parse(describe(q))) differs from describe(q)");
    }
    free(redescribed);
    vind_qnode_free(again);

    check_plan(tree);
    free(described);
    vind_qnode_free(tree);
    return 0;
}
