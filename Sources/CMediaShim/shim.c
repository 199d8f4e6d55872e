#include "CMediaShim.h"
#include <vpx/vp8cx.h>

int cms_DTLSv1_get_timeout(SSL *ssl, long *sec, long *usec) {
    struct timeval tv;
    int armed = (int)DTLSv1_get_timeout(ssl, &tv);
    if (armed) { *sec = tv.tv_sec; *usec = tv.tv_usec; }
    return armed;
}
int cms_DTLSv1_handle_timeout(SSL *ssl) { return (int)DTLSv1_handle_timeout(ssl); }
long cms_BIO_set_mem_eof_return(BIO *bio, int value) { return BIO_set_mem_eof_return(bio, value); }
long cms_SSL_set_mtu(SSL *ssl, long mtu) { return SSL_set_mtu(ssl, mtu); }
long cms_SSL_CTX_set_read_ahead(SSL_CTX *ctx, int yes) { return SSL_CTX_set_read_ahead(ctx, yes); }

int cms_opus_set_bitrate(OpusEncoder *encoder, int bitrate) { return opus_encoder_ctl(encoder, OPUS_SET_BITRATE(bitrate)); }
int cms_opus_set_inband_fec(OpusEncoder *encoder, int enabled) { return opus_encoder_ctl(encoder, OPUS_SET_INBAND_FEC(enabled)); }

int cms_vpx_encoder_abi_version(void) { return VPX_ENCODER_ABI_VERSION; }
int cms_vpx_decoder_abi_version(void) { return VPX_DECODER_ABI_VERSION; }
vpx_codec_err_t cms_vpx_set_cpu_used(vpx_codec_ctx_t *codec, int value) { return vpx_codec_control(codec, VP8E_SET_CPUUSED, value); }

// SRTP HMAC-SHA1. The SHA1_* functions are deprecated in OpenSSL 3 but are the only
// allocation-free way to resume a saved digest state; see CMediaShim.h.
#include <openssl/sha.h>
#include <string.h>
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
size_t cms_sha1_state_size(void) { return sizeof(SHA_CTX); }
void cms_hmac_sha1_precompute(const unsigned char *key, size_t key_length, void *inner_state, void *outer_state) {
    unsigned char pad[SHA_CBLOCK];
    unsigned char hashed[SHA_DIGEST_LENGTH];
    if (key_length > SHA_CBLOCK) { SHA1(key, key_length, hashed); key = hashed; key_length = SHA_DIGEST_LENGTH; }
    memset(pad, 0x36, sizeof pad);
    for (size_t i = 0; i < key_length; i++) pad[i] ^= key[i];
    SHA1_Init((SHA_CTX *)inner_state); SHA1_Update((SHA_CTX *)inner_state, pad, sizeof pad);
    memset(pad, 0x5c, sizeof pad);
    for (size_t i = 0; i < key_length; i++) pad[i] ^= key[i];
    SHA1_Init((SHA_CTX *)outer_state); SHA1_Update((SHA_CTX *)outer_state, pad, sizeof pad);
    OPENSSL_cleanse(pad, sizeof pad);
}
void cms_hmac_sha1(const void *inner_state, const void *outer_state,
                   const void *data, size_t data_length, const void *suffix, size_t suffix_length,
                   unsigned char digest[20]) {
    SHA_CTX ctx = *(const SHA_CTX *)inner_state;
    unsigned char inner[SHA_DIGEST_LENGTH];
    SHA1_Update(&ctx, data, data_length);
    if (suffix_length > 0) SHA1_Update(&ctx, suffix, suffix_length);
    SHA1_Final(inner, &ctx);
    ctx = *(const SHA_CTX *)outer_state;
    SHA1_Update(&ctx, inner, sizeof inner);
    SHA1_Final(digest, &ctx);
}
#pragma GCC diagnostic pop
