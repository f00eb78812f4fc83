/*
 * refserver: the reference C server the benchmarks measure Sockit against.
 * One thread, one epoll set, non-blocking sockets, level-triggered, no logging: about as cheap as a
 * server of these protocols gets on Linux, so a ratio against it says how much Sockit's runtime costs.
 *
 *   refserver grumpy [PORT]   read to a newline (or EOF), send the grumpy reply, close
 *   refserver echo   [PORT]   send back every byte until the peer half-closes, then close
 *   refserver sink   [PORT]   read and discard every byte until the peer half-closes, then close (bulk)
 *
 * Binds 127.0.0.1:PORT (0, the default, picks a free port) and prints the seed's LISTENING line with the
 * real port. SIGINT/SIGTERM end it. Build: gcc -O2 -o refserver refserver.c
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_EVENTS 256
#define BUF_SIZE (64 * 1024)

static const char reply[] = "I'm a grumpy server, don't connect, I don't want no friends!\n";
static volatile sig_atomic_t stopping;

/* Per connection: only echo needs state, the bytes a full send buffer could not take yet. */
struct pending { char *data; size_t len, off; };
static struct pending *pend;
static int max_fd;

static void on_signal(int sig) { (void)sig; stopping = 1; }

static void die(const char *what) { fprintf(stderr, "[refserver %s error]: %s\n", what, strerror(errno)); exit(1); }

static void close_conn(int ep, int fd)
{
    epoll_ctl(ep, EPOLL_CTL_DEL, fd, NULL);
    if (fd < max_fd) { free(pend[fd].data); pend[fd].data = NULL; pend[fd].len = pend[fd].off = 0; }
    close(fd);
}

static void serve_grumpy(int ep, int fd, char *buf)
{
    for (;;) {
        ssize_t n = recv(fd, buf, BUF_SIZE, 0);
        if (n > 0) {
            if (memchr(buf, '\n', (size_t)n) == NULL) continue;
        } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            return; /* no newline yet: wait for more */
        } else if (n < 0) {
            close_conn(ep, fd);
            return;
        }
        /* newline or EOF: answer and close (the reply fits any socket buffer) */
        (void)!send(fd, reply, sizeof reply - 1, MSG_NOSIGNAL);
        close_conn(ep, fd);
        return;
    }
}

static void set_events(int ep, int fd, unsigned events)
{
    struct epoll_event ev = { .events = events, .data.fd = fd };
    epoll_ctl(ep, EPOLL_CTL_MOD, fd, &ev);
}

/* Flushes what is pending; 1 when all of it went, 0 when the send buffer is full, -1 on error. */
static int flush_pending(int fd)
{
    struct pending *p = &pend[fd];
    while (p->off < p->len) {
        ssize_t n = send(fd, p->data + p->off, p->len - p->off, MSG_NOSIGNAL);
        if (n < 0) return (errno == EAGAIN || errno == EWOULDBLOCK) ? 0 : -1;
        p->off += (size_t)n;
    }
    p->off = p->len = 0;
    return 1;
}

static void serve_echo(int ep, int fd, unsigned events, char *buf)
{
    if (events & EPOLLOUT) {
        int r = flush_pending(fd);
        if (r < 0) { close_conn(ep, fd); return; }
        if (r == 0) return;
        set_events(ep, fd, EPOLLIN);
    }
    if (pend[fd].len > 0) return; /* still waiting to write: read nothing more (back-pressure) */
    for (int turns = 0; turns < 16; turns++) {
        ssize_t n = recv(fd, buf, BUF_SIZE, 0);
        if (n == 0) { shutdown(fd, SHUT_WR); close_conn(ep, fd); return; }
        if (n < 0) {
            if (errno == EAGAIN || errno == EWOULDBLOCK) return;
            close_conn(ep, fd);
            return;
        }
        ssize_t sent = 0;
        while (sent < n) {
            ssize_t w = send(fd, buf + sent, (size_t)(n - sent), MSG_NOSIGNAL);
            if (w < 0) {
                if (errno != EAGAIN && errno != EWOULDBLOCK) { close_conn(ep, fd); return; }
                struct pending *p = &pend[fd];
                p->data = realloc(p->data, (size_t)(n - sent));
                if (p->data == NULL) die("memory");
                memcpy(p->data, buf + sent, (size_t)(n - sent));
                p->len = (size_t)(n - sent);
                p->off = 0;
                set_events(ep, fd, EPOLLOUT);
                return;
            }
            sent += w;
        }
    }
}

/* Bulk receiver: drain what is there, close at EOF or error. */
static void serve_sink(int ep, int fd, char *buf)
{
    for (;;) {
        ssize_t r = read(fd, buf, BUF_SIZE);
        if (r > 0) continue;
        if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
        if (r < 0 && errno == EINTR) continue;
        close_conn(ep, fd);
        return;
    }
}

int main(int argc, char **argv)
{
    if (argc < 2 || (strcmp(argv[1], "grumpy") != 0 && strcmp(argv[1], "echo") != 0 && strcmp(argv[1], "sink") != 0)) {
        fprintf(stderr, "[Usage]: refserver grumpy|echo|sink [PORT]\n");
        return 1;
    }
    int echo = strcmp(argv[1], "echo") == 0, sink = strcmp(argv[1], "sink") == 0;
    int port = argc > 2 ? atoi(argv[2]) : 0;

    struct rlimit lim;
    if (getrlimit(RLIMIT_NOFILE, &lim) == 0) {
        lim.rlim_cur = lim.rlim_max;
        setrlimit(RLIMIT_NOFILE, &lim);
        max_fd = (int)lim.rlim_cur;
    } else {
        max_fd = 1024;
    }
    pend = calloc((size_t)max_fd, sizeof *pend);
    char *buf = malloc(BUF_SIZE);
    if (pend == NULL || buf == NULL) die("memory");

    struct sigaction sa = { .sa_handler = on_signal };
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);

    int listener = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    if (listener < 0) die("socket");
    int one = 1;
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(listener, (struct sockaddr *)&addr, sizeof addr) < 0) die("bind");
    if (listen(listener, SOMAXCONN) < 0) die("listen");
    socklen_t len = sizeof addr;
    getsockname(listener, (struct sockaddr *)&addr, &len);
    printf("SERVER AT 127.0.0.1:%d LISTENING FOR CONNECTIONS\n", ntohs(addr.sin_port));
    fflush(stdout);

    int ep = epoll_create1(0);
    if (ep < 0) die("epoll");
    struct epoll_event ev = { .events = EPOLLIN, .data.fd = listener };
    epoll_ctl(ep, EPOLL_CTL_ADD, listener, &ev);

    struct epoll_event events[MAX_EVENTS];
    while (!stopping) {
        int n = epoll_wait(ep, events, MAX_EVENTS, 500);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) die("epoll_wait");
        for (int i = 0; i < n; i++) {
            int fd = events[i].data.fd;
            if (fd == listener) {
                for (;;) {
                    int c = accept4(listener, NULL, NULL, SOCK_NONBLOCK);
                    if (c < 0) break; /* EAGAIN, or a transient error: epoll tells us again */
                    if (c >= max_fd) { close(c); continue; }
                    struct epoll_event cev = { .events = EPOLLIN, .data.fd = c };
                    epoll_ctl(ep, EPOLL_CTL_ADD, c, &cev);
                }
            } else if (sink) {
                serve_sink(ep, fd, buf);
            } else if (echo) {
                serve_echo(ep, fd, events[i].events, buf);
            } else {
                serve_grumpy(ep, fd, buf);
            }
        }
    }
    return 0;
}
