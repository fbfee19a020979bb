/* test_status.c - status names and the errmsg helper. */
#include <stdlib.h>

#include <vind/status.h>
#include "error.h"
#include "check.h"

int main(void)
{
    CHECK_STR(vind_status_to_string(VIND_OK), "success", "VIND_OK has a name");
    int all_named = 1;
    for (int s = 0; s < VIND_STATUS_LAST; s++)
        if (strcmp(vind_status_to_string((vind_status_t)s), "unknown status") == 0)
            all_named = 0;
    CHECK(all_named, "every status has a name");
    CHECK_STR(vind_status_to_string((vind_status_t)999), "unknown status", "out-of-range status");

    char *msg = NULL;
    vind_status_t st = vind_error(&msg, VIND_IO, "cannot open %s", "x.pdf");
    CHECK_INT(st, VIND_IO, "vind_error returns its status");
    CHECK_STR(msg, "cannot open x.pdf", "vind_error formats the message");
    free(msg);
    CHECK_INT(vind_error(NULL, VIND_NOMEM, "x"), VIND_NOMEM, "NULL errmsg is allowed");
    return check_done();
}
