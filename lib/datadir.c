/*
 * datadir.c - where `make install` puts vind's data: $(PREFIX)/share/vind,
 * compiled in.
 *
 * Why a file of its own: the Makefile passes VIND_DEFAULT_DATADIR from
 * PREFIX and makes only this object depend on a stamp of PREFIX, so
 * `make install PREFIX=/opt/vind` after a `make` recompiles this file alone
 * (and relinks) instead of leaving /usr/local in the installed library.
 */
#include "lexicon.h"

#ifndef VIND_DEFAULT_DATADIR
#define VIND_DEFAULT_DATADIR "/usr/local/share/vind"
#endif

const char *vind_installed_datadir(void)
{
    return VIND_DEFAULT_DATADIR;
}
