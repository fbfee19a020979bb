/*
 * common.h - what the libFuzzer targets in tests/fuzz/ share: the data
 * directory, one lexicon and analyzer per process, and a reader that cuts a
 * fuzz input into fields so one input can drive several arguments.
 */
#ifndef VIND_FUZZ_COMMON_H
#define VIND_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>

#include <vind/analyze.h>
#include <vind/doc.h>

/* The data folder: $VIND_DATADIR, else <the fuzzer's folder>/share/vind.
 * Owned by this module; valid for the process's life. */
const char *fuzz_datadir(void);

/* The lexicon and an analyzer, opened at the first call and kept for the
 * process (libFuzzer runs one input at a time on one thread). Aborts when
 * the data is missing: a fuzzer without its lexicon would fuzz nothing. */
const vind_lexicon_t *fuzz_lexicon(void);
vind_analyzer_t *fuzz_analyzer(void);

/* A cursor over the input. */
typedef struct {
    const uint8_t *data;
    size_t size;
    size_t at;
} fuzz_input_t;

/* One byte (0 once the input is used up). */
uint8_t fuzz_byte(fuzz_input_t *in);

/* The next field: the bytes up to the next separator byte (0x1f, ASCII unit
 * separator), or the rest. A malloc'd NUL-terminated copy (*len without the
 * NUL); NULL when the input is used up. Embedded NULs are kept in *len. */
char *fuzz_field(fuzz_input_t *in, size_t *len);

/* Aborts with message when condition is false: a property violated is a
 * finding like a crash, and libFuzzer keeps the input. */
void fuzz_require(int condition, const char *message);

/* Requires doc to survive a JSON round trip: vind_doc_to_json writes it,
 * vind_doc_from_json reads that back, and the record read writes the same
 * JSON again (what the indexer's --from-jsonl and the stored record rely on). */
void fuzz_require_json_round_trip(const vind_doc_t *doc);

#endif
