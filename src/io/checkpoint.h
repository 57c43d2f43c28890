/* io/checkpoint.h — training checkpoints in HDF5 (a file of their own, or a group of a results
 * file): networks' parameters, their optimizers'
 * full state, the training step and named RNG stream states, so `--resume` continues a run
 * bit for bit (the complaint of STYLE.md about research code whose resume restores weights
 * only).
 *
 * File layout (format "ganrepro-checkpoint", version 2; plain HDF5 types, h5dump/h5py
 * read it without help). The same layout can live in any group of another file
 * (gr_checkpoint_write_group / gr_checkpoint_read_group, e.g. /runs/r0/checkpoint of a
 * results file); "/" below is then that group:
 *   /                       attrs  format (string), format_version (int32), step (uint64),
 *                                  code_version, git_commit, build_type (strings, core/
 *                                  version.h of the build that saved), blas_config,
 *                                  blas_core, blas_core_chosen_by (strings) and
 *                                  blas_threads (int32) (linalg/blas_core.h's
 *                                  gr_blas_info of the saving process: OpenBLAS's build
 *                                  string, the kernel set, "openblas", "user" or
 *                                  "ganrepro", the thread count), checksum (string)
 *   /nets/<name>/           attrs  arch (string), n_params (uint64), checksum (string)
 *   /nets/<name>/params     float32[n_params]
 *   /nets/<name>/optim/     attrs  kind (string: "sgd", "rmsprop", "adam", "rmsprop_tf" or
 *                                  "adam_tf", every gr_optim_kind of nn/optim.h), lr,
 *                                  weight_decay, momentum, dampening, alpha, beta1, beta2, eps
 *                                  (float64), nesterov, centered (int32), step (uint64),
 *                                  checksum (string)                    [only if saved]
 *   /nets/<name>/optim/<slot>   float32[n_params], one per optimizer slot, named as
 *                                  gr_optim_slot_name says (torch's exp_avg, exp_avg_sq,
 *                                  square_avg, grad_avg, momentum_buffer; TF's rms, mg,
 *                                  momentum, m, v)
 *   /rng/<name>             uint8[state bytes], attrs type (string, "mt19937"), checksum
 * Types are exactly these (little-endian IEEE float32/float64, uint8/int32/uint64 LE,
 * scalar fixed-length NUL-terminated ASCII strings); datasets are 1-D and contiguous (no
 * chunk index, no filters); the file uses HDF5 1.8 object formats (superblock v2, object
 * headers v2), whose metadata HDF5 protects with its own checksums. Object time tracking is
 * off: the same state saved by the same build always gives byte-identical files. The RNG
 * bytes are GSL's in-memory state (core/rng.h), so a checkpoint resumes exactly only on the
 * same platform ABI (64-bit little-endian `unsigned long`); the loader refuses a size
 * mismatch.
 *
 * Checksums. Each "checksum" attribute is "sha256:" and 64 hex digits: SHA-256 (io/sha256.h)
 * of a canonical serialization of everything that object restores — for a net its name,
 * arch, n_params and every parameter's bits; for an optimizer its net's name, kind, every
 * hyperparameter, step count and every slot's bits; for an RNG its name, type and state
 * bytes; for the root the step and the provenance (version, commit, build, the four blas_*
 * values) — each digest prefixed with the format name, format version and object kind.
 * (Serialization: io/digest.h, a sequence of fields, each its name, a NUL, the value's byte
 * length as uint64 LE and the value; integers as uint64 LE, floats/doubles as their IEEE
 * bits LE.) Provenance is not restored state, but it is checksummed so that a damaged
 * provenance string is refused rather than reported; it is never compared with the
 * loading build (a checkpoint of another commit or BLAS loads). Files saved before the
 * blas_* attributes existed have none of them and a root digest without those fields; they
 * still load. The loader recomputes the digest from the
 * values it read and refuses the object on any difference, before anything reaches the
 * caller. Why SHA-256 and not Fletcher-32 or a 64-bit hash: damage to metadata (a datatype,
 * a chunk index) changes many decoded values at once, not a few bits, so guarantees for
 * short error bursts (CRC) do not apply; a 256-bit cryptographic hash leaves no structured
 * collision class, and its cost (about 7 ms per MB, io/sha256.h) is small next to a training
 * step. It guards against damage, not against a forger, who can recompute it.
 *
 * Saving (io/atomic.h) writes "<path>.tmp.<host>.<pid>", fsyncs it, renames it over
 * <path>, then fsyncs the directory (best effort): a killed save leaves the previous
 * checkpoint intact. A killed save's temporary file is removed by the next save to the same
 * path: every "<path>.tmp.<this host>.<pid>" whose process no longer exists is deleted
 * first. Temporaries of live processes and of other hosts (shared file systems) are left
 * alone. Writing into a group has no such protection of its own: it is as atomic as the
 * file it is written into (write the results file itself with gr_atomic_write).
 *
 * Loading is all-or-nothing: everything is read and checked into temporaries first (HDF5
 * superblock version, format name and version, exact types and shapes, contiguous fully
 * allocated storage of the expected size inside the file, each requested net present with
 * the same architecture string and size, the optimizer's kind and every hyperparameter
 * equal, each requested RNG state present with the right size and valid, non-degenerate
 * content, every checksum), and only then copied into the caller's buffers. On any error the
 * caller's params, optimizers and generators are untouched. Messages name the file and what
 * differed ("ck.h5: net \"critic\": architecture \"2-512relu-1linear\" in the file,
 * \"2-256relu-1linear\" expected"). Sizes come from the caller, never from the file, so a
 * file cannot make the loader allocate more than the caller's objects hold.
 *
 * What is guaranteed. For a file written by gr_checkpoint_save and damaged afterwards (bit
 * flips, truncation, overwritten blocks), a load that returns GR_OK restores exactly the saved
 * state: every restored value is under a checksum (damage that passes one has odds of 2^-256).
 * libhdf5 parses the file's metadata before any of these checks; the 1.8 formats let it refuse
 * damaged metadata by its own checksums, and tests/io/test_checkpoint_bitflip.c, flipping one
 * bit at every byte offset of a small checkpoint, sees zero silent differences and zero crashes
 * (the old format: 87 and 4 SIGFPE). A crash inside libhdf5 on other damage cannot be ruled out
 * in-process, and a file crafted to attack HDF5 itself (a hostile object header or B-tree) is
 * read at HDF5's own risk: load checkpoints that you or your runs wrote.
 */
#ifndef GR_IO_CHECKPOINT_H
#define GR_IO_CHECKPOINT_H

#include <gsl/gsl_rng.h>
#include <hdf5.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "nn/optim.h"

#ifdef __cplusplus
extern "C" {
#endif

#define GR_CHECKPOINT_FORMAT  "ganrepro-checkpoint"
#define GR_CHECKPOINT_VERSION 2 /* 2: checksums, contiguous storage (1 had neither) */

/* One network in a checkpoint. The same record describes what to save and where to load.
 * name: HDF5 group name, 1..63 characters from [A-Za-z0-9_.-] (not "." or ".."), unique.
 * arch: architecture string (e.g. gr_mlp_describe), compared byte for byte on load.
 * optim: may be NULL. Saving with NULL stores no optimizer group; loading with NULL ignores
 * one in the file (e.g. loading a generator for evaluation). Loading with an optimizer
 * requires one in the file with the same kind and hyperparameters (GR_EMISMATCH otherwise),
 * and restores its moment slots and step count. (A run whose schedule changed lr sets the
 * saved lr with gr_optim_set_lr before loading: the stored lr is the one in use at save.) */
typedef struct gr_checkpoint_net {
    const char *name;
    const char *arch;
    float *params;   /* n_params floats: read on save, overwritten on load */
    size_t n_params; /* >= 1 */
    gr_optim *optim; /* NULL or an optimizer sized for n_params */
} gr_checkpoint_net;

/* One named RNG stream (gr_rng_alloc generator): saved with gr_rng_state_save, restored
 * with gr_rng_state_load. Same naming rule as nets; add as many as the run has streams. */
typedef struct gr_checkpoint_rng {
    const char *name;
    gsl_rng *rng;
} gr_checkpoint_rng;

/* Write a checkpoint of `step`, n_nets networks (>= 1) and n_rngs generators (rngs may be
 * NULL when n_rngs == 0) to `path` atomically (see above). Errors: GR_EINVAL (bad argument:
 * names, sizes, an optimizer sized for another n), GR_EIO (cannot create, write, sync or
 * rename; the message names the path and ends with the system's or HDF5's reason). */
int gr_checkpoint_save(const char *path, uint64_t step, const gr_checkpoint_net *nets,
                       size_t n_nets, const gr_checkpoint_rng *rngs, size_t n_rngs, gr_error *err);

/* Restore from `path` every listed net (params, and optimizer state if optim != NULL) and
 * every listed RNG; *step (if step != NULL) receives the saved training step. Objects in the
 * file that are not listed are ignored. Errors, none of which modify the caller's objects:
 *   GR_EINVAL    bad argument (as for save);
 *   GR_EIO       file missing or unreadable (message has the path and the reason);
 *   GR_EFORMAT   not an HDF5 file, truncated, not a ganrepro checkpoint, unknown
 *                format_version, a missing or mistyped attribute/dataset, a dataset not
 *                stored as save stores it, a checksum that does not match (damage), an
 *                invalid or degenerate RNG state;
 *   GR_EMISMATCH a requested net or RNG is absent, or its architecture, size, optimizer
 *                kind / hyperparameters / slots, or generator type differ from what the
 *                caller holds. */
int gr_checkpoint_load(const char *path, uint64_t *step, const gr_checkpoint_net *nets,
                       size_t n_nets, const gr_checkpoint_rng *rngs, size_t n_rngs, gr_error *err);

/* The same checkpoint in an open group (or file id: its root group) of a file the caller
 * manages, e.g. a results file: `group` must be writable and hold no checkpoint yet (no
 * "format" attribute, no "nets" link; GR_EINVAL otherwise); create it with
 * gr_h5_group_create (io/h5io.h). The layout, checksums and provenance are gr_checkpoint_save's.
 * Not atomic by itself: on an error the group may hold part of a checkpoint (which
 * gr_checkpoint_read_group refuses); the caller discards the file or writes it with
 * gr_atomic_write. Errors as gr_checkpoint_save (GR_EIO for HDF5 write failures). */
int gr_checkpoint_write_group(hid_t group, uint64_t step, const gr_checkpoint_net *nets,
                              size_t n_nets, const gr_checkpoint_rng *rngs, size_t n_rngs,
                              gr_error *err);

/* Restore from a checkpoint in an open group, exactly as gr_checkpoint_load (all-or-nothing,
 * every check and checksum) except the HDF5 superblock version, a property of the file the
 * caller opened. Messages name "<file>:<group path>". Errors as gr_checkpoint_load. */
int gr_checkpoint_read_group(hid_t group, uint64_t *step, const gr_checkpoint_net *nets,
                             size_t n_nets, const gr_checkpoint_rng *rngs, size_t n_rngs,
                             gr_error *err);

#ifdef __cplusplus
}
#endif

#endif
