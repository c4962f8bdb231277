// Small text checks shared by the page tests.
#pragma once

#include <string>
#include <string_view>

namespace idm::testing {

// True when `part` occurs in the rendered page (or any other text).
inline bool PageContains(const std::string& page, std::string_view part) {
  return page.find(part) != std::string::npos;
}

}  // namespace idm::testing
