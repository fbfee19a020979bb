/*
 * admission.c - admission of costly searches (admission.h says what and
 * why).
 *
 * One lock over a fixed table of addresses with the time their "heavy" mark
 * ends. `marks_end_us` is the latest of these ends: while it is past, no
 * address is heavy and enter() skips the scan, so on a quiet server a search
 * pays one uncontended lock (~50 ns). Otherwise the scan compares at most
 * VIND_SEARCHD_HEAVY_ADDRESSES keys of 17 bytes (~1 us, against ~300 us for
 * a normal search).
 *
 * Under the same lock, a hashed table of every address's recent search CPU
 * (session 20), the order of the search queues: a look-up probes at most
 * VIND_SEARCHD_USAGE_PROBES slots.
 */
#include "admission.h"

#include <glib.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <vind/limits.h>

typedef struct {
    unsigned char key[VIND_CLIENT_KEY_BYTES];
    int64_t heavy_until_us; /* 0: a free entry */
} heavy_address_t;

/* An address's recent search CPU: cpu_us as it was at at_us (decayed
 * since by VIND_SEARCHD_USAGE_HALF_LIFE_SECONDS). */
typedef struct {
    unsigned char key[VIND_CLIENT_KEY_BYTES];
    int used; /* 0: a free slot */
    double cpu_us;
    int64_t at_us;
} address_usage_t;

struct vind_admission {
    pthread_mutex_t lock; /* pthread: visible to ThreadSanitizer (pool.c says why) */
    unsigned max_heavy;
    int64_t heavy_cpu_us;
    int64_t heavy_us;
    unsigned running;     /* heavy searches running now */
    uint64_t refused;     /* refusals so far (/metrics) */
    int64_t marks_end_us; /* no mark lasts beyond this */
    heavy_address_t addresses[VIND_SEARCHD_HEAVY_ADDRESSES];
    address_usage_t usage[VIND_SEARCHD_USAGE_ADDRESSES];
};

vind_admission_t *vind_admission_new(unsigned max_heavy, int64_t heavy_cpu_us, int64_t heavy_us,
                                     int *failed)
{
    *failed = 0;
    if (max_heavy == 0)
        return NULL;
    vind_admission_t *admission = calloc(1, sizeof *admission);
    if (admission == NULL) {
        *failed = 1;
        return NULL;
    }
    pthread_mutex_init(&admission->lock, NULL);
    admission->max_heavy = max_heavy;
    admission->heavy_cpu_us = heavy_cpu_us;
    admission->heavy_us = heavy_us;
    return admission;
}

void vind_admission_free(vind_admission_t *admission)
{
    if (admission == NULL)
        return;
    pthread_mutex_destroy(&admission->lock);
    free(admission);
}

/* How long after its heavy mark began an entry is remembered: the memo, or
 * the mark itself when that is longer (a test's). */
static int64_t memo_us(const vind_admission_t *admission)
{
    int64_t memo = (int64_t)VIND_SEARCHD_COSTLY_MEMO_SECONDS * 1000000;
    return memo > admission->heavy_us ? memo : admission->heavy_us;
}

/* When the entry is forgotten: its memo's end, 0 for a free entry. */
static int64_t memo_end(const vind_admission_t *admission, const heavy_address_t *entry)
{
    return entry->heavy_until_us ? entry->heavy_until_us - admission->heavy_us + memo_us(admission)
                                 : 0;
}

/* The entry that remembers `key` at now_us (its memo not ended; its mark
 * may have ended), or NULL: the one look-up of vind_admission_class and
 * vind_admission_enter (until session 19 two near-twin scans). An address
 * has at most one entry (entry_to_mark reuses its own). Under the lock.
 * Cost: nothing once every memo has ended, else a scan of at most
 * VIND_SEARCHD_HEAVY_ADDRESSES keys (~1 us). */
static heavy_address_t *find_remembered(vind_admission_t *admission,
                                        const unsigned char key[VIND_CLIENT_KEY_BYTES],
                                        int64_t now_us)
{
    if (now_us >= admission->marks_end_us - admission->heavy_us + memo_us(admission))
        return NULL;
    for (size_t i = 0; i < VIND_SEARCHD_HEAVY_ADDRESSES; i++) {
        heavy_address_t *entry = &admission->addresses[i];
        if (memo_end(admission, entry) > now_us &&
            memcmp(entry->key, key, VIND_CLIENT_KEY_BYTES) == 0)
            return entry;
    }
    return NULL;
}

vind_address_class_t vind_admission_class(vind_admission_t *admission,
                                          const unsigned char key[VIND_CLIENT_KEY_BYTES],
                                          int64_t now_us)
{
    if (admission == NULL)
        return VIND_ADDRESS_NORMAL;
    pthread_mutex_lock(&admission->lock);
    const heavy_address_t *entry = find_remembered(admission, key, now_us);
    vind_address_class_t class = entry == NULL                    ? VIND_ADDRESS_NORMAL
                                 : entry->heavy_until_us > now_us ? VIND_ADDRESS_HEAVY
                                                                  : VIND_ADDRESS_COSTLY;
    pthread_mutex_unlock(&admission->lock);
    return class;
}

/* Whether the token of n bytes at word is an operator (OR, AND, NOT, XOR,
 * NEAR, NEAR/n), not a word. */
static int is_operator(const char *word, size_t n)
{
    static const char *const operators[] = {"OR", "AND", "NOT", "XOR", "NEAR"};
    for (size_t i = 0; i < G_N_ELEMENTS(operators); i++) {
        size_t length = strlen(operators[i]);
        if (n >= length && strncmp(word, operators[i], length) == 0 &&
            (n == length || (i == 4 && word[length] == '/')))
            return 1;
    }
    return 0;
}

/* The words of a query as typed: tokens between spaces, parentheses and
 * quotes, operators left out; counting stops past `enough`. */
static unsigned query_words(const char *query, unsigned enough)
{
    static const char separators[] = " \t\n\r\f\v()\"";
    unsigned words = 0;
    for (const char *p = query; *p && words <= enough;) {
        p += strspn(p, separators);
        size_t n = strcspn(p, separators);
        if (n > 0 && !is_operator(p, n))
            words++;
        p += n;
    }
    return words;
}

int64_t vind_admission_query_cost_us(const char *query)
{
    if (query == NULL)
        return 0;
    return (int64_t)query_words(query, VIND_MAX_QUERY_TERMS) * VIND_SEARCHD_WORD_COST_US;
}

int vind_admission_query_may_be_costly(const char *query)
{
    return query != NULL &&
           (strchr(query, '*') != NULL ||
            query_words(query, VIND_SEARCHD_COSTLY_QUERY_WORDS) > VIND_SEARCHD_COSTLY_QUERY_WORDS);
}

/* The usage's CPU time decayed to now_us. */
static double decayed_cpu_us(const address_usage_t *usage, int64_t now_us)
{
    if (!usage->used)
        return 0;
    double half_lives = (double)(now_us - usage->at_us) /
                        ((double)VIND_SEARCHD_USAGE_HALF_LIFE_SECONDS * 1000000.0);
    return half_lives > 0 ? usage->cpu_us * exp2(-half_lives) : usage->cpu_us;
}

/* First slot of key's window: FNV-1a of its bytes. */
static size_t usage_window(const unsigned char key[VIND_CLIENT_KEY_BYTES])
{
    uint32_t hash = 2166136261u;
    for (size_t i = 0; i < VIND_CLIENT_KEY_BYTES; i++)
        hash = (hash ^ key[i]) * 16777619u;
    return hash % VIND_SEARCHD_USAGE_ADDRESSES;
}

/* key's slot in its window, or NULL. Under the lock. Cost: a hash and at
 * most VIND_SEARCHD_USAGE_PROBES compares of 17 bytes. */
static address_usage_t *find_usage(vind_admission_t *admission,
                                   const unsigned char key[VIND_CLIENT_KEY_BYTES])
{
    size_t first = usage_window(key);
    for (size_t i = 0; i < VIND_SEARCHD_USAGE_PROBES; i++) {
        address_usage_t *slot = &admission->usage[(first + i) % VIND_SEARCHD_USAGE_ADDRESSES];
        if (slot->used && memcmp(slot->key, key, VIND_CLIENT_KEY_BYTES) == 0)
            return slot;
    }
    return NULL;
}

/* A slot for key, not in the table: a free one of its window, else the one
 * whose address used least (forgotten). Under the lock. */
static address_usage_t *slot_for_usage(vind_admission_t *admission,
                                       const unsigned char key[VIND_CLIENT_KEY_BYTES],
                                       int64_t now_us)
{
    size_t first = usage_window(key);
    address_usage_t *least = NULL;
    for (size_t i = 0; i < VIND_SEARCHD_USAGE_PROBES; i++) {
        address_usage_t *slot = &admission->usage[(first + i) % VIND_SEARCHD_USAGE_ADDRESSES];
        if (!slot->used)
            return slot;
        if (least == NULL || decayed_cpu_us(slot, now_us) < decayed_cpu_us(least, now_us))
            least = slot;
    }
    return least;
}

/* Adds cpu_us to key's recent CPU, at least 1 us: a search that ran is
 * never free, so an address that searched always ranks behind one that
 * did not (a clock of coarse resolution may read 0). Under the lock. */
static void add_usage(vind_admission_t *admission, const unsigned char key[VIND_CLIENT_KEY_BYTES],
                      int64_t cpu_us, int64_t now_us)
{
    address_usage_t *slot = find_usage(admission, key);
    double before = slot ? decayed_cpu_us(slot, now_us) : 0;
    if (slot == NULL) {
        slot = slot_for_usage(admission, key, now_us);
        memcpy(slot->key, key, VIND_CLIENT_KEY_BYTES);
        slot->used = 1;
    }
    slot->cpu_us = before + (double)(cpu_us > 1 ? cpu_us : 1);
    slot->at_us = now_us;
}

int64_t vind_admission_recent_cpu(vind_admission_t *admission,
                                  const unsigned char key[VIND_CLIENT_KEY_BYTES], int64_t now_us)
{
    if (admission == NULL)
        return 0;
    pthread_mutex_lock(&admission->lock);
    const address_usage_t *slot = find_usage(admission, key);
    double cpu_us = slot ? decayed_cpu_us(slot, now_us) : 0;
    pthread_mutex_unlock(&admission->lock);
    return (int64_t)cpu_us;
}

vind_admit_t vind_admission_enter(vind_admission_t *admission,
                                  const unsigned char key[VIND_CLIENT_KEY_BYTES], int64_t now_us,
                                  int heavy_when_queued)
{
    if (admission == NULL)
        return VIND_ADMIT_NORMAL;
    vind_admit_t admitted = VIND_ADMIT_NORMAL;
    pthread_mutex_lock(&admission->lock);
    /* While no mark lasts (marks_end_us past), no address is heavy: no scan. */
    const heavy_address_t *entry =
        now_us < admission->marks_end_us ? find_remembered(admission, key, now_us) : NULL;
    if (heavy_when_queued || (entry != NULL && entry->heavy_until_us > now_us)) {
        if (admission->running >= admission->max_heavy) {
            admitted = VIND_ADMIT_REFUSED;
            admission->refused++;
        } else {
            admitted = VIND_ADMIT_HEAVY;
            admission->running++;
        }
    }
    pthread_mutex_unlock(&admission->lock);
    return admitted;
}

/* The entry to mark for `key`: its own (even if its mark ended), else a free
 * or forgotten one, else the one forgotten first. Under the lock. */
static heavy_address_t *entry_to_mark(vind_admission_t *admission,
                                      const unsigned char key[VIND_CLIENT_KEY_BYTES],
                                      int64_t now_us)
{
    heavy_address_t *reuse = &admission->addresses[0];
    for (size_t i = 0; i < VIND_SEARCHD_HEAVY_ADDRESSES; i++) {
        heavy_address_t *entry = &admission->addresses[i];
        if (entry->heavy_until_us != 0 && memcmp(entry->key, key, VIND_CLIENT_KEY_BYTES) == 0)
            return entry;
        int64_t end = memo_end(admission, entry) > now_us ? memo_end(admission, entry) : 0;
        int64_t reuse_end = memo_end(admission, reuse) > now_us ? memo_end(admission, reuse) : 0;
        if (end < reuse_end)
            reuse = entry;
    }
    return reuse;
}

void vind_admission_leave(vind_admission_t *admission,
                          const unsigned char key[VIND_CLIENT_KEY_BYTES], vind_admit_t admitted,
                          int64_t cpu_us, int64_t now_us)
{
    if (admission == NULL || admitted == VIND_ADMIT_REFUSED)
        return;
    pthread_mutex_lock(&admission->lock);
    if (admitted == VIND_ADMIT_HEAVY && admission->running > 0)
        admission->running--;
    add_usage(admission, key, cpu_us, now_us);
    if (cpu_us >= admission->heavy_cpu_us) {
        heavy_address_t *entry = entry_to_mark(admission, key, now_us);
        memcpy(entry->key, key, VIND_CLIENT_KEY_BYTES);
        entry->heavy_until_us = now_us + admission->heavy_us;
        if (entry->heavy_until_us > admission->marks_end_us)
            admission->marks_end_us = entry->heavy_until_us;
    }
    pthread_mutex_unlock(&admission->lock);
}

char *vind_admission_metrics(vind_admission_t *admission)
{
    if (admission == NULL)
        return g_strdup("");
    pthread_mutex_lock(&admission->lock);
    unsigned long long refused = admission->refused;
    unsigned running = admission->running;
    pthread_mutex_unlock(&admission->lock);
    return g_strdup_printf(
        "# HELP vind_heavy_refused_total Searches of heavy addresses refused (429) because "
        "--max-heavy-searches were running.\n"
        "# TYPE vind_heavy_refused_total counter\n"
        "vind_heavy_refused_total %llu\n"
        "# HELP vind_heavy_searches Searches of heavy addresses running now.\n"
        "# TYPE vind_heavy_searches gauge\n"
        "vind_heavy_searches %u\n",
        refused, running);
}
