#ifndef SWITCHBOARD_CCRYPTO_H
#define SWITCHBOARD_CCRYPTO_H
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>
#include <openssl/rand.h>
#include <openssl/crypto.h>
#endif
