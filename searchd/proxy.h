/*
 * proxy.h - (searchd, private) the client behind a trusted proxy: which
 * peers are proxies (--trusted-proxy ADDR[/PREFIX], repeatable), and the
 * client address an X-Forwarded-For header names when such a peer sends it.
 *
 * Behind nginx every client is the proxy's address, so the per-address
 * limits (--max-searches-per-ip, costly-search admission and its queue) saw
 * one client (docs/security.md "Known limits", until session 19). The rule
 * is nginx's (`set_real_ip_from` with `real_ip_recursive on`): only when the
 * connection's peer is trusted is the header read, from its right end (the
 * hop the proxy itself appended), and the first address that is not a
 * trusted proxy is the client. A client that is no trusted peer may send
 * any header: it is never read. Addresses a client wrote itself stand left
 * of the one its proxy appended, so they are reached only through trusted
 * hops. An entry that is no address (garbage, a host name, a zone id)
 * stops the scan: the client is then the last address taken (a trusted
 * hop), or the peer. At most VIND_SEARCHD_MAX_FORWARDED_HOPS entries are
 * read, from the right.
 *
 * Pure logic over a fixed table (no libmicrohttpd), so
 * tests/unit/test_proxy.c tests it directly.
 */
#ifndef VIND_SEARCHD_PROXY_H
#define VIND_SEARCHD_PROXY_H

#include <stddef.h>

#include <vind/limits.h>

/* A client address as a key (as admission.h's VIND_CLIENT_KEY_BYTES): the
 * family byte, then 4 bytes (IPv4), the first 8 (IPv6: a client's /64) or
 * 16 (an IPv4-mapped IPv6 address). */
#define VIND_PROXY_KEY_BYTES 17

/* A trusted network: family (AF_INET, AF_INET6), address, prefix bits. */
typedef struct {
    int family;
    unsigned char bytes[16];
    unsigned prefix;
} vind_proxy_net_t;

/* The trusted proxies (--trusted-proxy); count 0: none, headers never read. */
typedef struct vind_proxies {
    size_t count;
    vind_proxy_net_t nets[VIND_SEARCHD_MAX_TRUSTED_PROXIES];
} vind_proxies_t;

/* Adds "ADDR" or "ADDR/PREFIX" (IPv4 or IPv6 literal; the prefix at most 32
 * or 128; no prefix: the one address). 1, or 0 with *why (static text): not
 * an address, a bad prefix, or more than VIND_SEARCHD_MAX_TRUSTED_PROXIES. */
int vind_proxies_add(vind_proxies_t *proxies, const char *spec, const char **why);

/* 1 when the address (family, bytes as in struct in_addr / in6_addr) lies in
 * a trusted network; an IPv4-mapped IPv6 address is matched as IPv4.
 * Cost: a compare per network (at most 64). */
int vind_proxies_trusted(const vind_proxies_t *proxies, int family, const unsigned char *bytes);

/* The key of an address (above). */
void vind_proxy_client_key(int family, const unsigned char *bytes,
                           unsigned char key[VIND_PROXY_KEY_BYTES]);

/* The client that the X-Forwarded-For values (in the order received; a
 * repeated header continues the list) name, for a request whose peer is
 * trusted: 1 with its key, or 0 when no entry could be taken (no header, an
 * empty one, the rightmost entry no address): the caller keeps the peer.
 * Entries: an IPv4 or IPv6 literal, optionally "[v6]", "[v6]:port" or
 * "v4:port", spaces around. Cost: at most VIND_SEARCHD_MAX_FORWARDED_HOPS
 * parses (inet_pton) and trust checks, whatever the header's length. */
int vind_proxies_forwarded_client(const vind_proxies_t *proxies, const char *const *values,
                                  size_t count, unsigned char key[VIND_PROXY_KEY_BYTES]);

#endif
