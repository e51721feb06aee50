# Builds the "printed paper" of an example in the Lancet's style (raised decimal point "0·83",
# lower-case p, whole-number percentages, median (IQR)), from the German Breast Cancer Study
# Group 2 data (survival::gbsg: 686 patients with node-positive breast cancer, hormone therapy
# or none), with R alone: none of the project's Python computes a number here. Run from this
# folder:
#
#   Rscript make_paper.R
#
# 1. Exports the data once (if source/gbsg.csv is absent): write.csv(gbsg, "source/gbsg.csv")
# 2. Computes every printed number (PROVENANCE.md lists the R call of each kind).
# 3. Writes en/table1.csv and en/text.csv in the layout of data/raw, then replaces the cells
#    listed in planted.csv (after checking each one's correct value) with the planted errors.
suppressPackageStartupMessages(library(survival))

dir.create("source", showWarnings = FALSE)
dir.create("en", showWarnings = FALSE)
if (!file.exists("source/gbsg.csv")) write.csv(gbsg, "source/gbsg.csv", row.names = FALSE)
d <- read.csv("source/gbsg.csv")
arms <- c("hormone", "none")
d$arm <- factor(ifelse(d$hormon == 1, "hormone", "none"), levels = arms)
n <- table(d$arm)
head_of <- function(a) sprintf("%s (n=%d)", c(hormone = "Hormone therapy", none = "No hormone therapy")[[a]], n[[a]])

dot <- function(x) gsub(".", "\u00b7", x, fixed = TRUE)  # the Lancet's decimal point
f1 <- function(x) dot(sprintf("%.1f", x))
f2 <- function(x) dot(sprintf("%.2f", x))
fp <- function(p) if (p < 0.0001) "<0\u00b70001" else dot(formatC(p, digits = 2, format = "fg", flag = "#"))
pq <- function(p) if (p < 0.0001) "p<0\u00b70001" else paste0("p=", fp(p))
fpct <- function(k, m) sprintf("%.0f", 100 * k / m)

rows <- list()
add <- function(file, source, item, level, arm, quantity, value, row_label, column_label = "") {
  rows[[length(rows) + 1]] <<- data.frame(file = file, source = source, item = item, level = level,
                                          arm = arm, quantity = quantity, value = as.character(value),
                                          row_label = row_label, column_label = column_label)
}

# ---- Table 1 ---------------------------------------------------------------------------------
for (a in arms) add("table1", "table1", "group_size", "", a, "n", n[[a]], "Characteristic", head_of(a))
lab <- "Age, years"
for (a in arms) {
  add("table1", "table1", "age", "", a, "mean", f1(mean(d$age[d$arm == a])), lab, head_of(a))
  add("table1", "table1", "age", "", a, "sd", f1(sd(d$age[d$arm == a])), lab, head_of(a))
}
tt <- t.test(age ~ arm, data = d, var.equal = TRUE)
add("table1", "table1", "age", "", "", "statistic", f2(abs(tt$statistic)), lab, "Test statistic")
add("table1", "table1", "age", "", "", "p", fp(tt$p.value), lab, "p value")
lab <- "Postmenopausal"
for (a in arms) {
  k <- sum(d$meno[d$arm == a] == 1)
  add("table1", "table1", "meno", "post", a, "count", k, lab, head_of(a))
  add("table1", "table1", "meno", "post", a, "percent", fpct(k, n[[a]]), lab, head_of(a))
}
ct <- chisq.test(table(d$arm, d$meno), correct = FALSE)
add("table1", "table1", "meno", "", "", "chi2", f2(ct$statistic), lab, "Test statistic")
add("table1", "table1", "meno", "", "", "p", fp(ct$p.value), lab, "p value")
skewed <- list(size = "Tumour size, mm", nodes = "Positive lymph nodes", pgr = "Progesterone receptors, fmol/L",
               er = "Oestrogen receptors, fmol/L")
for (item in names(skewed)) {
  for (a in arms) {
    q <- quantile(d[[item]][d$arm == a], c(0.5, 0.25, 0.75))
    for (k in 1:3) add("table1", "table1", item, "", a, c("median", "q1", "q3")[k], dot(sprintf("%g", q[[k]])),
                       skewed[[item]], head_of(a))
  }
  wt <- wilcox.test(d[[item]] ~ d$arm, exact = FALSE, correct = FALSE)
  add("table1", "table1", item, "", "", "z", f2(qnorm(wt$p.value / 2, lower.tail = FALSE)), skewed[[item]],
      "Test statistic")
  add("table1", "table1", item, "", "", "p", fp(wt$p.value), skewed[[item]], "p value")
}
lab <- "Tumour grade"
for (a in arms) for (g in 1:3) {
  k <- sum(d$grade[d$arm == a] == g)
  add("table1", "table1", "grade", paste0("g", g), a, "count", k, sprintf("Grade %d", g), head_of(a))
  add("table1", "table1", "grade", paste0("g", g), a, "percent", fpct(k, n[[a]]), sprintf("Grade %d", g), head_of(a))
}
wt <- wilcox.test(grade ~ arm, data = d, exact = FALSE, correct = FALSE)
add("table1", "table1", "grade", "", "", "z", f2(qnorm(wt$p.value / 2, lower.tail = FALSE)), lab, "Test statistic")
add("table1", "table1", "grade", "", "", "p", fp(wt$p.value), lab, "p value")

# ---- Text ------------------------------------------------------------------------------------
for (src in c("abstract", "results")) {
  q <- sprintf("%d patients, %d given hormone therapy and %d not", sum(n), n[["hormone"]], n[["none"]])
  add("text", src, "enrolled", "", "", "n", sum(n), q)
  for (a in arms) add("text", src, "enrolled", "", a, "n", n[[a]], q)
}
for (a in arms) add("text", "results", "group_size", "", a, "n", n[[a]], head_of(a))
k <- tapply(d$status == 1, d$arm, sum)
ct <- chisq.test(table(d$arm, d$status), correct = FALSE)
q <- sprintf("recurrence or death in %d (%s%%) vs %d (%s%%) patients; χ²=%s, %s", k[["hormone"]],
             fpct(k[["hormone"]], n[["hormone"]]), k[["none"]], fpct(k[["none"]], n[["none"]]), f2(ct$statistic),
             pq(ct$p.value))
for (a in arms) {
  add("text", "results", "event", "yes", a, "count", k[[a]], q)
  add("text", "results", "event", "yes", a, "percent", fpct(k[[a]], n[[a]]), q)
}
add("text", "results", "event", "", "", "chi2", f2(ct$statistic), q)
add("text", "results", "event", "", "", "p", fp(ct$p.value), q)
cox <- summary(coxph(Surv(rfstime, status) ~ I(arm == "hormone"), data = d))
q <- sprintf("hazard ratio %s (95%% CI %s\u2013%s); %s", f2(cox$conf.int[1, 1]), f2(cox$conf.int[1, 3]),
             f2(cox$conf.int[1, 4]), pq(cox$coefficients[1, "Pr(>|z|)"]))
for (src in c("abstract", "results")) {
  add("text", src, "rfs_hr", "", "", "hr", f2(cox$conf.int[1, 1]), q)
  add("text", src, "rfs_hr", "", "", "lower", f2(cox$conf.int[1, 3]), q)
  add("text", src, "rfs_hr", "", "", "upper", f2(cox$conf.int[1, 4]), q)
  add("text", src, "rfs_hr", "", "", "p", fp(cox$coefficients[1, "Pr(>|z|)"]), q)
}
med <- summary(survfit(Surv(rfstime, status) ~ arm, data = d))$table[, "median"] / 30.4375
lr <- survdiff(Surv(rfstime, status) ~ arm, data = d)
lr_p <- pchisq(lr$chisq, 1, lower.tail = FALSE)
q <- sprintf("median recurrence-free survival %s vs %s months (log-rank χ²=%s, %s)", f1(med[[1]]), f1(med[[2]]),
             f2(lr$chisq), pq(lr_p))
for (src in c("abstract", "results")) {
  for (i in seq_along(arms)) add("text", src, "rfs_median", "", arms[i], "months", f1(med[[i]]), q)
  add("text", src, "rfs_logrank", "", "", "chi2", f2(lr$chisq), q)
  add("text", src, "rfs_logrank", "", "", "p", fp(lr_p), q)
}
add("text", "results", "follow_up", "max", "", "months", f1(max(d$rfstime) / 30.4375),
    sprintf("follow-up up to %s months", f1(max(d$rfstime) / 30.4375)))

out <- do.call(rbind, rows)
planted <- read.csv("planted.csv", colClasses = "character", check.names = FALSE, encoding = "UTF-8")
source("../plant.R")
for (i in seq_len(nrow(planted))) {
  p <- planted[i, ]
  hit <- plant(out, planted, i)
  out$value[hit] <- p$printed
  if (p$source != "table1") out$row_label[hit] <- sub(p$correct, p$printed, out$row_label[hit], fixed = TRUE)
}
write_version(out, "en")
# The methods' statistical paragraph: it prints no value to transcribe, but names each test
# (benchmarks/typeset.py prints it).
prose <- data.frame(lang = "en", source = "methods", text = paste(
  "Age was compared with Student's t test and menopausal status and events with Pearson's χ²",
  "test; skewed variables, summarised as median (IQR), and tumour grade, an ordered category,",
  "with the Wilcoxon rank-sum test (Z). Recurrence-free survival was estimated by the Kaplan-Meier",
  "method and compared with the log-rank test; the hazard ratio is from a Cox model, with its Wald p."))
write.csv(prose, "prose.csv", row.names = FALSE, quote = TRUE, fileEncoding = "UTF-8")
cat(sprintf("R %s, survival %s: %d printed values in %d files, %d planted\n",
            getRversion(), packageVersion("survival"), nrow(out), length(unique(out$file)), nrow(planted)))
