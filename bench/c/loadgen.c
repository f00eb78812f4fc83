/*
 * loadgen: a native load generator for the Sockit benchmarks. One thread, one epoll set, many
 * non-blocking connections, so the client side costs as little as it can and the server is what is measured.
 *
 *   loadgen grumpy HOST PORT CLIENTS SECONDS      each client: connect, send the hello line, read to EOF,
 *                                                 close, again; prints exchanges/s and latency percentiles
 *   loadgen echo   HOST PORT CONNS SECONDS SIZE   each connection: send SIZE bytes, read them back, again;
 *                                                 prints messages/s and round-trip percentiles
 *   loadgen idle   HOST PORT CONNS SECONDS        opens CONNS connections that say nothing, prints READY,
 *                                                 holds them SECONDS, prints how many the server closed
 *   loadgen bulk   HOST PORT MIB SECONDS          one connection sends MIB MiB (or for SECONDS, whichever
 *                                                 ends first), half-closes; prints MiB/s
 *
 * Output is one line of key=value pairs for the suite to read. Build: gcc -O2 -o loadgen loadgen.c
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static const char hello[] = "Hello server, would you like to chat?\n";

enum state { CONNECTING, SENDING, READING };

struct conn {
    int fd;
    enum state state;
    double started;   /* when this exchange (or round trip) began, seconds */
    size_t done;      /* bytes sent or received in the current step */
};

static struct sockaddr_in target;
static int ep;

/* Latency samples in microseconds, sorted at the end for percentiles. */
static double *samples;
static size_t nsamples, capsamples;

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void die(const char *what) { fprintf(stderr, "[loadgen %s error]: %s\n", what, strerror(errno)); exit(1); }

static void record(double micros)
{
    if (nsamples == capsamples) {
        capsamples = capsamples ? capsamples * 2 : 1 << 16;
        samples = realloc(samples, capsamples * sizeof *samples);
        if (samples == NULL) die("memory");
    }
    samples[nsamples++] = micros;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double percentile(double p)
{
    if (nsamples == 0) return 0;
    size_t i = (size_t)(p * (double)(nsamples - 1) + 0.5);
    return samples[i];
}

/* Starts a non-blocking connect; the connection is watched for writability (= connected). */
static int open_conn(struct conn *c)
{
    c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    if (c->fd < 0) return -1;
    int one = 1;
    setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    c->state = CONNECTING;
    c->done = 0;
    c->started = now();
    if (connect(c->fd, (struct sockaddr *)&target, sizeof target) < 0 && errno != EINPROGRESS) {
        close(c->fd);
        c->fd = -1;
        return -1;
    }
    struct epoll_event ev = { .events = EPOLLOUT, .data.ptr = c };
    epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &ev);
    return 0;
}

static void watch(struct conn *c, unsigned events)
{
    struct epoll_event ev = { .events = events, .data.ptr = c };
    epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
}

static void close_conn(struct conn *c)
{
    if (c->fd >= 0) close(c->fd); /* close() also removes it from the epoll set */
    c->fd = -1;
}

static int connected_ok(struct conn *c)
{
    int err = 0;
    socklen_t len = sizeof err;
    getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len);
    return err == 0;
}

static void raise_nofile(void)
{
    struct rlimit lim;
    if (getrlimit(RLIMIT_NOFILE, &lim) == 0) { lim.rlim_cur = lim.rlim_max; setrlimit(RLIMIT_NOFILE, &lim); }
}

/* ---- grumpy: connect, hello, read to EOF, close ---- */
static int run_grumpy(int clients, double seconds)
{
    struct conn *conns = calloc((size_t)clients, sizeof *conns);
    char buf[4096];
    long exchanges = 0, errors = 0;
    for (int i = 0; i < clients; i++) if (open_conn(&conns[i]) < 0) errors++;
    double start = now(), end = start + seconds;
    struct epoll_event events[256];
    while (now() < end) {
        int n = epoll_wait(ep, events, 256, 100);
        for (int i = 0; i < n; i++) {
            struct conn *c = events[i].data.ptr;
            if (c->state == CONNECTING) {
                if (!connected_ok(c)) { close_conn(c); errors++; open_conn(c); continue; }
                c->state = SENDING;
            }
            if (c->state == SENDING) {
                ssize_t w = send(c->fd, hello + c->done, sizeof hello - 1 - c->done, MSG_NOSIGNAL);
                if (w < 0 && errno != EAGAIN) { close_conn(c); errors++; open_conn(c); continue; }
                if (w > 0) c->done += (size_t)w;
                if (c->done < sizeof hello - 1) continue;
                c->state = READING;
                c->done = 0;
                watch(c, EPOLLIN);
                continue;
            }
            ssize_t r;
            while ((r = recv(c->fd, buf, sizeof buf, 0)) > 0) c->done += (size_t)r;
            if (r < 0 && errno == EAGAIN) continue;
            if (r == 0 && c->done > 0) {
                exchanges++;
                record((now() - c->started) * 1e6);
            } else {
                errors++;
            }
            close_conn(c);
            if (open_conn(c) < 0) errors++;
        }
    }
    double elapsed = now() - start;
    qsort(samples, nsamples, sizeof *samples, cmp);
    printf("rate=%.0f exchanges=%ld errors=%ld p50_us=%.0f p99_us=%.0f seconds=%.2f\n",
           (double)exchanges / elapsed, exchanges, errors, percentile(0.50), percentile(0.99), elapsed);
    return 0;
}

/* ---- echo: send SIZE bytes, read SIZE bytes back, repeat ---- */
static int run_echo(int nconns, double seconds, size_t size)
{
    struct conn *conns = calloc((size_t)nconns, sizeof *conns);
    char *out = malloc(size), *in = malloc(size > 65536 ? size : 65536);
    for (size_t i = 0; i < size; i++) out[i] = (char)('a' + i % 26);
    long messages = 0, errors = 0;
    for (int i = 0; i < nconns; i++) if (open_conn(&conns[i]) < 0) die("connect");
    double start = now(), end = start + seconds;
    struct epoll_event events[256];
    while (now() < end) {
        int n = epoll_wait(ep, events, 256, 100);
        for (int i = 0; i < n; i++) {
            struct conn *c = events[i].data.ptr;
            if (c->state == CONNECTING) {
                if (!connected_ok(c)) die("connect");
                c->state = SENDING;
                c->started = now();
            }
            if (c->state == SENDING) {
                ssize_t w = send(c->fd, out + c->done, size - c->done, MSG_NOSIGNAL);
                if (w < 0 && errno != EAGAIN) { errors++; close_conn(c); continue; }
                if (w > 0) c->done += (size_t)w;
                if (c->done < size) { watch(c, EPOLLOUT); continue; }
                c->state = READING;
                c->done = 0;
                watch(c, EPOLLIN);
                continue;
            }
            ssize_t r = recv(c->fd, in, size - c->done, 0);
            if (r < 0 && errno == EAGAIN) continue;
            if (r <= 0) { errors++; close_conn(c); continue; }
            if (memcmp(in, out + c->done, (size_t)r) != 0) { fprintf(stderr, "[loadgen echo error]: bytes differ\n"); return 1; }
            c->done += (size_t)r;
            if (c->done < size) continue;
            messages++;
            double t = now();
            record((t - c->started) * 1e6);
            c->started = t;
            c->state = SENDING;
            c->done = 0;
            /* Send the next message at once rather than waiting for another wakeup. */
            ssize_t w = send(c->fd, out, size, MSG_NOSIGNAL);
            if (w < 0 && errno != EAGAIN) { errors++; close_conn(c); continue; }
            if (w > 0) c->done = (size_t)w;
            if (c->done == size) { c->state = READING; c->done = 0; }
            else watch(c, EPOLLOUT);
        }
    }
    double elapsed = now() - start;
    qsort(samples, nsamples, sizeof *samples, cmp);
    printf("rate=%.0f messages=%ld errors=%ld p50_us=%.1f p99_us=%.1f seconds=%.2f\n",
           (double)messages / elapsed, messages, errors, percentile(0.50), percentile(0.99), elapsed);
    return errors > 0;
}

/* ---- idle: hold many silent connections ---- */
static int run_idle(int nconns, double seconds)
{
    struct conn *conns = calloc((size_t)nconns, sizeof *conns);
    int opened = 0, pending = 0, connected = 0, failed = 0, closed = 0;
    struct epoll_event events[256];
    double deadline = now() + 60;
    /* At most 200 handshakes in flight, so a server's accept queue is not flooded into SYN retries. */
    while (connected + failed < nconns && now() < deadline) {
        while (pending < 200 && opened < nconns) {
            if (open_conn(&conns[opened]) < 0) { failed++; conns[opened].fd = -1; } else pending++;
            opened++;
        }
        int n = epoll_wait(ep, events, 256, 100);
        for (int i = 0; i < n; i++) {
            struct conn *c = events[i].data.ptr;
            if (c->state != CONNECTING) { closed++; close_conn(c); continue; }
            pending--;
            if (connected_ok(c)) { connected++; c->state = READING; watch(c, EPOLLIN); }
            else { failed++; close_conn(c); }
        }
    }
    printf("READY connected=%d failed=%d\n", connected, failed);
    fflush(stdout);
    double end = now() + seconds;
    char buf[256];
    while (now() < end) {
        int n = epoll_wait(ep, events, 256, 100);
        for (int i = 0; i < n; i++) {
            struct conn *c = events[i].data.ptr;
            if (recv(c->fd, buf, sizeof buf, 0) > 0) continue;
            closed++;
            close_conn(c);
        }
    }
    printf("connected=%d failed=%d closed_by_server=%d\n", connected, failed, closed);
    return 0;
}

/* ---- bulk: one connection, as fast as it goes ---- */
static int run_bulk(double mib, double seconds)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0 || connect(fd, (struct sockaddr *)&target, sizeof target) < 0) die("connect");
    /* A send timeout keeps the run bounded even when the receiver stops reading. */
    struct timeval tv = { .tv_sec = 0, .tv_usec = 200000 };
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    size_t chunk = 256 * 1024;
    char *buf = malloc(chunk);
    memset(buf, 'x', chunk);
    double total = mib * 1024 * 1024, sent = 0;
    double start = now(), end = start + seconds;
    while (sent < total && now() < end) {
        ssize_t w = send(fd, buf, chunk, MSG_NOSIGNAL);
        if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) continue;
        if (w < 0) die("send");
        sent += (double)w;
    }
    shutdown(fd, SHUT_WR);
    double elapsed = now() - start;
    close(fd);
    printf("mib_per_s=%.1f mib=%.0f seconds=%.2f\n", sent / 1048576 / elapsed, sent / 1048576, elapsed);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 6) {
        fprintf(stderr, "[Usage]: loadgen grumpy|echo|idle|bulk HOST PORT N SECONDS [SIZE]\n");
        return 1;
    }
    raise_nofile();
    target.sin_family = AF_INET;
    target.sin_port = htons((uint16_t)atoi(argv[3]));
    if (inet_pton(AF_INET, argv[2], &target.sin_addr) != 1) { fprintf(stderr, "[loadgen address error]: %s\n", argv[2]); return 1; }
    ep = epoll_create1(0);
    if (ep < 0) die("epoll");
    double n = atof(argv[4]), seconds = atof(argv[5]);
    if (strcmp(argv[1], "grumpy") == 0) return run_grumpy((int)n, seconds);
    if (strcmp(argv[1], "echo") == 0) return run_echo((int)n, seconds, argc > 6 ? (size_t)atol(argv[6]) : 64);
    if (strcmp(argv[1], "idle") == 0) return run_idle((int)n, seconds);
    if (strcmp(argv[1], "bulk") == 0) return run_bulk(n, seconds);
    fprintf(stderr, "[Usage]: unknown mode %s\n", argv[1]);
    return 1;
}
