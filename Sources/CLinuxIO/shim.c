#define _GNU_SOURCE
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stddef.h>
#include <string.h>
#include "CLinuxIO.h"

_Static_assert(sizeof(CLinuxIO_mmsghdr) == sizeof(struct mmsghdr), "CLinuxIO_mmsghdr differs from struct mmsghdr");
_Static_assert(offsetof(CLinuxIO_mmsghdr, msg_len) == offsetof(struct mmsghdr, msg_len),
               "CLinuxIO_mmsghdr differs from struct mmsghdr");

int CLinuxIO_recvmmsg(int descriptor, CLinuxIO_mmsghdr *messages, unsigned int count, int flags) {
    return recvmmsg(descriptor, (struct mmsghdr *)messages, count, flags, NULL);
}

int CLinuxIO_acceptNoDelay(int listener) {
    int descriptor = accept4(listener, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (descriptor >= 0) {
        int enabled = 1;
        setsockopt(descriptor, IPPROTO_TCP, TCP_NODELAY, &enabled, sizeof(enabled));
    }
    return descriptor;
}

void CLinuxIO_nameThisThread(const char *name) {
    char truncated[16];
    strncpy(truncated, name, sizeof(truncated) - 1);
    truncated[sizeof(truncated) - 1] = '\0';
    pthread_setname_np(pthread_self(), truncated);
}
