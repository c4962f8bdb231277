#include "idm/store/sql/libpq.h"

#include <dlfcn.h>

namespace idm::store::sql {
namespace {

template <class Fn>
void Resolve(void* library, const char* name, Fn* fn, std::string* error) {
  *fn = reinterpret_cast<Fn>(dlsym(library, name));
  if (*fn == nullptr && error->empty()) *error = std::string("libpq.so.5 lacks ") + name;
}

LibPq Load() {
  LibPq pq;
  void* library = dlopen("libpq.so.5", RTLD_NOW | RTLD_LOCAL);
  if (library == nullptr) {
    const char* why = dlerror();
    pq.error = std::string("cannot load libpq (package libpq5): ") + (why ? why : "unknown");
    return pq;
  }
#define IDM_PQ_RESOLVE(fn) Resolve(library, #fn, &pq.fn, &pq.error)
  IDM_PQ_RESOLVE(PQclear);
  IDM_PQ_RESOLVE(PQcmdStatus);
  IDM_PQ_RESOLVE(PQcmdTuples);
  IDM_PQ_RESOLVE(PQconnectdbParams);
  IDM_PQ_RESOLVE(PQconninfoFree);
  IDM_PQ_RESOLVE(PQconninfoParse);
  IDM_PQ_RESOLVE(PQconsumeInput);
  IDM_PQ_RESOLVE(PQerrorMessage);
  IDM_PQ_RESOLVE(PQexec);
  IDM_PQ_RESOLVE(PQexecPrepared);
  IDM_PQ_RESOLVE(PQfinish);
  IDM_PQ_RESOLVE(PQfname);
  IDM_PQ_RESOLVE(PQfreemem);
  IDM_PQ_RESOLVE(PQftype);
  IDM_PQ_RESOLVE(PQgetisnull);
  IDM_PQ_RESOLVE(PQgetlength);
  IDM_PQ_RESOLVE(PQgetvalue);
  IDM_PQ_RESOLVE(PQisBusy);
  IDM_PQ_RESOLVE(PQnfields);
  IDM_PQ_RESOLVE(PQnotifies);
  IDM_PQ_RESOLVE(PQntuples);
  IDM_PQ_RESOLVE(PQprepare);
  IDM_PQ_RESOLVE(PQresultErrorField);
  IDM_PQ_RESOLVE(PQresultErrorMessage);
  IDM_PQ_RESOLVE(PQresultStatus);
  IDM_PQ_RESOLVE(PQsetNoticeReceiver);
  IDM_PQ_RESOLVE(PQstatus);
  IDM_PQ_RESOLVE(PQtransactionStatus);
#undef IDM_PQ_RESOLVE
  return pq;
}

}  // namespace

const LibPq& Pq() {
  static const LibPq pq = Load();
  return pq;
}

}  // namespace idm::store::sql
