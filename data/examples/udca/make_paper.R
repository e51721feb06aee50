# Builds the "printed paper" of a bilingual example in the style of a Chinese clinical journal
# (a Chinese original and an English version, transcribed separately), from the Mayo Clinic
# trial of ursodeoxycholic acid in primary biliary cirrhosis (survival::udca and udca1, 170
# randomized patients), with R alone: none of the project's Python computes a number here.
# Run from this folder:
#
#   Rscript make_paper.R
#
# 1. Exports the data once (if source/udca.csv is absent): udca with udca1's futime and status.
# 2. Computes every printed number (PROVENANCE.md lists the R call of each kind).
# 3. Writes en/ and zh/ table1.csv, table2.csv, text.csv in the layout of data/raw. The two
#    versions print the same numbers, except where Chinese typesetting differs ("＜0.001") and
#    where planted.csv plants an error in one version (each is recorded in discrepancies.csv
#    by hand, as a reader would find it).
suppressPackageStartupMessages(library(survival))

dir.create("source", showWarnings = FALSE)
for (lang in c("en", "zh")) dir.create(lang, showWarnings = FALSE)
if (!file.exists("source/udca.csv")) {
  u <- udca[, c("id", "trt", "stage", "bili", "riskscore", "death.dt", "tx.dt", "hprogress.dt", "varices.dt",
                "ascites.dt", "enceph.dt", "double.dt", "worsen.dt")]
  u$futime <- as.numeric(udca1$futime)
  u$status <- as.numeric(udca1$status)
  write.csv(u, "source/udca.csv", row.names = FALSE)
}
d <- read.csv("source/udca.csv")
arms <- c("udca", "placebo")
d$arm <- factor(ifelse(d$trt == 1, "udca", "placebo"), levels = arms)
n <- table(d$arm)
arm_label <- list(en = c(udca = "UDCA group", placebo = "Placebo group"), zh = c(udca = "UDCA组", placebo = "安慰剂组"))
head_of <- function(lang, a) sprintf("%s(n=%d)", arm_label[[lang]][[a]], n[[a]])

f2 <- function(x) sprintf("%.2f", x)
f3 <- function(x) sprintf("%.3f", x)
fp <- function(p) if (p < 0.001) "<0.001" else sprintf("%.3f", p)
fpct <- function(k, m) sprintf("%.2f", 100 * k / m)
pq <- function(p) if (p < 0.001) "P<0.001" else sprintf("P=%.3f", p)

rows <- list()
# One printed value, with its row and column labels in both languages.
add <- function(file, source, item, level, arm, quantity, value, row_en, row_zh, col_en = "", col_zh = "") {
  rows[[length(rows) + 1]] <<- data.frame(file = file, source = source, item = item, level = level, arm = arm,
                                          quantity = quantity, value = as.character(value), row_en = row_en,
                                          row_zh = row_zh, col_en = col_en, col_zh = col_zh)
}
head2 <- function(a) c(head_of("en", a), head_of("zh", a))

# ---- Table 1 / 表1: baseline --------------------------------------------------------------
for (a in arms) add("table1", "table1", "group_size", "", a, "n", n[[a]], "Item", "项目", head2(a)[1], head2(a)[2])
continuous <- list(bili = c("Bilirubin (mg/dL)", "胆红素(mg/dL)"),
                   riskscore = c("Mayo risk score^a", "Mayo风险评分^a"))
for (item in names(continuous)) {
  lab <- continuous[[item]]
  x <- d[[item]]
  ok <- !is.na(x)
  if (any(!ok)) for (a in arms)  # footnote a: the score was recorded for 85 and 84 patients
    add("table1", "table1", item, "", a, "n", sum(ok & d$arm == a), lab[1], lab[2], head2(a)[1], head2(a)[2])
  for (a in arms) {
    add("table1", "table1", item, "", a, "mean", f2(mean(x[ok & d$arm == a])), lab[1], lab[2], head2(a)[1], head2(a)[2])
    add("table1", "table1", item, "", a, "sd", f2(sd(x[ok & d$arm == a])), lab[1], lab[2], head2(a)[1], head2(a)[2])
  }
  tt <- t.test(x ~ d$arm, var.equal = TRUE)
  add("table1", "table1", item, "", "", "statistic", f3(abs(tt$statistic)), lab[1], lab[2], "t/χ²", "t/χ²值")
  add("table1", "table1", item, "", "", "p", fp(tt$p.value), lab[1], lab[2], "P", "P值")
}
lab <- c("Advanced histologic stage, n(%)", "组织学晚期[例(%)]")
for (a in arms) {
  k <- sum(d$stage[d$arm == a] == 1)
  add("table1", "table1", "stage", "advanced", a, "count", k, lab[1], lab[2], head2(a)[1], head2(a)[2])
  add("table1", "table1", "stage", "advanced", a, "percent", fpct(k, n[[a]]), lab[1], lab[2], head2(a)[1], head2(a)[2])
}
ct <- chisq.test(table(d$arm, d$stage == 1), correct = FALSE)
add("table1", "table1", "stage", "", "", "statistic", f3(ct$statistic), lab[1], lab[2], "t/χ²", "t/χ²值")
add("table1", "table1", "stage", "", "", "p", fp(ct$p.value), lab[1], lab[2], "P", "P值")

# ---- Table 2 / 表2: events during follow-up -------------------------------------------------
# Pearson's χ², or the continuity-corrected χ² when an expected count is below 5 (the usual
# rule of Chinese journals: "连续校正χ²").
events <- list(death = c("Death", "死亡"), tx = c("Liver transplantation", "肝移植"),
               hprogress = c("Histologic progression", "组织学进展"), varices = c("Varices", "静脉曲张"),
               ascites = c("Ascites", "腹水"), enceph = c("Encephalopathy", "肝性脑病"),
               double = c("Doubling of bilirubin", "胆红素倍增"), worsen = c("Worsening of symptoms", "症状加重"))
for (a in arms) add("table2", "table2", "group_size", "", a, "n", n[[a]], head2(a)[1], head2(a)[2], "n", "例数")
for (item in names(events)) {
  lab <- events[[item]]
  x <- !is.na(d[[paste0(item, ".dt")]])
  for (a in arms) {
    k <- sum(x[d$arm == a])
    add("table2", "table2", item, "yes", a, "count", k, lab[1], lab[2], head2(a)[1], head2(a)[2])
    add("table2", "table2", item, "yes", a, "percent", fpct(k, n[[a]]), lab[1], lab[2], head2(a)[1], head2(a)[2])
  }
  tab <- table(d$arm, x)
  small <- suppressWarnings(min(chisq.test(tab, correct = FALSE)$expected)) < 5
  ct <- suppressWarnings(chisq.test(tab, correct = small))
  add("table2", "table2", item, "", "", "chi2", f3(ct$statistic), lab[1], lab[2], "χ²", "χ²值")
  add("table2", "table2", item, "", "", "p", fp(ct$p.value), lab[1], lab[2], "P", "P值")
}

# ---- Text / 正文 ----------------------------------------------------------------------------
for (src in c("abstract", "sec2.1")) {
  q <- c(sprintf("UDCA group (n=%d), placebo group (n=%d)", n[["udca"]], n[["placebo"]]),
         sprintf("UDCA组(n=%d)，安慰剂组(n=%d)", n[["udca"]], n[["placebo"]]))
  for (a in arms) add("text", src, "group_size", "", a, "n", n[[a]], q[1], q[2])
}
k <- tapply(d$status == 1, d$arm, sum)
ct <- chisq.test(table(d$arm, d$status == 1), correct = FALSE)
q <- c(sprintf("treatment failure %d (%s%%) vs %d (%s%%), χ²=%s, %s", k[["udca"]], fpct(k[["udca"]], n[["udca"]]),
               k[["placebo"]], fpct(k[["placebo"]], n[["placebo"]]), f3(ct$statistic), pq(ct$p.value)),
       sprintf("治疗失败%d例(%s%%)比%d例(%s%%)，χ²=%s，%s", k[["udca"]], fpct(k[["udca"]], n[["udca"]]),
               k[["placebo"]], fpct(k[["placebo"]], n[["placebo"]]), f3(ct$statistic), pq(ct$p.value)))
for (a in arms) for (src in c("abstract", "sec2.3")) {
  add("text", src, "failure", "yes", a, "count", k[[a]], q[1], q[2])
  add("text", src, "failure", "yes", a, "percent", fpct(k[[a]], n[[a]]), q[1], q[2])
}
for (src in c("abstract", "sec2.3")) {
  add("text", src, "failure", "", "", "chi2", f3(ct$statistic), q[1], q[2])
  add("text", src, "failure", "", "", "p", fp(ct$p.value), q[1], q[2])
}
fit <- summary(survfit(Surv(futime, status) ~ arm, data = d))$table[, "median"] / 30.4375
lr <- survdiff(Surv(futime, status) ~ arm, data = d)
lr_p <- pchisq(lr$chisq, 1, lower.tail = FALSE)
med <- function(x, lang) if (is.na(x)) c(en = "not reached", zh = "未达到")[[lang]] else sprintf("%.1f", x)
q <- c(sprintf("median time to treatment failure %s vs %s months, log-rank χ²=%s, %s",
               med(fit[[1]], "en"), med(fit[[2]], "en"), f3(lr$chisq), pq(lr_p)),
       sprintf("中位治疗失败时间%s比%s个月，Log-rank χ²=%s，%s", med(fit[[1]], "zh"), med(fit[[2]], "zh"),
               f3(lr$chisq), pq(lr_p)))
# A median not reached is transcribed as each version prints it ("not reached", "未达到").
for (src in c("abstract", "sec2.3")) {
  for (i in seq_along(arms)) add("text", src, "failure_median", "", arms[i], "months",
                                 if (is.na(fit[[i]])) "NR" else sprintf("%.1f", fit[[i]]), q[1], q[2])
  add("text", src, "failure_logrank", "", "", "chi2", f3(lr$chisq), q[1], q[2])
  add("text", src, "failure_logrank", "", "", "p", fp(lr_p), q[1], q[2])
}
longest <- sprintf("%.1f", max(d$futime) / 30.4375)
add("text", "sec2.3", "follow_up", "max", "", "months", longest, sprintf("follow-up up to %s months", longest),
    sprintf("最长随访%s个月", longest))

out <- do.call(rbind, rows)
planted <- read.csv("planted.csv", colClasses = "character", check.names = FALSE, encoding = "UTF-8")
source("../plant.R")
for (lang in c("en", "zh")) {
  v <- out
  # Each version's wording of a median not reached; Chinese typesetting: full-width "＜".
  v$value[v$value == "NR"] <- c(en = "not reached", zh = "未达到")[[lang]]
  if (lang == "zh") {
    v$value <- sub("^<", "＜", v$value)
    v$row_zh <- gsub("<", "＜", v$row_zh)
  }
  for (i in seq_len(nrow(planted))) {
    p <- planted[i, ]
    if (!startsWith(p$file, paste0(lang, "/"))) next
    hit <- plant(v, planted, i)
    v$value[hit] <- p$printed
    row_col <- if (lang == "en") "row_en" else "row_zh"
    if (p$source != "table1" && p$source != "table2")
      # a bound printed as a value ("P<0.001" as 0.010) reads "P=0.010"
      v[[row_col]][hit] <- sub(p$correct, if (grepl("^[<>]", p$correct) && !grepl("^[<>]", p$printed))
                                 paste0("=", p$printed) else p$printed, v[[row_col]][hit], fixed = TRUE)
  }
  v$row_label <- if (lang == "en") v$row_en else v$row_zh
  v$column_label <- if (lang == "en") v$col_en else v$col_zh
  write_version(v, lang)
}
cat(sprintf("R %s, survival %s: %d printed values per version in %d files, %d planted\n",
            getRversion(), packageVersion("survival"), nrow(out), length(unique(out$file)), nrow(planted)))
