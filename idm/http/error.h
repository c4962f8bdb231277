// http::Error: the error type of idm's HTTP layer itself (starting a server, making a client
// request). Endpoint errors are not this: endpoints return WebResponse values.
//
// Thread-safety: value type.
#pragma once

#include <string>

#include "idm/core/result.h"

namespace idm::http {

enum class ErrorCode {
  kInvalidArgument,  // bad options or URL
  kBind,             // the listen address could not be bound (e.g. the port is in use)
  kTls,              // certificate or key could not be loaded; TLS handshake failed
  kConnect,          // the client could not connect
  kTimeout,          // a connect/read/write timeout, or Stop() could not drain in time
  kIo,               // the connection broke while reading or writing
  kState,            // the call does not fit the object's state (Start twice, ...)
};

struct Error {
  ErrorCode code = ErrorCode::kIo;
  std::string message;  // for logs and operators; never contains secrets or request bodies
};

template <class T>
using Result = core::Result<T, Error>;
using Status = core::Result<void, Error>;

}  // namespace idm::http
