#include "codec/age_header.h"

#include "codec/age_crypto.h"

namespace zb::codec::age {
namespace {

constexpr size_t kColumns = 64;  // base64 characters per full body line
constexpr std::string_view kStanzaPrefix = "-> ";
constexpr std::string_view kMacPrefix = "---";
constexpr std::string_view kArmorBegin = "-----BEGIN AGE ENCRYPTED FILE-----";

Status Bad(std::string what) { return Status::Corruption("malformed age header: " + what); }

bool IsArgChar(char c) { return c >= 0x21 && c <= 0x7e; }

// Splits "a b c" at single spaces; nullopt for an empty argument (two
// spaces, a leading or trailing one) or a character outside VCHAR.
std::optional<std::vector<std::string>> SplitArgs(std::string_view s) {
  std::vector<std::string> args;
  size_t start = 0;
  while (true) {
    const size_t sp = s.find(' ', start);
    const std::string_view arg = s.substr(start, sp == std::string_view::npos ? sp : sp - start);
    if (arg.empty()) return std::nullopt;
    for (char c : arg) {
      if (!IsArgChar(c)) return std::nullopt;
    }
    args.emplace_back(arg);
    if (sp == std::string_view::npos) return args;
    start = sp + 1;
  }
}

// A cursor over the header's lines.
class Lines {
 public:
  explicit Lines(std::string_view text) : text_(text) {}
  // The next line without its '\n'; nullopt at the end or before an
  // unterminated line.
  std::optional<std::string_view> Next() {
    const size_t nl = text_.find('\n', pos_);
    if (nl == std::string_view::npos) return std::nullopt;
    std::string_view line = text_.substr(pos_, nl - pos_);
    line_start_ = pos_;
    pos_ = nl + 1;
    return line;
  }
  size_t line_start() const { return line_start_; }
  size_t pos() const { return pos_; }

 private:
  std::string_view text_;
  size_t pos_ = 0;
  size_t line_start_ = 0;
};

}  // namespace

std::string FormatHeaderForMac(const std::vector<Stanza>& stanzas) {
  std::string out(kVersionLine);
  out += '\n';
  for (const Stanza& s : stanzas) {
    out += kStanzaPrefix;
    for (size_t i = 0; i < s.args.size(); ++i) {
      if (i > 0) out += ' ';
      out += s.args[i];
    }
    out += '\n';
    const std::string body = Base64Raw(s.body);
    // Full lines of 64, then a shorter (possibly empty) last line.
    size_t at = 0;
    for (; body.size() - at >= kColumns; at += kColumns) {
      out.append(body, at, kColumns);
      out += '\n';
    }
    out.append(body, at);
    out += '\n';
  }
  out += kMacPrefix;
  return out;
}

Result<std::optional<size_t>> FindHeaderEnd(std::string_view data) {
  const std::string first = std::string(kVersionLine) + "\n";
  const size_t n = std::min(data.size(), first.size());
  if (data.substr(0, n) != std::string_view(first).substr(0, n)) {
    const size_t m = std::min(data.size(), kArmorBegin.size());
    if (data.substr(0, m) == kArmorBegin.substr(0, m)) {
      // Undecided until the whole armor line is in: the verdict must not
      // depend on how the file was cut into writes.
      if (m < kArmorBegin.size()) return std::optional<size_t>();
      return Status::Corruption(
          "an ASCII-armored age file; ziti-backup reads binary age files (`age -d` reads both)");
    }
    return Status::Corruption("not an age v1 file (it does not start with \"" +
                              std::string(kVersionLine) + "\")");
  }
  // The MAC line is the first line that starts with "---": stanza lines
  // start with "-> " and body lines are base64, which has no '-'.
  const size_t mac = data.find("\n---");
  if (mac != std::string_view::npos) {
    const size_t nl = data.find('\n', mac + 1);
    if (nl != std::string_view::npos && nl < kMaxHeaderBytes) return std::optional<size_t>(nl + 1);
  }
  if (data.size() >= kMaxHeaderBytes) {
    return Status::Corruption("age header longer than " + std::to_string(kMaxHeaderBytes) +
                              " bytes");
  }
  return std::optional<size_t>();
}

Result<Header> ParseHeader(std::string_view text) {
  Header h;
  Lines lines(text);
  auto version = lines.Next();
  if (!version || *version != kVersionLine)
    return Bad("the version line is not " + std::string(kVersionLine));
  while (true) {
    auto line = lines.Next();
    if (!line) return Bad("it ends before the MAC line");
    if (line->starts_with(kMacPrefix)) {
      h.mac_input = std::string(text.substr(0, lines.line_start() + kMacPrefix.size()));
      if (line->size() < kMacPrefix.size() + 1 || (*line)[kMacPrefix.size()] != ' ') {
        return Bad("the MAC line is not \"--- \" and a MAC");
      }
      auto mac = DecodeBase64Raw(line->substr(kMacPrefix.size() + 1));
      if (!mac || mac->size() != h.mac.size()) return Bad("the MAC is not 32 bytes of base64");
      std::copy(mac->begin(), mac->end(), h.mac.begin());
      if (lines.pos() != text.size()) return Bad("bytes after the MAC line");
      return h;
    }
    if (!line->starts_with(kStanzaPrefix)) {
      return Bad("a line that is neither a stanza nor the MAC line");
    }
    auto args = SplitArgs(line->substr(kStanzaPrefix.size()));
    if (!args) return Bad("a stanza line with an empty argument or a non-printable character");
    Stanza s;
    s.args = std::move(*args);
    std::string body;
    while (true) {
      auto b = lines.Next();
      if (!b) return Bad("a stanza body that does not end");
      if (b->size() > kColumns) return Bad("a stanza body line longer than 64 columns");
      body += *b;
      if (b->size() < kColumns) break;
    }
    auto decoded = DecodeBase64Raw(body);
    if (!decoded) return Bad("a stanza body that is not canonical base64");
    s.body = std::move(*decoded);
    h.stanzas.push_back(std::move(s));
  }
}

}  // namespace zb::codec::age
