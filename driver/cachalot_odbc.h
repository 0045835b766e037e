/* Driver-specific attributes of cachalot-odbc, for applications and tests. */
#ifndef CACHALOT_ODBC_H
#define CACHALOT_ODBC_H

/* SQLGetStmtAttr: SQLULEN 1 while the statement's results are served by the shim from a
   capture, 0 while they come straight from the target driver. */
#define SQL_ATTR_CACHALOT_SERVED 0x4CA0

#endif
