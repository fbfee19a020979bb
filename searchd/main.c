/*
 * main.c - `vind-searchd`: the HTTP search service.
 * Not yet implemented (issue "vind-searchd"); prints its usage.
 */
#include <stdio.h>

#include <vind/vind.h>

int main(int argc, char **argv)
{
    (void)argv;
    fprintf(argc > 1 ? stderr : stdout,
            "usage: vind-searchd [--db DIR] [--listen 127.0.0.1:8080] [--threads N]\n"
            "vind-searchd " VIND_VERSION_STRING ": not yet implemented.\n");
    return 2;
}
