# Two-arm data sets held out from the tuning of the summary reconstruction (issue #31),
# exported once for benchmarks/heldout_specs.py. None is used by
# benchmarks/reconstruct_summary.py's calibration, none is colon or veteran (kept aside to
# judge the kit) or one of scikit-survival's data sets.
# Run from the project root:
#   Rscript benchmarks/heldout_export.R
# writes benchmarks/data/heldout_cases.csv (case, time, unit, event, arm, time2, event2).
library(survival)
one <- function(case, time, event, arm, unit, time2 = NA, event2 = NA) {
  d <- data.frame(case = case, time = time, unit = unit, event = as.integer(event),
                  arm = as.character(arm), time2 = time2, event2 = as.integer(event2))
  d[complete.cases(d[, c("time", "event", "arm")]), ]
}
data(Melanoma, package = "MASS")
data(GTSG, package = "coin")
# rhDNase: one row per exacerbation; a patient's first is the earliest that starts after
# entry (ivstart > 0: six patients were on IV antibiotics at entry, ivstart < 0); follow-up
# without one ends at end.dt
late <- !is.na(rhDNase$ivstart) & rhDNase$ivstart > 0
rh <- rhDNase
rh$ivstart[!late] <- NA
rh <- rh[order(rh$id, rh$ivstart), ]
rh <- rh[!duplicated(rh$id), ]
rh_time <- ifelse(is.na(rh$ivstart), as.numeric(rh$end.dt - rh$entry.dt), rh$ivstart)
# survival::bladder1, thiotepa vs placebo (pyridoxine left out): death of any cause, and
# recurrence-free survival (the first recurrence or death); one row per interval, so each
# patient's last stop ends follow-up; one placebo patient with no follow-up (stop 0) left out
data(cancer, package = "survival")
bl <- bladder1[bladder1$treatment != "pyridoxine", ]
bl <- bl[order(bl$id, bl$stop), ]
last <- bl[!duplicated(bl$id, fromLast = TRUE), ]
first_rec <- bl[bl$status == 1, ]
first_rec <- first_rec[!duplicated(first_rec$id), ]
rec_at <- first_rec$stop[match(last$id, first_rec$id)]
died <- last$status %in% c(2, 3)
bl_rfs <- ifelse(is.na(rec_at), last$stop, rec_at)
bl_rfs_event <- !is.na(rec_at) | died
keep <- last$stop > 0
out <- rbind(
  # MASS::Melanoma, ulcerated (1) vs not (0): death of any cause (status 1 melanoma, 3
  # other), and death from melanoma with other deaths censored
  one("melanoma", Melanoma$time, Melanoma$status != 2, Melanoma$ulcer, "day",
      Melanoma$time, Melanoma$status == 1),
  # coin::GTSG, gastric cancer trial: chemotherapy + radiation vs chemotherapy alone
  one("gtsg", GTSG$time, GTSG$event, GTSG$group, "day"),
  # survival::rhDNase, first pulmonary exacerbation: rhDNase (1) vs placebo (0)
  one("rhdnase", rh_time, !is.na(rh$ivstart), rh$trt, "day"),
  one("bladder", last$stop[keep], died[keep], last$treatment[keep], "month",
      bl_rfs[keep], bl_rfs_event[keep]),
  # coin::glioma, radioimmunotherapy (RIT) vs control, months
  one("glioma", coin::glioma$time, coin::glioma$event, coin::glioma$group, "month")
)
write.csv(out, "benchmarks/data/heldout_cases.csv", row.names = FALSE)
cat(R.version.string, "; survival", as.character(packageVersion("survival")),
    "; MASS", as.character(packageVersion("MASS")), "; coin", as.character(packageVersion("coin")), "\n")
