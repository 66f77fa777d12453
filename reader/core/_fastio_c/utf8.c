/* The UTF-8 check of a file's bytes, for the reader of front matter (front_matter.c).
 *
 * It was also a function of its own, for the files that reader leaves to Python; at 1%
 * of the files that gained nothing measurable (tests/benchmarks/native.py), and Python's
 * decoder does that check now. */
#include "fastio.h"

#include <stdint.h>
#include <string.h>

/* The four bytes at ``at`` as a number, the first in the lowest eight bits. */
static inline uint32_t first_bytes(const unsigned char *at)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    uint32_t word;
    memcpy(&word, at, 4); /* one load */
    return word;
#else
    return (uint32_t)at[0] | (uint32_t)at[1] << 8 | (uint32_t)at[2] << 16 | (uint32_t)at[3] << 24;
#endif
}

/* Are ``data`` UTF-8: Unicode's well-formed sequences (no overlong forms, no surrogates,
 * nothing above U+10FFFF)? UTF8_CUT: yes but for a character cut short at the end (the
 * decoder's "unexpected end of data"). ASCII is checked eight bytes at a time and runs of
 * three-byte characters (Chinese text) four bytes at a time: about three times as fast
 * as decoding the text. */
int fastio_check_utf8(const unsigned char *data, size_t length)
{
    size_t i = 0;
    while (i < length) {
        while (i + 8 <= length) {
            uint64_t word;
            memcpy(&word, data + i, 8);
            if (word & 0x8080808080808080ULL)
                break;
            i += 8;
        }
        if (i >= length)
            break;
        unsigned char lead = data[i];
        if (lead < 0x80) {
            i++;
            continue;
        }
        /* the common case in Chinese text: runs of three-byte characters */
        while (i + 4 <= length) {
            uint32_t word = first_bytes(data + i);
            if ((word & 0x00C0C0F0u) != 0x008080E0u || data[i] == 0xE0 || data[i] == 0xED)
                break;
            i += 3;
        }
        if (i >= length)
            break;
        lead = data[i];
        if (lead < 0x80)
            continue;
        size_t need;
        unsigned char low = 0x80, high = 0xBF;
        if (lead >= 0xC2 && lead <= 0xDF) {
            need = 1;
        } else if (lead >= 0xE0 && lead <= 0xEF) {
            need = 2;
            if (lead == 0xE0)
                low = 0xA0;
            else if (lead == 0xED)
                high = 0x9F;
        } else if (lead >= 0xF0 && lead <= 0xF4) {
            need = 3;
            if (lead == 0xF0)
                low = 0x90;
            else if (lead == 0xF4)
                high = 0x8F;
        } else {
            return UTF8_INVALID;
        }
        for (size_t k = 1; k <= need; k++) {
            if (i + k >= length)
                return UTF8_CUT;
            unsigned char byte = data[i + k];
            if (k == 1 ? (byte < low || byte > high) : (byte < 0x80 || byte > 0xBF))
                return UTF8_INVALID;
        }
        i += need + 1;
    }
    return UTF8_VALID;
}
