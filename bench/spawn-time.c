/*
 * spawn-time.c - how long one run of a program takes, start to exit, as a
 * shell user sees it (hyperfine's measure, without a dependency): runs
 * COMMAND ROUNDS times (plus 3 warm-up runs, not counted), its output and errors to
 * /dev/null, and prints the median and p90 of the wall-clock time and the
 * median of the CPU time (user + system, from wait4) per run. Timing only,
 * never pass/fail: bench/cli.sh runs it in `make bench`.
 *
 *   spawn-time LABEL ROUNDS COMMAND [ARGS...]
 *
 * posix_spawn + wait4 cost about 0.1 ms themselves, so a figure here is what
 * the program costs to within that.
 */
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>

extern char **environ;

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int compare(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double quantile(double *v, int n, double q)
{
    qsort(v, (size_t)n, sizeof *v, compare);
    int i = (int)(q * (n - 1) + 0.5);
    return v[i];
}

/* One run: sets *wall and *cpu in ms; returns the exit status or -1. */
static int run_once(char **argv, double *wall, double *cpu)
{
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", 01 /* O_WRONLY */, 0);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", 01 /* O_WRONLY */, 0);
    double start = now_ms();
    pid_t pid;
    int rc = posix_spawnp(&pid, argv[0], &actions, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0)
        return -1;
    int status;
    struct rusage ru;
    if (wait4(pid, &status, 0, &ru) != pid)
        return -1;
    *wall = now_ms() - start;
    *cpu = ru.ru_utime.tv_sec * 1e3 + ru.ru_utime.tv_usec / 1e3 + ru.ru_stime.tv_sec * 1e3 +
           ru.ru_stime.tv_usec / 1e3;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: spawn-time LABEL ROUNDS COMMAND [ARGS...]\n");
        return 2;
    }
    int rounds = atoi(argv[2]);
    if (rounds < 1)
        rounds = 1;
    double *wall = calloc((size_t)rounds, sizeof *wall);
    double *cpu = calloc((size_t)rounds, sizeof *cpu);
    if (!wall || !cpu)
        return 2;
    for (int i = -3; i < rounds; i++) {
        double w, c;
        int status = run_once(argv + 3, &w, &c);
        if (status != 0) {
            fprintf(stderr, "spawn-time: %s exited with %d\n", argv[3], status);
            return 1;
        }
        if (i >= 0)
            wall[i] = w, cpu[i] = c;
    }
    double cpu_median = quantile(cpu, rounds, 0.5);
    double wall_median = quantile(wall, rounds, 0.5), wall_p90 = quantile(wall, rounds, 0.9);
    printf("  %-28s wall median %6.2f ms  p90 %6.2f ms   CPU (user+sys) median %6.2f ms   (%d runs)\n",
           argv[1], wall_median, wall_p90, cpu_median, rounds);
    free(wall);
    free(cpu);
    return 0;
}
