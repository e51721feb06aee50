# Builds the "printed paper" of an example in the style of an American journal's report, from
# the gamma interferon trial in chronic granulomatous disease (survival::cgd0: 128 randomized
# patients, one row each), with R alone: none of the project's Python computes a number here.
# Run from this folder:
#
#   Rscript make_paper.R
#
# 1. Exports the data once (if source/cgd0.csv is absent): write.csv(cgd0, "source/cgd0.csv")
# 2. Computes every printed number (PROVENANCE.md lists the R call of each kind).
# 3. Writes en/table1.csv and en/text.csv in the layout of data/raw, then replaces the cells
#    listed in planted.csv (after checking each one's correct value) with the planted errors,
#    and prose.csv: the methods' paragraph naming the tests, which prints no value.
suppressPackageStartupMessages(library(survival))

dir.create("source", showWarnings = FALSE)
dir.create("en", showWarnings = FALSE)
if (!file.exists("source/cgd0.csv")) write.csv(cgd0, "source/cgd0.csv", row.names = FALSE)
d <- read.csv("source/cgd0.csv")
arms <- c("ifn", "placebo")
d$arm <- factor(ifelse(d$treat == 1, "ifn", "placebo"), levels = arms)
n <- table(d$arm)
head_of <- function(a) sprintf("%s (n = %d)", c(ifn = "Interferon gamma", placebo = "Placebo")[[a]], n[[a]])

f1 <- function(x) sprintf("%.1f", x)
f2 <- function(x) sprintf("%.2f", x)
fp <- function(p) if (p < 0.001) "<0.001" else sprintf("%.3f", p)
fpct <- function(k, m) sprintf("%.1f", 100 * k / m)
pq <- function(p) if (p < 0.001) "P < 0.001" else sprintf("P = %.3f", p)
# A signed statistic printed with a true minus sign, as typeset journals do.
fsigned <- function(x) sub("^-", "\u2212", sprintf("%.2f", x))

rows <- list()
add <- function(file, source, item, level, arm, quantity, value, row_label, column_label = "") {
  rows[[length(rows) + 1]] <<- data.frame(file = file, source = source, item = item, level = level,
                                          arm = arm, quantity = quantity, value = as.character(value),
                                          row_label = row_label, column_label = column_label)
}

# ---- Table 1: baseline characteristics ---------------------------------------------------
for (a in arms) add("table1", "table1", "group_size", "", a, "n", n[[a]], "Characteristic", head_of(a))
# Age is skewed (children and adults): median (IQR), Wilcoxon rank-sum test.
wt <- wilcox.test(age ~ arm, data = d, exact = FALSE, correct = FALSE)
for (a in arms) {
  q <- quantile(d$age[d$arm == a], c(0.5, 0.25, 0.75))
  for (k in 1:3) add("table1", "table1", "age", "", a, c("median", "q1", "q3")[k], f1(q[[k]]),
                     "Age, median (IQR), y", head_of(a))
}
add("table1", "table1", "age", "", "", "z", f2(qnorm(wt$p.value / 2, lower.tail = FALSE)),
    "Age, median (IQR), y", "t or Z")
add("table1", "table1", "age", "", "", "p", fp(wt$p.value), "Age, median (IQR), y", "P")
# Height and weight: mean (SD), Student's t, signed as interferon minus placebo.
for (item in c("height", "weight")) {
  label <- c(height = "Height, mean (SD), cm", weight = "Weight, mean (SD), kg")[[item]]
  for (a in arms) {
    add("table1", "table1", item, "", a, "mean", f1(mean(d[[item]][d$arm == a])), label, head_of(a))
    add("table1", "table1", item, "", a, "sd", f1(sd(d[[item]][d$arm == a])), label, head_of(a))
  }
  tt <- t.test(d[[item]] ~ d$arm, var.equal = TRUE)
  add("table1", "table1", item, "", "", "statistic", fsigned(tt$statistic), label, "t or Z")
  add("table1", "table1", item, "", "", "p", fp(tt$p.value), label, "P")
}
# Categorical rows: n (%), Pearson's chi-square, or Fisher's exact test (statistic "—") when
# an expected count is below 5 (the methods' rule).
categorical <- list(
  sex = list("Female sex, No. (%)", "female", function(x) x$sex == 2),
  steroids = list("Corticosteroids at entry, No. (%)", "yes", function(x) x$steroids == 1),
  propylac = list("Prophylactic antibiotics, No. (%)", "yes", function(x) x$propylac == 1))
for (item in names(categorical)) {
  spec <- categorical[[item]]
  yes <- spec[[3]](d)
  for (a in arms) {
    k <- sum(yes[d$arm == a])
    add("table1", "table1", item, spec[[2]], a, "count", k, spec[[1]], head_of(a))
    add("table1", "table1", item, spec[[2]], a, "percent", fpct(k, n[[a]]), spec[[1]], head_of(a))
  }
  tab <- table(d$arm, yes)
  expected_low <- suppressWarnings(min(chisq.test(tab, correct = FALSE)$expected)) < 5
  if (expected_low) {
    add("table1", "table1", item, "", "", "statistic", "\u2014", spec[[1]], "t or Z")
    add("table1", "table1", item, "", "", "p", fp(fisher.test(tab)$p.value), spec[[1]], "P")
  } else {
    ct <- chisq.test(tab, correct = FALSE)
    add("table1", "table1", item, "", "", "chi2", f2(ct$statistic), spec[[1]], "χ²")
    add("table1", "table1", item, "", "", "p", fp(ct$p.value), spec[[1]], "P")
  }
}
# Pattern of inheritance and enrolling hospital: every level printed.
multi <- list(inherit = list("Pattern of inheritance, No. (%)", "inherit",
                             c("1" = "x_linked", "2" = "autosomal")),
              hospital = list("Enrolling hospital, No. (%)", "hos.cat",
                              c("1" = "us_nih", "2" = "us_other", "3" = "amsterdam", "4" = "europe_other")))
for (item in names(multi)) {
  spec <- multi[[item]]
  x <- d[[spec[[2]]]]
  for (a in arms) for (v in names(spec[[3]])) {
    k <- sum(x[d$arm == a] == as.numeric(v))
    add("table1", "table1", item, spec[[3]][[v]], a, "count", k, spec[[1]], head_of(a))
    add("table1", "table1", item, spec[[3]][[v]], a, "percent", fpct(k, n[[a]]), spec[[1]], head_of(a))
  }
  ct <- chisq.test(table(d$arm, x), correct = FALSE)
  add("table1", "table1", item, "", "", "chi2", f2(ct$statistic), spec[[1]], "χ²")
  add("table1", "table1", item, "", "", "p", fp(ct$p.value), spec[[1]], "P")
}

# ---- Text ----------------------------------------------------------------------------------
# Methods, sample size: 50% vs 25% with a serious infection, two-sided 5%, 80% power.
ss <- power.prop.test(p1 = 0.50, p2 = 0.25, sig.level = 0.05, power = 0.80)
per_group <- ceiling(ss$n)
planned <- ceiling(2 * per_group / 0.9)
sentence <- sprintf(paste("assuming a serious infection in 50%% of patients given placebo and 25%% of those given",
                          "interferon gamma, %d patients per group (%d in all) gave 80%% power at a two-sided",
                          "5%% level; allowing for 10%% dropout, %d were to be enrolled"),
                    per_group, 2 * per_group, planned)
for (x in list(c("p1", "50%"), c("p2", "25%"), c("alpha", "5%"), c("power", "80%"), c("dropout", "10%")))
  add("text", "methods", x[1], "", "", "percent", x[2], sentence)
add("text", "methods", "n_per_group", "", "", "n", per_group, sentence)
add("text", "methods", "n_total", "", "", "n", 2 * per_group, sentence)
add("text", "methods", "planned", "", "", "n", planned, sentence)

# Results: enrolment.
for (src in c("abstract", "results")) {
  enrolled <- sprintf("%d patients were randomized (%d to interferon gamma, %d to placebo)", sum(n),
                      n[["ifn"]], n[["placebo"]])
  add("text", src, "enrolled", "", "", "n", sum(n), enrolled)
  for (a in arms) add("text", src, "enrolled", "", a, "n", n[[a]], enrolled)
}
for (a in arms) add("text", "results", "group_size", "", a, "n", n[[a]], head_of(a))

# Results: time to the first serious infection (days from randomization).
event <- !is.na(d$etime1)
time <- ifelse(event, d$etime1, d$futime)
k <- tapply(event, d$arm, sum)
ct <- chisq.test(table(d$arm, event), correct = FALSE)
infected <- sprintf("%d (%s%%) vs %d (%s%%); χ² = %s, %s", k[["ifn"]], fpct(k[["ifn"]], n[["ifn"]]),
                    k[["placebo"]], fpct(k[["placebo"]], n[["placebo"]]), f2(ct$statistic), pq(ct$p.value))
# The abstract repeats the sentence: every number in it is transcribed, as a reader types it.
for (src in c("abstract", "results")) {
  for (a in arms) {
    add("text", src, "infection", "yes", a, "count", k[[a]], infected)
    add("text", src, "infection", "yes", a, "percent", fpct(k[[a]], n[[a]]), infected)
  }
  add("text", src, "infection", "", "", "chi2", f2(ct$statistic), infected)
  add("text", src, "infection", "", "", "p", fp(ct$p.value), infected)
}
cox <- summary(coxph(Surv(time, event) ~ I(arm == "ifn"), data = d))
hr <- sprintf("hazard ratio %s (95%% CI, %s-%s; %s)", f2(cox$conf.int[1, 1]), f2(cox$conf.int[1, 3]),
              f2(cox$conf.int[1, 4]), pq(cox$coefficients[1, "Pr(>|z|)"]))
for (src in c("abstract", "results")) {
  add("text", src, "infection_hr", "", "", "hr", f2(cox$conf.int[1, 1]), hr)
  add("text", src, "infection_hr", "", "", "lower", f2(cox$conf.int[1, 3]), hr)
  add("text", src, "infection_hr", "", "", "upper", f2(cox$conf.int[1, 4]), hr)
  add("text", src, "infection_hr", "", "", "p", fp(cox$coefficients[1, "Pr(>|z|)"]), hr)
}
fit <- summary(survfit(Surv(time, event) ~ arm, data = d))$table[, "median"]
lr <- survdiff(Surv(time, event) ~ arm, data = d)
lr_p <- pchisq(lr$chisq, 1, lower.tail = FALSE)
medians <- sprintf("median time to first serious infection, %s vs %s days (log-rank χ² = %s, %s)",
                   ifelse(is.na(fit[[1]]), "not reached", fit[[1]]), fit[[2]], f2(lr$chisq), pq(lr_p))
for (src in c("abstract", "results")) {
  for (i in seq_along(arms)) add("text", src, "infection_median", "", arms[i], "days",
                                 ifelse(is.na(fit[[i]]), "NR", sprintf("%d", fit[[i]])), medians)
  add("text", src, "infection_logrank", "", "", "chi2", f2(lr$chisq), medians)
  add("text", src, "infection_logrank", "", "", "p", fp(lr_p), medians)
}
add("text", "results", "follow_up", "max", "", "days", max(d$futime),
    sprintf("follow-up lasted up to %d days", max(d$futime)))

out <- do.call(rbind, rows)
planted <- read.csv("planted.csv", colClasses = "character", check.names = FALSE, encoding = "UTF-8")
source("../plant.R")
for (i in seq_len(nrow(planted))) {
  p <- planted[i, ]
  hit <- plant(out, planted, i)
  out$value[hit] <- p$printed
  # The quoted phrase of a text value shows the planted number too.
  if (p$source != "table1") out$row_label[hit] <- sub(p$correct, p$printed, out$row_label[hit], fixed = TRUE)
}
write_version(out, "en")
# The methods' statistical paragraph: it prints no value to transcribe, but names each test and
# the rule that chose between the count tables' tests (benchmarks/typeset.py prints it).
prose <- data.frame(lang = "en", source = "methods", text = paste(
  "Means (SD) were compared by Student's t test, signed as interferon gamma minus placebo, and the",
  "median (IQR) age by the Wilcoxon rank-sum test. Counts were compared by Pearson's χ² test, or by",
  "Fisher's exact test when an expected count was below 5. The time to the first serious infection",
  "was estimated by the Kaplan-Meier method and compared by the log-rank test; the hazard ratio is from",
  "a Cox model."))
write.csv(prose, "prose.csv", row.names = FALSE, quote = TRUE, fileEncoding = "UTF-8")
cat(sprintf("R %s, survival %s: %d printed values in %d files, %d planted\n",
            getRversion(), packageVersion("survival"), nrow(out), length(unique(out$file)), nrow(planted)))
