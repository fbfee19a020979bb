/*
 * vind.h - umbrella header of libvind, the Dutch full-text search library.
 *
 * Programs include this one header. Every function is documented where it is
 * declared, in the module headers below.
 */
#ifndef VIND_VIND_H
#define VIND_VIND_H

#define VIND_VERSION_MAJOR 0
#define VIND_VERSION_MINOR 1
#define VIND_VERSION_PATCH 0
#define VIND_VERSION_STRING "0.1.0"

#include <vind/common.h>
#include <vind/status.h>
#include <vind/limits.h>
#include <vind/analyze.h>
#include <vind/doc.h>
#include <vind/extract.h>
#include <vind/index.h>
#include <vind/search.h>
#include <vind/related.h>


#endif
