// QR codes as inline SVG; see qr_svg.h.
#include "idm/pages/qr_svg.h"

#include <qrencode.h>

#include <memory>

namespace idm::pages {

std::optional<std::string> QrCodeSvg(const std::string& text) {
  std::unique_ptr<QRcode, void (*)(QRcode*)> qr(
      QRcode_encodeString8bit(text.c_str(), 0, QR_ECLEVEL_M), QRcode_free);
  if (!qr) return std::nullopt;
  constexpr int kQuiet = 4;  // ISO/IEC 18004 quiet zone
  const int width = qr->width;
  const int size = width + 2 * kQuiet;
  std::string path;
  for (int y = 0; y < width; ++y) {
    for (int x = 0; x < width; ++x) {
      if (qr->data[y * width + x] & 1) {  // bit 0: dark module
        path += "M" + std::to_string(x + kQuiet) + " " + std::to_string(y + kQuiet) + "h1v1h-1z";
      }
    }
  }
  const std::string dim = std::to_string(size);
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + dim + " " + dim +
         "\" width=\"240\" height=\"240\" shape-rendering=\"crispEdges\" role=\"img\" "
         "aria-label=\"QR code\"><rect width=\"" +
         dim + "\" height=\"" + dim + "\" fill=\"#fff\"/><path fill=\"#000\" d=\"" + path +
         "\"/></svg>";
}

}  // namespace idm::pages
