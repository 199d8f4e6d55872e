// The fan-out hot path of sfu-server, written as plainly as C allows, to measure what this
// machine can do at best: `sfu-bench forward` does the same work through the real media
// engine, and `scripts/bench-reference.sh` runs both and prints the ratio.
//
// One forwarding thread waits in epoll on an ingress UDP socket and reads it with recvmmsg. For
// each packet it checks and removes SRTP (AES_CM_128_HMAC_SHA1_80), then for each consumer
// copies it, rewrites SSRC and sequence number, protects it with the consumer's keys and sends
// it with send() on the consumer's own connected socket (as each plain transport has its own).
// A generator thread sends SRTP VP8-sized packets at a steady rate; a sink thread polls one
// socket every consumer sends to, counting, so the forwarder never pays for waking it. Only the
// forwarding thread's CPU time is reported.
//
// Keystream: AES-128-ECB over counter blocks, XORed over the payload; authentication: HMAC-SHA1
// from inner and outer SHA-1 states computed once per key. Session keys are random (no SRTP key
// derivation: it happens once per session, not per packet).
//
// usage: reference-forwarder CONSUMERS RATE SECONDS [PACKET_SIZE]
#define _GNU_SOURCE
#define OPENSSL_SUPPRESS_DEPRECATED
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum { TAG_LENGTH = 10, HEADER_LENGTH = 12, BATCH = 32, MAX_PACKET = 1500 };

typedef struct {
    EVP_CIPHER_CTX *ecb;
    SHA_CTX inner, outer;
    uint8_t salt[14];
} SrtpKeys;

static void keys_init(SrtpKeys *keys) {
    uint8_t cipher_key[16], auth_key[20], pad[64];
    RAND_bytes(cipher_key, sizeof cipher_key);
    RAND_bytes(auth_key, sizeof auth_key);
    RAND_bytes(keys->salt, sizeof keys->salt);
    keys->ecb = EVP_CIPHER_CTX_new();
    EVP_EncryptInit_ex(keys->ecb, EVP_aes_128_ecb(), NULL, cipher_key, NULL);
    EVP_CIPHER_CTX_set_padding(keys->ecb, 0);
    memset(pad, 0x36, sizeof pad);
    for (size_t i = 0; i < sizeof auth_key; i++) pad[i] ^= auth_key[i];
    SHA1_Init(&keys->inner);
    SHA1_Update(&keys->inner, pad, sizeof pad);
    memset(pad, 0x5c, sizeof pad);
    for (size_t i = 0; i < sizeof auth_key; i++) pad[i] ^= auth_key[i];
    SHA1_Init(&keys->outer);
    SHA1_Update(&keys->outer, pad, sizeof pad);
}

// RFC 3711 4.1.1: IV = (salt * 2^16) XOR (ssrc * 2^64) XOR (index * 2^16).
static void apply_keystream(SrtpKeys *keys, uint8_t *bytes, int count, uint32_t ssrc, uint64_t index) {
    static uint8_t counters[MAX_PACKET + 16], stream[MAX_PACKET + 16];
    uint8_t iv[16] = {0};
    memcpy(iv, keys->salt, 14);
    for (int i = 0; i < 4; i++) iv[4 + i] ^= (uint8_t)(ssrc >> (24 - 8 * i));
    for (int i = 0; i < 6; i++) iv[8 + i] ^= (uint8_t)(index >> (40 - 8 * i));
    int blocks = (count + 15) / 16;
    for (int b = 0; b < blocks; b++) {
        memcpy(counters + 16 * b, iv, 14);
        counters[16 * b + 14] = (uint8_t)(b >> 8);
        counters[16 * b + 15] = (uint8_t)b;
    }
    int produced = 0;
    EVP_EncryptUpdate(keys->ecb, stream, &produced, counters, blocks * 16);
    for (int i = 0; i < count; i++) bytes[i] ^= stream[i];
}

static void hmac(SrtpKeys *keys, const uint8_t *bytes, int count, uint32_t roc, uint8_t digest[20]) {
    SHA_CTX context = keys->inner;
    uint8_t roc_bytes[4] = {roc >> 24, roc >> 16, roc >> 8, roc};
    SHA1_Update(&context, bytes, count);
    SHA1_Update(&context, roc_bytes, 4);
    SHA1_Final(digest, &context);
    context = keys->outer;
    SHA1_Update(&context, digest, 20);
    SHA1_Final(digest, &context);
}

static int protect(SrtpKeys *keys, uint8_t *packet, int length) {
    uint32_t ssrc = ntohl(*(uint32_t *)(packet + 8));
    uint16_t sequence = ntohs(*(uint16_t *)(packet + 2));
    apply_keystream(keys, packet + HEADER_LENGTH, length - HEADER_LENGTH, ssrc, sequence);
    uint8_t digest[20];
    hmac(keys, packet, length, 0, digest);
    memcpy(packet + length, digest, TAG_LENGTH);
    return length + TAG_LENGTH;
}

static int unprotect(SrtpKeys *keys, uint8_t *packet, int length) {
    if (length < HEADER_LENGTH + TAG_LENGTH) return -1;
    int authenticated = length - TAG_LENGTH;
    uint8_t digest[20];
    hmac(keys, packet, authenticated, 0, digest);
    if (CRYPTO_memcmp(digest, packet + authenticated, TAG_LENGTH) != 0) return -1;
    uint32_t ssrc = ntohl(*(uint32_t *)(packet + 8));
    uint16_t sequence = ntohs(*(uint16_t *)(packet + 2));
    apply_keystream(keys, packet + HEADER_LENGTH, authenticated - HEADER_LENGTH, ssrc, sequence);
    return authenticated;
}

static int bound_socket(struct sockaddr_in *address) {
    int descriptor = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
    int size = 4 << 20;
    setsockopt(descriptor, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
    setsockopt(descriptor, SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
    struct sockaddr_in any = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t length = sizeof any;
    if (bind(descriptor, (struct sockaddr *)&any, sizeof any) != 0) { perror("bind"); exit(1); }
    getsockname(descriptor, (struct sockaddr *)address, &length);
    return descriptor;
}

static uint64_t now_ns(clockid_t clock) {
    struct timespec time;
    clock_gettime(clock, &time);
    return (uint64_t)time.tv_sec * 1000000000u + (uint64_t)time.tv_nsec;
}

static atomic_bool stopping, generating;
static atomic_long received, generated;
static int sink_socket, ingress_socket, rate, packet_size;
static struct sockaddr_in ingress_address;
static SrtpKeys producer_keys;

static void *sink(void *unused) {
    (void)unused;
    uint8_t buffer[2048];
    while (!atomic_load(&stopping)) {
        if (recv(sink_socket, buffer, sizeof buffer, MSG_DONTWAIT) > 0) atomic_fetch_add(&received, 1);
        else sched_yield();
    }
    return NULL;
}

static void *generator(void *unused) {
    (void)unused;
    int descriptor = socket(AF_INET, SOCK_DGRAM, 0);
    uint8_t packet[MAX_PACKET];
    uint16_t sequence = 0;
    uint32_t timestamp = 0;
    uint64_t start = now_ns(CLOCK_MONOTONIC);
    long sent = 0;
    while (atomic_load(&generating)) {
        uint64_t elapsed = now_ns(CLOCK_MONOTONIC) - start;
        long due = (long)((double)rate * (double)elapsed / 1e9);
        for (; sent < due; sent++) {
            memset(packet, 0x5A, packet_size);
            packet[0] = 0x80;
            packet[1] = 96;
            *(uint16_t *)(packet + 2) = htons(sequence++);
            *(uint32_t *)(packet + 4) = htonl(timestamp += 90000 / rate);
            *(uint32_t *)(packet + 8) = htonl(1111);
            int length = protect(&producer_keys, packet, packet_size);
            sendto(descriptor, packet, length, 0, (struct sockaddr *)&ingress_address, sizeof ingress_address);
            atomic_fetch_add(&generated, 1);
        }
        struct timespec pause = {0, 1000000};
        nanosleep(&pause, NULL);
    }
    close(descriptor);
    return NULL;
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: %s CONSUMERS RATE SECONDS [PACKET_SIZE]\n", argv[0]);
        return 2;
    }
    int consumers = atoi(argv[1]), seconds = atoi(argv[3]);
    rate = atoi(argv[2]);
    packet_size = argc > 4 ? atoi(argv[4]) : 1100;
    if (consumers < 1 || rate < 1 || seconds < 1 || packet_size < 64 || packet_size > 1400) return 2;

    struct sockaddr_in sink_address;
    sink_socket = bound_socket(&sink_address);
    ingress_socket = bound_socket(&ingress_address);
    keys_init(&producer_keys);
    int *sockets = calloc(consumers, sizeof *sockets);
    SrtpKeys *keys = calloc(consumers, sizeof *keys);
    uint16_t *sequences = calloc(consumers, sizeof *sequences);
    for (int i = 0; i < consumers; i++) {
        struct sockaddr_in unused;
        sockets[i] = bound_socket(&unused);
        connect(sockets[i], (struct sockaddr *)&sink_address, sizeof sink_address);
        keys_init(&keys[i]);
    }
    int epoll = epoll_create1(0);
    struct epoll_event readable = {.events = EPOLLIN};
    epoll_ctl(epoll, EPOLL_CTL_ADD, ingress_socket, &readable);

    static uint8_t buffers[BATCH][MAX_PACKET];
    struct iovec vectors[BATCH];
    struct mmsghdr messages[BATCH];
    for (int i = 0; i < BATCH; i++) {
        vectors[i] = (struct iovec){.iov_base = buffers[i], .iov_len = MAX_PACKET};
        messages[i] = (struct mmsghdr){.msg_hdr = {.msg_iov = &vectors[i], .msg_iovlen = 1}};
    }

    pthread_t sink_thread, generator_thread;
    atomic_store(&generating, 1);
    pthread_create(&sink_thread, NULL, sink, NULL);
    pthread_create(&generator_thread, NULL, generator, NULL);

    // One second of warm-up, the measured window, then 300 ms for the last packets to drain.
    uint64_t warm_until = now_ns(CLOCK_MONOTONIC) + 1000000000u;
    uint64_t end = warm_until + (uint64_t)seconds * 1000000000u;
    uint64_t drained = end + 300000000u;
    long generated_end = -1;
    uint64_t cpu_start = 0;
    long received_start = 0, generated_start = 0;
    int measuring = 0;
    uint8_t out[MAX_PACKET + TAG_LENGTH];
    for (;;) {
        uint64_t now = now_ns(CLOCK_MONOTONIC);
        if (!measuring && now >= warm_until) {
            measuring = 1;
            cpu_start = now_ns(CLOCK_THREAD_CPUTIME_ID);
            received_start = atomic_load(&received);
            generated_start = atomic_load(&generated);
        }
        if (now >= end && generated_end < 0) {
            atomic_store(&generating, 0);
            pthread_join(generator_thread, NULL);
            generated_end = atomic_load(&generated);
        }
        if (now >= drained) break;
        struct epoll_event event;
        if (epoll_wait(epoll, &event, 1, 10) <= 0) continue;
        int count = recvmmsg(ingress_socket, messages, BATCH, MSG_DONTWAIT, NULL);
        for (int m = 0; m < count; m++) {
            uint8_t *packet = buffers[m];
            int length = unprotect(&producer_keys, packet, (int)messages[m].msg_len);
            if (length < 0) continue;
            for (int c = 0; c < consumers; c++) {
                memcpy(out, packet, length);
                *(uint32_t *)(out + 8) = htonl(2000 + c);
                *(uint16_t *)(out + 2) = htons(sequences[c]++);
                int protected_length = protect(&keys[c], out, length);
                send(sockets[c], out, protected_length, 0);
            }
        }
    }
    double cpu = (double)(now_ns(CLOCK_THREAD_CPUTIME_ID) - cpu_start) / 1e9;
    long in = generated_end - generated_start, out_count = atomic_load(&received) - received_start;
    atomic_store(&stopping, 1);
    pthread_join(sink_thread, NULL);
    printf("consumers  in pps   out pps  loss    forwarder CPU  pkts/CPU-s  us/pkt\n");
    printf("%9d  %6.0f  %8.0f  %5.2f%%  %11.2f s  %10.0f  %6.2f\n", consumers, in / (double)seconds,
        out_count / (double)seconds, 100.0 * (1 - (double)out_count / (double)(in > 0 ? in * consumers : 1)),
        cpu, out_count / cpu, cpu * 1e6 / (double)(out_count > 0 ? out_count : 1));
    return 0;
}
