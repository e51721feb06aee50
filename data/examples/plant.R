# Shared by the example papers' make_paper.R, each run from its own folder (source("../plant.R")).

# The planted.csv row `i` names one computed cell of `v`: check that R computes the recorded
# correct value there and return the cell's row, for the caller to print the planted value
# (and, in its journal's way, the quoted phrase around it).
plant <- function(v, planted, i) {
  p <- planted[i, ]
  hit <- which(v$file == sub("^[a-z]{2}/(.*)\\.csv$", "\\1", p$file) & v$source == p$source &
               v$item == p$item & v$level == p$level & v$arm == p$arm & v$quantity == p$quantity)
  if (length(hit) != 1) stop("planted.csv row ", i + 1, ": matches ", length(hit), " cells")
  if (v$value[hit] != p$correct) stop("planted.csv row ", i + 1, ": R computes ", v$value[hit],
                                      ", not the recorded correct value ", p$correct)
  hit
}

# One CSV per file of `v` under `dir`, in the transcription's columns (data/README.md).
write_version <- function(v, dir) {
  for (f in unique(v$file)) {
    part <- v[v$file == f, c("source", "item", "level", "arm", "quantity", "value", "row_label", "column_label")]
    write.csv(part, file.path(dir, paste0(f, ".csv")), row.names = FALSE, quote = TRUE, fileEncoding = "UTF-8")
  }
}
