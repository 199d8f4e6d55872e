// Wrappers for OpenSSL, Opus and libvpx entry points that are macros or variadic functions,
// which Swift cannot import. Each is one line around the real call.
#ifndef CMEDIASHIM_H
#define CMEDIASHIM_H

#include <openssl/ssl.h>
#include <openssl/bio.h>
#include <opus/opus.h>
#include <vpx/vpx_encoder.h>
#include <vpx/vpx_decoder.h>

int cms_DTLSv1_get_timeout(SSL *ssl, long *sec, long *usec);
int cms_DTLSv1_handle_timeout(SSL *ssl);
long cms_BIO_set_mem_eof_return(BIO *bio, int value);
long cms_SSL_set_mtu(SSL *ssl, long mtu);
long cms_SSL_CTX_set_read_ahead(SSL_CTX *ctx, int yes);

int cms_opus_set_bitrate(OpusEncoder *encoder, int bitrate);
int cms_opus_set_inband_fec(OpusEncoder *encoder, int enabled);

int cms_vpx_encoder_abi_version(void);
int cms_vpx_decoder_abi_version(void);
vpx_codec_err_t cms_vpx_set_cpu_used(vpx_codec_ctx_t *codec, int value);

// SRTP (Sources/SFU/SRTP): HMAC-SHA1 resumed from precomputed inner/outer SHA-1 states.
// OpenSSL 3.0's EVP_MAC, HMAC_CTX and EVP_MD_CTX_copy_ex all allocate on every re-init; a
// plain SHA_CTX copy does not. Each state is cms_sha1_state_size() bytes of caller storage.
size_t cms_sha1_state_size(void);
void cms_hmac_sha1_precompute(const unsigned char *key, size_t key_length, void *inner_state, void *outer_state);
void cms_hmac_sha1(const void *inner_state, const void *outer_state,
                   const void *data, size_t data_length, const void *suffix, size_t suffix_length,
                   unsigned char digest[20]);

#endif
