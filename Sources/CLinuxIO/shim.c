#define _GNU_SOURCE
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stddef.h>
#include <string.h>
#include <time.h>
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

int CLinuxIO_enableReceiveTimestamps(int descriptor) {
    int enabled = 1;
    return setsockopt(descriptor, SOL_SOCKET, SO_TIMESTAMPNS, &enabled, sizeof(enabled));
}

static unsigned long long nanoseconds(struct timespec time) {
    return (unsigned long long)time.tv_sec * 1000000000ULL + (unsigned long long)time.tv_nsec;
}

int CLinuxIO_recvmmsgTimestamped(int descriptor, void *buffers, unsigned int bufferLength, unsigned int count,
                                 unsigned int *lengths, unsigned long long *receivedNanoseconds) {
    enum { maximum = 64 };
    if (count > maximum) count = maximum;
    struct mmsghdr messages[maximum];
    struct iovec vectors[maximum];
    char controls[maximum][CMSG_SPACE(sizeof(struct timespec))];
    for (unsigned int index = 0; index < count; index++) {
        vectors[index] = (struct iovec){.iov_base = (char *)buffers + (size_t)index * bufferLength,
                                        .iov_len = bufferLength};
        messages[index] = (struct mmsghdr){.msg_hdr = {.msg_iov = &vectors[index], .msg_iovlen = 1,
                                                       .msg_control = controls[index],
                                                       .msg_controllen = sizeof(controls[index])}};
    }
    int received = recvmmsg(descriptor, messages, count, MSG_DONTWAIT, NULL);
    if (received <= 0) return received;
    // The kernel stamps CLOCK_REALTIME; both clocks advance alike, so their present difference
    // carries a stamp over.
    struct timespec realNow, monotonicNow;
    clock_gettime(CLOCK_REALTIME, &realNow);
    clock_gettime(CLOCK_MONOTONIC, &monotonicNow);
    for (int index = 0; index < received; index++) {
        lengths[index] = messages[index].msg_len;
        receivedNanoseconds[index] = 0;
        struct msghdr *message = &messages[index].msg_hdr;
        for (struct cmsghdr *header = CMSG_FIRSTHDR(message); header; header = CMSG_NXTHDR(message, header)) {
            if (header->cmsg_level != SOL_SOCKET || header->cmsg_type != SCM_TIMESTAMPNS) continue;
            struct timespec stamp;
            memcpy(&stamp, CMSG_DATA(header), sizeof(stamp));
            receivedNanoseconds[index] = nanoseconds(stamp) - nanoseconds(realNow) + nanoseconds(monotonicNow);
        }
    }
    return received;
}

void CLinuxIO_nameThisThread(const char *name) {
    char truncated[16];
    strncpy(truncated, name, sizeof(truncated) - 1);
    truncated[sizeof(truncated) - 1] = '\0';
    pthread_setname_np(pthread_self(), truncated);
}
