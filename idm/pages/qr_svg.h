// QR codes as inline SVG (libqrencode), for the TOTP enrolment page: idm draws the code itself,
// so the otpauth:// URI with its secret never goes to an outside service.
//
// Thread-safety: free function; libqrencode is thread-safe when built with pthreads (Debian's is).
#pragma once

#include <optional>
#include <string>

namespace idm::pages {

// An <svg> element (error correction level M, a 4-module quiet zone, one <path> of dark
// modules) encoding text as 8-bit data; nullopt if the text is too long for a QR code.
std::optional<std::string> QrCodeSvg(const std::string& text);

}  // namespace idm::pages
