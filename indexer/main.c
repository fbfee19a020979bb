/*
 * main.c - `vind-index`: walks a site tree and indexes its HTML and PDF files.
 * Not yet implemented (issue "vind-index"); prints its usage.
 */
#include <stdio.h>

#include <vind/vind.h>

int main(int argc, char **argv)
{
    (void)argv;
    fprintf(argc > 1 ? stderr : stdout,
            "usage: vind-index [--db DIR] [--base-url URL] [--jobs N] [--full] PATH...\n"
            "vind-index " VIND_VERSION_STRING ": not yet implemented.\n");
    return 2;
}
