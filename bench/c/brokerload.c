// Broker fan-out load: N members connect to HOST PORT; each sends M messages of S bytes (one line each) as fast as the
// broker takes them; ends when every member has received the (N-1)*M messages of the others. Prints messages
// delivered per second. One thread, epoll, non-blocking sockets: the load generator must not be the bottleneck.
// Usage: brokerload HOST PORT N M S
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec / 1e9; }

int main(int argc, char **argv) {
    if (argc != 6) { fprintf(stderr, "usage: brokerload HOST PORT N M S\n"); return 2; }
    int n = atoi(argv[3]), m = atoi(argv[4]), s = atoi(argv[5]);
    struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(atoi(argv[2])) };
    inet_pton(AF_INET, argv[1], &to.sin_addr);
    int *fd = calloc(n, sizeof *fd);
    long long *sent = calloc(n, sizeof *sent), *got = calloc(n, sizeof *got);
    long long total = (long long)m * s, want = (long long)(n - 1) * m * s;
    char *out = malloc(total), in[65536];
    for (long long i = 0; i < total; i++) out[i] = (i % s == s - 1) ? '\n' : 'a' + i % 26;
    int ep = epoll_create1(0);
    for (int i = 0; i < n; i++) {
        fd[i] = socket(AF_INET, SOCK_STREAM, 0);
        if (connect(fd[i], (struct sockaddr *)&to, sizeof to) != 0) { perror("connect"); return 1; }
    }
    usleep(500000 + n * 2000); // every member has joined before anyone speaks
    for (int i = 0; i < n; i++) {
        fcntl(fd[i], F_SETFL, O_NONBLOCK);
        struct epoll_event e = { .events = EPOLLIN | EPOLLOUT, .data.u32 = i };
        epoll_ctl(ep, EPOLL_CTL_ADD, fd[i], &e);
    }
    double start = now();
    int done = 0;
    struct epoll_event ev[256];
    while (done < n) {
        int k = epoll_wait(ep, ev, 256, 60000);
        if (k <= 0) { fprintf(stderr, "stalled: %d of %d members done\n", done, n); return 1; }
        for (int j = 0; j < k; j++) {
            int i = ev[j].data.u32;
            if ((ev[j].events & EPOLLOUT) && sent[i] < total) {
                ssize_t w = write(fd[i], out + sent[i], total - sent[i]);
                if (w > 0) sent[i] += w;
                if (sent[i] == total) { struct epoll_event e = { .events = EPOLLIN, .data.u32 = i }; epoll_ctl(ep, EPOLL_CTL_MOD, fd[i], &e); }
            }
            if (ev[j].events & EPOLLIN) {
                ssize_t r;
                while ((r = read(fd[i], in, sizeof in)) > 0) {
                    if (got[i] < want && got[i] + r >= want) done++;
                    got[i] += r;
                }
                if (r == 0) { fprintf(stderr, "member %d closed by the broker\n", i); return 1; }
            }
        }
    }
    double took = now() - start;
    long long messages = (long long)n * (n - 1) * m;
    printf("%d members x %d messages of %d bytes: %lld delivered in %.2f s = %.0f messages/s\n", n, m, s, messages, took, messages / took);
    return 0;
}
