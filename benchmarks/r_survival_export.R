# Two-arm data sets of R's survival package, exported once for the calibration
# benchmark (benchmarks/reconstruct_summary.py), so the benchmark needs no R.
# Run from the project root:
#   Rscript benchmarks/r_survival_export.R
# writes benchmarks/data/r_survival_cases.csv (columns case, time, unit, event, arm, and
# time2, event2 for the cases with a second endpoint).
# Left out on purpose (the held-out check): colon and veteran (kept aside to judge the
# kit), flchain, aids/ACTG 320, whas500, breast cancer, gbsg/gbsg2/rotterdam.
library(survival)
one <- function(case, time, event, arm, unit, time2 = NA, event2 = NA) {
  d <- data.frame(case = case, time = time, unit = unit, event = as.integer(event),
                  arm = as.character(arm), time2 = time2, event2 = as.integer(event2))
  d[complete.cases(d[, c("time", "event", "arm")]), ]
}
treated <- retinopathy[retinopathy$trt == 1, ]
untreated <- retinopathy[retinopathy$trt == 0, ][match(treated$id, retinopathy$id[retinopathy$trt == 0]), ]
out <- rbind(
  # D-penicillamine (1) vs placebo (2), death (status 2; transplant censored)
  one("pbc", pbc$time[1:312], pbc$status[1:312] == 2, pbc$trt[1:312], "day"),
  one("mgus2", mgus2$futime, mgus2$death, mgus2$sex, "month"),
  # death, and progression to a plasma-cell malignancy with deaths censored (ptime is
  # futime when there was no progression)
  one("mgus2_ttp", mgus2$futime, mgus2$death, mgus2$sex, "month", mgus2$ptime, mgus2$pstat),
  # death, and progression or death, whichever came first
  one("mgus2_pfs", mgus2$futime, mgus2$death, mgus2$sex, "month", mgus2$ptime,
      mgus2$pstat == 1 | (mgus2$death == 1 & mgus2$ptime == mgus2$futime)),
  one("myeloid", myeloid$futime, myeloid$death, myeloid$trt, "day"),
  one("rats", rats$time, rats$status, rats$rx, "week"),
  # first serious infection, gamma interferon (1) vs placebo (0)
  one("cgd", cgd0$futime, !is.na(cgd0$etime1), cgd0$treat, "day"),
  one("aml", aml$time, aml$status, aml$x, "week"),
  one("ovarian", ovarian$futime, ovarian$fustat, ovarian$rx, "day"),
  # argon vs xenon laser: blindness of the treated eye, and of the untreated eye, an
  # endpoint the first does not end (each eye is followed to the end of the study);
  # months to 2 decimals, recorded here in whole days
  one("retinopathy", round(treated$futime * 365.25 / 12), treated$status, treated$laser, "day",
      round(untreated$futime * 365.25 / 12), untreated$status)
)
# cgd: the first infection time, censored at follow-up end when there was none
cg <- out$case == "cgd"
cgd_time <- ifelse(is.na(cgd0$etime1), cgd0$futime, cgd0$etime1)
out$time[cg] <- cgd_time[complete.cases(data.frame(cgd0$futime, cgd0$treat))]
write.csv(out, "benchmarks/data/r_survival_cases.csv", row.names = FALSE)
cat(R.version.string, "; survival", as.character(packageVersion("survival")), "\n")
