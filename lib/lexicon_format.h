/*
 * lexicon_format.h - (private) the layout of nl.lex, the one file shared by
 * the builder (lexicon/mklexicon.c writes it) and lib/lexicon.c (mmaps it).
 *
 * nl.lex is made at build time on the machine that uses it, so integers are
 * in native byte order; the header's byte_order field rejects a file copied
 * from a machine of the other endianness instead of misreading it.
 *
 *   header   struct vind_lex_header (32 bytes)
 *   entries  entry_count x struct vind_lex_entry, sorted by strcmp() of their
 *            form, no duplicates: a binary search finds a form in ~19 steps
 *            among 400k, and opening costs one mmap instead of building a
 *            hash table (~150 ms per process for the CLI).
 *   strings  string_bytes of NUL-terminated UTF-8; the last byte is NUL, so
 *            any offset below string_bytes reads a terminated string.
 *   fences   (version 2) zero bytes up to a multiple of 4, then fence_count
 *            uint32 offsets into the fence pool, then the fence pool: a copy
 *            of the form of every VIND_LEX_FENCE_STEP-th entry (entry 0 first),
 *            NUL-terminated, in entry order, up to the end of the file. A
 *            look-up bisects the fences (~45 kB in a row: one or two page
 *            faults) and then one block of VIND_LEX_FENCE_STEP entries (1.5 kB,
 *            its forms beside each other in the pool), where a bisection of
 *            the whole table touched ~19 entry and ~19 string pages spread
 *            over 10 MB. Each first touch of a page is a page fault, 15-45 us
 *            on the development VM: a `vind search` made 15 of them here.
 *            Derived from the entries: not in the checksum, so the lexicon's
 *            fingerprint (and every index's schema) is the same as version 1's.
 */
#ifndef VIND_LIB_LEXICON_FORMAT_H
#define VIND_LIB_LEXICON_FORMAT_H

#include <stddef.h>
#include <stdint.h>

#define VIND_LEX_MAGIC "VINDLEX\n"
#define VIND_LEX_VERSION 2u /* 1: no fences (still read) */
#define VIND_LEX_FENCE_STEP 128u
#define VIND_LEX_BYTE_ORDER 0x01020304u
#define VIND_LEX_NO_LEMMA UINT32_MAX

/* FNV-1a, 32 bits, continued from hash: the builder's checksum of nl.lex and
 * the stop lists' share of the lexicon fingerprint. Not cryptographic: it
 * only has to notice a changed lexicon. */
static inline uint32_t vind_lex_fnv1a(uint32_t hash, const void *data, size_t size)
{
    const unsigned char *p = data;
    for (size_t k = 0; k < size; k++)
        hash = (hash ^ p[k]) * 16777619u;
    return hash;
}
#define VIND_LEX_FNV_SEED 2166136261u

/* Entry flags: where the word came from and how compounding may use it. */
#define VIND_LEX_LIST 0x01u      /* in OpenTaal's word list (wdutch) */
#define VIND_LEX_HEAD 0x02u      /* may end a compound ("zorg" of "jeugdzorg") */
#define VIND_LEX_MODIFIER 0x04u  /* may start a compound ("jeugd" of "jeugdzorg") */
#define VIND_LEX_INFLECTED 0x08u /* an inflected form of another word (has a lemma) */
#define VIND_LEX_PROPER 0x10u    /* written with a capital in the list (names, places) */
#define VIND_LEX_ROOT 0x20u      /* a root of hunspell-nl's nl.dic (not only an expansion) */
#define VIND_LEX_LINK_S 0x40u /* takes a linking -s- as a modifier ("bewoner" of "bewonersraad")   \
                               */
#define VIND_LEX_BOUND 0x80u  /* only inside compounds ("kinder" of "kinderboek") */
/* A noun plural that is also the infinitive of a verb of another meaning, whose
 * forms have the infinitive as their lemma ("kiezen": molars -> "kies"; "gekozen"
 * -> "kiezen"): the analyzer gives it the infinitive as an extra term. */
#define VIND_LEX_VERB_TOO 0x100u
/* A compound start only by nl.dic's Ce flag (the word itself: "volley",
 * "gemeente"), none by Ca/Cb: it loses a tie against a start nl.dic flags
 * ("volleybal" + "spel", not "volley" + "balspel"). */
#define VIND_LEX_WEAK_START 0x200u
/* A word of Debian's English word list (wamerican) that the Dutch list lacks
 * and that Dutch words could spell ("variables" = "varia" + "bles",
 * "tampering" = "tampen" + "ring"): no Dutch compound, so the analyzer adds
 * no compound parts for it (lib/analyze.c). Alone, the
 * entry is no word of the lexicon; with VIND_LEX_ROOT, nl.dic lists it as a
 * forbidden word ("discovering/Fw"). */
#define VIND_LEX_ENGLISH 0x400u
/* An inflected form whose lemma is an adjective's ("ware" of "waar", true;
 * "lage" of "laag", low): nl.dic gives the compound end (Cc) to a noun entry
 * of its own ("waar/CcCaZf", wares), which has no -e form, so such a form ends
 * no compound unless the whole is an adjective's form too ("hardware" is no
 * "hard" + "ware"; lib/compound.c). */
#define VIND_LEX_ADJECTIVE_FORM 0x800u
/* A word of the English list that the Dutch list lacks and that glosses a
 * Dutch word spelt as it less its last one or two letters ("process" of
 * "proces", "role" of "rol", "success" of "succes": FreeDict nld-eng):
 * a cognate, which keeps Snowball's Dutch stem in a Dutch text ("proces"),
 * where any other English word has its English lemma ("note", not Snowball's
 * "not"; lib/analyze.c). Alone, the entry is no word of the lexicon. */
#define VIND_LEX_COGNATE 0x1000u

struct vind_lex_header {
    char magic[8];         /* VIND_LEX_MAGIC, not NUL-terminated */
    uint32_t version;      /* VIND_LEX_VERSION */
    uint32_t byte_order;   /* VIND_LEX_BYTE_ORDER as written by the builder */
    uint32_t entry_count;  /* number of entries */
    uint32_t string_bytes; /* size of the string pool */
    uint32_t checksum;     /* FNV-1a of entries and strings (0 from older builders) */
    uint32_t fence_count;  /* version 2: ceil(entry_count / VIND_LEX_FENCE_STEP); 1: zero */
};

struct vind_lex_entry {
    uint32_t form;  /* offset of the normalised form in the string pool */
    uint32_t lemma; /* offset of its lemma, or VIND_LEX_NO_LEMMA */
    uint32_t flags; /* VIND_LEX_* */
};

#endif
