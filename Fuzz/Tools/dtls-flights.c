/*
 * Writes the DTLS seed corpus for Fuzz/Sources/FuzzDTLS: runs a WebRTC-style DTLS 1.2
 * handshake (ECDSA self-signed certificates, use_srtp, mutual authentication, no cookie
 * exchange, MTU 1200, as DtlsContext configures it) between two OpenSSL endpoints over memory
 * BIOs and records each flight.
 *
 * Seed format (see FuzzDTLS/main.swift): one role byte (0 = the transport under test is the
 * server, 1 = client), then datagrams as a 2-byte big-endian length and the bytes.
 *
 * Build and run from the repository root:
 *   cc Fuzz/Tools/dtls-flights.c $(pkg-config --cflags --libs openssl) -o /tmp/dtls-flights
 *   /tmp/dtls-flights Fuzz/Corpus/DTLS
 */
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MTU 1200
#define MAX_SEED 2048

static void die(const char *what) {
    fprintf(stderr, "%s failed\n", what);
    ERR_print_errors_fp(stderr);
    exit(1);
}

static int accept_any(int ok, X509_STORE_CTX *store) {
    (void)ok;
    (void)store;
    return 1;
}

static SSL_CTX *make_context(void) {
    EVP_PKEY *key = EVP_EC_gen("prime256v1");
    X509 *cert = X509_new();
    if (!key || !cert) die("key generation");
    X509_set_version(cert, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
    X509_gmtime_adj(X509_getm_notBefore(cert), 0);
    X509_gmtime_adj(X509_getm_notAfter(cert), 86400);
    X509_NAME_add_entry_by_txt(X509_get_subject_name(cert), "CN", MBSTRING_ASC, (const unsigned char *)"fuzz", -1, -1, 0);
    X509_set_issuer_name(cert, X509_get_subject_name(cert));
    X509_set_pubkey(cert, key);
    if (!X509_sign(cert, key, EVP_sha256())) die("X509_sign");

    SSL_CTX *context = SSL_CTX_new(DTLS_method());
    if (!context) die("SSL_CTX_new");
    if (SSL_CTX_use_certificate(context, cert) != 1 || SSL_CTX_use_PrivateKey(context, key) != 1) die("use cert");
    SSL_CTX_set_options(context, SSL_OP_NO_QUERY_MTU | SSL_OP_NO_TICKET);
    SSL_CTX_set_verify(context, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, accept_any);
    /* SSL_CTX_set_tlsext_use_srtp returns 0 on success. */
    if (SSL_CTX_set_tlsext_use_srtp(context,
            "SRTP_AEAD_AES_256_GCM:SRTP_AEAD_AES_128_GCM:SRTP_AES128_CM_SHA1_80:SRTP_AES128_CM_SHA1_32") != 0)
        die("use_srtp");
    if (SSL_CTX_set_cipher_list(context, "DEFAULT:!NULL:!aNULL:!SHA256:!SHA384:!aECDH:!AESGCM+AES256:!aPSK") != 1)
        die("cipher list");
    X509_free(cert);
    EVP_PKEY_free(key);
    return context;
}

typedef struct {
    SSL *ssl;
    BIO *in;
    BIO *out;
} Endpoint;

static Endpoint make_endpoint(SSL_CTX *context, int server) {
    Endpoint endpoint = {SSL_new(context), BIO_new(BIO_s_mem()), BIO_new(BIO_s_mem())};
    if (!endpoint.ssl || !endpoint.in || !endpoint.out) die("SSL_new");
    BIO_set_mem_eof_return(endpoint.in, -1);
    SSL_set_bio(endpoint.ssl, endpoint.in, endpoint.out);
    SSL_set_mtu(endpoint.ssl, MTU);
    if (server) SSL_set_accept_state(endpoint.ssl);
    else SSL_set_connect_state(endpoint.ssl);
    return endpoint;
}

/* A flight: what one endpoint wrote, as the records it is made of. */
typedef struct {
    unsigned char bytes[8192];
    size_t length;
} Flight;

static void take_flight(Endpoint *from, Flight *flight) {
    int read = BIO_read(from->out, flight->bytes, sizeof flight->bytes);
    flight->length = read > 0 ? (size_t)read : 0;
}

static void deliver(Flight *flight, Endpoint *to) {
    if (flight->length > 0) BIO_write(to->in, flight->bytes, (int)flight->length);
}

static void step(Endpoint *endpoint) {
    int result = SSL_do_handshake(endpoint->ssl);
    if (result <= 0) {
        int error = SSL_get_error(endpoint->ssl, result);
        if (error != SSL_ERROR_WANT_READ && error != SSL_ERROR_WANT_WRITE) die("SSL_do_handshake");
    }
}

typedef struct {
    unsigned char bytes[MAX_SEED];
    size_t length;
} Seed;

static void seed_start(Seed *seed, unsigned char role) {
    seed->bytes[0] = role;
    seed->length = 1;
}

static void seed_datagram(Seed *seed, const unsigned char *bytes, size_t length) {
    if (seed->length + 2 + length > MAX_SEED) die("seed too large");
    seed->bytes[seed->length] = (unsigned char)(length >> 8);
    seed->bytes[seed->length + 1] = (unsigned char)length;
    memcpy(seed->bytes + seed->length + 2, bytes, length);
    seed->length += 2 + length;
}

/* Packs the flight's records into datagrams of at most MTU bytes, as DtlsTransport does. */
static void seed_flight(Seed *seed, const Flight *flight) {
    size_t start = 0, offset = 0;
    while (offset < flight->length) {
        size_t record = 13 + ((size_t)flight->bytes[offset + 11] << 8 | flight->bytes[offset + 12]);
        if (offset > start && offset + record - start > MTU) {
            seed_datagram(seed, flight->bytes + start, offset - start);
            start = offset;
        }
        offset += record;
    }
    if (offset > start) seed_datagram(seed, flight->bytes + start, offset - start);
}

static void seed_write(const char *directory, const char *name, const Seed *seed) {
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", directory, name);
    FILE *file = fopen(path, "wb");
    if (!file || fwrite(seed->bytes, 1, seed->length, file) != seed->length || fclose(file) != 0) die(path);
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s OUTPUT_DIRECTORY\n", argv[0]);
        return 2;
    }
    SSL_CTX *client_context = make_context();
    SSL_CTX *server_context = make_context();
    Endpoint client = make_endpoint(client_context, 0);
    Endpoint server = make_endpoint(server_context, 1);
    static Flight client_hello, server_flight, client_flight, server_finished, application_data, close_notify;

    step(&client);
    take_flight(&client, &client_hello);
    deliver(&client_hello, &server);
    step(&server);
    take_flight(&server, &server_flight);
    deliver(&server_flight, &client);
    step(&client);
    take_flight(&client, &client_flight);
    deliver(&client_flight, &server);
    step(&server);
    take_flight(&server, &server_finished);
    deliver(&server_finished, &client);
    step(&client);
    if (!SSL_is_init_finished(client.ssl) || !SSL_is_init_finished(server.ssl)) die("handshake");
    if (SSL_write(client.ssl, "SCTP INIT stand-in", 18) != 18) die("SSL_write");
    take_flight(&client, &application_data);
    SSL_shutdown(client.ssl);
    take_flight(&client, &close_notify);

    Seed seed;
    seed_start(&seed, 0);
    seed_flight(&seed, &client_hello);
    seed_write(argv[1], "server-client-hello", &seed);

    /* The client's later flights answer another server's random, so Finished fails; they
     * still carry the Certificate, ClientKeyExchange and CertificateVerify to parse. */
    seed_start(&seed, 0);
    seed_flight(&seed, &client_hello);
    seed_flight(&seed, &client_flight);
    seed_flight(&seed, &application_data);
    seed_flight(&seed, &close_notify);
    seed_write(argv[1], "server-all-client-flights", &seed);

    seed_start(&seed, 1);
    seed_flight(&seed, &server_flight);
    seed_flight(&seed, &server_finished);
    seed_write(argv[1], "client-all-server-flights", &seed);

    /* Hand-made records: a fatal handshake_failure alert, and a ChangeCipherSpec followed by
     * an epoch-1 record the transport has no keys for. */
    static const unsigned char alert[] = {0x15, 0xFE, 0xFD, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 2, 40};
    seed_start(&seed, 0);
    seed_datagram(&seed, alert, sizeof alert);
    seed_write(argv[1], "server-fatal-alert", &seed);

    static const unsigned char ccs_then_epoch1[] = {
        0x14, 0xFE, 0xFD, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 1,
        0x17, 0xFE, 0xFD, 0, 1, 0, 0, 0, 0, 0, 0, 0, 8, 1, 2, 3, 4, 5, 6, 7, 8};
    seed_start(&seed, 0);
    seed_flight(&seed, &client_hello);
    seed_datagram(&seed, ccs_then_epoch1, sizeof ccs_then_epoch1);
    seed_write(argv[1], "server-hello-then-ccs", &seed);

    SSL_free(client.ssl);
    SSL_free(server.ssl);
    SSL_CTX_free(client_context);
    SSL_CTX_free(server_context);
    return 0;
}
