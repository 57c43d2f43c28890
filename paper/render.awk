# paper/render.awk — the generated part of the report (called by paper/generate.sh, which
# documents the inputs). Files given: paper/data/claims.tsv, paper/data/reference_only,
# results/tables/verdicts.csv; per experiment it reads OUT/info/NAME.tsv (written by
# generate.sh) and results/tables/NAME.csv. Writes into OUT:
#   meta.tex      provenance macros (profile, commits, dates, counts) for the front page
#   verdicts.tex  one \grdefcrit per criterion field and one \grdefclaim per claim: every
#                 verdict number the text shows comes from here
#   claims.tex    one subsection per tested claim: statement and source, protocol,
#                 figure, table, verdict lines
#   cited.tex     the reference-only claims with their published numbers, marked cited
#   failures.tex  the FAIL / NOT RUN criteria and the notes of the experiment files
#   allverdicts.tex  every criterion in one long table (appendix)
# Numbers are printed as the CSV files hold them, rounded for reading (4 significant
# digits in tables, the shortest exact form in the verdict lines).

# ---- CSV (RFC 4180: quoted fields, doubled quotes) -----------------------------------
function csvsplit(line, f,    n, i, c, q, cur) {
    n = 0; cur = ""; q = 0
    for (i = 1; i <= length(line); i++) {
        c = substr(line, i, 1)
        if (q) {
            if (c == "\"") {
                if (substr(line, i + 1, 1) == "\"") { cur = cur "\""; i++ } else q = 0
            } else cur = cur c
        } else if (c == "\"") q = 1
        else if (c == ",") { f[++n] = cur; cur = "" }
        else cur = cur c
    }
    f[++n] = cur
    return n
}

# ---- TeX text ------------------------------------------------------------------------
function texplain(s,    out, i, c, prev) {
    out = ""; prev = " "
    for (i = 1; i <= length(s); i++) {
        prev = i > 1 ? substr(s, i - 1, 1) : " "
        c = substr(s, i, 1)
        if (c == "\\") out = out "\\textbackslash{}"
        else if (c ~ /[{}$&%#_]/) out = out "\\" c
        else if (c == "^") out = out "\\textasciicircum{}"
        else if (c == "~") out = out "\\textasciitilde{}"
        else if (c == "\"") out = out (prev ~ /[ ([{]/ ? "``" : "''")
        else if (c == "<") out = out "\\textless{}"
        else if (c == ">") out = out "\\textgreater{}"
        else if (c == "|") out = out "\\textbar{}"
        else out = out c
    }
    return out
}
# code, keys, file names: \grcode{...} with break points after - / . , = (\grcode itself
# breaks after underscores)
function code(s,    t) {
    t = texplain(s)
    gsub(/``|''/, "\\textquotedbl{}", t)
    gsub(/-/, "-\\allowbreak{}", t)
    gsub(/\//, "/\\allowbreak{}", t)
    gsub(/,/, ",\\allowbreak{}", t)
    return "\\grcode{" t "}"
}
# a swept value for a table cell: numbers to 4 significant digits
function setval(x) { return isnum(x) ? (isint(x) ? sprintf("%d", x + 0) : sprintf("%.4g", x + 0)) : texplain(x) }
# an integer below 1e7 in magnitude is printed whole (steps, counts)
function isint(x) { return isnum(x) && x + 0 == int(x + 0) && (x + 0 < 1e7 && x + 0 > -1e7) }
# Markdown-ish text (the claims catalogue): `code` -> \texttt, **bold** -> \textbf
function texmd(s,    out, i, j, k) {
    out = ""
    while ((i = index(s, "`")) > 0) {
        j = index(substr(s, i + 1), "`")
        if (j == 0) break
        out = out texbold(substr(s, 1, i - 1)) code(substr(s, i + 1, j - 1))
        s = substr(s, i + j + 1)
    }
    return out texbold(s)
}
# *emphasis* (a star after a space or bracket, a letter after it) -> \emph
function texem(s,    out) {
    out = ""
    while (match(s, /(^|[ (])\*[A-Za-z][^*]*[A-Za-z.]\*/)) {
        if (substr(s, RSTART, 1) != "*") { out = out texplain(substr(s, 1, RSTART)); RSTART++; RLENGTH-- }
        else out = out texplain(substr(s, 1, RSTART - 1))
        out = out "\\emph{" texplain(substr(s, RSTART + 1, RLENGTH - 2)) "}"
        s = substr(s, RSTART + RLENGTH)
    }
    return out texplain(s)
}
function texbold(s,    out, i, j) {
    out = ""
    while ((i = index(s, "**")) > 0) {
        j = index(substr(s, i + 2), "**")
        if (j == 0) break
        out = out texem(substr(s, 1, i - 1)) "\\textbf{" texplain(substr(s, i + 2, j - 1)) "}"
        s = substr(s, i + j + 3)
    }
    return out texem(s)
}

# ---- numbers -------------------------------------------------------------------------
function isnum(x) { return x ~ /^[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$/ }
# x for a table cell: 4 significant digits, \num typesets the exponent
function texnum(x, digits,    y) {
    if (x == "" || x == "nan" || x == "-nan") return "--"
    if (x == "inf") return "$\\infty$"
    if (x == "-inf") return "$-\\infty$"
    if (!isnum(x)) return texplain(x)
    y = isint(x) ? sprintf("%d", x + 0) : sprintf("%." digits "g", x + 0)
    return "\\num{" y "}"
}
# x exactly as the CSV holds it (thresholds: the shortest exact form)
function texexact(x) {
    if (x == "" || x == "nan" || x == "-nan") return "n/a"
    if (x == "inf") return "$\\infty$"
    if (x == "-inf") return "$-\\infty$"
    if (!isnum(x)) return texplain(x)
    return "\\num{" x "}"
}
# a measured value: 6 significant digits (the CSV keeps the exact value)
function texmeas(x) { return isnum(x) ? texnum(x, 6) : texexact(x) }
# "<= 1e-12" -> $\le$ \num{1e-12};  "in [0.69, 0.7]" -> in [\num{0.69}, \num{0.7}]
# the operator of a paired criterion's condition ("< against")
function texop(c,    op) {
    op = c; sub(/ .*/, "", op)
    return op == "<=" ? "$\\le$" : op == ">=" ? "$\\ge$" : op == "<" ? "$<$" : op == ">" ? "$>$" : texplain(op)
}
function texcond(c,    op, rest, a, b) {
    if (c ~ /^in \[/) {
        rest = c; sub(/^in \[/, "", rest); sub(/\]$/, "", rest)
        split(rest, a, /, */)
        return "in $[$" texexact(a[1]) ", " texexact(a[2]) "$]$"
    }
    op = c; sub(/ .*/, "", op)
    rest = c; sub(/^[^ ]* /, "", rest)
    if (op == "<=") op = "$\\le$"
    else if (op == ">=") op = "$\\ge$"
    else if (op == "<") op = "$<$"
    else if (op == ">") op = "$>$"
    return op " " texexact(rest)
}
function lbl(s) { gsub(/[^A-Za-z0-9:.-]/, "-", s); return s }

# ---- inputs --------------------------------------------------------------------------
FILENAME ~ /claims\.tsv$/ {
    split($0, t, "\t")
    cpart[t[1]] = t[2]; ctitle[t[1]] = t[3]; csource[t[1]] = t[4]
    cstate[t[1]] = t[5]; ccited[t[1]] = t[6]
    corder[++ncat] = t[1]
    next
}
FILENAME ~ /reference_only$/ {
    if ($1 ~ /^C[0-9]+$/) { refonly[$1] = 1; refs[++nref] = $1 }
    next
}
# read by column name (the header), so added or reordered columns do no harm; rows that
# are not a criterion's verdict (verify's "cited" rows of reference-only claims) are skipped
FILENAME ~ /verdicts\.csv$/ {
    nf = csvsplit($0, f)
    if (FNR == 1) {
        for (i = 1; i <= nf; i++) vc[f[i]] = i
        split("claim experiment criterion metric over condition measured se n_runs n_failed " \
              "n_diverged n_missing verdict where doc", need, " ")
        for (i in need) if (!(need[i] in vc)) {
            printf "paper: %s has no column %s\n", FILENAME, need[i] > "/dev/stderr"
            exit 2
        }
        next
    }
    if (f[vc["verdict"]] !~ /^(PASS|FAIL|NOT RUN|NOT TESTED)$/) next
    nv++
    v_claim[nv] = f[vc["claim"]]; v_exp[nv] = f[vc["experiment"]]; v_k[nv] = f[vc["criterion"]]
    v_metric[nv] = f[vc["metric"]]; v_over[nv] = f[vc["over"]]; v_cond[nv] = f[vc["condition"]]
    v_meas[nv] = f[vc["measured"]]; v_se[nv] = f[vc["se"]]; v_n[nv] = f[vc["n_runs"]]
    v_failed[nv] = f[vc["n_failed"]]; v_div[nv] = f[vc["n_diverged"]]
    v_miss[nv] = f[vc["n_missing"]]; v_verdict[nv] = f[vc["verdict"]]
    v_where[nv] = f[vc["where"]]; v_doc[nv] = f[vc["doc"]]
    v_kk[nv] = ("k" in vc) ? f[vc["k"]] : ""
    v_against[nv] = ("against" in vc) ? f[vc["against"]] : ""
    v_npairs[nv] = ("n_pairs" in vc) ? f[vc["n_pairs"]] : ""
    next
}

function readinfo(n,    file, line, k, v) {
    file = out "/info/" n ".tsv"
    nnotes[n] = 0
    while ((getline line < file) > 0) {
        k = substr(line, 1, index(line, "\t") - 1)
        v = substr(line, index(line, "\t") + 1)
        if (k == "comment.notes") notes[n, ++nnotes[n]] = v
        else info[n, k] = v
    }
    close(file)
}

# the per-setting statistics of results/tables/NAME.csv
function readtable(n,    file, line, hdr, nh, i, c, key, g, m, f) {
    file = "results/tables/" n ".csv"
    ng[n] = 0; naxes[n] = 0
    while ((getline line < file) > 0) {
        nh = csvsplit(line, f)
        if (!hdr) {
            hdr = 1
            for (i = 1; i <= nh; i++) {
                col[f[i]] = i
                if (f[i] ~ /^param\./) axis[n, ++naxes[n]] = substr(f[i], 7)
            }
            continue
        }
        key = ""
        for (i = 1; i <= naxes[n]; i++) key = key SUBSEP f[col["param." axis[n, i]]]
        if (!((n, key) in gidx)) {
            gidx[n, key] = ++ng[n]
            g = ng[n]
            for (i = 1; i <= naxes[n]; i++) gval[n, g, i] = f[col["param." axis[n, i]]]
            g_ok[n, g] = f[col["n_ok"]]; g_div[n, g] = f[col["n_diverged"]]
            g_fail[n, g] = f[col["n_failed"]]
        }
        g = gidx[n, key]
        m = f[col["metric"]]
        t_mean[n, g, m] = f[col["mean"]]; t_std[n, g, m] = f[col["std"]]
        t_n[n, g, m] = f[col["n"]]; t_nan[n, g, m] = f[col["n_nan"]]
    }
    close(file)
    delete col
}

function verdictbox(v) {
    if (v == "PASS") return "\\grpass"
    if (v == "FAIL") return "\\grfail"
    if (v == "NOT RUN") return "\\grnotrun"
    return "\\grnottested"
}
# a claim's verdict (harness/verify.h): a failing claim is "not reproduced", its criteria FAIL
function claimword(v) { return v == "FAIL" ? "NOT REPRODUCED" : v }
function claimbox(v) { return v == "FAIL" ? "\\grnotreproduced" : verdictbox(v) }
function rank(v) { return v == "FAIL" ? 3 : v == "NOT RUN" ? 2 : v == "PASS" ? 1 : 0 }
# harness/verify.h: FAIL if any fails, else NOT RUN if any did not run, else PASS if one
# passed, else NOT TESTED
function combine(a, b) { return rank(b) > rank(a) ? b : a }

function critline(i,    s) {
    s = "\\item " verdictbox(v_verdict[i]) " \\textbf{" texplain(v_exp[i]) " \\#" v_k[i] "}: "
    if (v_doc[i] != "") s = s texplain(v_doc[i]) ". "
    if (v_over[i] == "count")
        s = s code(v_metric[i]) " " texcond(v_cond[i]) " in at least " v_kk[i] " of the selected runs: "
    else if (v_over[i] == "paired")
        s = s code(v_metric[i]) " " texop(v_cond[i]) " that of its partner (the run of the same " \
            "seed that " code(v_against[i]) " selects) in at least " v_kk[i] " of the pairs: "
    else
        s = s code(v_metric[i]) " (" texplain(v_over[i]) " over the selected runs) "
    if (v_verdict[i] == "NOT TESTED")
        s = s "should be " texcond(v_cond[i]) "; no run of this profile is selected"
    else if (v_verdict[i] == "NOT RUN")
        s = s "should be " texcond(v_cond[i]) "; " v_miss[i] " selected run(s) missing from the file"
    else {
        if (v_over[i] == "count")
            s = s "\\grmeas{" texmeas(v_meas[i]) "} did"
        else if (v_over[i] == "paired")
            s = s "\\grmeas{" texmeas(v_meas[i]) "} of " v_npairs[i] " pairs did"
        else
            s = s "measured \\grmeas{" texmeas(v_meas[i]) "}"
        if (v_se[i] != "nan" && v_se[i] != "") s = s " $\\pm$ " texnum(v_se[i], 2) " (s.e.)"
        if (v_over[i] != "count" && v_over[i] != "paired") s = s ", criterion " texcond(v_cond[i])
        s = s "; $n = " v_n[i] "$ run" (v_n[i] == 1 ? "" : "s")
        if (v_failed[i] > 0) s = s ", " v_failed[i] " failed (counted as failing)"
        if (v_div[i] > 0) s = s ", " v_div[i] " diverged"
    }
    if (v_where[i] != "") s = s "; where " code(v_where[i])
    return s "."
}

function figure(n, fo) {
    print "\\begin{figure}[htbp]\n\\centering" > fo
    if (info[n, "figure"] == "yes")
        print "\\grfigure{" n "}" > fo
    else
        print "\\grmissingfigure{" n "}" > fo
    print "\\caption{Experiment " code(n) ": " texplain(info[n, "decl.experiment.title"]) \
        " (profile " texplain(info[n, "profile"]) ", commit \\grcode{" texplain(info[n, "git_commit"]) \
        "}; drawn by \\grcode{ganrepro plot} from " code("results/" n ".h5") ").}" > fo
    print "\\label{fig:" lbl(n) "}\n\\end{figure}" > fo
}

# The judged metrics (those a criterion reads) per setting, from NAME.csv.
function table(n, fo,    nm, m, mets, seen, i, g, a, cols, hdr, row, cell, k, parts, rot, judged) {
    nm = 0
    for (i = 1; i <= nv; i++)
        if (v_exp[i] == n && !((v_metric[i]) in seen)) { seen[v_metric[i]] = 1; mets[++nm] = v_metric[i] }
    delete seen
    judged = nm > 0
    if (nm == 0) {
        # no criterion: the first four metrics of the table, by name
        for (m in t_mean) {
            split(m, parts, SUBSEP)
            if (parts[1] == n && !((parts[3]) in seen)) { seen[parts[3]] = 1; mets[++nm] = parts[3] }
        }
        delete seen
        for (m = 2; m <= nm; m++) {
            k = mets[m]
            for (g = m - 1; g >= 1 && mets[g] > k; g--) mets[g + 1] = mets[g]
            mets[g + 1] = k
        }
        if (nm > 4) nm = 4
    }
    print "\\begin{table}[htbp]\n\\centering\\footnotesize" > fo
    print "\\caption{Experiment " code(n) ", profile " texplain(info[n, "profile"]) \
        ", commit " code(info[n, "git_commit"]) ": " \
        (judged ? "the metrics its criteria judge, " : "its first metrics (it declares no criterion; every metric in the appendix), ") \
        "mean $\\pm$ standard deviation over the seeds of each setting whose runs ended ok " \
        "(\\grcode{ganrepro table}, " code("results/tables/" n ".csv") "; " \
        "every metric: Table~\\ref{tab:full-" lbl(n) "}).}" > fo
    print "\\label{tab:" lbl(n) "}" > fo
    # few metrics: X columns whose headers wrap; more: one line per row, headers rotated
    rot = nm > 3 || naxes[n] + nm > 5
    if (ng[n] > 12) print "\\scriptsize" > fo
    cols = ""
    for (a = 1; a <= naxes[n]; a++) cols = cols "l"
    if (rot) # shrunk to the text width when wider (never enlarged)
        printf "\\begin{grfit}{%s}\n\\begin{tabular}{%sc*{%d}{c}}\n\\toprule\n", lbl(n), cols, nm > fo
    else
        printf "\\begin{tabularx}{\\linewidth}{%sc*{%d}{>{\\centering\\arraybackslash}X}}\n\\toprule\n", cols, nm > fo
    hdr = ""
    for (a = 1; a <= naxes[n]; a++) hdr = hdr (rot ? "\\grrot{" : "") code(axis[n, a]) (rot ? "}" : "") " & "
    hdr = hdr (rot ? "\\grrot{ok/div./failed}" : "ok/div./failed")
    for (m = 1; m <= nm; m++) hdr = hdr " & " (rot ? "\\grrot{" : "") "\\grmetric{" texplain(mets[m]) "}" (rot ? "}" : "")
    print hdr " \\\\\n\\midrule" > fo
    for (g = 1; g <= ng[n]; g++) {
        row = ""
        for (a = 1; a <= naxes[n]; a++) row = row setval(gval[n, g, a]) " & "
        row = row g_ok[n, g] "/" g_div[n, g] "/" g_fail[n, g]
        for (m = 1; m <= nm; m++) {
            if (!((n, g, mets[m]) in t_mean) || t_n[n, g, mets[m]] + 0 == 0) { row = row " & --"; continue }
            cell = texnum(t_mean[n, g, mets[m]], 4)
            if (t_std[n, g, mets[m]] != "nan" && t_std[n, g, mets[m]] != "")
                cell = cell " $\\pm$ " texnum(t_std[n, g, mets[m]], 2)
            if (t_n[n, g, mets[m]] + 0 < g_ok[n, g] + 0) cell = cell " ($n = " t_n[n, g, mets[m]] "$)"
            row = row " & " cell
        }
        print row " \\\\" > fo
    }
    print "\\bottomrule\n\\end{" (rot ? "tabular}\n\\end{grfit" : "tabularx") "}\n\\end{table}" > fo
}

# Every metric per setting (the appendix): blocks of at most four settings and 48 metrics.
function fulltable(n, fo,    metrics, nm, m, k, g, g0, g1, m0, m1, maxrows, nblk, rows, a, hdr, row, cell, per, first, parts, seenm, hasval, hasnan, hidden, hid) {
    nm = 0
    for (k in t_mean) {
        split(k, parts, SUBSEP)
        if (parts[1] != n) continue
        if (t_n[k] + 0 > 0) hasval[parts[3]] = 1
        if (t_nan[k] + 0 > 0) hasnan[parts[3]] = 1
        if (!((parts[3]) in seenm)) { seenm[parts[3]] = 1; metrics[++nm] = parts[3] }
    }
    delete seenm
    # as `ganrepro table` does: a metric every ok run recorded without a value (the mode
    # metrics on MNIST) is named under the tables instead of a row of dashes
    k = 0
    for (m = 1; m <= nm; m++)
        if ((metrics[m] in hasnan) && !(metrics[m] in hasval)) hidden[++k] = metrics[m]
        else metrics[m - k] = metrics[m]
    nm -= k
    for (m = 2; m <= k; m++) { # sorted, as the rows
        a = hidden[m]
        for (g = m - 1; g >= 1 && hidden[g] > a; g--) hidden[g + 1] = hidden[g]
        hidden[g + 1] = a
    }
    hidden[0] = k
    hid = ""
    for (m = 1; m <= k; m++) hid = hid (m == 1 ? "" : ", ") code(hidden[m])
    if (k) hid = " Not shown, no run recorded a value: " hid "."
    # sort the metric names (insertion sort: a few dozen)
    for (m = 2; m <= nm; m++) {
        k = metrics[m]
        for (g = m - 1; g >= 1 && metrics[g] > k; g--) metrics[g + 1] = metrics[g]
        metrics[g + 1] = k
    }
    # at most four settings (columns) and maxrows metrics (rows) per float: a float taller
    # than the page is not split by LaTeX, it runs off the page ("Float too large"), so a
    # long metric list is cut into blocks of equal size here
    per = 4
    maxrows = 48
    nblk = int((nm + maxrows - 1) / maxrows)
    if (nblk < 1) nblk = 1
    rows = int((nm + nblk - 1) / nblk)
    first = 1
    for (g0 = 1; g0 <= (ng[n] > 0 ? ng[n] : 1); g0 += per) {
        g1 = g0 + per - 1
        if (g1 > ng[n]) g1 = ng[n]
        for (m0 = 1; m0 <= (nm > 0 ? nm : 1); m0 += rows) {
            m1 = m0 + rows - 1
            if (m1 > nm) m1 = nm
            print "\\begin{table}[htbp]\n\\centering\\scriptsize" > fo
            print "\\caption{Experiment " code(n) ", every summary metric, settings " g0 \
                "--" g1 " of " ng[n] (nblk > 1 ? ", metrics " m0 "--" m1 " of " nm : "") \
                " (profile " texplain(info[n, "profile"]) "; mean, standard deviation, " \
                "number of values; " code("results/tables/" n ".csv") ")." hid "}" > fo
            if (first) print "\\label{tab:full-" lbl(n) "}" > fo
            first = 0
            printf "\\begin{grfit}{full-%s (settings %d-%d, metrics %d-%d)}\n\\begin{tabular}{l*{%d}{r}}\n\\toprule\n", lbl(n), g0, g1, m0, m1, g1 - g0 + 1 > fo
            for (a = 1; a <= naxes[n]; a++) {
                hdr = code(axis[n, a])
                for (g = g0; g <= g1; g++) hdr = hdr " & " setval(gval[n, g, a])
                print hdr " \\\\" > fo
            }
            hdr = "runs ok/div./failed"
            for (g = g0; g <= g1; g++) hdr = hdr " & " g_ok[n, g] "/" g_div[n, g] "/" g_fail[n, g]
            print hdr " \\\\\n\\midrule" > fo
            for (m = m0; m <= m1; m++) {
                row = code(metrics[m])
                for (g = g0; g <= g1; g++) {
                    if (t_n[n, g, metrics[m]] + 0 == 0) { row = row " & --"; continue }
                    cell = texnum(t_mean[n, g, metrics[m]], 4)
                    if (t_std[n, g, metrics[m]] != "nan" && t_std[n, g, metrics[m]] != "")
                        cell = cell " $\\pm$ " texnum(t_std[n, g, metrics[m]], 2)
                    cell = cell " (" t_n[n, g, metrics[m]] ")"
                    row = row " & " cell
                }
                print row " \\\\" > fo
            }
            print "\\bottomrule\n\\end{tabular}\n\\end{grfit}\n\\end{table}" > fo
        }
    }
}

# The five methods side by side: the cross-dataset figures (plots/out/toy_compare_*.pdf,
# present when generate.sh's -v xfigs lists them; a "figure missing" box otherwise) and
# where the toy experiments' tables and verdicts are. Written whenever a toy_train*
# experiment is in these results; otherwise the section says they are not.
function fivemethods(fo,    e, toys, nt, T, i, f, F, nf, cap, inp, ni, I, fin, refs, have, present) {
    nt = 0
    for (e = 1; e <= ne; e++) if (E[e] ~ /^toy_train/) T[++nt] = E[e]
    print "% generated by paper/generate.sh: do not edit" > fo
    print "\\section{The five methods side by side}\\label{sec:fivemethods}" > fo
    if (nt == 0) {
        print "The five methods' training experiments on the 2-D toys (\\grcode{toy\\_train}, " \
            "\\grcode{toy\\_train\\_25g}, \\grcode{toy\\_train\\_swissroll}) are not in these results." > fo
        close(fo)
        return
    }
    toys = ""
    for (i = 1; i <= nt; i++) toys = toys (i == 1 ? "" : (i == nt ? " and " : ", ")) code(T[i])
    print "The five methods (" code("gan_mm") ", " code("gan_ns") ", " code("gan_in") ", " \
        code("wgan_clip") ", " code("wgan_gp") ") trained with the same nets, data and seeds on " \
        "each 2-D toy of " toys "; the figures put them side by side across the data sets, " \
        "from the same results files as the per-experiment figures." > fo
    split(xfigs, have, " ")
    nf = split("toy_compare_samples toy_compare_modes", F, " ")
    # what each figure shows and the experiments it reads (plots/toy_compare_*.gp's
    # "# figure inputs:" line; drawn by make experiments with `ganrepro plot --figure`)
    cap["toy_compare_samples"] = "one row per data set, one column per method: the generator's samples of the first seed at the last snapshot over the data's density, with that run's exact W1, floor, modes and high-quality fraction"
    inp["toy_compare_samples"] = "toy_train toy_train_25g toy_train_swissroll"
    cap["toy_compare_modes"] = "the modes captured and the high-quality fraction at the last step per method (bars: mean over the seeds that ended ok; range and seeds; C44's targets dashed)"
    inp["toy_compare_modes"] = "toy_train toy_train_25g"
    for (f = 1; f <= nf; f++) {
        print "\\begin{figure}[htbp]\n\\centering" > fo
        present = 0
        for (i in have) if (have[i] == F[f]) present = 1
        print (present ? "\\grfigure{" : "\\grmissingfigure{") F[f] "}" > fo
        ni = split(inp[F[f]], I, " ")
        fin = ""
        for (i = 1; i <= ni; i++) fin = fin (i == 1 ? "" : (i == ni ? " and " : ", ")) code(I[i])
        print "\\caption{The five methods across the toy data sets: " cap[F[f]] " (" code("plots/out/" F[f] ".pdf") \
            ", drawn from " fin "; profile " texplain(profile) ").}" > fo
        print "\\label{fig:" lbl(F[f]) "}\n\\end{figure}" > fo
    }
    refs = ""
    for (i = 1; i <= nt; i++)
        refs = refs (i == 1 ? "" : (i == nt ? " and " : ", ")) "Table~\\ref{tab:" lbl(T[i]) "} (" code(T[i]) ", p.~\\pageref{tab:" lbl(T[i]) "})"
    print "The metrics the criteria judge, per method and over the seeds, are in " refs \
        "; their verdicts follow each table, and every metric is in Appendix~\\ref{app:tables}." > fo
    # the two figures are a page each: keep them in this section, not after the next ones
    print "\\FloatBarrier" > fo
    close(fo)
}

function optdesc(n, o,    p) {
    p = "decl.method." o "."
    return texplain(info[n, p "name"]) " lr " texnum(info[n, p "lr"], 4) \
        (info[n, p "beta1"] != "" ? sprintf(", $\\beta = (%s, %s)$", info[n, p "beta1"], info[n, p "beta2"]) : "")
}
function protocol(n, fo,    s, seeds, x, k, S) {
    print "\\subsubsection*{Experiment " code(n) "}\\label{exp:" lbl(n) "}" > fo
    print "\\paragraph{Protocol.} \\emph{" texplain(info[n, "decl.experiment.title"]) ".} " \
        texplain(info[n, "comment.protocol"]) > fo
    s = "Run here at profile " code(info[n, "profile"]) " by the \\grcode{" \
        texplain(info[n, "protocol"]) "} protocol"
    x = info[n, "decl.data.set"]
    if (x != "") s = s "; data " code(x) ""
    if (info[n, "decl.nets.g"] != "") s = s "; G " code(info[n, "decl.nets.g"]) ""
    if (info[n, "decl.nets.d"] != "") s = s "; D " code(info[n, "decl.nets.d"]) ""
    if (info[n, "decl.method.name"] != "") s = s "; method " code(info[n, "decl.method.name"]) ""
    if (info[n, "decl.nets.d"] != "") {
        # the training settings of the declaration (a swept key's value is per setting)
        x = ""
        if (info[n, "decl.method.batch"] != "") x = x ", batch " info[n, "decl.method.batch"]
        if (info[n, "decl.method.n_critic"] != "") x = x ", " info[n, "decl.method.n_critic"] " D step(s) per G step"
        if (info[n, "decl.method.optim_d.name"] != "")
            x = x ", D: " optdesc(n, "optim_d")
        if (info[n, "decl.method.optim_g.name"] != "" && info[n, "decl.nets.g"] != "")
            x = x ", G: " optdesc(n, "optim_g")
        if (info[n, "decl.schedule.steps"] != "") x = x ", " texplain(info[n, "decl.schedule.steps"]) " steps"
        if (x != "") s = s " (" substr(x, 3) ")"
    }
    if (info[n, "decl.eval.n"] != "") s = s "; evaluation on " texplain(info[n, "decl.eval.n"]) " samples"
    seeds = info[n, "decl.seeds"]
    gsub(/[][ ]/, "", seeds)
    if (info[n, "decl.n_seeds"] + 0 > 0) {
        k = split(seeds, S, ",")
        seeds = ""
        for (x = 1; x <= k && x <= info[n, "decl.n_seeds"] + 0; x++) seeds = seeds (x > 1 ? ", " : "") S[x]
    }
    if (seeds != "") s = s "; seed" (seeds ~ /,/ ? "s " : " ") texplain(seeds)
    if (naxes[n] > 0) {
        s = s "; " ng[n] " setting" (ng[n] == 1 ? "" : "s") " of "
        for (x = 1; x <= naxes[n]; x++) s = s (x > 1 ? ", " : "") code(axis[n, x])
    }
    s = s " (the declaration recorded in " code("results/" n ".h5") "; the file " code("experiments/" n ".cfg") " states every setting). Figure~\\ref{fig:" lbl(n) "}, Table~\\ref{tab:" lbl(n) "}."
    print s > fo
}

END {
    ne = split(exps, E, " ")
    for (e = 1; e <= ne; e++) { readinfo(E[e]); readtable(E[e]) }

    # ---- meta: provenance of the results ----
    fo = out "/meta.tex"
    ncom = 0; tmin = ""; tmax = ""
    for (e = 1; e <= ne; e++) {
        n = E[e]
        c = info[n, "git_commit"]
        if (!(c in comseen)) { comseen[c] = 1; coms[++ncom] = c }
        if (tmin == "" || info[n, "start_time"] < tmin) tmin = info[n, "start_time"]
        if (tmax == "" || info[n, "end_time"] > tmax) tmax = info[n, "end_time"]
    }
    cs = ""
    for (i = 1; i <= ncom; i++) cs = cs (i > 1 ? ", " : "") code(coms[i])
    print "% generated by paper/generate.sh from results/*.h5 and results/tables/: do not edit" > fo
    print "\\newcommand\\grProfile{" texplain(profile) "}" > fo
    print "\\newcommand\\grCommits{" cs "}" > fo
    print "\\newcommand\\grNCommits{" ncom "}" > fo
    print "\\newcommand\\grResultsStart{" texplain(tmin) "}" > fo
    print "\\newcommand\\grResultsEnd{" texplain(tmax) "}" > fo
    print "\\newcommand\\grPaperCommit{" code(src_commit) "}" > fo
    print "\\newcommand\\grNExperiments{" ne "}" > fo
    for (k = 0; k < 4; k++) ccount[k] = 0
    for (i = 1; i <= nv; i++) {
        ccount[rank(v_verdict[i])]++
        cl = v_claim[i]
        if (!(cl in claimv)) { claimv[cl] = v_verdict[i]; claimorder[++nclaims] = cl; nccrit[cl] = 0 }
        else claimv[cl] = combine(claimv[cl], v_verdict[i])
        nccrit[cl]++
    }
    print "\\newcommand\\grNCriteria{" nv "}" > fo
    print "\\newcommand\\grNCritPass{" ccount[1] "}" > fo
    print "\\newcommand\\grNCritFail{" ccount[3] "}" > fo
    print "\\newcommand\\grNCritNotRun{" ccount[2] "}" > fo
    print "\\newcommand\\grNCritNotTested{" ccount[0] "}" > fo
    # claims: every claim a results file declares (with or without criteria)
    for (e = 1; e <= ne; e++) {
        n = E[e]
        k = split(info[n, "claims"], L, ",")
        for (j = 1; j <= k; j++) {
            cl = L[j]
            if (!((cl, n) in claimexp)) { claimexp[cl, n] = 1; cexps[cl] = cexps[cl] " " n }
            if (!(cl in claimv)) { claimv[cl] = "NOT TESTED"; claimorder[++nclaims] = cl; nccrit[cl] = 0 }
        }
    }
    for (k = 0; k < 4; k++) clcount[k] = 0
    for (i = 1; i <= nclaims; i++) clcount[rank(claimv[claimorder[i]])]++
    print "\\newcommand\\grNClaims{" nclaims "}" > fo
    print "\\newcommand\\grNClaimPass{" clcount[1] "}" > fo
    print "\\newcommand\\grNClaimFail{" clcount[3] "}" > fo
    print "\\newcommand\\grNClaimNotRun{" clcount[2] "}" > fo
    print "\\newcommand\\grNClaimNotTested{" clcount[0] "}" > fo
    print "\\newcommand\\grNCited{" nref "}" > fo
    print "\\newcommand\\grCatalogue{" code(catalogue) "}" > fo
    close(fo)

    # ---- verdict macros ----
    fo = out "/verdicts.tex"
    print "% generated by paper/generate.sh from results/tables/verdicts.csv: do not edit" > fo
    for (i = 1; i <= nv; i++) {
        id = v_exp[i] "/" v_k[i]
        print "\\grdefcrit{" id "}{claim}{" v_claim[i] "}" > fo
        print "\\grdefcrit{" id "}{verdict}{" v_verdict[i] "}" > fo
        print "\\grdefcrit{" id "}{measured}{" texmeas(v_meas[i]) "}" > fo
        print "\\grdefcrit{" id "}{condition}{" texcond(v_cond[i]) "}" > fo
        print "\\grdefcrit{" id "}{n}{" v_n[i] "}" > fo
    }
    # the same by metric name (EXPERIMENT:METRIC, its first criterion), which survives
    # criteria added to an experiment file; the prose of sections/ uses these
    for (i = 1; i <= nv; i++) {
        id = v_exp[i] ":" v_metric[i]
        if (id in bymetric) continue
        bymetric[id] = 1
        print "\\grdefcrit{" id "}{verdict}{" v_verdict[i] "}" > fo
        print "\\grdefcrit{" id "}{measured}{" (v_verdict[i] == "NOT TESTED" || v_verdict[i] == "NOT RUN" ? "--" : texmeas(v_meas[i])) "}" > fo
        print "\\grdefcrit{" id "}{condition}{" texcond(v_cond[i]) "}" > fo
    }
    for (i = 1; i <= nclaims; i++)
        print "\\grdefclaim{" claimorder[i] "}{" claimword(claimv[claimorder[i]]) "}" > fo
    close(fo)

    # ---- claims, in catalogue order, grouped by paper ----
    fo = out "/claims.tex"
    print "% generated by paper/generate.sh: do not edit" > fo
    lastpart = ""
    # a claim the results declare but the catalogue lacks still gets its section
    for (c = 1; c <= ncat; c++) incat[corder[c]] = 1
    for (i = 1; i <= nclaims; i++)
        if (!(claimorder[i] in incat)) {
            corder[++ncat] = claimorder[i]
            cpart[claimorder[i]] = "Claims missing from the catalogue"
            ctitle[claimorder[i]] = claimorder[i] " is not in " catalogue
        }
    for (c = 1; c <= ncat; c++) {
        cl = corder[c]
        if (!(cl in claimv)) continue
        if (cpart[cl] != lastpart) {
            lastpart = cpart[cl]
            print "\\section{" texplain(lastpart) "}" > fo
        }
        print "\\subsection{" cl ": " (ctitle[cl] != "" ? texmd(ctitle[cl]) : texmd(csource[cl])) "}\\label{claim:" cl "}" > fo
        print "\\grverdictline{" cl "}{" claimbox(claimv[cl]) "}{" nccrit[cl] "}" > fo
        st = cstate[cl] != "" ? cstate[cl] : ctitle[cl] "."
        if (st == ".") st = "(The catalogue states no claim for " cl ".)"
        print "\\paragraph{Claim.} " texmd(st) > fo
        if (csource[cl] != "") print "\\emph{Source:} " texmd(csource[cl]) > fo
        k = split(cexps[cl], X, " ")
        for (j = 1; j <= k; j++) {
            n = X[j]
            if (!(n in shown)) {
                shown[n] = cl
                protocol(n, fo)
                figure(n, fo)
                table(n, fo)
            } else {
                print "\\paragraph{Experiment " code(n) ".} Protocol, figure and table " \
                    "under claim " shown[n] " (Section~\\ref{exp:" lbl(n) "})." > fo
            }
            any = 0
            for (i = 1; i <= nv; i++) if (v_claim[i] == cl && v_exp[i] == n) any = 1
            if (!any) {
                print "\\paragraph{Verdict (" code(n) ").} No pass criterion of this experiment " \
                    "judges " cl ": \\grnottested{}; the figure and the table are there to be read." > fo
                continue
            }
            print "\\paragraph{Verdict (" code(n) ").}" > fo
            print "\\begin{itemize}" > fo
            for (i = 1; i <= nv; i++) if (v_claim[i] == cl && v_exp[i] == n) print critline(i) > fo
            print "\\end{itemize}" > fo
        }
        print "\\FloatBarrier" > fo
    }
    close(fo)

    # ---- summary: one row per claim judged ----
    fo = out "/summary.tex"
    print "% generated by paper/generate.sh: do not edit" > fo
    print "\\begin{longtable}{@{}lp{0.62\\linewidth}rl@{}}" > fo
    print "\\caption{The claims judged at profile " code(profile) ", in the catalogue's order: " \
        "verdict and number of criteria (a claim is not reproduced if one criterion fails).}\\label{tab:summary}\\\\" > fo
    print "\\toprule Claim & Claim and source & Criteria & Verdict \\\\ \\midrule\\endfirsthead" > fo
    print "\\toprule Claim & Claim and source & Criteria & Verdict \\\\ \\midrule\\endhead" > fo
    print "\\bottomrule\\endfoot" > fo
    for (c = 1; c <= ncat; c++) {
        cl = corder[c]
        if (!(cl in claimv)) continue
        print "\\hyperref[claim:" cl "]{" cl "} & \\raggedright " texmd(ctitle[cl] != "" ? ctitle[cl] : cstate[cl]) \
            (csource[cl] != "" ? " {\\footnotesize(" texmd(csource[cl]) ")}" : "") \
            " & " nccrit[cl] " & " claimbox(claimv[cl]) "\\tabularnewline" > fo
    }
    print "\\end{longtable}" > fo
    close(fo)

    # ---- reference-only claims ----
    fo = out "/cited.tex"
    print "% generated by paper/generate.sh from " catalogue ": do not edit" > fo
    print "\\begin{longtable}{@{}p{0.07\\linewidth}p{0.25\\linewidth}p{0.6\\linewidth}@{}}" > fo
    print "\\caption{Reference-only claims: the published numbers, \\grcited{} (copied from the " \
        "sources named, not rerun here).}\\label{tab:cited}\\\\" > fo
    print "\\toprule Claim & Source & Published numbers \\\\ \\midrule\\endfirsthead" > fo
    print "\\toprule Claim & Source & Published numbers \\\\ \\midrule\\endhead" > fo
    print "\\bottomrule\\endfoot" > fo
    for (i = 1; i <= nref; i++) {
        cl = refs[i]
        nums = ccited[cl] != "" ? ccited[cl] : cstate[cl]
        print cl " & \\raggedright " (ctitle[cl] != "" ? texmd(ctitle[cl]) ". " : texmd(cstate[cl]) " ") \
            texmd(csource[cl]) " & \\raggedright " \
            texmd(nums) " \\grcited{}\\tabularnewline\\addlinespace" > fo
    }
    print "\\end{longtable}" > fo
    close(fo)

    # ---- what did not reproduce ----
    fo = out "/failures.tex"
    print "% generated by paper/generate.sh: do not edit" > fo
    nf = 0
    for (i = 1; i <= nv; i++) if (v_verdict[i] == "FAIL" || v_verdict[i] == "NOT RUN") nf++
    if (nf == 0)
        print "No criterion failed or went unrun at profile " code(profile) ": the list of " \
            "failures is empty. The criteria this profile does not test are listed in " \
            "Appendix~\\ref{app:verdicts} (\\grnottested); a smaller profile than \\grcode{full} " \
            "leaves out the runs that several criteria select." > fo
    else {
        print "At profile " code(profile) " these criteria failed or did not run:" > fo
        print "\\begin{itemize}" > fo
        for (i = 1; i <= nv; i++)
            if (v_verdict[i] == "FAIL" || v_verdict[i] == "NOT RUN")
                print critline(i) " (Claim " v_claim[i] ", Section~\\ref{claim:" v_claim[i] "}.)" > fo
        print "\\end{itemize}" > fo
    }
    close(fo)
    fo = out "/notes.tex"
    print "% generated by paper/generate.sh from the header comments of experiments/*.cfg: do not edit" > fo
    for (e = 1; e <= ne; e++) {
        n = E[e]
        if (nnotes[n] == 0) continue
        print "\\paragraph{" code("experiments/" n ".cfg") ".}" > fo
        for (j = 1; j <= nnotes[n]; j++) {
            s = notes[n, j]
            gsub(/\001/, " ", s)
            print "\\begin{grnote}" texplain(s) "\\end{grnote}" > fo
        }
    }
    close(fo)

    # ---- appendix: every criterion, every metric ----
    fo = out "/allverdicts.tex"
    print "% generated by paper/generate.sh from results/tables/verdicts.csv: do not edit" > fo
    print "\\begin{longtable}{@{}lp{0.2\\linewidth}p{0.38\\linewidth}p{0.13\\linewidth}r@{}}" > fo
    print "\\caption{Every criterion at profile " code(profile) ", as \\grcode{ganrepro verify} " \
        "judged it (\\grcode{results/tables/verdicts.csv}).}\\label{tab:allverdicts}\\\\" > fo
    print "\\toprule Claim & Experiment & Criterion & Measured & Verdict \\\\ \\midrule\\endfirsthead" > fo
    print "\\toprule Claim & Experiment & Criterion & Measured & Verdict \\\\ \\midrule\\endhead" > fo
    print "\\bottomrule\\endfoot" > fo
    for (i = 1; i <= nv; i++) {
        d = v_doc[i] != "" ? texplain(v_doc[i]) : code(v_metric[i])
        print v_claim[i] " & \\raggedright " code(v_exp[i]) " \\#" v_k[i] " & \\raggedright " d \
            " (" (v_over[i] == "count" ? texcond(v_cond[i]) " in $\\ge " v_kk[i] "$ runs" : v_over[i] == "paired" ? texop(v_cond[i]) " partner in $\\ge " v_kk[i] "$ pairs" : texplain(v_over[i]) " " texcond(v_cond[i])) ") & \\raggedright " \
            (v_verdict[i] == "NOT TESTED" || v_verdict[i] == "NOT RUN" ? "--" : texmeas(v_meas[i])) \
            " & " verdictbox(v_verdict[i]) "\\tabularnewline" > fo
    }
    print "\\end{longtable}" > fo
    close(fo)
    fivemethods(out "/fivemethods.tex")
    fo = out "/fulltables.tex"
    print "% generated by paper/generate.sh from results/tables/NAME.csv: do not edit" > fo
    for (e = 1; e <= ne; e++) {
        print "\\subsection*{" code(E[e]) "}" > fo
        fulltable(E[e], fo)
        print "\\clearpage" > fo
    }
    close(fo)
}
