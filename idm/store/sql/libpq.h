// libpq, loaded on first use (docs/design/004-postgresql.md, "Loading libpq").
//
// Debian's libpq brings Kerberos, LDAP, SASL and GnuTLS with it; linked, every idm process —
// including the default single-node SQLite one that never talks to PostgreSQL — mapped and
// relocated them at start and kept their pages resident. The PostgreSQL driver instead reaches
// libpq through Pq(), which loads "libpq.so.5" the first time it is called and resolves the
// functions below with dlsym. Each member is typed from <libpq-fe.h> (decltype), so every call is
// still checked against the packaged header, and named after the function it calls:
// `Pq().PQexec(conn, sql)`.
//
// Thread-safety: Pq() initialises once (a function-local static); the table is then read-only.
#pragma once

#include <libpq-fe.h>

#include <string>

namespace idm::store::sql {

struct LibPq {
  decltype(&::PQclear) PQclear = nullptr;
  decltype(&::PQcmdStatus) PQcmdStatus = nullptr;
  decltype(&::PQcmdTuples) PQcmdTuples = nullptr;
  decltype(&::PQconnectdbParams) PQconnectdbParams = nullptr;
  decltype(&::PQconninfoFree) PQconninfoFree = nullptr;
  decltype(&::PQconninfoParse) PQconninfoParse = nullptr;
  decltype(&::PQconsumeInput) PQconsumeInput = nullptr;
  decltype(&::PQerrorMessage) PQerrorMessage = nullptr;
  decltype(&::PQexec) PQexec = nullptr;
  decltype(&::PQexecPrepared) PQexecPrepared = nullptr;
  decltype(&::PQfinish) PQfinish = nullptr;
  decltype(&::PQfname) PQfname = nullptr;
  decltype(&::PQfreemem) PQfreemem = nullptr;
  decltype(&::PQftype) PQftype = nullptr;
  decltype(&::PQgetisnull) PQgetisnull = nullptr;
  decltype(&::PQgetlength) PQgetlength = nullptr;
  decltype(&::PQgetvalue) PQgetvalue = nullptr;
  decltype(&::PQisBusy) PQisBusy = nullptr;
  decltype(&::PQnfields) PQnfields = nullptr;
  decltype(&::PQnotifies) PQnotifies = nullptr;
  decltype(&::PQntuples) PQntuples = nullptr;
  decltype(&::PQprepare) PQprepare = nullptr;
  decltype(&::PQresultErrorField) PQresultErrorField = nullptr;
  decltype(&::PQresultErrorMessage) PQresultErrorMessage = nullptr;
  decltype(&::PQresultStatus) PQresultStatus = nullptr;
  decltype(&::PQsetNoticeReceiver) PQsetNoticeReceiver = nullptr;
  decltype(&::PQstatus) PQstatus = nullptr;
  decltype(&::PQtransactionStatus) PQtransactionStatus = nullptr;

  // Why libpq is unusable ("" when every function above is resolved). The driver checks it
  // before the first call and reports it as kUnavailable.
  std::string error;
};

// The loaded library (loaded on the first call; kept for the life of the process).
const LibPq& Pq();

}  // namespace idm::store::sql
