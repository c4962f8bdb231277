// cpp-httplib takes each timeout as (seconds, microseconds); server.cc and client.cc convert
// idm's millisecond options with this. Internal to idm/http.
#pragma once

#include <chrono>
#include <ctime>
#include <utility>

namespace idm::http::detail {

inline std::pair<time_t, time_t> SecUsec(std::chrono::milliseconds d) {
  return {static_cast<time_t>(d.count() / 1000), static_cast<time_t>((d.count() % 1000) * 1000)};
}

}  // namespace idm::http::detail
