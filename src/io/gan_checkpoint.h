/* io/gan_checkpoint.h — a GAN trainer's whole state (gan/trainer.h) in an HDF5 checkpoint:
 * the glue between the gan room, which exposes its state but knows no files, and
 * io/checkpoint.h, which stores nets, optimizers and RNG streams. A run killed at step k and
 * resumed from its last checkpoint ends bit-identical to an uninterrupted one (at the same
 * BLAS thread count and core; tests/io/test_gan_checkpoint.c).
 *
 * Layout, in a file's root group or in any group (e.g. /runs/r0/checkpoint of a results file):
 *   /                       io/checkpoint.h's layout with step = generator iterations done,
 *                           nets "g" (absent with a fixed generator) and "d", each with its
 *                           optimizer (moments and step count), and the trainer's seven
 *                           streams as RNGs "data", "prior", "init", "batch", "interp",
 *                           "instance", "probe" (gr_gan_trainer_stream_name)
 *   /gan_trainer_state      uint8[n]: gr_gan_trainer_state_save's bytes (counters, freeze
 *                           flag, divergence status, last stats, the samplers' cursor
 *                           states); attrs format (string "ganrepro-gan-trainer-state"),
 *                           format_version (int32 1), checksum (string "sha256:..." over the
 *                           format, the version and the bytes, io/digest.h fields)
 * The config is not stored: the harness records it (gr_gan_config_describe) and rebuilds the
 * trainer from it; the loader checks what it can (architectures, optimizer kinds and
 * hyperparameters, state sizes) and refuses a mismatch.
 *
 * Loading is all-or-nothing: on any error the trainer, its nets, optimizers, streams and
 * samplers are as before the call.
 */
#ifndef GR_IO_GAN_CHECKPOINT_H
#define GR_IO_GAN_CHECKPOINT_H

#include <hdf5.h>

#include "core/error.h"
#include "gan/trainer.h"

#ifdef __cplusplus
extern "C" {
#endif

#define GR_GAN_STATE_FORMAT  "ganrepro-gan-trainer-state"
#define GR_GAN_STATE_VERSION 1

/* Write the trainer's state into `group` (writable, holding no checkpoint yet) or into a new
 * file at `path`, atomically (io/atomic.h). Errors as gr_checkpoint_write_group / _save. */
int gr_gan_checkpoint_write_group(hid_t group, gr_gan_trainer *t, gr_error *err);
int gr_gan_checkpoint_save(const char *path, gr_gan_trainer *t, gr_error *err);

/* Restore a trainer built from the same config (any seed) from a group or a file. Errors:
 * those of gr_checkpoint_read_group / _load, and GR_EFORMAT (state dataset missing, mistyped,
 * damaged: checksum), GR_EMISMATCH (state size or counters differ from what this trainer
 * holds, e.g. another sampler). */
int gr_gan_checkpoint_read_group(hid_t group, gr_gan_trainer *t, gr_error *err);
int gr_gan_checkpoint_load(const char *path, gr_gan_trainer *t, gr_error *err);

#ifdef __cplusplus
}
#endif

#endif
