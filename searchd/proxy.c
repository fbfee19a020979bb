/*
 * proxy.c - the client behind a trusted proxy (proxy.h says what and why).
 */
#include "proxy.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

/* The longest entry read as an address: "[" + an IPv6 literal (45) + "]:" +
 * a port; anything longer is no address. */
#define ENTRY_BYTES 64

/* Parses an IPv4 or IPv6 literal of len bytes: 1 with its family and bytes. */
static int parse_literal(const char *text, size_t len, int *family, unsigned char bytes[16])
{
    char buffer[INET6_ADDRSTRLEN];
    if (len == 0 || len >= sizeof buffer)
        return 0;
    memcpy(buffer, text, len);
    buffer[len] = '\0';
    if (inet_pton(AF_INET, buffer, bytes) == 1) {
        *family = AF_INET;
        return 1;
    }
    if (inet_pton(AF_INET6, buffer, bytes) == 1) {
        *family = AF_INET6;
        return 1;
    }
    return 0;
}

static int all_digits(const char *text, size_t len)
{
    if (len == 0 || len > 5)
        return 0;
    for (size_t i = 0; i < len; i++)
        if (text[i] < '0' || text[i] > '9')
            return 0;
    return 1;
}

/* An entry of X-Forwarded-For, spaces trimmed: a literal, "[v6]",
 * "[v6]:port" or "v4:port". */
static int parse_entry(const char *text, size_t len, int *family, unsigned char bytes[16])
{
    if (len > ENTRY_BYTES)
        return 0;
    if (len > 0 && text[0] == '[') {
        const char *close = memchr(text, ']', len);
        if (close == NULL)
            return 0;
        size_t after = len - (size_t)(close + 1 - text);
        if (after != 0 && !(close[1] == ':' && all_digits(close + 2, after - 1)))
            return 0;
        return parse_literal(text + 1, (size_t)(close - text - 1), family, bytes) &&
               *family == AF_INET6;
    }
    const char *colon = memchr(text, ':', len);
    if (colon != NULL && memchr(colon + 1, ':', len - (size_t)(colon + 1 - text)) == NULL) {
        /* one colon: "v4:port" (an IPv6 literal has at least two) */
        size_t address_len = (size_t)(colon - text);
        return all_digits(colon + 1, len - address_len - 1) &&
               parse_literal(text, address_len, family, bytes) && *family == AF_INET;
    }
    return parse_literal(text, len, family, bytes);
}

int vind_proxies_add(vind_proxies_t *proxies, const char *spec, const char **why)
{
    if (proxies->count >= VIND_SEARCHD_MAX_TRUSTED_PROXIES) {
        *why = "too many trusted proxies (at most 64)";
        return 0;
    }
    vind_proxy_net_t net = {0};
    const char *slash = strchr(spec, '/');
    size_t len = slash ? (size_t)(slash - spec) : strlen(spec);
    if (!parse_literal(spec, len, &net.family, net.bytes)) {
        *why = "not an IPv4 or IPv6 address";
        return 0;
    }
    unsigned bits = net.family == AF_INET ? 32 : 128;
    net.prefix = bits;
    if (slash) {
        char *end = NULL;
        unsigned long prefix = strtoul(slash + 1, &end, 10);
        if (!all_digits(slash + 1, strlen(slash + 1)) || *end != '\0' || prefix > bits) {
            *why = "the prefix is not a number of bits (at most 32 for IPv4, 128 for IPv6)";
            return 0;
        }
        net.prefix = (unsigned)prefix;
    }
    proxies->nets[proxies->count++] = net;
    return 1;
}

/* 1 when the first `prefix` bits of a and b agree. */
static int prefix_matches(const unsigned char *a, const unsigned char *b, unsigned prefix)
{
    unsigned whole = prefix / 8, rest = prefix % 8;
    if (memcmp(a, b, whole) != 0)
        return 0;
    if (rest == 0)
        return 1;
    unsigned char mask = (unsigned char)(0xffu << (8 - rest));
    return (a[whole] & mask) == (b[whole] & mask);
}

int vind_proxies_trusted(const vind_proxies_t *proxies, int family, const unsigned char *bytes)
{
    if (family == AF_INET6 && IN6_IS_ADDR_V4MAPPED((const struct in6_addr *)(const void *)bytes)) {
        family = AF_INET;
        bytes += 12;
    }
    for (size_t i = 0; i < proxies->count; i++) {
        const vind_proxy_net_t *net = &proxies->nets[i];
        if (net->family == family && prefix_matches(net->bytes, bytes, net->prefix))
            return 1;
    }
    return 0;
}

void vind_proxy_client_key(int family, const unsigned char *bytes,
                           unsigned char key[VIND_PROXY_KEY_BYTES])
{
    memset(key, 0, VIND_PROXY_KEY_BYTES);
    key[0] = (unsigned char)family;
    if (family == AF_INET)
        memcpy(key + 1, bytes, 4);
    else if (family == AF_INET6)
        memcpy(key + 1, bytes,
               IN6_IS_ADDR_V4MAPPED((const struct in6_addr *)(const void *)bytes) ? 16 : 8);
}

static int is_space(char c)
{
    return c == ' ' || c == '\t';
}

int vind_proxies_forwarded_client(const vind_proxies_t *proxies, const char *const *values,
                                  size_t count, unsigned char key[VIND_PROXY_KEY_BYTES])
{
    int taken = 0;
    unsigned hops = 0;
    for (size_t v = count; v-- > 0;) {
        const char *value = values[v];
        size_t end = strlen(value);
        for (;;) {
            size_t start = end;
            while (start > 0 && value[start - 1] != ',')
                start--;
            size_t first = start, last = end;
            while (first < last && is_space(value[first]))
                first++;
            while (last > first && is_space(value[last - 1]))
                last--;
            int family;
            unsigned char bytes[16];
            if (++hops > VIND_SEARCHD_MAX_FORWARDED_HOPS ||
                !parse_entry(value + first, last - first, &family, bytes))
                return taken; /* the last trusted hop taken, or none: the peer */
            vind_proxy_client_key(family, bytes, key);
            taken = 1;
            if (!vind_proxies_trusted(proxies, family, bytes))
                return 1; /* the rightmost address that is no trusted proxy */
            if (start == 0)
                break;
            end = start - 1; /* before the comma */
        }
    }
    return taken;
}
