#ifndef CLINUXIO_H
#define CLINUXIO_H

// epoll, eventfd, recvmmsg, accept4, TCP_NODELAY, receive timestamps and thread names: Linux
// interfaces Swift's
// Glibc module leaves out. recvmmsg, accept4 and pthread_setname_np need _GNU_SOURCE, which
// must not leak into this header (it would change the definitions Swift already has from
// Glibc), so they are wrapped in shim.c.
//
// The compiler may attribute the declarations of <sys/socket.h> (SOCK_DGRAM, say) to this
// module rather than to Glibc, depending on which it loads first, so a Swift file of a module
// that imports this one and uses them imports it too (a clean build failed without).

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>

/// Laid out as glibc's struct mmsghdr (checked in shim.c).
typedef struct {
    struct msghdr msg_hdr;
    unsigned int msg_len;
} CLinuxIO_mmsghdr;

int CLinuxIO_recvmmsg(int descriptor, CLinuxIO_mmsghdr *messages, unsigned int count, int flags);

/// Accepts a connection on `listener` as a non-blocking, close-on-exec socket with TCP_NODELAY
/// set; -1 with errno set when none is waiting or accepting failed.
int CLinuxIO_acceptNoDelay(int listener);

/// Has the kernel note when each datagram reaches `descriptor` (SO_TIMESTAMPNS); 0 on success.
int CLinuxIO_enableReceiveTimestamps(int descriptor);

/// Receives up to `count` (at most 64) datagrams waiting on `descriptor` without blocking, the
/// n-th into `buffers + n * bufferLength`, and stores each one's length and when the kernel
/// received it, on CLOCK_MONOTONIC (0 if the socket has no timestamps enabled). Answers how
/// many arrived, or -1 with errno set (EAGAIN: none was waiting).
int CLinuxIO_recvmmsgTimestamped(int descriptor, void *buffers, unsigned int bufferLength, unsigned int count,
                                 unsigned int *lengths, unsigned long long *receivedNanoseconds);

/// Names the calling thread (at most 15 bytes are kept).
void CLinuxIO_nameThisThread(const char *name);

#endif
