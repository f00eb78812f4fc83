/*
 * runcpu: runs a command and reports the CPU it used, for the bench/run.sh figures of processes that end by
 * themselves (a bulk receiver that ends at EOF), whose /proc/PID/stat is gone by the time one could read it.
 *
 *   runcpu PIDFILE CPUFILE CMD [ARGS...]
 *
 * Writes the command's pid to PIDFILE as soon as it runs (so the caller can read /proc/PID/stat at the start
 * of its measured interval), and when it ends writes "cpu_us=N" to CPUFILE: user + system time of all its
 * threads and of the children it reaped (wait4's rusage). SIGINT/SIGTERM are passed on to the command.
 * Exits with the command's status. Build: gcc -O2 -o runcpu runcpu.c
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile pid_t child;

static void pass_on(int sig) { if (child > 0) kill(child, sig); }

int main(int argc, char **argv)
{
    if (argc < 4) { fprintf(stderr, "[Usage]: runcpu PIDFILE CPUFILE CMD [ARGS...]\n"); return 2; }
    struct sigaction sa = { .sa_handler = pass_on };
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    pid_t pid = fork();
    if (pid < 0) { perror("[runcpu fork error]"); return 2; }
    if (pid == 0) {
        execvp(argv[3], argv + 3);
        perror("[runcpu exec error]");
        _exit(127);
    }
    child = pid;
    FILE *f = fopen(argv[1], "w");
    if (f) { fprintf(f, "%d\n", (int)pid); fclose(f); }
    int status = 0;
    struct rusage ru;
    while (wait4(pid, &status, 0, &ru) < 0) {
        if (errno != EINTR) { perror("[runcpu wait error]"); return 2; } /* EINTR: a passed-on signal */
    }
    f = fopen(argv[2], "w");
    if (f) {
        long long us = (long long)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000LL + ru.ru_utime.tv_usec + ru.ru_stime.tv_usec;
        fprintf(f, "cpu_us=%lld\n", us);
        fclose(f);
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
