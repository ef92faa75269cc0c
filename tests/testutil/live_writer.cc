#include "testutil/live_writer.h"

#include <signal.h>

#include <atomic>
#include <fstream>
#include <sstream>

#include "testutil/text.h"

namespace zb::testing {
namespace {

using namespace std::chrono_literals;

std::string ReadIfThere(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

LiveWriter::LiveWriter(const std::string& dir, const std::string& db, int rate,
                       std::vector<std::string> extra)
    : dir_(dir), log_(dir + "/writer.log") {
  const std::string ready = dir + "/writer.ready";
  std::vector<std::string> argv{BoltgenPath(),        "writer", "--db", db,        "--rate",
                                std::to_string(rate), "--log",  log_,   "--ready", ready};
  argv.insert(argv.end(), extra.begin(), extra.end());
  proc_ = std::make_unique<BackgroundProcess>(argv, dir + "/writer");
  ready_ = WaitForFile(ready, 300s);
}

void LiveWriter::SlowDown() { proc_->Signal(SIGUSR1); }
void LiveWriter::FullRate() { proc_->Signal(SIGUSR2); }
int LiveWriter::Stop() { return proc_->Stop(120s); }

unsigned long long LiveWriter::LastTxid() const {
  const std::string text = ReadIfThere(log_);
  // The last complete line: the writer appends whole lines, but a read may
  // catch one half written.
  const size_t end = text.rfind('\n');
  if (end == std::string::npos) return 0;
  const size_t start = text.rfind('\n', end - 1);
  return std::stoull(text.substr(start == std::string::npos ? 0 : start + 1));
}

std::map<unsigned long long, std::string> LiveWriter::Digests() const {
  std::map<unsigned long long, std::string> log;
  std::istringstream in(ReadIfThere(log_));
  unsigned long long txid;
  std::string digest;
  while (in >> txid >> digest) log[txid] = digest;
  return log;
}

bool LiveWriter::WaitForCommitAfter(unsigned long long txid) const {
  return WaitUntil([&] { return LastTxid() > txid; }, 300s);
}

WriterPacer::WriterPacer(LiveWriter& writer, std::string log_path)
    : writer_(writer), path_(std::move(log_path)) {
  thread_ = std::jthread([this](std::stop_token stop) {
    while (!stop.stop_requested()) {
      Check();
      std::this_thread::sleep_for(10ms);
    }
    Check();
  });
}

WriterPacer::~WriterPacer() {
  thread_.request_stop();
  thread_.join();
  if (slowed_) writer_.FullRate();
}

void WriterPacer::Check() {
  const std::string text = ReadIfThere(path_);
  for (size_t n = Occurrences(text, " snapshot.retry "); retries_ < n; ++retries_) {
    writer_.SlowDown();
    slowed_ = true;
  }
  const size_t oks = Occurrences(text, " snapshot.ok ");
  if (oks > oks_ && slowed_) {
    writer_.FullRate();
    slowed_ = false;
  }
  oks_ = oks;
}

RunResult RunZbPaced(LiveWriter& writer, const std::vector<std::string>& args) {
  static std::atomic<int> runs{0};
  const std::string prefix = writer.dir() + "/zb-run-" + std::to_string(++runs);
  std::vector<std::string> argv{ZbPath()};
  argv.insert(argv.end(), args.begin(), args.end());
  RunResult r;
  {
    BackgroundProcess proc(argv, prefix);
    WriterPacer pacer(writer, prefix + ".err");
    WaitUntil([&] { return !proc.Running(); }, 600s);
    r.exit_code = proc.Stop();  // the exit code, or -1 if it had to be killed
  }
  r.out = ReadIfThere(prefix + ".out");
  r.err = ReadIfThere(prefix + ".err");
  return r;
}

std::vector<std::string> RetryLines(const std::string& log) {
  std::vector<std::string> lines;
  std::istringstream in(log);
  for (std::string line; std::getline(in, line);) {
    if (line.find(" snapshot.retry ") != std::string::npos) lines.push_back(line);
  }
  return lines;
}

}  // namespace zb::testing
