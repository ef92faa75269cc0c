// AgeDecryptSink on damaged and hostile files: each is kCorruption with the
// failure() the age test vectors would give it and a message that says
// what is wrong, and nothing is forwarded that did not authenticate (a
// damaged chunk's plaintext never reaches the next stage; the chunks
// before it, which did authenticate, do).
#include <gtest/gtest.h>

#include "codec/age_header.h"
#include "codec/age_x25519.h"
#include "testutil/age.h"
#include "testutil/random_bytes.h"
#include "testutil/run.h"

namespace zb::codec {
namespace {

using Failure = AgeDecryptSink::Failure;
using testing::AgeDecrypt;
using testing::AgeDecrypted;
using testing::AgeDecryptInPieces;
using testing::AgeEncrypt;
using testing::NewAgeKeys;
using testing::RandomBytes;

constexpr size_t kChunk = age::kChunkSize;
constexpr size_t kSealed = kChunk + age::ChaChaPoly::kTagSize;

constexpr std::string_view kNoMatchOne =
    "age: no identity matches: none of the 1 identities given opens any of its 1 X25519 "
    "recipient stanzas";
constexpr std::string_view kChangedSuffix =
    " fails authentication: the object was changed, reordered or damaged";

size_t HeaderLength(const std::string& enc) {
  const size_t mac = enc.find("\n--- ");
  return enc.find('\n', mac + 1) + 1;
}

// A file of three full chunks and a short fourth, to one identity.
class AgeTamperTest : public ::testing::Test {
 protected:
  void SetUp() override {
    plain_ = RandomBytes(3 * kChunk + 5, 11);
    enc_ = AgeEncrypt(plain_, {keys_.pub});
    header_ = HeaderLength(enc_);
    payload_ = header_ + age::kPayloadNonceSize;
    ASSERT_EQ(enc_.size(), payload_ + 3 * kSealed + 5 + 16);
  }
  // The offset of sealed chunk `i`.
  size_t Chunk(size_t i) const { return payload_ + i * kSealed; }
  AgeDecrypted Open(const std::string& enc) { return AgeDecrypt(enc, {keys_.secret}); }
  // The same file in pieces of 1000 bytes must fail the same way.
  void ExpectSameInPieces(const std::string& enc, const AgeDecrypted& whole) {
    const auto pieces = AgeDecryptInPieces(enc, {keys_.secret}, 1000);
    EXPECT_EQ(pieces.status.ToString(), whole.status.ToString());
    EXPECT_EQ(pieces.failure, whole.failure);
    EXPECT_TRUE(pieces.plain == whole.plain);
  }

  testing::AgeKeys keys_ = NewAgeKeys();
  std::string plain_, enc_;
  size_t header_ = 0, payload_ = 0;
};

// Expects a kCorruption with `want_failure` and `want_message`, the next
// stage given exactly `released` (the plaintext of the chunks that
// authenticated) and never finished. A macro, so that a failure names the
// test's line.
#define EXPECT_FAILS(r, want_failure, want_message, released) \
  do {                                                        \
    EXPECT_EQ((r).status.code(), Code::kCorruption);          \
    EXPECT_EQ((r).failure, want_failure);                     \
    EXPECT_EQ((r).status.message(), want_message);            \
    EXPECT_TRUE((r).plain == (released)) << (r).plain.size(); \
    EXPECT_FALSE((r).finished);                               \
  } while (0)

TEST_F(AgeTamperTest, WrongIdentity) {
  const auto r = AgeDecrypt(enc_, {NewAgeKeys().secret, NewAgeKeys().secret});
  EXPECT_FAILS(r, Failure::kNoMatch,
               "age: no identity matches: none of the 2 identities given opens any of its 1 "
               "X25519 recipient stanzas",
               "");
}

TEST_F(AgeTamperTest, TruncatedInTheHeader) {
  for (size_t n : {size_t{0}, size_t{10}, size_t{22}, header_ / 2, header_ - 1}) {
    const std::string enc = enc_.substr(0, n);
    const auto r = Open(enc);
    EXPECT_FAILS(r, Failure::kHeader,
                 n == 0 ? "empty file: not an age file" : "the age file ends inside its header",
                 "");
    ExpectSameInPieces(enc, r);
  }
}

TEST_F(AgeTamperTest, TruncatedAfterTheHeaderOrInTheNonce) {
  for (size_t n : {header_, header_ + 1, header_ + 15}) {
    const auto r = Open(enc_.substr(0, n));
    EXPECT_FAILS(r, Failure::kHeader, "the age file ends before its payload", "");
  }
  // The nonce alone: a payload without its one (empty) last chunk.
  const auto r = Open(enc_.substr(0, payload_));
  EXPECT_FAILS(r, Failure::kPayload,
               "age payload chunk 0 (plaintext offset 0) is cut short: 0 bytes", "");
}

TEST_F(AgeTamperTest, TruncatedInAChunk) {
  const std::string enc = enc_.substr(0, Chunk(1) + 1000);
  const auto r = Open(enc);
  EXPECT_FAILS(r, Failure::kPayload,
               "age payload chunk 1 (plaintext offset 65536)" + std::string(kChangedSuffix),
               plain_.substr(0, kChunk));
  ExpectSameInPieces(enc, r);
  // Shorter than a tag.
  const auto tiny = Open(enc_.substr(0, Chunk(1) + 15));
  EXPECT_FAILS(tiny, Failure::kPayload,
               "age payload chunk 1 (plaintext offset 65536) is cut short: 15 bytes",
               plain_.substr(0, kChunk));
}

// Cut just after a full middle chunk: every chunk there authenticates, but
// the last one is not flagged last, so the file lost its end. That chunk
// authenticated (as a middle one) and is released before the failure, as
// age releases it.
TEST_F(AgeTamperTest, TruncatedAtAChunkBoundary) {
  for (size_t i : {1, 2, 3}) {
    const std::string enc = enc_.substr(0, Chunk(i));
    const auto r = Open(enc);
    EXPECT_FAILS(r, Failure::kPayload,
                 "age payload is truncated after chunk " + std::to_string(i - 1),
                 plain_.substr(0, i * kChunk));
    ExpectSameInPieces(enc, r);
  }
}

TEST_F(AgeTamperTest, ChunksReordered) {
  std::string enc = enc_;
  enc.replace(Chunk(1), kSealed, enc_, Chunk(2), kSealed);
  enc.replace(Chunk(2), kSealed, enc_, Chunk(1), kSealed);
  const auto r = Open(enc);
  EXPECT_FAILS(r, Failure::kPayload,
               "age payload chunk 1 (plaintext offset 65536)" + std::string(kChangedSuffix),
               plain_.substr(0, kChunk));
  ExpectSameInPieces(enc, r);
}

TEST_F(AgeTamperTest, AByteFlippedInAChunk) {
  for (size_t at : {Chunk(0), Chunk(2) + 100, Chunk(2) + kSealed - 1, enc_.size() - 1}) {
    std::string enc = enc_;
    enc[at] ^= 0x01;
    const size_t chunk = (at - payload_) / kSealed;
    const auto r = Open(enc);
    EXPECT_FAILS(r, Failure::kPayload,
                 "age payload chunk " + std::to_string(chunk) + " (plaintext offset " +
                     std::to_string(chunk * kChunk) + ")" + std::string(kChangedSuffix),
                 plain_.substr(0, chunk * kChunk));
  }
}

TEST_F(AgeTamperTest, AByteFlippedInTheNonce) {
  std::string enc = enc_;
  enc[header_ + 3] ^= 0x80;
  EXPECT_FAILS(Open(enc), Failure::kPayload,
               "age payload chunk 0 (plaintext offset 0)" + std::string(kChangedSuffix), "");
}

// The first base64 character of the MAC carries 6 bits of it, so any other
// letter there is still canonical base64, and a different MAC.
TEST_F(AgeTamperTest, TheHeaderMacChanged) {
  std::string enc = enc_;
  const size_t mac = enc.find("\n--- ") + 5;
  enc[mac] = enc[mac] == 'A' ? 'B' : 'A';
  EXPECT_FAILS(Open(enc), Failure::kMac,
               "age: the header MAC does not match: the header was changed", "");
}

TEST_F(AgeTamperTest, TheStanzaChanged) {
  const size_t stanza = enc_.find("\n-> X25519 ") + 1;
  const size_t body = enc_.find('\n', stanza) + 1;
  // A byte of the sealed file key: its tag fails, as for a stanza made
  // for someone else.
  std::string enc = enc_;
  enc[body] = enc[body] == 'A' ? 'B' : 'A';
  EXPECT_FAILS(Open(enc), Failure::kNoMatch, kNoMatchOne, "");
  // A byte of the ephemeral share: another shared secret, the same.
  enc = enc_;
  const size_t share = stanza + std::string_view("-> X25519 ").size();
  enc[share] = enc[share] == 'A' ? 'B' : 'A';
  EXPECT_FAILS(Open(enc), Failure::kNoMatch, kNoMatchOne, "");
  // The version line.
  enc = enc_;
  enc[4] = 'X';
  EXPECT_FAILS(Open(enc), Failure::kHeader,
               "not an age v1 file (it does not start with \"age-encryption.org/v1\")", "");
}

TEST_F(AgeTamperTest, NonCanonicalBase64) {
  const size_t stanza = enc_.find("\n-> X25519 ") + 1;
  const size_t body = enc_.find('\n', stanza) + 1;
  const size_t body_end = enc_.find('\n', body);
  ASSERT_EQ(body_end - body, 43u);  // 32 bytes, the last character holding 2 bits
  const std::string b64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  // The last character with one of its four unused bits set.
  std::string enc = enc_;
  enc[body_end - 1] = b64[b64.find(enc[body_end - 1]) | 1];
  EXPECT_FAILS(Open(enc), Failure::kHeader,
               "malformed age header: a stanza body that is not canonical base64", "");
  // Padded.
  enc = enc_;
  enc.insert(body_end, "=");
  EXPECT_FAILS(Open(enc), Failure::kHeader,
               "malformed age header: a stanza body that is not canonical base64", "");
  // The MAC (32 bytes, 43 characters) with an unused bit set.
  enc = enc_;
  const size_t mac_end = header_ - 1;
  enc[mac_end - 1] = b64[b64.find(enc[mac_end - 1]) | 1];
  EXPECT_FAILS(Open(enc), Failure::kHeader,
               "malformed age header: the MAC is not 32 bytes of base64", "");
}

TEST_F(AgeTamperTest, AppendedByteOrChunk) {
  // A byte after the short last chunk: that chunk no longer opens.
  std::string enc = enc_ + "x";
  auto r = Open(enc);
  EXPECT_FAILS(r, Failure::kPayload,
               "age payload chunk 3 (plaintext offset 196608)" + std::string(kChangedSuffix),
               plain_.substr(0, 3 * kChunk));
  // A whole chunk of the same file after its end.
  enc = enc_ + enc_.substr(Chunk(1), kSealed);
  r = Open(enc);
  EXPECT_FAILS(r, Failure::kPayload,
               "age payload chunk 3 (plaintext offset 196608)" + std::string(kChangedSuffix),
               plain_.substr(0, 3 * kChunk));
  ExpectSameInPieces(enc, r);
}

// A file whose plaintext is exactly one full chunk ends with a full last
// chunk. Bytes after it: the chunk does not open as the middle chunk it
// would then be, but it does as the last, so it authenticated and is
// released (as age does) before the failure, which says the file goes on.
TEST_F(AgeTamperTest, BytesAfterAFullLastChunk) {
  const std::string plain = RandomBytes(kChunk, 12);
  const std::string enc = AgeEncrypt(plain, {keys_.pub});
  for (const std::string& extra : {std::string("x"), enc.substr(enc.size() - kSealed)}) {
    const auto r = Open(enc + extra);
    EXPECT_FAILS(r, Failure::kPayload,
                 "age payload goes on after its last chunk (chunk 0): the object was extended or "
                 "damaged",
                 plain);
    ExpectSameInPieces(enc + extra, r);
  }
}

// A header built by hand: `stanzas`, a MAC that is 32 random bytes, then a
// nonce and a chunk of random bytes.
std::string HandMadeFile(const std::vector<age::Stanza>& stanzas) {
  return age::FormatHeaderForMac(stanzas) + " " +
         age::Base64Raw(std::span<const uint8_t>(
             reinterpret_cast<const uint8_t*>(RandomBytes(32, 1).data()), 32)) +
         "\n" + RandomBytes(100, 2);
}

std::vector<uint8_t> Bytes32(uint64_t seed) {
  const std::string s = RandomBytes(32, seed);
  return {s.begin(), s.end()};
}

TEST_F(AgeTamperTest, APassphraseFile) {
  const std::string file =
      HandMadeFile({{{"scrypt", age::Base64Raw(std::vector<uint8_t>(16, 7)), "18"}, Bytes32(4)}});
  EXPECT_FAILS(Open(file), Failure::kNoMatch,
               "age: no identity matches: it is encrypted with a passphrase (scrypt), which "
               "ziti-backup does not use; decrypt it with `age -d`",
               "");
  // age refuses an scrypt stanza among others, and so do we.
  const std::string mixed =
      HandMadeFile({{{"scrypt", "c2FsdA", "18"}, Bytes32(4)}, {{"X25519", "c2hhcmU"}, Bytes32(5)}});
  EXPECT_FAILS(Open(mixed), Failure::kHeader, "malformed age header: an scrypt stanza among others",
               "");
}

TEST_F(AgeTamperTest, OnlyAnUnknownStanzaType) {
  const std::string file = HandMadeFile({{{"ssh-ed25519", "Zm9v", "YmFy"}, Bytes32(6)}});
  EXPECT_FAILS(Open(file), Failure::kNoMatch,
               "age: no identity matches: none of the 1 identities given opens any of its 0 "
               "X25519 recipient stanzas; it also has recipients of types ziti-backup cannot "
               "use: ssh-ed25519",
               "");
}

// A header that does not end within kMaxHeaderBytes fails on the write
// that takes it to the limit, and nothing after is read. Stanza body lines
// of 64 columns go on for ever.
TEST_F(AgeTamperTest, AHeaderOverTheLimit) {
  const std::string line = std::string(64, 'A') + "\n";
  std::string start =
      std::string(age::kVersionLine) + "\n-> X25519 " + age::Base64Raw(Bytes32(7)) + "\n";
  // 4 KiB pieces, each 64 lines: the limit is passed on write 256.
  StringSink out;
  AgeDecryptSink sink(out, {keys_.secret});
  std::string piece = start;
  while (piece.size() < 4096) piece += line;
  piece.resize(4096);
  std::string rest;
  for (size_t i = 0; i < 64; ++i) rest += line;
  size_t writes = 0;
  Status s;
  for (; writes < 1000 && s.ok(); ++writes) {
    s = sink.Write(testing::AsBytes(writes == 0 ? piece : std::string_view(rest).substr(0, 4096)));
  }
  EXPECT_EQ(writes, age::kMaxHeaderBytes / 4096);
  EXPECT_EQ(s.code(), Code::kCorruption);
  EXPECT_EQ(s.message(), "age header longer than 1048576 bytes");
  EXPECT_EQ(sink.failure(), Failure::kHeader);
  // Sticky: a later write or Finish gives the same error and reads nothing.
  EXPECT_EQ(sink.Write(testing::AsBytes(rest)).ToString(), s.ToString());
  EXPECT_EQ(sink.Finish().ToString(), s.ToString());
  // In one write of 8 MiB: the same error, at once.
  std::string big = start;
  while (big.size() < (8 << 20)) big += line;
  const auto r = Open(big);
  EXPECT_FAILS(r, Failure::kHeader, "age header longer than 1048576 bytes", "");
  EXPECT_EQ(r.writes, 1u);
  // A byte at a time, one stanza line that never ends: refused on the
  // byte that reaches the limit (and without scanning the header again on
  // each byte, which would take hours).
  std::string line_forever = start + "-> X25519 ";
  line_forever.resize(age::kMaxHeaderBytes + 10, 'A');
  const auto bytes = testing::AgeDecryptInPieces(line_forever, {keys_.secret}, 1);
  EXPECT_FAILS(bytes, Failure::kHeader, "age header longer than 1048576 bytes", "");
  EXPECT_EQ(bytes.writes, age::kMaxHeaderBytes);
  // A complete header just over the limit is refused too.
  const auto whole = Open(big.substr(0, age::kMaxHeaderBytes) + "--- " +
                          age::Base64Raw(Bytes32(8)) + "\n" + RandomBytes(50, 9));
  EXPECT_FAILS(whole, Failure::kHeader, "age header longer than 1048576 bytes", "");
}

TEST_F(AgeTamperTest, AnArmoredFile) {
  testing::TempDir dir;
  testing::WriteFileOrDie(dir / "plain", "armored");
  auto e = testing::Run({"age", "-a", "-r", keys_.recipient, "-o", dir / "x.age", dir / "plain"});
  ASSERT_EQ(e.exit_code, 0) << e.err;
  const std::string enc = testing::ReadFileOrDie(dir / "x.age");
  ASSERT_EQ(enc.rfind("-----BEGIN AGE ENCRYPTED FILE-----\n", 0), 0u) << enc;
  const std::string message =
      "an ASCII-armored age file; ziti-backup reads binary age files (`age -d` reads both)";
  EXPECT_FAILS(Open(enc), Failure::kHeader, message, "");
  // Known as armored once its first line is in, a byte at a time.
  const auto r = AgeDecryptInPieces(enc, {keys_.secret}, 1);
  EXPECT_FAILS(r, Failure::kHeader, message, "");
  EXPECT_EQ(r.writes, std::string_view("-----BEGIN AGE ENCRYPTED FILE-----").size());
  // Cut inside that line, it is a file that ends in its header.
  EXPECT_FAILS(Open(enc.substr(0, 10)), Failure::kHeader, "the age file ends inside its header",
               "");
}

}  // namespace
}  // namespace zb::codec
