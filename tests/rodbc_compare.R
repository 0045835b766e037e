# Prints what R's RODBC sees for a few queries, to compare a direct DSN with a Cachalot one.
# RODBC fetches 100 rows at a time into bound column arrays and writes with prepared inserts.
# A second argument "uncounted" says the driver's SQLRowCount does not count a result's rows
# (SQLite ODBC), which RODBC otherwise believes.
suppressPackageStartupMessages(library(RODBC))
arguments <- commandArgs(trailingOnly = TRUE)
channel <- odbcConnect(arguments[1], believeNRows = !identical(arguments[2], "uncounted"))
show <- function(result) {
  if (!is.data.frame(result)) {
    # An error: its SQLSTATE, the first word of RODBC's message.
    cat("error:", sub(" .*", "", odbcGetErrMsg(channel)[1]), "\n")
    return()
  }
  cat("fields:", paste(names(result), sapply(result, function(column) class(column)[1]), sep = ":", collapse = ", "), "\n")
  for (row in seq_len(nrow(result))) {
    cat("row:", paste(sapply(result[row, , drop = FALSE], function(value) ifelse(is.na(value), "\\N", format(value))),
                      collapse = "|"), "\n")
  }
}
for (sql in c("SELECT * FROM cl_items ORDER BY id", "SELECT name, price FROM cl_items WHERE id = 2",
              "SELECT count(*) AS n, max(name) AS top FROM cl_items", "SELECT * FROM cl_no_such_table")) {
  show(sqlQuery(channel, sql, errors = FALSE, stringsAsFactors = FALSE))
}
show(sqlFetch(channel, "cl_items", stringsAsFactors = FALSE))
# A write through a prepared, parameterised INSERT, then the reads again.
sqlSave(channel, data.frame(id = 4L, name = "saved", price = 9.25), "cl_items", append = TRUE, rownames = FALSE)
show(sqlQuery(channel, "SELECT * FROM cl_items ORDER BY id", errors = FALSE, stringsAsFactors = FALSE))
show(sqlQuery(channel, "SELECT count(*) AS n, max(name) AS top FROM cl_items", errors = FALSE, stringsAsFactors = FALSE))
cat("tables:", sort(sqlTables(channel, tableName = "cl_items")$TABLE_NAME), "\n")
columns <- sqlColumns(channel, "cl_items")
cat("columns:", paste(columns$COLUMN_NAME, columns$TYPE_NAME, sep = ":", collapse = ", "), "\n")
invisible(odbcClose(channel))
