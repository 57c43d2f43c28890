# paper/claims_from_md.awk — the claims catalogue as one TSV line per claim, from a
# CLAIMS.md in the layout of the project's claims catalogue:
#   ## A. Goodfellow et al. 2014, "Generative Adversarial Nets"     (the paper, per part)
#   ### C01 — Optimal discriminator                                  (id and title)
#   * **Source:** GAN §4.1, Proposition 1. [SRC]                     (where the claim is)
#   * **Statement:** With G frozen, ...                              (what it says)
# Continuation lines (indented) belong to the item above them. Verification tags ([SRC],
# [CODE], [NUM], ...) are dropped. Output columns, tab-separated:
#   id  part  title  source  statement  cited
# statement: the **Statement:** item, else a **Claim...:** item ("Claims to check"), else
# empty (the report then states the title); cited: the published numbers, from the
# **Reported:** or **Numbers...:** item, else a bullet without a label (C40's), else empty.
# Usage: awk -f paper/claims_from_md.awk CLAIMS.md > paper/data/claims.tsv
# (paper/data/claims.tsv is committed; rerun this when the catalogue changes.)
function flush() {
    if (id != "") print id "\t" part "\t" title "\t" clean(source) "\t" clean(statement) "\t" clean(cited)
    id = ""; title = ""; source = ""; statement = ""; cited = ""; item = ""
}
# drop "[TAG ...]" verification notes, nested brackets included
function untag(s,    out, i, c, depth, rest) {
    out = ""; depth = 0
    for (i = 1; i <= length(s); i++) {
        c = substr(s, i, 1)
        rest = substr(s, i)
        if (c == "[" && (depth > 0 || rest ~ /^\[(SRC|CODE|NUM|ours-ran|SEC|UNV|math)/)) { depth++; continue }
        if (depth > 0) { if (c == "]") depth--; continue }
        out = out c
    }
    return out
}
function clean(s) {
    s = untag(s)
    gsub(/\t/, " ", s)
    gsub(/  +/, " ", s)
    sub(/^ +/, "", s); sub(/ +$/, "", s)
    gsub(/ +;/, ";", s); gsub(/ +\./, ".", s)
    return s
}
/^## / {
    flush()
    p = $0; sub(/^## +/, "", p)
    # "A. Goodfellow et al. 2014, "Generative..."" -> the part after the letter
    if (p ~ /^[A-Z]\. /) { sub(/^[A-Z]\. +/, "", p); part = p } else part = ""
    next
}
/^### C[0-9][0-9]/ {
    flush()
    id = $2
    t = $0; sub(/^### C[0-9][0-9] *(—|-)+ */, "", t)
    title = t
    next
}
id == "" { next }
/^\* \*\*Source:\*\*/ { item = "source"; s = $0; sub(/^\* \*\*Source:\*\* */, "", s); source = s; next }
/^\* \*\*Statement[^*]*:\*\*/ { item = "statement"; s = $0; sub(/^\* \*\*Statement[^*]*:\*\* */, "", s); statement = s; next }
/^\* \*\*Claim[^*]*:\*\*/ {
    s = $0; sub(/^\* \*\*Claim[^*]*:\*\* */, "", s)
    if (statement == "") { item = "statement"; statement = s } else item = ""
    next
}
/^\* \*\*(Reported|Numbers|Notebook setup)[^*]*:\*\*/ {
    s = $0; sub(/^\* \*\*[^*]*:\*\* */, "", s)
    if (cited == "") { item = "cited"; cited = s } else item = ""
    next
}
/^\* [^*]/ { s = $0; sub(/^\* /, "", s); if (cited == "") { item = "cited"; cited = s } else item = ""; next }
/^\* / { item = ""; next }
/^  +[^ ]/ {
    s = $0; sub(/^ +/, "", s)
    if (item == "source") source = source " " s
    else if (item == "statement") statement = statement " " s
    else if (item == "cited") cited = cited " " s
    next
}
/^$/ { item = ""; next }
END { flush() }
