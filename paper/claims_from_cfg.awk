# paper/claims_from_cfg.awk — the project's claims catalogue (docs/claims.cfg, libconfig:
# a list `claims` of groups { id; source; statement; cited (reference-only claims) }) as
# the TSV the report reads (paper/render.awk), one line per claim:
#   id  part  title  source  statement  cited
# part (the paper, for the report's sections) comes from the source's first word (GAN,
# A&B, WGAN, WGAN-GP, ...); the catalogue has no short title, so title is empty and the
# report heads the claim with its source. Usage (paper/generate.sh does this when
# docs/claims.cfg exists): awk -f paper/claims_from_cfg.awk docs/claims.cfg
function part(src) {
    if (src ~ /^GAN[ ,§]/) return "Goodfellow et al. 2014, \"Generative Adversarial Nets\""
    if (src ~ /^A&B/) return "Arjovsky & Bottou 2017, \"Towards Principled Methods for Training GANs\""
    if (src ~ /^WGAN-GP/) return "Gulrajani et al. 2017, \"Improved Training of Wasserstein GANs\""
    if (src ~ /^WGAN/) return "Arjovsky, Chintala & Bottou 2017, \"Wasserstein GAN\""
    if (src ~ /gan_toy|gan_mnist/) return "Gulrajani et al. 2017, \"Improved Training of Wasserstein GANs\""
    if (src ~ /bilinear/) return "Bilinear game"
    return "Mode counting, embedded data and the suite's own protocols"
}
function flush() {
    if (g["id"] != "")
        print g["id"] "\t" part(g["source"]) "\t\t" g["source"] "\t" g["statement"] "\t" g["cited"]
    delete g
}
/^[ \t]*#/ { next }
{
    line = $0
    for (i = 1; i <= length(line); i++) {
        c = substr(line, i, 1)
        if (instr) {
            if (c == "\\") { val = val substr(line, i + 1, 1); i++ }
            else if (c == "\"") { instr = 0; if (depth == 1 && key != "") g[key] = val }
            else val = val c
            continue
        }
        if (c == "\"") { instr = 1; val = ""; continue }
        if (c == "{") { depth++; key = ""; tok = ""; continue }
        if (c == "}") { if (depth == 1) flush(); depth--; continue }
        if (depth != 1) continue
        if (c ~ /[A-Za-z_]/) { tok = tok c; continue }
        if (c == "=") { key = tok; tok = ""; continue }
        if (c == ";") { key = ""; tok = ""; continue }
        if (c ~ /[ \t]/) continue
    }
}
