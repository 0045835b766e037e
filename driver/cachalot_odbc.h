/* Driver-specific attributes of cachalot-odbc, for applications and tests. */
#ifndef CACHALOT_ODBC_H
#define CACHALOT_ODBC_H

/* SQLGetStmtAttr: SQLULEN 1 while the statement's results are served by the shim from a
   capture, 0 while they come straight from the target driver. */
#define SQL_ATTR_CACHALOT_SERVED 0x4CA0

/* SQLGetStmtAttr: SQLULEN 1 when the last execution was answered from the cache (a hit). */
#define SQL_ATTR_CACHALOT_HIT 0x4CA2

/* SQLGetConnectAttr: a string, the cache counters of the connection's DSN in this process as
   JSON: {"hits":N,"misses":N,"stores":N,"invalidations":N,"bypasses":{"<reason>":N,...}}. */
#define SQL_ATTR_CACHALOT_STATS 0x4CA1

#endif
