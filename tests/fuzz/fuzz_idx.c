/* tests/fuzz/fuzz_idx.c — data/idx.h's IDX reader on arbitrary bytes, plain or gzip (zlib
 * decides from the first bytes, as for a user's file; the seeds hold both). On success the
 * result must be what the header promises: a known type and its element size, 1..8 nonzero
 * dimensions whose product is count, file_bytes = header + data, and (plain) the MD5 of the
 * input itself. The data cap is 4 MiB, so a gzip bomb or a lying header costs little. */
#include "data/idx.h"
#include "fuzz.h"

#define FUZZ_IDX_MAX_BYTES ((size_t)4 << 20)

static size_t elem_size_of(int type) {
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const char *path = gr_fuzz_file("data.idx", data, size);
    gr_idx *idx = (gr_idx *)&idx; /* must be overwritten */
    gr_error err;
    memset(&err, 0, sizeof err);
    int s = gr_idx_read(&idx, path, FUZZ_IDX_MAX_BYTES, &err);
    if (s == GR_OK) {
        gr_fuzz_note_accepted();
        GR_FUZZ_CHECK(idx != NULL, "GR_OK without a result");
        size_t es = elem_size_of((int)idx->type);
        GR_FUZZ_CHECK(es != 0 && es == idx->elem_size, "type %d, elem_size %zu", (int)idx->type,
                      idx->elem_size);
        GR_FUZZ_CHECK(idx->ndims >= 1 && idx->ndims <= GR_IDX_MAX_DIMS, "ndims %zu", idx->ndims);
        size_t count = 1;
        for (size_t k = 0; k < idx->ndims; k++) {
            GR_FUZZ_CHECK(idx->dims[k] >= 1, "dims[%zu] = 0", k);
            GR_FUZZ_CHECK(count <= FUZZ_IDX_MAX_BYTES / idx->dims[k], "dims overflow the cap");
            count *= idx->dims[k];
        }
        GR_FUZZ_CHECK(count == idx->count, "count %zu, product of dims %zu", idx->count, count);
        GR_FUZZ_CHECK(count * es <= FUZZ_IDX_MAX_BYTES, "data %zu bytes above the cap", count * es);
        GR_FUZZ_CHECK(idx->data != NULL, "no data");
        GR_FUZZ_CHECK(idx->file_bytes == 4 + 4 * idx->ndims + count * es, "file_bytes %zu",
                      idx->file_bytes);
        GR_FUZZ_CHECK(idx->gzipped == (size >= 2 && data[0] == 0x1f && data[1] == 0x8b),
                      "gzipped %d", idx->gzipped);
        if (!idx->gzipped) {
            GR_FUZZ_CHECK(idx->file_bytes == size, "plain: file_bytes %zu, file %zu",
                          idx->file_bytes, size);
            unsigned char md5[GR_IDX_MD5_BYTES];
            gr_md5(data, size, md5);
            GR_FUZZ_CHECK(memcmp(md5, idx->md5, sizeof md5) == 0, "MD5 not the file's");
        }
        volatile unsigned char sink = 0; /* touch every byte: ASan sees a short buffer */
        for (size_t i = 0; i < count * es; i++)
            sink ^= ((const unsigned char *)idx->data)[i];
        (void)sink;
    } else {
        gr_fuzz_check_failure(s, &err);
        GR_FUZZ_CHECK(idx == NULL, "failure left a result");
        GR_FUZZ_CHECK(s == GR_EIO || s == GR_EFORMAT || s == GR_ENOMEM, "status %d not documented",
                      s);
    }
    gr_idx_free(idx);
    gr_fuzz_unlink(path);
    return 0;
}
