/*
 * common.h - macros shared by every public vind header.
 *
 * VIND_API marks the functions libvind exports; everything else in the
 * library is built with -fvisibility=hidden, as libnotmuch is, so that the
 * shared object exposes exactly what include/vind/ documents.
 */
#ifndef VIND_COMMON_H
#define VIND_COMMON_H

#if defined(__GNUC__)
#define VIND_API __attribute__((visibility("default")))
#else
#define VIND_API
#endif

#ifdef __cplusplus
#define VIND_BEGIN_DECLS extern "C" {
#define VIND_END_DECLS }
#else
#define VIND_BEGIN_DECLS
#define VIND_END_DECLS
#endif

#endif
