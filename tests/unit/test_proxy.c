/*
 * test_proxy.c - the client behind a trusted proxy (searchd/proxy.c):
 * --trusted-proxy's networks (addresses, prefixes, what is refused), which
 * peers are trusted (IPv4-mapped as IPv4), and which client an
 * X-Forwarded-For names: the rightmost entry that is no trusted proxy,
 * never a client-written entry left of an untrusted hop; repeated headers,
 * ports, brackets, IPv6 (its /64), garbage, 1,000 entries (at most 16 read).
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "../../searchd/proxy.h"
#include "check.h"

/* The key of a literal address, as the daemon makes a peer's. */
static void key_of(const char *literal, unsigned char key[VIND_PROXY_KEY_BYTES])
{
    unsigned char bytes[16] = {0};
    int family = strchr(literal, ':') ? AF_INET6 : AF_INET;
    if (inet_pton(family, literal, bytes) != 1)
        abort();
    vind_proxy_client_key(family, bytes, key);
}

/* 1 when the header values name `expected` (NULL: no client taken). */
static int names(const vind_proxies_t *proxies, const char *const *values, size_t count,
                 const char *expected)
{
    unsigned char key[VIND_PROXY_KEY_BYTES], want[VIND_PROXY_KEY_BYTES];
    memset(key, 0xee, sizeof key);
    int taken = vind_proxies_forwarded_client(proxies, values, count, key);
    if (expected == NULL)
        return !taken && key[0] == 0xee; /* the caller's key left alone */
    key_of(expected, want);
    return taken && memcmp(key, want, sizeof key) == 0;
}

static int trusted(const vind_proxies_t *proxies, const char *literal)
{
    unsigned char bytes[16] = {0};
    int family = strchr(literal, ':') ? AF_INET6 : AF_INET;
    if (inet_pton(family, literal, bytes) != 1)
        abort();
    return vind_proxies_trusted(proxies, family, bytes);
}

static void test_networks(void)
{
    vind_proxies_t proxies = {0};
    const char *why = NULL;
    CHECK(vind_proxies_add(&proxies, "127.0.0.1", &why), "an IPv4 address");
    CHECK(vind_proxies_add(&proxies, "10.1.0.0/16", &why), "an IPv4 network");
    CHECK(vind_proxies_add(&proxies, "fd00:1::/32", &why), "an IPv6 network");
    CHECK(vind_proxies_add(&proxies, "192.168.7.0/23", &why), "a prefix not on a byte boundary");
    CHECK(trusted(&proxies, "127.0.0.1") && !trusted(&proxies, "127.0.0.2"),
          "127.0.0.1 trusted, 127.0.0.2 not");
    CHECK(trusted(&proxies, "10.1.255.3") && !trusted(&proxies, "10.2.0.1"), "the /16 holds 10.1.x.x");
    CHECK(trusted(&proxies, "fd00:1:ffff::9") && !trusted(&proxies, "fd00:2::9"), "the IPv6 /32");
    CHECK(trusted(&proxies, "192.168.6.200") && trusted(&proxies, "192.168.7.1") &&
              !trusted(&proxies, "192.168.8.1") && !trusted(&proxies, "192.168.5.255"),
          "the /23: 192.168.6.0-192.168.7.255");
    CHECK(trusted(&proxies, "::ffff:127.0.0.1"), "an IPv4-mapped peer is matched as IPv4");
    CHECK(!trusted(&proxies, "::1"), "::1 is not 127.0.0.1");
    const char *bad[] = {"", "localhost", "127.0.0.1/33", "::1/129", "127.0.0.1/", "127.0.0.1/-1",
                         "127.0.0.1/8x", "/8", "10.0.0.0/ 8", "1.2.3.4.5", "fe80::1%eth0"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        why = NULL;
        char what[80];
        snprintf(what, sizeof what, "refused: '%s', with a reason", bad[i]);
        CHECK(!vind_proxies_add(&proxies, bad[i], &why) && why != NULL, what);
    }
    vind_proxies_t full = {0};
    for (unsigned i = 0; i < VIND_SEARCHD_MAX_TRUSTED_PROXIES; i++)
        vind_proxies_add(&full, "10.0.0.1", &why);
    why = NULL;
    CHECK(!vind_proxies_add(&full, "10.0.0.2", &why) && why != NULL, "the 65th network is refused");
    vind_proxies_t all = {0};
    vind_proxies_add(&all, "0.0.0.0/0", &why);
    CHECK(trusted(&all, "203.0.113.9"), "0.0.0.0/0 trusts every IPv4 address");
}

static void test_forwarded(void)
{
    vind_proxies_t proxies = {0};
    const char *why = NULL;
    vind_proxies_add(&proxies, "127.0.0.1", &why);
    vind_proxies_add(&proxies, "10.0.0.0/8", &why);
    const char *one[] = {"203.0.113.7"};
    CHECK(names(&proxies, one, 1, "203.0.113.7"), "one entry: the client");
    const char *spoofed[] = {"198.51.100.1, 203.0.113.7"};
    CHECK(names(&proxies, spoofed, 1, "203.0.113.7"),
          "a client-written entry left of its own address is not taken");
    const char *chain[] = {"198.51.100.1, 203.0.113.7, 10.0.0.5"};
    CHECK(names(&proxies, chain, 1, "203.0.113.7"), "trusted hops on the right are passed over");
    const char *client_writes_trusted[] = {"10.9.9.9, 203.0.113.7"};
    CHECK(names(&proxies, client_writes_trusted, 1, "203.0.113.7"),
          "a trusted address the client wrote is never reached");
    const char *all_trusted[] = {"10.0.0.9, 10.0.0.5"};
    CHECK(names(&proxies, all_trusted, 1, "10.0.0.9"), "every hop trusted: the leftmost");
    const char *repeated[] = {"198.51.100.1", "203.0.113.7"};
    CHECK(names(&proxies, repeated, 2, "203.0.113.7"), "two headers: the last one's right end");
    const char *repeated_trusted[] = {"203.0.113.8, 10.1.1.1", "10.0.0.5"};
    CHECK(names(&proxies, repeated_trusted, 2, "203.0.113.8"),
          "two headers read as one list, from the right");
    const char *spaces[] = {" \t203.0.113.7 \t"};
    CHECK(names(&proxies, spaces, 1, "203.0.113.7"), "spaces and tabs around an entry");
    const char *ports[] = {"203.0.113.7:51234"};
    CHECK(names(&proxies, ports, 1, "203.0.113.7"), "an IPv4 address with a port");
    const char *v6[] = {"2001:db8:1:2:aaaa::1"};
    CHECK(names(&proxies, v6, 1, "2001:db8:1:2::"), "an IPv6 client is its /64");
    const char *v6_brackets[] = {"[2001:db8:1:2::9]:443"};
    CHECK(names(&proxies, v6_brackets, 1, "2001:db8:1:2::"), "[IPv6]:port");
    const char *v6_plain_brackets[] = {"[2001:db8:1:2::9]"};
    CHECK(names(&proxies, v6_plain_brackets, 1, "2001:db8:1:2::"), "[IPv6]");
    const char *mapped[] = {"::ffff:10.0.0.3"};
    CHECK(names(&proxies, mapped, 1, "::ffff:10.0.0.3"),
          "an IPv4-mapped trusted hop is passed over, and with nothing left it is the client");
    const char *garbage[] = {"<script>, 203.0.113.7"};
    CHECK(names(&proxies, garbage, 1, "203.0.113.7"), "garbage left of the client: not read");
    const char *garbage_right[] = {"203.0.113.7, unknown"};
    CHECK(names(&proxies, garbage_right, 1, NULL), "the rightmost entry no address: the peer");
    const char *garbage_after_hop[] = {"203.0.113.7, x, 10.0.0.5"};
    CHECK(names(&proxies, garbage_after_hop, 1, "10.0.0.5"),
          "garbage behind a trusted hop: that hop (the scan stops)");
    const char *empty[] = {""};
    CHECK(names(&proxies, empty, 1, NULL), "an empty header: the peer");
    CHECK(names(&proxies, NULL, 0, NULL), "no header: the peer");
    const char *commas[] = {"203.0.113.7,"};
    CHECK(names(&proxies, commas, 1, NULL), "a trailing comma (an empty entry): the peer");
    const char *bad_forms[] = {"203.0.113.7:", "203.0.113.7:123456", "[203.0.113.7]",
                               "[2001:db8::1", "[2001:db8::1]x", "2001:db8::1:80:", "fe80::1%eth0",
                               "203.0.113.7 203.0.113.8", "0x7f.1"};
    for (size_t i = 0; i < sizeof bad_forms / sizeof bad_forms[0]; i++) {
        char what[80];
        snprintf(what, sizeof what, "'%s' is no address: the peer", bad_forms[i]);
        const char *values[] = {bad_forms[i]};
        CHECK(names(&proxies, values, 1, NULL), what);
    }
    /* 1,000 entries: the 16 on the right are read, whatever the rest. */
    size_t size = 1000 * 16 + 1;
    char *long_value = malloc(size), *p = long_value;
    for (int i = 0; i < 999; i++)
        p += sprintf(p, "10.0.%d.%d, ", i / 250, i % 250 + 1);
    sprintf(p, "203.0.113.7");
    const char *thousand[] = {long_value};
    CHECK(names(&proxies, thousand, 1, "203.0.113.7"), "1,000 entries: the rightmost untrusted");
    p = long_value;
    for (int i = 0; i < 1000; i++)
        p += sprintf(p, "%s10.0.%d.%d", i ? ", " : "", i / 250, i % 250 + 1);
    CHECK(names(&proxies, thousand, 1, "10.0.3.235"),
          "1,000 trusted entries: the 16th from the right (the scan stops there)");
    free(long_value);
}

int main(void)
{
    test_networks();
    test_forwarded();
    return check_done();
}
