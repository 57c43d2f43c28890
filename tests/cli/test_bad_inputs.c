/* tests/cli/test_bad_inputs.c — issue 19 item 3: every kind of bad input a user can hand
 * the CLI, through the executable, answered with exactly one line on stderr that names the
 * file, the line or field, and what was expected; exit status 2; nothing on stdout; and no
 * output written (the --out folder is never created, no temporary left in the scratch
 * folder).
 *
 * The matrix: experiment files (unknown key, wrong type, out of range, duplicate key,
 * missing include, include cycle, a sweep with zero values, a profile missing a size);
 * point files for `distance` (empty, ragged, non-numeric, NaN, Inf, an overflowing value,
 * huge finite values whose costs overflow, a binary file, an over-long line, a missing
 * HDF5 dataset, a rank-3 dataset); IDX files read by `run` of an MNIST experiment through
 * GR_MNIST_DIR (truncated, wrong magic, wrong element type, a length that disagrees with
 * the header's counts, a label out of range, images and labels that do not pair; when
 * datasets/mnist holds the real files, else those cases are skipped visibly); results files
 * for verify, table and plot (another format version, not a results file, truncated) and a
 * merge of two experiments' files. Each case and its message are printed, the table
 * docs/RELIABILITY.md quotes. Corrupt checkpoints found by `run --resume`, made from
 * genuine ones (a killed run's): empty, not HDF5, truncated, a bit flipped in a row or in
 * G's parameters, another run's, another experiment's, a results file, valid HDF5 with a
 * row or a field rewritten — each one line naming the file, exit 2, and the results file,
 * the other checkpoint and the damaged file itself byte-identical afterwards; then
 * --restart-corrupt restarts that run and the results equal the uninterrupted ones. A
 * missing MNIST folder is a per-run failure (exit 1), checked here as such. */
#include <hdf5.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli_run.h"
#include "test.h"

static char g_dir[256];
static const char *g_cli;
static int g_mnist;       /* the real MNIST files are present */
static char g_last[1024]; /* the stderr line of the last bad() case */
static char g_mnist_dir[600];

static void put(const char *name, const char *text) { gr_test_write_in(g_dir, name, text); }

static int sh(const char *cmd) {
    char line[4096];
    snprintf(line, sizeof line, "cd '%s' && { %s; } >/dev/null 2>&1", g_dir, cmd);
    return system(line);
}

static int count_lines(const char *s) {
    int n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

/* Files in the scratch folder whose name holds ".tmp." (a temporary left behind). */
static int temporaries(void) {
    char cmd[600];
    snprintf(cmd, sizeof cmd, "find '%s' -name '*.tmp.*' | grep -q .", g_dir);
    return system(cmd) == 0;
}

/* One case: `env CLI args` in the scratch folder must exit want_rc with one stderr line
 * containing `file` and `expect`, print nothing on stdout and create no `out` folder. */
static void bad(const char *label, const char *env, const char *args, const char *file,
                const char *expect, const char *out, int want_rc) {
    static char so[16384], se[16384];
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "cd '%s' && %s '%s' %s", g_dir, env ? env : "", g_cli, args);
    int rc = gr_test_shell(g_dir, cmd, so, sizeof so, se, sizeof se);
    const char *line = se;
    /* `run` prints its progress lines before a per-run failure: keep the failure's line */
    if (want_rc == 1) {
        const char *f = strstr(se, ": failed: ");
        if (f) {
            while (f > se && f[-1] != '\n')
                f--;
            line = f;
        }
    }
    char shown[1024];
    size_t k = 0;
    while (line[k] && line[k] != '\n' && k + 1 < sizeof shown) {
        shown[k] = line[k];
        k++;
    }
    shown[k] = '\0';
    snprintf(g_last, sizeof g_last, "%s", shown);
    int ok = rc == want_rc && (want_rc == 1 || count_lines(se) == 1) && strstr(shown, file) &&
             strstr(shown, expect) && (want_rc == 1 || so[0] == '\0');
    CHECK(rc == want_rc);
    if (want_rc != 1) {
        CHECK(count_lines(se) == 1);
        CHECK(so[0] == '\0');
    }
    CHECK_STR_CONTAINS(shown, file);
    CHECK_STR_CONTAINS(shown, expect);
    if (out && want_rc == 2) {
        char p[700];
        snprintf(p, sizeof p, "%s/%s", g_dir, out);
        CHECK(access(p, F_OK) != 0); /* nothing written */
        if (access(p, F_OK) == 0) fprintf(stderr, "  %s: %s was created\n", label, out);
    }
    CHECK(!temporaries());
    if (!ok) fprintf(stderr, "  %s: exit %d, stdout '%s', stderr:\n%s\n", label, rc, so, se);
    fprintf(stderr, "| %s | %d | `%s` |\n", label, rc, shown);
}

/* ---- experiment files ---- */

static const char *GOOD_CFG =
    "experiment = { name = \"bad\"; title = \"t\"; claims = [\"C19\"]; protocol = "
    "\"distance_curve\"; };\n"
    "seeds = [1, 2];\n"
    "data = { set = \"parallel_lines\"; sigma = 0.0; };\n"
    "curve = { param = \"data.theta\"; from = -1.0; to = 1.0; samples = [\"shared_grid\", "
    "\"independent\"]; };\n"
    "profiles = {\n"
    "  ci = { curve = { points = 5; }; eval = { n = 20; }; n_seeds = 1; };\n"
    "  quick = { curve = { points = 5; }; eval = { n = 20; }; n_seeds = 1; };\n"
    "  full = { curve = { points = 5; }; eval = { n = 20; }; n_seeds = 1; };\n"
    "};\n";

/* GOOD_CFG with `from` replaced by `to` (first occurrence), written to name. */
static void cfg_variant(const char *name, const char *from, const char *to) {
    char text[4096];
    const char *at = strstr(GOOD_CFG, from);
    CHECK(at != NULL);
    if (!at) return;
    snprintf(text, sizeof text, "%.*s%s%s", (int)(at - GOOD_CFG), GOOD_CFG, to, at + strlen(from));
    put(name, text);
}

static void test_experiment_files(void) {
    put("good.cfg", GOOD_CFG);
    static char so[8192], se[8192];
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "cd '%s' && '%s' run good.cfg --profile ci --out res", g_dir, g_cli);
    CHECK(gr_test_shell(g_dir, cmd, so, sizeof so, se, sizeof se) == 0); /* the base is valid */
    cfg_variant("unknown.cfg", "sigma = 0.0;", "sigma = 0.0; sigmaa = 1.0;");
    bad("experiment: unknown key", NULL, "run unknown.cfg --profile ci --out o1",
        "unknown.cfg:3:", "unknown key data.sigmaa", "o1", 2);
    cfg_variant("type.cfg", "sigma = 0.0;", "sigma = \"zero\";");
    bad("experiment: wrong type", NULL, "run type.cfg --profile ci --out o1",
        "type.cfg:3:", "data.sigma: wrong type", "o1", 2);
    cfg_variant("range.cfg", "sigma = 0.0;", "sigma = -1.0;");
    bad("experiment: out of range", NULL, "run range.cfg --profile ci --out o1",
        "range.cfg:3:", "out of range; data.sigma accepts a number in [0, 1000]", "o1", 2);
    cfg_variant("dup.cfg", "sigma = 0.0;", "sigma = 0.0; sigma = 0.5;");
    bad("experiment: duplicate key", NULL, "run dup.cfg --profile ci --out o1",
        "dup.cfg:3:", "duplicate key", "o1", 2);
    cfg_variant("noinc.cfg", "experiment =", "@include \"nothere.cfg\"\nexperiment =");
    bad("experiment: missing include", NULL, "run noinc.cfg --profile ci --out o1",
        "noinc.cfg:1:", "cannot open include file \"nothere.cfg\"", "o1", 2);
    put("cyc1.cfg", "@include \"cyc2.cfg\"\n");
    put("cyc2.cfg", "@include \"cyc1.cfg\"\n");
    bad("experiment: include cycle", NULL, "run cyc1.cfg --profile ci --out o1",
        "cyc2.cfg:1:", "include cycle: cyc1.cfg -> cyc2.cfg -> cyc1.cfg", "o1", 2);
    cfg_variant("zero.cfg", "[\"shared_grid\", \"independent\"]", "[]");
    bad("experiment: sweep with zero values", NULL, "run zero.cfg --profile ci --out o1",
        "zero.cfg:4:", "curve.samples: a sweep with no values", "o1", 2);
    cfg_variant("nosize.cfg", "ci = { curve = { points = 5; }; ", "ci = { ");
    bad("experiment: profile missing a size", NULL, "run nosize.cfg --profile ci --out o1",
        "nosize.cfg:6:", "profile ci does not set curve.points", "o1", 2);
    bad("experiment: missing file", NULL, "run absent.cfg --profile ci --out o1", "absent.cfg",
        "No such file", "o1", 2);
}

/* ---- point files ---- */

static void write_h5_rank3(const char *name) {
    char path[600];
    snprintf(path, sizeof path, "%s/%s", g_dir, name);
    hid_t f = H5Fcreate(path, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    hsize_t dims[3] = {2, 2, 2};
    double v[8] = {0, 1, 2, 3, 4, 5, 6, 7};
    hid_t sp = H5Screate_simple(3, dims, NULL);
    hid_t d = H5Dcreate2(f, "p", H5T_IEEE_F64LE, sp, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    CHECK(f >= 0 && d >= 0);
    H5Dwrite(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v);
    H5Dclose(d);
    H5Sclose(sp);
    H5Fclose(f);
}

static void test_point_files(void) {
    put("ok.txt", "0 0\n1 1\n");
    put("empty.txt", "");
    put("ragged.txt", "0 0\n1\n");
    put("nonnum.txt", "0 0\n1 x1\n");
    put("nan.txt", "0 0\nnan 1\n");
    put("inf.txt", "0 0\n1 -inf\n");
    put("overflow.txt", "0 0\n1e400 1\n");
    put("huge.txt", "0 0\n1e308 1e308\n-1e308 -1e308\n");
    CHECK(sh("head -c 3000 /dev/urandom | tr -d '\\n' > binary.bin; printf '\\001\\002\\033[31m "
             "\\n' >> binary.bin") == 0);
    CHECK(sh("{ printf '0 '; head -c 2000000 /dev/zero | tr '\\000' '1'; printf 'x\\n'; } > "
             "long.txt") == 0);
    write_h5_rank3("rank3.h5");
    bad("points: empty file", NULL, "distance w1 empty.txt ok.txt", "empty.txt",
        "expected at least one point", NULL, 2);
    bad("points: ragged rows", NULL, "distance w1 ragged.txt ok.txt",
        "ragged.txt:2:", "expected 2 coordinates (as on line 1), found 1", NULL, 2);
    bad("points: non-numeric", NULL, "distance w1 nonnum.txt ok.txt",
        "nonnum.txt:2:", "field 2: expected a number, found 'x1'", NULL, 2);
    bad("points: NaN", NULL, "distance w1 nan.txt ok.txt",
        "nan.txt:2:", "field 1: expected a finite number, found 'nan'", NULL, 2);
    bad("points: Inf", NULL, "distance w2 ok.txt inf.txt",
        "inf.txt:2:", "field 2: expected a finite number, found '-inf'", NULL, 2);
    bad("points: overflowing number", NULL, "distance w1 overflow.txt ok.txt",
        "overflow.txt:2:", "expected a finite number, found '1e400'", NULL, 2);
    bad("points: huge values (W1)", NULL, "distance w1 huge.txt ok.txt",
        "huge.txt, ok.txt:", "coordinates too large", NULL, 2);
    bad("points: huge values (Sinkhorn)", NULL, "distance sinkhorn huge.txt ok.txt",
        "huge.txt, ok.txt:", "coordinates too large", NULL, 2);
    bad("points: binary file", NULL, "distance w1 binary.bin ok.txt", "binary.bin:1:", "expected",
        NULL, 2);
    bad("points: over-long line", NULL, "distance w1 long.txt ok.txt",
        "long.txt:1:", "field 2: expected a number", NULL, 2);
    bad("points: missing HDF5 dataset", NULL, "distance w1 rank3.h5:/nope ok.txt", "rank3.h5",
        "no dataset '/nope'", NULL, 2);
    bad("points: rank-3 dataset", NULL, "distance w1 rank3.h5:/p ok.txt", "rank3.h5", "rank", NULL,
        2);
    bad("points: missing file", NULL, "distance w1 absent.txt ok.txt", "absent.txt", "No such file",
        NULL, 2);
}

/* ---- IDX files, through `run` of an MNIST experiment ---- */

static const char *IDX_NAMES[4] = {"train-images-idx3-ubyte", "train-labels-idx1-ubyte",
                                   "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"};

static const char *MN_CFG =
    "experiment = { name = \"mn\"; claims = [\"C37\"]; protocol = \"train\"; };\n"
    "seeds = [7];\n"
    "data = { set = \"mnist\"; subset = 500; };\n"
    "nets = { g = \"16-32relu-784sigmoid\"; d = \"784-32relu-1linear\"; };\n"
    "method = ( { name = \"wgan_gp\"; } );\n"
    "schedule = { steps = 20; };\n"
    "eval = { n = 200; every = 10; classifier = false; };\n"
    "probes = { losses = 5; samples = 20; n_samples = 4; };\n";

/* A folder m_<tag> of symlinks to the real files, with `name` replaced by what `make`
 * (a shell command run in the scratch folder, $M the real folder, $T the target) writes. */
static void idx_dir(const char *tag, const char *name, const char *make) {
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "mkdir m_%s", tag);
    CHECK(sh(cmd) == 0);
    for (int k = 0; k < 4; k++) {
        snprintf(cmd, sizeof cmd, "ln -s '%s/%s' m_%s/%s", g_mnist_dir, IDX_NAMES[k], tag,
                 IDX_NAMES[k]);
        CHECK(sh(cmd) == 0);
    }
    snprintf(cmd, sizeof cmd, "rm m_%s/%s && M='%s' T=m_%s/%s && %s", tag, name, g_mnist_dir, tag,
             name, make);
    CHECK(sh(cmd) == 0);
}

static void idx_case(const char *label, const char *tag, const char *name, const char *make,
                     const char *expect) {
    idx_dir(tag, name, make);
    char env[256], args[256], file[256];
    snprintf(env, sizeof env, "GR_MNIST_DIR=m_%s", tag);
    snprintf(args, sizeof args, "run mn.cfg --jobs 1 --out o_%s", tag);
    snprintf(file, sizeof file, "m_%s/%s", tag, name);
    char out[64];
    snprintf(out, sizeof out, "o_%s", tag);
    bad(label, env, args, file, expect, out, 2);
}

static void test_idx_files(void) {
    put("mn.cfg", MN_CFG);
    /* a missing folder: every MNIST run fails naming the file (exit 1, docs/RELIABILITY.md) */
    bad("IDX: missing MNIST folder (per-run failure)", "GR_MNIST_DIR=m_none",
        "run mn.cfg --jobs 1 --out o_none", "m_none/train-images-idx3-ubyte", "not found", NULL, 1);
    if (!g_mnist) {
        fprintf(stderr,
                "SKIP (IDX cases): %s/train-images-idx3-ubyte absent (sh "
                "datasets/mnist/fetch)\n",
                g_mnist_dir);
        return;
    }
    idx_case("IDX: truncated images", "trunc", "train-images-idx3-ubyte",
             "head -c 1000000 \"$M/train-images-idx3-ubyte\" > $T",
             "truncated: the header declares 60000 x 28 x 28 u8 elements");
    idx_case("IDX: wrong magic", "magic", "train-labels-idx1-ubyte",
             "{ printf 'GIF8'; tail -c +5 \"$M/train-labels-idx1-ubyte\"; } > $T", "magic");
    idx_case("IDX: wrong element type (float32 labels)", "type", "train-labels-idx1-ubyte",
             "{ printf '\\000\\000\\015\\001'; tail -c +5 \"$M/train-labels-idx1-ubyte\"; } > $T",
             "f32");
    idx_case("IDX: length longer than the header's counts", "long", "t10k-labels-idx1-ubyte",
             "{ cat \"$M/t10k-labels-idx1-ubyte\"; printf 'xx'; } > $T",
             "trailing bytes: the header declares 10000 u8 elements");
    idx_case(
        "IDX: header only (counts, no data)", "hdr", "t10k-images-idx3-ubyte",
        "printf '\\000\\000\\010\\003\\000\\000\\047\\020\\000\\000\\000\\034\\000\\000\\000\\034'"
        " > $T",
        "the file holds 16");
    idx_case("IDX: label out of range", "label", "train-labels-idx1-ubyte",
             "{ head -c 100 \"$M/train-labels-idx1-ubyte\"; printf '\\012'; tail -c +102 "
             "\"$M/train-labels-idx1-ubyte\"; } > $T",
             "label 92 is 10, expected 0 to 9");
    idx_case("IDX: images and labels do not pair", "pair", "train-labels-idx1-ubyte",
             "ln -s \"$M/t10k-labels-idx1-ubyte\" $T", "do not pair");
}

/* ---- results files ---- */

static void set_attr_i32(const char *file, const char *name, int v) {
    char path[600];
    snprintf(path, sizeof path, "%s/%s", g_dir, file);
    hid_t f = H5Fopen(path, H5F_ACC_RDWR, H5P_DEFAULT);
    hid_t a = f >= 0 ? H5Aopen(f, name, H5P_DEFAULT) : -1;
    CHECK(a >= 0);
    if (a >= 0) {
        CHECK(H5Awrite(a, H5T_NATIVE_INT32, &v) >= 0);
        H5Aclose(a);
    }
    if (f >= 0) H5Fclose(f);
}

static void test_results_files(void) {
    /* res/bad.h5 from test_experiment_files; a second experiment's file */
    CHECK(sh("cp res/bad.h5 v2.h5 && cp res/bad.h5 cut.h5.full && head -c 20000 cut.h5.full > "
             "cut.h5 && rm cut.h5.full") == 0);
    set_attr_i32("v2.h5", "format_version", 2);
    CHECK(sh("sed 's/name = \"bad\"/name = \"other\"/' good.cfg > other.cfg") == 0);
    static char so[8192], se[8192];
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "cd '%s' && '%s' run other.cfg --profile ci --out res", g_dir, g_cli);
    CHECK(gr_test_shell(g_dir, cmd, so, sizeof so, se, sizeof se) == 0);
    write_h5_rank3("plain.h5");
    const char *cmds[3] = {"verify", "table", "plot"};
    for (int k = 0; k < 3; k++) {
        char label[128], args[256];
        snprintf(label, sizeof label, "results: format version 2 (%s)", cmds[k]);
        snprintf(args, sizeof args, "%s v2.h5 --out o2", cmds[k]);
        bad(label, NULL, args, "v2.h5", "results format version 2, this build reads version 1",
            "o2", 2);
        snprintf(label, sizeof label, "results: not a results file (%s)", cmds[k]);
        snprintf(args, sizeof args, "%s plain.h5 --out o2", cmds[k]);
        bad(label, NULL, args, "plain.h5", "not a ganrepro results file", "o2", 2);
        snprintf(label, sizeof label, "results: truncated file (%s)", cmds[k]);
        snprintf(args, sizeof args, "%s cut.h5 --out o2", cmds[k]);
        bad(label, NULL, args, "cut.h5", "corrupt or truncated", "o2", 2);
    }
    bad("results: merge of two experiments", NULL, "merge o3.h5 res/bad.h5 res/other.h5",
        "res/other.h5", "experiment", "o3.h5", 2);
    bad("results: merge of another version", NULL, "merge o3.h5 res/bad.h5 v2.h5", "v2.h5",
        "results format version 2", "o3.h5", 2);
}

/* ---- checkpoints ---- */

/* A training experiment long enough (2000 steps, a checkpoint every 100) to be killed
 * between two checkpoints. */
static const char *CK_CFG =
    "experiment = { name = \"ck\"; claims = [\"C37\"]; protocol = \"train\"; };\n"
    "seeds = [7, 8];\n"
    "data = { set = \"8gaussians\"; };\n"
    "nets = { g = \"2-16relu-2linear\"; d = \"2-16relu-1linear\"; };\n"
    "method = ( { name = \"gan_ns\"; } );\n"
    "schedule = { steps = 2000; checkpoint_every = 100; };\n"
    "eval = { n = 50; every = 500; };\n";

static char g_id_a[32], g_id_b[32]; /* the runs of seeds 7 and 8 */

/* The run ids of ck.cfg from its dry run ("index<TAB>id<TAB>seed" lines). */
static int ck_ids(void) {
    static char so[8192], se[8192];
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "cd '%s' && '%s' run ck.cfg --dry-run", g_dir, g_cli);
    if (gr_test_shell(g_dir, cmd, so, sizeof so, se, sizeof se) != 0) return 0;
    const char *l0 = strstr(so, "\n0\t"), *l1 = strstr(so, "\n1\t");
    if (!l0 || !l1) return 0;
    return sscanf(l0 + 3, "%16s", g_id_a) == 1 && sscanf(l1 + 3, "%16s", g_id_b) == 1;
}

/* `run CFG --resume` into OUT in its own session, killed (the whole group: runner and
 * workers) once n checkpoints exist; its temporaries are removed. Fails if the run ended
 * first. */
static int run_and_kill(const char *cfg, const char *out, int jobs, int n) {
    char cmd[2048];
    snprintf(cmd, sizeof cmd,
             "setsid '%s' run %s --jobs %d --out %s --resume & p=$!; "
             "while [ $(ls %s/*.d/*.ckpt.h5 2>/dev/null | wc -l) -lt %d ]; do "
             "kill -0 $p 2>/dev/null || exit 1; done; kill -KILL -$p; wait $p; "
             "find %s -name '*.tmp.*' -delete",
             g_cli, cfg, jobs, out, out, n, out);
    return sh(cmd);
}

/* Flip bit `bit` of the byte `at` bytes into the raw data of dataset dset of file. */
static int flip_in_dataset(const char *file, const char *dset, long at, int bit) {
    char path[600];
    snprintf(path, sizeof path, "%s/%s", g_dir, file);
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    hid_t d = f >= 0 ? H5Dopen2(f, dset, H5P_DEFAULT) : -1;
    haddr_t off = d >= 0 ? H5Dget_offset(d) : HADDR_UNDEF;
    if (d >= 0) H5Dclose(d);
    if (f >= 0) H5Fclose(f);
    if (off == HADDR_UNDEF) return 0;
    FILE *fp = fopen(path, "r+b");
    if (!fp) return 0;
    int ok = fseek(fp, (long)off + at, SEEK_SET) == 0;
    int c = ok ? fgetc(fp) : EOF;
    ok = c != EOF && fseek(fp, (long)off + at, SEEK_SET) == 0 && fputc(c ^ (1 << bit), fp) != EOF;
    return fclose(fp) == 0 && ok;
}

/* Overwrite an attribute of /train with an integer (valid HDF5, a wrong field). */
static int set_train_attr(const char *file, const char *name, hid_t type, const void *v) {
    char path[600];
    snprintf(path, sizeof path, "%s/%s", g_dir, file);
    hid_t f = H5Fopen(path, H5F_ACC_RDWR, H5P_DEFAULT);
    hid_t g = f >= 0 ? H5Gopen2(f, "train", H5P_DEFAULT) : -1;
    hid_t a = g >= 0 ? H5Aopen(g, name, H5P_DEFAULT) : -1;
    int ok = a >= 0 && H5Awrite(a, type, v) >= 0;
    if (a >= 0) H5Aclose(a);
    if (g >= 0) H5Gclose(g);
    if (f >= 0 && H5Fclose(f) < 0) ok = 0;
    return ok;
}

/* Change one value of /train/rows through HDF5 (the file stays valid HDF5). */
/* step_col 0: the first row's last column += 0.5 (the checksum catches it); 1: the first row's
 * step = 1e30, which the reader must refuse before converting it to an integer (the fuzz
 * finding of tests/fuzz/regress/train_checkpoint/) */
static int poke_rows(const char *file, int step_col) {
    char path[600];
    snprintf(path, sizeof path, "%s/%s", g_dir, file);
    hid_t f = H5Fopen(path, H5F_ACC_RDWR, H5P_DEFAULT);
    hid_t d = f >= 0 ? H5Dopen2(f, "train/rows", H5P_DEFAULT) : -1;
    int ok = 0;
    if (d >= 0) {
        hid_t sp = H5Dget_space(d);
        hsize_t dims[2] = {0, 0};
        if (H5Sget_simple_extent_ndims(sp) == 2 && H5Sget_simple_extent_dims(sp, dims, NULL) == 2) {
            double *v = malloc((size_t)(dims[0] * dims[1]) * sizeof *v);
            if (v && H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) >= 0) {
                if (step_col)
                    v[0] = 1e30;
                else
                    v[dims[1] - 1] += 0.5;
                ok = H5Dwrite(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) >= 0;
            }
            free(v);
        }
        H5Sclose(sp);
        H5Dclose(d);
    }
    if (f >= 0 && H5Fclose(f) < 0) ok = 0;
    return ok;
}

static int poke_row(const char *file) { return poke_rows(file, 0); }
static int poke_row_step(const char *file) { return poke_rows(file, 1); }

/* One refused checkpoint: `install` (a shell command, $A the path of run A's checkpoint)
 * puts the damaged file in place, then `run --resume` must answer one line naming it with
 * `expect`, exit 2, and leave everything as it was: the results file, the damaged file
 * itself, run B's checkpoint, no per-run file, no temporary. */
static void ck_case(const char *label, const char *install, int (*damage)(const char *),
                    const char *expect) {
    char cmd[2048], file[128], rel[128];
    snprintf(rel, sizeof rel, "ck/ck.d/%s.ckpt.h5", g_id_a);
    snprintf(cmd, sizeof cmd, "A=%s && %s", rel, install);
    CHECK(sh(cmd) == 0);
    if (damage) CHECK(damage(rel));
    snprintf(cmd, sizeof cmd, "cp %s damaged.ckpt", rel);
    CHECK(sh(cmd) == 0);
    snprintf(file, sizeof file, "ck/ck.d/%s.ckpt.h5", g_id_a);
    bad(label, NULL, "run ck.cfg --jobs 1 --out ck --resume", file, expect, NULL, 2);
    CHECK_STR_CONTAINS(g_last, "delete it, or pass --restart-corrupt"); /* the way out */
    CHECK(sh("cmp ck/ck.h5 ck.h5.orig") == 0); /* the results file untouched */
    snprintf(cmd, sizeof cmd, "cmp %s damaged.ckpt && cmp ck/ck.d/%s.ckpt.h5 good_b.ckpt", rel,
             g_id_b);
    CHECK(sh(cmd) == 0); /* neither checkpoint removed nor rewritten */
    snprintf(cmd, sizeof cmd, "[ ! -e ck/ck.d/%s.h5 ] && [ ! -e ck/ck.d/%s.h5 ]", g_id_a, g_id_b);
    CHECK(sh(cmd) == 0); /* no per-run file */
}

static int dmg_rows_bit(const char *f) { return flip_in_dataset(f, "train/rows", 8, 3); }
static int dmg_params_bit(const char *f) {
    return flip_in_dataset(f, "trainer/nets/g/params", 20, 6);
}
static int dmg_ncols(const char *f) {
    uint64_t v = 3;
    return set_train_attr(f, "n_cols", H5T_NATIVE_UINT64, &v);
}
static int dmg_version(const char *f) {
    int32_t v = 3;
    return set_train_attr(f, "format_version", H5T_NATIVE_INT32, &v);
}
/* step one past the stored one: the row count stays within step + 2 whichever checkpoint
 * the kill left (a late kill leaves a later one with more rows), so the check that fires is
 * the trainer's step against /train's */
static int dmg_step(const char *f) {
    char path[600];
    snprintf(path, sizeof path, "%s/%s", g_dir, f);
    uint64_t v = 0;
    hid_t h = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    hid_t g = h >= 0 ? H5Gopen2(h, "train", H5P_DEFAULT) : -1;
    hid_t a = g >= 0 ? H5Aopen(g, "step", H5P_DEFAULT) : -1;
    int ok = a >= 0 && H5Aread(a, H5T_NATIVE_UINT64, &v) >= 0;
    if (a >= 0) H5Aclose(a);
    if (g >= 0) H5Gclose(g);
    if (h >= 0) H5Fclose(h);
    v++;
    return ok && set_train_attr(f, "step", H5T_NATIVE_UINT64, &v);
}

/* Corrupt checkpoints found by `run --resume` are bad input: refused before anything runs
 * (docs/RELIABILITY.md), and --restart-corrupt restarts that run instead. */
static void test_corrupt_checkpoint(void) {
    put("ck.cfg", CK_CFG);
    /* another experiment: a run id is the hash of the run's settings, not of the
     * experiment's name (a renamed experiment's run is the same run, its checkpoint
     * resumes it correctly), so ck2 differs in a setting too */
    CHECK(sh("sed 's/name = \"ck\"/name = \"ck2\"/; s/2-16relu-1linear/2-24relu-1linear/' "
             "ck.cfg > ck2.cfg") == 0);
    CHECK(ck_ids());
    static char so[8192], se[8192];
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "cd '%s' && '%s' run ck.cfg --jobs 2 --out ck", g_dir, g_cli);
    CHECK(gr_test_shell(g_dir, cmd, so, sizeof so, se, sizeof se) == 0);
    CHECK(sh("cp ck/ck.h5 ck.h5.orig && rm ck/ck.d/*.h5") == 0);
    /* genuine checkpoints: both runs of ck and one of ck2, killed part-way */
    CHECK(run_and_kill("ck.cfg", "ck", 2, 2) == 0);
    CHECK(run_and_kill("ck2.cfg", "ck2", 1, 1) == 0);
    CHECK(sh("cmp ck/ck.h5 ck.h5.orig") == 0);
    snprintf(cmd, sizeof cmd,
             "cp ck/ck.d/%s.ckpt.h5 good_a.ckpt && cp ck/ck.d/%s.ckpt.h5 good_b.ckpt && "
             "cp ck2/ck2.d/*.ckpt.h5 other_exp.ckpt",
             g_id_a, g_id_b);
    CHECK(sh(cmd) == 0);
    ck_case("checkpoint: empty file", ": > $A", NULL, "is not a readable HDF5 file");
    ck_case("checkpoint: not HDF5", "printf 'not a checkpoint' > $A", NULL,
            "is not a readable HDF5 file");
    ck_case("checkpoint: truncated (half)",
            "head -c $(( $(wc -c < good_a.ckpt) / 2 )) good_a.ckpt > $A", NULL,
            "is not a readable HDF5 file");
    ck_case("checkpoint: one bit flipped in a series row", "cp good_a.ckpt $A", dmg_rows_bit,
            "/train checksum");
    ck_case("checkpoint: one bit flipped in G's parameters", "cp good_a.ckpt $A", dmg_params_bit,
            "checksum");
    ck_case("checkpoint: another run's (seed 8)", "cp good_b.ckpt $A", NULL, "expected run");
    ck_case("checkpoint: another experiment's", "cp other_exp.ckpt $A", NULL, "expected run");
    ck_case("checkpoint: a results file in its place", "cp ck.h5.orig $A", NULL,
            "not a checkpoint of the train protocol");
    ck_case("checkpoint: valid HDF5, a row value changed", "cp good_a.ckpt $A", poke_row,
            "/train checksum");
    ck_case("checkpoint: valid HDF5, a row's step 1e30", "cp good_a.ckpt $A", poke_row_step,
            "rows[0]: step 1e+30 is not an integer in [0, ");
    ck_case("checkpoint: valid HDF5, n_cols wrong", "cp good_a.ckpt $A", dmg_ncols,
            "n_cols = 3, expected");
    ck_case("checkpoint: valid HDF5, format_version 3", "cp good_a.ckpt $A", dmg_version,
            "train checkpoint version 3, this build reads 2");
    ck_case("checkpoint: valid HDF5, step wrong", "cp good_a.ckpt $A", dmg_step,
            ", expected the trainer's ");
    /* --restart-corrupt: run A starts afresh (said), B resumes; the results equal the
     * uninterrupted execution's */
    snprintf(cmd, sizeof cmd,
             "cd '%s' && printf 'junk' > ck/ck.d/%s.ckpt.h5 && '%s' run ck.cfg --jobs 1 --out ck "
             "--restart-corrupt",
             g_dir, g_id_a, g_cli);
    int rc = gr_test_shell(g_dir, cmd, so, sizeof so, se, sizeof se);
    CHECK(rc == 0);
    CHECK_STR_CONTAINS(se, "unusable checkpoint removed, the run starts from step 0");
    CHECK_STR_CONTAINS(se, g_id_a);
    snprintf(cmd, sizeof cmd,
             "'%s' table ck/ck.h5 --format runs --stdout > t1.csv && '%s' table ck.h5.orig "
             "--format runs --stdout > t0.csv && cmp t0.csv t1.csv",
             g_cli, g_cli);
    CHECK(sh(cmd) == 0);
    snprintf(cmd, sizeof cmd, "[ ! -e ck/ck.d/%s.ckpt.h5 ]", g_id_a);
    CHECK(sh(cmd) == 0);
    fprintf(stderr, "| checkpoint: --restart-corrupt | %d | `%.*s` |\n", rc, (int)strcspn(se, "\n"),
            se);
}

int main(void) {
    g_cli = gr_test_cli();
    if (!g_cli) return 1;
    CHECK(gr_test_tmpdir(g_dir, sizeof g_dir, "gr_bad") == 0);
    const char *src = getenv("GR_SOURCE_DIR");
    snprintf(g_mnist_dir, sizeof g_mnist_dir, "%s/datasets/mnist", src ? src : "..");
    char probe[700];
    snprintf(probe, sizeof probe, "%s/train-images-idx3-ubyte", g_mnist_dir);
    g_mnist = access(probe, R_OK) == 0;
    fprintf(stderr, "| case | exit | stderr |\n|---|---|---|\n");
    RUN(test_experiment_files);
    RUN(test_point_files);
    RUN(test_idx_files);
    RUN(test_results_files);
    RUN(test_corrupt_checkpoint);
    char rm[400];
    snprintf(rm, sizeof rm, "rm -rf '%s'", g_dir); /* it has subfolders */
    if (system(rm) != 0) fprintf(stderr, "warning: could not remove %s\n", g_dir);
    return TEST_MAIN_END();
}
