/*
 * dic_flags.h - (lexicon tools only) reading the flags hunspell-nl's nl.dic
 * gives a root, as mklexicon and evalmorph keep them: two-letter flags, one
 * entry's after another's, the entries separated by '/' ("V3Vp/ViPb").
 */
#ifndef VIND_LEXICON_DIC_FLAGS_H
#define VIND_LEXICON_DIC_FLAGS_H

#include <stddef.h>

/* The next two-letter flag at *at (a '/' between entries skipped), *at
 * moved past it; NULL at the end or at a lone last letter. */
static inline const char *next_dic_flag(const char **at)
{
    const char *p = *at;
    while (*p == '/')
        p++;
    if (p[0] == '\0' || p[1] == '\0')
        return NULL;
    *at = p + 2;
    return p;
}

/* Whether flags (NULL: none) hold the two-letter flag, in any entry. */
static inline int dic_flags_have(const char *flags, const char *flag)
{
    const char *at = flags != NULL ? flags : "";
    for (const char *f; (f = next_dic_flag(&at)) != NULL;)
        if (f[0] == flag[0] && f[1] == flag[1])
            return 1;
    return 0;
}

/* Whether any flag in flags (NULL: none) starts with letter: Z* plurals,
 * Y* diminutives, A* adjectives. */
static inline int dic_flags_have_class(const char *flags, char letter)
{
    const char *at = flags != NULL ? flags : "";
    for (const char *f; (f = next_dic_flag(&at)) != NULL;)
        if (f[0] == letter)
            return 1;
    return 0;
}

#endif
