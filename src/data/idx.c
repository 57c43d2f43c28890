/* data/idx.c — IDX reader (data/idx.h): header checks, exact length, gzip through zlib, MD5. */
#include "data/idx.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

#include "core/mem.h"

/* ---- MD5 (RFC 1321), streaming ------------------------------------------------------------- */

typedef struct md5_ctx {
    uint32_t h[4];
    uint64_t n_bytes;
    unsigned char blk[64];
    size_t fill;
} md5_ctx;

static const uint32_t md5_k[64] = {
    0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
    0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
    0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
    0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
    0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
    0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
    0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
    0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391};
static const unsigned md5_r[64] = {7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
                                   5, 9,  14, 20, 5, 9,  14, 20, 5, 9,  14, 20, 5, 9,  14, 20,
                                   4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
                                   6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21};

static void md5_init(md5_ctx *c) {
    c->h[0] = 0x67452301;
    c->h[1] = 0xefcdab89;
    c->h[2] = 0x98badcfe;
    c->h[3] = 0x10325476;
    c->n_bytes = 0;
    c->fill = 0;
}

static void md5_block(uint32_t h[4], const unsigned char *p) {
    uint32_t m[16];
    for (int i = 0; i < 16; i++)
        m[i] = (uint32_t)p[4 * i] | (uint32_t)p[4 * i + 1] << 8 | (uint32_t)p[4 * i + 2] << 16 |
               (uint32_t)p[4 * i + 3] << 24;
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3];
    for (int i = 0; i < 64; i++) {
        uint32_t f;
        int g;
        if (i < 16) {
            f = (b & c) | (~b & d);
            g = i;
        } else if (i < 32) {
            f = (d & b) | (~d & c);
            g = (5 * i + 1) % 16;
        } else if (i < 48) {
            f = b ^ c ^ d;
            g = (3 * i + 5) % 16;
        } else {
            f = c ^ (b | ~d);
            g = (7 * i) % 16;
        }
        uint32_t t = d;
        d = c;
        c = b;
        uint32_t s = a + f + md5_k[i] + m[g];
        b = b + ((s << md5_r[i]) | (s >> (32 - md5_r[i])));
        a = t;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
}

static void md5_update(md5_ctx *c, const void *data, size_t n) {
    const unsigned char *p = data;
    c->n_bytes += n;
    if (c->fill) {
        size_t take = 64 - c->fill < n ? 64 - c->fill : n;
        memcpy(c->blk + c->fill, p, take);
        c->fill += take;
        p += take;
        n -= take;
        if (c->fill < 64) return;
        md5_block(c->h, c->blk);
        c->fill = 0;
    }
    for (; n >= 64; n -= 64, p += 64)
        md5_block(c->h, p);
    memcpy(c->blk, p, n);
    c->fill = n;
}

static void md5_final(md5_ctx *c, unsigned char out[GR_IDX_MD5_BYTES]) {
    uint64_t bits = c->n_bytes * 8u;
    unsigned char pad[72] = {0x80};
    size_t npad = (c->fill < 56 ? 56 : 120) - c->fill;
    for (int i = 0; i < 8; i++)
        pad[npad + (size_t)i] = (unsigned char)(bits >> (8 * i));
    md5_update(c, pad, npad + 8);
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++)
            out[4 * i + j] = (unsigned char)(c->h[i] >> (8 * j));
}

void gr_md5(const void *data, size_t n, unsigned char out[GR_IDX_MD5_BYTES]) {
    md5_ctx c;
    md5_init(&c);
    md5_update(&c, data, n);
    md5_final(&c, out);
}

void gr_md5_hex(const unsigned char md5[GR_IDX_MD5_BYTES], char hex[2 * GR_IDX_MD5_BYTES + 1]) {
    static const char digits[] = "0123456789abcdef";
    for (int i = 0; i < GR_IDX_MD5_BYTES; i++) {
        hex[2 * i] = digits[md5[i] >> 4];
        hex[2 * i + 1] = digits[md5[i] & 15];
    }
    hex[2 * GR_IDX_MD5_BYTES] = '\0';
}

/* ---- the reader ----------------------------------------------------------------------------- */

const char *gr_idx_type_name(int type) {
    switch (type) {
    case GR_IDX_U8: return "u8";
    case GR_IDX_I8: return "i8";
    case GR_IDX_I16: return "i16";
    case GR_IDX_I32: return "i32";
    case GR_IDX_F32: return "f32";
    case GR_IDX_F64: return "f64";
    default: return "?";
    }
}

static size_t idx_elem_size(int type) {
    switch (type) {
    case GR_IDX_U8:
    case GR_IDX_I8: return 1;
    case GR_IDX_I16: return 2;
    case GR_IDX_I32:
    case GR_IDX_F32: return 4;
    case GR_IDX_F64: return 8;
    default: return 0;
    }
}

void gr_idx_free(gr_idx *idx) {
    if (!idx) return;
    free(idx->data);
    free(idx);
}

/* Read up to n bytes (any size) from f into buf; *got = bytes read. GR_EFORMAT with zlib's
 * message when the stream is corrupt. A short count without error means end of input. */
static int idx_gzread(gzFile f, const char *path, void *buf, size_t n, size_t *got, gr_error *err) {
    unsigned char *p = buf;
    *got = 0;
    while (*got < n) {
        size_t want = n - *got;
        if (want > (size_t)1 << 30) want = (size_t)1 << 30;
        int r = gzread(f, p + *got, (unsigned)want);
        if (r < 0) {
            int zerr = 0;
            const char *msg = gzerror(f, &zerr);
            if (zerr == Z_ERRNO)
                return GR_ERROR(err, GR_EIO, "%s: read error: %s", path, strerror(errno));
            return GR_ERROR(err, GR_EFORMAT, "%s: corrupt gzip stream after %zu bytes (zlib: %s)",
                            path, *got, msg ? msg : "?");
        }
        if (r == 0) break;
        *got += (size_t)r;
    }
    if (*got < n) {
        /* zlib reports a gzip stream cut short as Z_BUF_ERROR, not as a failed read. */
        int zerr = 0;
        const char *msg = gzerror(f, &zerr);
        if (zerr == Z_BUF_ERROR || zerr == Z_DATA_ERROR)
            return GR_ERROR(err, GR_EFORMAT,
                            "%s: truncated or corrupt gzip stream after %zu bytes (zlib: %s)", path,
                            *got, msg ? msg : "?");
    }
    return GR_OK;
}

/* "60000 x 28 x 28" into buf. */
static void idx_dims_str(const size_t *dims, size_t nd, char *buf, size_t cap) {
    size_t off = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < nd && off < cap; i++) {
        int w = snprintf(buf + off, cap - off, i ? " x %zu" : "%zu", dims[i]);
        if (w < 0) break;
        off += (size_t)w;
    }
}

static int idx_read_open(gr_idx *idx, gzFile f, const char *path, size_t max_bytes,
                         long long plain_size, gr_error *err) {
    md5_ctx md5;
    md5_init(&md5);
    unsigned char hdr[4 + 4 * GR_IDX_MAX_DIMS];
    size_t got = 0;
    GR_TRY(idx_gzread(f, path, hdr, 4, &got, err));
    if (got < 4)
        return GR_ERROR(err, GR_EFORMAT,
                        "%s: not an IDX file: %zu bytes, shorter than the 4-byte magic", path, got);
    uint32_t magic =
        (uint32_t)hdr[0] << 24 | (uint32_t)hdr[1] << 16 | (uint32_t)hdr[2] << 8 | hdr[3];
    if (hdr[0] != 0 || hdr[1] != 0)
        return GR_ERROR(err, GR_EFORMAT,
                        "%s: not an IDX file: magic 0x%08x, expected 0x0000TTNN (two zero bytes, a "
                        "type byte, a dimension count)%s",
                        path, (unsigned)magic,
                        hdr[0] == 0x1f && hdr[1] == 0x8b ? " (a gzip header inside the data)" : "");
    idx->elem_size = idx_elem_size(hdr[2]);
    if (idx->elem_size == 0)
        return GR_ERROR(err, GR_EFORMAT,
                        "%s: magic 0x%08x: unknown element type 0x%02x, expected 0x08 (u8), 0x09 "
                        "(i8), 0x0B (i16), 0x0C (i32), 0x0D (f32) or 0x0E (f64)",
                        path, (unsigned)magic, hdr[2]);
    idx->type = (gr_idx_type)hdr[2];
    idx->ndims = hdr[3];
    if (idx->ndims < 1 || idx->ndims > GR_IDX_MAX_DIMS)
        return GR_ERROR(err, GR_EFORMAT, "%s: magic 0x%08x: %zu dimensions, expected 1 to %d", path,
                        (unsigned)magic, idx->ndims, GR_IDX_MAX_DIMS);
    size_t hdr_bytes = 4 + 4 * idx->ndims;
    GR_TRY(idx_gzread(f, path, hdr + 4, 4 * idx->ndims, &got, err));
    if (got < 4 * idx->ndims)
        return GR_ERROR(err, GR_EFORMAT,
                        "%s: truncated header: %zu dimensions need %zu header bytes, the file "
                        "holds %zu",
                        path, idx->ndims, hdr_bytes, 4 + got);
    md5_update(&md5, hdr, hdr_bytes);
    size_t data_bytes = idx->elem_size, count = 1;
    for (size_t i = 0; i < idx->ndims; i++) {
        const unsigned char *q = hdr + 4 + 4 * i;
        idx->dims[i] = (size_t)((uint32_t)q[0] << 24 | (uint32_t)q[1] << 16 | (uint32_t)q[2] << 8 |
                                (uint32_t)q[3]);
        if (idx->dims[i] == 0)
            return GR_ERROR(err, GR_EFORMAT, "%s: dimension %zu is 0, expected >= 1", path, i);
        if (gr_size_mul(count, idx->dims[i], &count) ||
            gr_size_mul(data_bytes, idx->dims[i], &data_bytes))
            return GR_ERROR(err, GR_EFORMAT,
                            "%s: dimensions overflow: the data size does not fit in size_t", path);
    }
    idx->count = count;
    char dstr[160];
    idx_dims_str(idx->dims, idx->ndims, dstr, sizeof dstr);
    size_t total;
    if (gr_size_add(data_bytes, hdr_bytes, &total))
        return GR_ERROR(err, GR_EFORMAT, "%s: dimensions %s overflow size_t", path, dstr);
    if (max_bytes && data_bytes > max_bytes)
        return GR_ERROR(err, GR_EFORMAT,
                        "%s: the header declares %s %s elements (%zu bytes), above the limit of "
                        "%zu bytes",
                        path, dstr, gr_idx_type_name(idx->type), data_bytes, max_bytes);
    if (plain_size >= 0 && (unsigned long long)plain_size != (unsigned long long)total)
        return GR_ERROR(err, GR_EFORMAT,
                        "%s: %s: the header declares %s %s elements (%zu bytes with the header), "
                        "the file holds %lld",
                        path,
                        (unsigned long long)plain_size < total ? "truncated" : "trailing bytes",
                        dstr, gr_idx_type_name(idx->type), total, plain_size);

    /* The data: grown as it arrives (a gzip stream's length is known only at its end). */
    size_t cap = data_bytes < ((size_t)1 << 20) ? data_bytes : ((size_t)1 << 20);
    if (plain_size >= 0) cap = data_bytes;
    unsigned char *buf = malloc(cap);
    if (!buf) return GR_ERROR(err, GR_ENOMEM, "%s: out of memory (%zu bytes)", path, cap);
    size_t have = 0;
    for (;;) {
        int st = idx_gzread(f, path, buf + have, cap - have, &got, err);
        if (st) {
            free(buf);
            return st;
        }
        have += got;
        if (have < cap || cap == data_bytes) break;
        size_t ncap = cap > data_bytes / 2 ? data_bytes : 2 * cap;
        unsigned char *nb = realloc(buf, ncap);
        if (!nb) {
            free(buf);
            return GR_ERROR(err, GR_ENOMEM, "%s: out of memory (%zu bytes)", path, ncap);
        }
        buf = nb;
        cap = ncap;
    }
    if (have < data_bytes) {
        free(buf);
        return GR_ERROR(err, GR_EFORMAT,
                        "%s: truncated: the header declares %s %s elements (%zu bytes with the "
                        "header), the file holds %zu",
                        path, dstr, gr_idx_type_name(idx->type), total, hdr_bytes + have);
    }
    /* Nothing may follow the data. */
    unsigned char extra[4096];
    size_t n_extra = 0;
    for (;;) {
        int st = idx_gzread(f, path, extra, sizeof extra, &got, err);
        if (st) {
            free(buf);
            return st;
        }
        n_extra += got;
        if (got < sizeof extra || n_extra > ((size_t)1 << 20)) break;
    }
    if (n_extra) {
        free(buf);
        return GR_ERROR(err, GR_EFORMAT,
                        "%s: trailing bytes: the header declares %s %s elements (%zu bytes with "
                        "the header), the file holds %s%zu",
                        path, dstr, gr_idx_type_name(idx->type), total,
                        n_extra > ((size_t)1 << 20) ? "more than " : "", total + n_extra);
    }
    md5_update(&md5, buf, data_bytes);
    md5_final(&md5, idx->md5);
    idx->file_bytes = total;
    /* Big-endian to host order. */
    if (idx->elem_size > 1) {
        size_t es = idx->elem_size;
        for (size_t i = 0; i < count; i++) {
            unsigned char *e = buf + i * es;
            uint64_t v = 0;
            for (size_t b = 0; b < es; b++)
                v = v << 8 | e[b];
            switch (es) {
            case 2: {
                uint16_t w = (uint16_t)v;
                memcpy(e, &w, 2);
            } break;
            case 4: {
                uint32_t w = (uint32_t)v;
                memcpy(e, &w, 4);
            } break;
            default: memcpy(e, &v, 8); break;
            }
        }
    }
    idx->data = buf;
    return GR_OK;
}

int gr_idx_read(gr_idx **out, const char *path, size_t max_bytes, gr_error *err) {
    if (out) *out = NULL;
    if (!out || !path) return GR_ERROR(err, GR_EINVAL, "gr_idx_read: NULL argument");
    struct stat sb;
    if (stat(path, &sb) != 0)
        return GR_ERROR(err, GR_EIO, "%s: cannot open: %s", path, strerror(errno));
    if (!S_ISREG(sb.st_mode)) return GR_ERROR(err, GR_EIO, "%s: not a regular file", path);
    gzFile f = gzopen(path, "rb");
    if (!f) return GR_ERROR(err, GR_EIO, "%s: cannot open: %s", path, strerror(errno));
    gr_idx *idx = calloc(1, sizeof *idx);
    if (!idx) {
        gzclose(f);
        return GR_ERROR(err, GR_ENOMEM, "%s: out of memory", path);
    }
    /* gzdirect before the first read makes zlib look at the start of the file. */
    idx->gzipped = gzdirect(f) ? 0 : 1;
    long long plain_size = idx->gzipped ? -1 : (long long)sb.st_size;
    int st = idx_read_open(idx, f, path, max_bytes, plain_size, err);
    int cl = gzclose(f);
    if (st == GR_OK && cl != Z_OK)
        st = GR_ERROR(err, GR_EFORMAT, "%s: gzip stream does not close cleanly (zlib status %d)",
                      path, cl);
    if (st != GR_OK) {
        gr_idx_free(idx);
        return st;
    }
    *out = idx;
    return GR_OK;
}
