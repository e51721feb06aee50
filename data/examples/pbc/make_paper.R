# Builds the "printed paper" of the worked example from the Mayo Clinic PBC trial
# (survival::pbc, D-penicillamine vs placebo), with R alone: none of the project's Python
# computes a number here. Run from this folder:
#
#   Rscript make_paper.R
#
# 1. Exports the 312 randomized patients once (if source/pbc.csv is absent), as shipped in
#    R's survival package:
#      write.csv(pbc[!is.na(pbc$trt), ], "source/pbc.csv", row.names = FALSE)
#    (the 106 patients with trt = NA were not randomized).
# 2. Computes every printed number the way a journal prints it (see PROVENANCE.md):
#      t        t.test(x ~ trt, var.equal = TRUE), |t| to 3 decimals
#      Z        wilcox.test(x ~ trt, exact = FALSE, correct = FALSE): |Z| = qnorm(P/2, lower = FALSE)
#      chi2     chisq.test(table, correct = FALSE) (Pearson), 3 decimals
#      log-rank survdiff(Surv(time, status == 2) ~ trt), P = pchisq(chisq, 1, lower = FALSE)
#      median   survfit(Surv(time, status == 2) ~ trt), days / 30.4375, 1 decimal
#      follow-up  max(time) / 30.4375, 1 decimal
#      P        3 decimals, "<0.001" below 0.001
# 3. Writes en/table1.csv, en/table2.csv, en/text.csv in the layout of data/raw, then
#    replaces the cells listed in planted.csv (after checking each one's correct value)
#    with the planted errors.
suppressPackageStartupMessages(library(survival))

dir.create("source", showWarnings = FALSE)
dir.create("en", showWarnings = FALSE)
# Exported once: later runs read the committed export, so a newer survival package cannot
# change the example silently.
if (!file.exists("source/pbc.csv")) write.csv(pbc[!is.na(pbc$trt), ], "source/pbc.csv", row.names = FALSE)
d <- read.csv("source/pbc.csv")
d$arm <- ifelse(d$trt == 1, "dpen", "placebo")
arms <- c("dpen", "placebo")
d$arm <- factor(d$arm, levels = arms)
n <- table(d$arm)
head_of <- function(a) sprintf("%s (n=%d)", c(dpen = "D-penicillamine", placebo = "Placebo")[[a]], n[[a]])

f2 <- function(x) sprintf("%.2f", x)
f3 <- function(x) sprintf("%.3f", x)
fp <- function(p) if (p < 0.001) "<0.001" else sprintf("%.3f", p)
fpct <- function(k, m) sprintf("%.2f%%", 100 * k / m)

rows <- list()
add <- function(file, source, item, level, arm, quantity, value, row_label, column_label = "") {
  rows[[length(rows) + 1]] <<- data.frame(file = file, source = source, item = item, level = level,
                                          arm = arm, quantity = quantity, value = value,
                                          row_label = row_label, column_label = column_label)
}

# ---- Table 1: baseline characteristics ----------------------------------------------
for (a in arms) add("table1", "table1", "group_size", "", a, "n", n[[a]], "Characteristic", head_of(a))
continuous <- list(age = "Age (years)", bili = "Serum bilirubin (mg/dL)", albumin = "Albumin (g/dL)",
                   alk_phos = "Alkaline phosphatase (U/L)", ast = "AST (U/L)",
                   protime = "Prothrombin time (s)")
for (item in names(continuous)) {
  x <- d[[sub("_", ".", item)]]
  for (a in arms) {
    add("table1", "table1", item, "", a, "mean", f2(mean(x[d$arm == a])), continuous[[item]], head_of(a))
    add("table1", "table1", item, "", a, "sd", f2(sd(x[d$arm == a])), continuous[[item]], head_of(a))
  }
  tt <- t.test(x ~ d$arm, var.equal = TRUE)
  add("table1", "table1", item, "", "", "statistic", f3(abs(tt$statistic)), continuous[[item]], "t/χ²/Z")
  add("table1", "table1", item, "", "", "p", fp(tt$p.value), continuous[[item]], "P")
}
binary <- list(sex = c("Female", "f"), ascites = c("Ascites", 1), hepato = c("Hepatomegaly", 1),
               spiders = c("Spider angiomata", 1))
for (item in names(binary)) {
  yes <- d[[item]] == binary[[item]][2]
  label <- binary[[item]][1]
  for (a in arms) add("table1", "table1", item, if (item == "sex") "female" else "yes", a, "count",
                      sum(yes[d$arm == a]), label, head_of(a))
  ct <- chisq.test(table(d$arm, yes), correct = FALSE)
  add("table1", "table1", item, "", "", "statistic", f3(ct$statistic), label, "t/χ²/Z")
  add("table1", "table1", item, "", "", "p", fp(ct$p.value), label, "P")
}
ordered <- list(edema = list("Edema", c("0" = "none", "0.5" = "untreated", "1" = "diuretic_resistant")),
                stage = list("Histologic stage", c("1" = "s1", "2" = "s2", "3" = "s3", "4" = "s4")))
for (item in names(ordered)) {
  label <- ordered[[item]][[1]]
  levs <- ordered[[item]][[2]]
  for (a in arms) for (v in names(levs))
    add("table1", "table1", item, levs[[v]], a, "count", sum(d[[item]][d$arm == a] == as.numeric(v)),
        label, head_of(a))
  wt <- wilcox.test(d[[item]] ~ d$arm, exact = FALSE, correct = FALSE)
  add("table1", "table1", item, "", "", "statistic", f3(qnorm(wt$p.value / 2, lower.tail = FALSE)),
      label, "t/χ²/Z")
  add("table1", "table1", item, "", "", "p", fp(wt$p.value), label, "P")
}

# ---- Table 2: status at the end of follow-up ------------------------------------------
status <- c("0" = "censored", "1" = "transplant", "2" = "death")
for (a in arms) {
  add("table2", "table2", "status", "", a, "n", n[[a]], head_of(a), "n")
  for (v in names(status)) {
    k <- sum(d$status[d$arm == a] == as.numeric(v))
    add("table2", "table2", "status", status[[v]], a, "count", k, head_of(a), status[[v]])
    add("table2", "table2", "status", status[[v]], a, "percent", fpct(k, n[[a]]), head_of(a), status[[v]])
  }
}
ct <- chisq.test(table(d$arm, d$status), correct = FALSE)
add("table2", "table2", "status", "", "", "statistic", f3(ct$statistic), "χ²", "χ²")
add("table2", "table2", "status", "", "", "p", fp(ct$p.value), "P", "P")

# ---- Text: abstract, methods and results ----------------------------------------------
deaths <- sapply(arms, function(a) sum(d$status[d$arm == a] == 2))
dt <- chisq.test(table(d$arm, d$status == 2), correct = FALSE)
sd_ <- survdiff(Surv(time, status == 2) ~ arm, data = d)
lr_p <- pchisq(sd_$chisq, 1, lower.tail = FALSE)
fit <- survfit(Surv(time, status == 2) ~ arm, data = d)
med <- summary(fit)$table[, "median"] / 30.4375
names(med) <- arms
for (src in c("abstract", "sec2.1")) {
  add("text", src, "enrolled", "", "", "n", sum(n), sprintf("%d randomized patients", sum(n)))
  for (a in arms) add("text", src, "group_size", "", a, "n", n[[a]], head_of(a))
}
for (src in c("abstract", "sec2.2")) {
  for (a in arms) {
    if (src == "sec2.2") add("text", src, "deaths", "", a, "count", deaths[[a]],
                             sprintf("%d deaths (%s)", deaths[[a]], head_of(a)))
    add("text", src, "deaths", "", a, "percent", fpct(deaths[[a]], n[[a]]),
        sprintf("deaths: %s vs %s", fpct(deaths[["dpen"]], n[["dpen"]]), fpct(deaths[["placebo"]], n[["placebo"]])))
  }
  add("text", src, "deaths", "", "", "chi2", f3(dt$statistic), sprintf("χ²=%s, P=%s", f3(dt$statistic), fp(dt$p.value)))
  add("text", src, "deaths", "", "", "p", fp(dt$p.value), sprintf("χ²=%s, P=%s", f3(dt$statistic), fp(dt$p.value)))
}
longest <- sprintf("%.1f", max(d$time) / 30.4375)
add("text", "sec2.3", "follow_up", "max", "", "months", longest,
    sprintf("follow-up lasted up to %s months", longest))
for (src in c("abstract", "sec2.3")) {
  for (a in arms) add("text", src, "survival_median", "", a, "months", sprintf("%.1f", med[[a]]),
                      sprintf("median survival %.1f vs %.1f months", med[["dpen"]], med[["placebo"]]))
  q <- sprintf("log-rank χ²=%s, P=%s", f3(sd_$chisq), fp(lr_p))
  add("text", src, "survival_logrank", "", "", "chi2", f3(sd_$chisq), q)
  add("text", src, "survival_logrank", "", "", "p", fp(lr_p), q)
}

out <- do.call(rbind, rows)
planted <- read.csv("planted.csv", colClasses = "character", check.names = FALSE)
source("../plant.R")
for (i in seq_len(nrow(planted))) {
  p <- planted[i, ]
  hit <- plant(out, planted, i)
  out$value[hit] <- p$printed
  # The quoted phrase of a text value shows the planted number too.
  same <- out$file == out$file[hit] & out$source == p$source & out$item == p$item
  out$row_label[same] <- sub(paste0("=", p$correct), paste0("=", p$printed), out$row_label[same], fixed = TRUE)
}
write_version(out, "en")
cat(sprintf("R %s, survival %s: %d printed values in %d files, %d planted\n",
            getRversion(), packageVersion("survival"), nrow(out), length(unique(out$file)), nrow(planted)))
