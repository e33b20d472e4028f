// The batch runner behind `extract PATH...`: a producer thread turns the
// inputs into work items, N workers read and process them, and the main
// thread writes the records in input order, reports failures and draws the
// progress line. A bounded window of work in flight keeps memory flat
// however many inputs there are.
#include "batch.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <climits>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <deque>
#include <exception>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <ostream>
#include <streambuf>
#include <string>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include "extract/json_writer.h"

namespace extract::cli {
namespace {

using Clock = std::chrono::steady_clock;

std::string ErrnoMessage(int err) {
  return std::error_code(err, std::generic_category()).message();
}

// --- Output ---------------------------------------------------------------

// An output stream buffer over a file descriptor that remembers why a write
// failed (errno), so that a closed pipe (EPIPE) can end the run quietly while
// a full disk is reported. Not thread-safe.
class FdOutBuf : public std::streambuf {
 public:
  explicit FdOutBuf(int fd) : fd_(fd) {
    setp(buffer_, buffer_ + sizeof buffer_);
  }
  ~FdOutBuf() override = default;
  int error() const { return error_; }

 protected:
  int_type overflow(int_type ch) override {
    if (!Flush()) return traits_type::eof();
    if (!traits_type::eq_int_type(ch, traits_type::eof())) {
      *pptr() = traits_type::to_char_type(ch);
      pbump(1);
    }
    return traits_type::not_eof(ch);
  }
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    if (n <= epptr() - pptr()) {
      std::memcpy(pptr(), s, static_cast<size_t>(n));
      pbump(static_cast<int>(n));
      return n;
    }
    if (!Flush() || !WriteAll(s, static_cast<size_t>(n))) return 0;
    return n;
  }
  int sync() override { return Flush() ? 0 : -1; }

 private:
  bool Flush() {
    const size_t n = static_cast<size_t>(pptr() - pbase());
    setp(buffer_, buffer_ + sizeof buffer_);
    return WriteAll(buffer_, n);
  }
  bool WriteAll(const char* data, size_t n) {
    if (error_ != 0) return false;
    while (n > 0) {
      const ssize_t written = ::write(fd_, data, n);
      if (written < 0) {
        if (errno == EINTR) continue;
        error_ = errno;
        return false;
      }
      data += written;
      n -= static_cast<size_t>(written);
    }
    return true;
  }

  int fd_;
  int error_ = 0;
  char buffer_[1 << 16];
};

// The temporary file's name, for the signal handler. Written before the
// handler is installed and cleared before the file is renamed or removed.
char g_temp_path[PATH_MAX + 1];
volatile sig_atomic_t g_temp_active = 0;

extern "C" void RemoveTempAndDie(int sig) {
  if (g_temp_active) ::unlink(g_temp_path);
  ::signal(sig, SIG_DFL);
  ::raise(sig);
}

// `-o FILE`: a temporary file in FILE's directory, renamed over FILE by
// Commit() once every record is written, so that a failed or interrupted
// run never leaves a truncated file under the real name.
class OutputFile {
 public:
  static Result<std::unique_ptr<OutputFile>> Create(const std::string& path) {
    namespace fs = std::filesystem;
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      return Status::IoError(path + ": is a directory");
    }
    // A device or a pipe (-o /dev/null, -o /dev/stdout, a FIFO) is written
    // to as it is: renaming a file over it would replace the device.
    struct stat existing;
    if (::stat(path.c_str(), &existing) == 0 && !S_ISREG(existing.st_mode)) {
      const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
      if (fd < 0) {
        return Status::IoError(path + ": cannot open: " + ErrnoMessage(errno));
      }
      return std::unique_ptr<OutputFile>(new OutputFile(path, "", fd, 0));
    }
    // A symbolic link to a file: the file is replaced, the link stays.
    fs::path target(path);
    if (fs::is_symlink(target, ec)) {
      const fs::path resolved = fs::canonical(target, ec);
      if (!ec) target = resolved;
    }
    const fs::path dir =
        target.has_parent_path() ? target.parent_path() : fs::path(".");
    std::string temp =
        (dir / ("." + target.filename().string() + ".tmp-XXXXXX")).string();
    if (temp.size() > PATH_MAX)
      return Status::IoError(path + ": name too long");
    const int fd = ::mkostemp(temp.data(), O_CLOEXEC);
    if (fd < 0) {
      return Status::IoError(path + ": cannot create a temporary file in " +
                             dir.string() + ": " + ErrnoMessage(errno));
    }
    // The file gets the mode a plain create would give it (or keeps the
    // mode of the file it replaces), not mkstemp's 0600.
    mode_t mode;
    struct stat st;
    if (::stat(target.c_str(), &st) == 0) {
      mode = st.st_mode & 07777;
    } else {
      const mode_t mask = ::umask(0);
      ::umask(mask);
      mode = 0666 & ~mask;
    }
    return std::unique_ptr<OutputFile>(
        new OutputFile(target.string(), temp, fd, mode));
  }

  ~OutputFile() {
    if (!committed_) Discard();
  }
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  std::ostream& stream() { return stream_; }
  int error() const { return buf_.error(); }

  // Flushes, syncs and renames the file into place. On failure the
  // temporary file is removed and the status says why.
  Status Commit() {
    stream_.flush();
    int err = buf_.error();
    if (err == 0 && !stream_) err = EIO;
    if (temp_.empty()) {  // a device or a pipe, written directly
      if (::close(fd_) != 0 && err == 0) err = errno;
      fd_ = -1;
      committed_ = true;
      if (err != 0) {
        return Status::IoError(path_ + ": cannot write: " + ErrnoMessage(err));
      }
      return Status::Ok();
    }
    if (err == 0 && ::fchmod(fd_, mode_) != 0) err = errno;
    if (err == 0 && ::fsync(fd_) != 0) err = errno;
    if (::close(fd_) != 0 && err == 0) err = errno;
    fd_ = -1;
    if (err == 0 && ::rename(temp_.c_str(), path_.c_str()) != 0) err = errno;
    if (err != 0) {
      Discard();
      return Status::IoError(path_ + ": cannot write: " + ErrnoMessage(err));
    }
    g_temp_active = 0;
    committed_ = true;
    return Status::Ok();
  }

 private:
  OutputFile(std::string path, std::string temp, int fd, mode_t mode)
      : path_(std::move(path)),
        temp_(std::move(temp)),
        fd_(fd),
        mode_(mode),
        buf_(fd),
        stream_(&buf_) {
    if (temp_.empty()) return;  // written directly: nothing to clean up
    std::memcpy(g_temp_path, temp_.c_str(), temp_.size() + 1);
    g_temp_active = 1;
    struct sigaction action {};
    action.sa_handler = RemoveTempAndDie;
    sigemptyset(&action.sa_mask);
    for (int sig : {SIGINT, SIGTERM, SIGHUP})
      ::sigaction(sig, &action, nullptr);
  }

  void Discard() {
    g_temp_active = 0;
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
    if (!temp_.empty()) ::unlink(temp_.c_str());
  }

  std::string path_;
  std::string temp_;
  int fd_;
  mode_t mode_;
  bool committed_ = false;
  FdOutBuf buf_;
  std::ostream stream_;
};

// --- Progress -------------------------------------------------------------

std::string FormatDuration(double seconds) {
  const auto s = static_cast<long long>(seconds + 0.5);
  char text[32];
  if (s >= 3600) {
    std::snprintf(text, sizeof text, "%lld:%02lld:%02lld", s / 3600,
                  s / 60 % 60, s % 60);
  } else {
    std::snprintf(text, sizeof text, "%lld:%02lld", s / 60, s % 60);
  }
  return text;
}

// The one-line progress display on a terminal's stderr: inputs done (of the
// total when known), throughput, and time left when the total is known.
// Redrawn at most 10 times a second; Clear() erases it. Only the main
// thread uses it.
class Progress {
 public:
  Progress(bool enabled, std::optional<size_t> total_items,
           std::optional<uint64_t> total_bytes, const char* unit)
      : enabled_(enabled),
        total_items_(total_items),
        total_bytes_(total_bytes),
        unit_(unit),
        start_(Clock::now()) {}

  // `seen` is how many inputs are known so far; the line appears only once
  // there is more than one.
  void Update(size_t done, size_t seen, uint64_t bytes_done) {
    if (!enabled_) return;
    const size_t inputs = total_items_ ? *total_items_ : seen;
    if (inputs <= 1) return;
    const Clock::time_point now = Clock::now();
    if (drawn_ && now - last_draw_ < std::chrono::milliseconds(100)) return;
    last_draw_ = now;
    Draw(done, bytes_done, std::chrono::duration<double>(now - start_).count());
  }

  void Clear() {
    if (!drawn_) return;
    std::cerr.write("\r\033[K", 4);
    std::cerr.flush();
    drawn_ = false;
  }

 private:
  void Draw(size_t done, uint64_t bytes_done, double elapsed) {
    std::optional<double> fraction;
    if (total_items_ && *total_items_ > 0) {
      fraction = static_cast<double>(done) / static_cast<double>(*total_items_);
    } else if (total_bytes_ && *total_bytes_ > 0) {
      fraction = std::min(1.0, static_cast<double>(bytes_done) /
                                   static_cast<double>(*total_bytes_));
    }
    std::string line = "extract: ";
    if (fraction) {
      constexpr int kWidth = 20;
      const int filled = static_cast<int>(*fraction * kWidth);
      line += "[" + std::string(filled, '#') +
              std::string(kWidth - filled, '.') + "] ";
    }
    line += std::to_string(done);
    if (total_items_) line += "/" + std::to_string(*total_items_);
    line += " ";
    line += unit_;
    if (!total_items_ && fraction) {
      line += "  " + std::to_string(static_cast<int>(*fraction * 100)) + "%";
    }
    if (elapsed > 0) {
      char rate[32];
      std::snprintf(rate, sizeof rate, "  %.1f MB/s",
                    static_cast<double>(bytes_done) / 1e6 / elapsed);
      line += rate;
    }
    if (fraction && *fraction > 0 && *fraction < 1) {
      line += "  " + FormatDuration(elapsed * (1 - *fraction) / *fraction) +
              " left";
    }
    struct winsize size {};
    size_t columns = 80;
    if (::ioctl(STDERR_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) {
      columns = size.ws_col;
    }
    if (line.size() >= columns) line.resize(columns - 1);
    line = "\r" + line + "\033[K";
    std::cerr.write(line.data(), static_cast<std::streamsize>(line.size()));
    std::cerr.flush();
    drawn_ = true;
  }

  bool enabled_;
  std::optional<size_t> total_items_;
  std::optional<uint64_t> total_bytes_;
  const char* unit_;
  Clock::time_point start_;
  Clock::time_point last_draw_;
  bool drawn_ = false;
};

// --- Work -----------------------------------------------------------------

// One unit of work: an input file, or one record of a JSON Lines file.
struct Work {
  bool jsonl = false;
  InputItem item;  // the file (or the JSONL file that could not be opened)
  JsonlLine line;  // the record, when `jsonl`
};

// The memory a queued work item holds: a JSON Lines record's text (a file
// is read only by the worker that processes it).
uint64_t QueuedBytes(const Work& work) {
  return work.jsonl ? work.line.bytes.size() : 0;
}

// Turns the inputs into work items, lazily. In JSON Lines mode each input
// is a JSONL file and each non-blank line a work item. Only the producer
// thread calls Next().
class WorkSource {
 public:
  WorkSource(std::unique_ptr<InputList> inputs, bool jsonl, uint64_t max_bytes)
      : inputs_(std::move(inputs)), jsonl_(jsonl), max_bytes_(max_bytes) {
    if (!jsonl_) return;
    // With the JSONL files known up front, their sizes give the progress
    // line a fraction and a time left.
    if (!inputs_->total()) return;
    uint64_t bytes = 0;
    bool known = true;
    while (std::optional<InputItem> item = inputs_->Next()) {
      struct stat st;
      if (item->status.ok() && item->path != "-" &&
          ::stat(item->path.c_str(), &st) == 0 && S_ISREG(st.st_mode)) {
        bytes += static_cast<uint64_t>(st.st_size);
      } else if (item->status.ok()) {
        known = false;
      }
      listed_.push_back(std::move(*item));
    }
    drained_ = true;
    if (known) total_bytes_ = bytes;
  }

  // The number of work items, when known (files named up front).
  std::optional<size_t> total_items() const {
    return jsonl_ ? std::nullopt : inputs_->total();
  }
  std::optional<uint64_t> total_bytes() const { return total_bytes_; }

  std::optional<Work> Next() {
    if (!jsonl_) {
      std::optional<InputItem> item = inputs_->Next();
      if (!item) return std::nullopt;
      return Work{false, std::move(*item), {}};
    }
    while (true) {
      if (jsonl_file_) {
        if (std::optional<JsonlLine> line = jsonl_file_->Next()) {
          return Work{true, {}, std::move(*line)};
        }
        jsonl_file_.reset();
      }
      std::optional<InputItem> item = NextInput();
      if (!item) return std::nullopt;
      if (!item->status.ok()) return Work{false, std::move(*item), {}};
      auto file = JsonlReader::Open(item->path, max_bytes_);
      if (!file.ok()) {
        item->status = file.status();
        return Work{false, std::move(*item), {}};
      }
      jsonl_file_ = std::move(file).value();
    }
  }

 private:
  std::optional<InputItem> NextInput() {
    if (!drained_) return inputs_->Next();
    if (listed_.empty()) return std::nullopt;
    InputItem item = std::move(listed_.front());
    listed_.pop_front();
    return item;
  }

  std::unique_ptr<InputList> inputs_;
  bool jsonl_;
  uint64_t max_bytes_;
  bool drained_ = false;
  std::deque<InputItem> listed_;
  std::optional<uint64_t> total_bytes_;
  std::unique_ptr<JsonlReader> jsonl_file_;
};

struct Outcome {
  DocumentResult result;
  uint64_t bytes = 0;  // input bytes this record stands for
  // With -j 2 or more the worker renders the record (see RunBatch): then
  // `json` holds it, and `result` only its id and errors.
  bool rendered = false;
  std::string json;
};

// Renders the record on the worker and keeps of the result only what the
// writer reads besides the JSON: the errors it reports and the id its
// write error names.
void Render(Outcome* outcome, JsonStyle style) {
  outcome->json = ToJson(outcome->result, style);
  DocumentResult kept;
  kept.id = std::move(outcome->result.id);
  kept.errors = std::move(outcome->result.errors);
  outcome->result = std::move(kept);
  outcome->rendered = true;
}

Outcome ProcessWork(const Pipeline& pipeline, Work work,
                    const BatchOptions& options) {
  Outcome out;
  if (work.jsonl) {
    out.bytes = work.line.size + 1;
    std::string id;
    Result<Document> doc =
        ParseJsonlLine(work.line, options.date, options.read.max_bytes, &id);
    if (!doc.ok()) {
      out.result = MakeErrorResult(id, doc.status());
      out.result.id = id;
      out.result.path = "";
      return out;
    }
    out.result = pipeline.Process(std::move(doc).value());
    return out;
  }
  const InputItem& item = work.item;
  if (!item.status.ok()) {
    out.result = MakeErrorResult(item.path, item.status);
    return out;
  }
  Result<std::string> bytes = [&] {
    if (item.path != "-") return ReadBytes(item.path, options.read.max_bytes);
    // "-" given twice: one reader of stdin at a time (the second finds it
    // empty, as in a sequential run).
    static std::mutex stdin_mu;
    std::lock_guard lock(stdin_mu);
    return ReadBytes(item.path, options.read.max_bytes);
  }();
  if (!bytes.ok()) {
    out.result = MakeErrorResult(item.path, bytes.status());
    return out;
  }
  out.bytes = bytes->size();
  Result<Document> doc =
      MakeDocument(item.path, std::move(bytes).value(), options.read);
  if (!doc.ok()) {
    out.result = MakeErrorResult(item.path, doc.status());
    return out;
  }
  doc->date = options.date;
  out.result = pipeline.Process(std::move(doc).value());
  return out;
}

// State shared by the producer, the workers and the writer. The producer
// holds it by shared_ptr: if it is blocked reading a --files-from list on
// stdin when the run is cancelled (stdout closed), it is detached rather
// than waited for, and must not outlive what it touches.
struct Shared {
  explicit Shared(std::unique_ptr<WorkSource> s) : source(std::move(s)) {}

  std::unique_ptr<WorkSource> source;  // the producer's alone
  std::mutex mu;
  std::condition_variable work_cv;   // workers: a task, or the end
  std::condition_variable space_cv;  // producer: room in the window
  std::condition_variable done_cv;   // writer: the next record, or the end
  std::deque<std::pair<uint64_t, Work>> tasks;
  std::map<uint64_t, Outcome> done;
  uint64_t produced = 0;  // work items handed out
  uint64_t written = 0;   // records written
  // Inputs in flight (produced, not yet written): at most `window`, and
  // more than `min_window` only while the JSON Lines records queued in
  // `tasks` and the inputs of the records in `done` add up to less than
  // kFullBytes. Files are read by the worker that processes them, so a
  // queued file costs only its path.
  uint64_t window = 1;
  uint64_t min_window = 1;
  uint64_t queued_bytes = 0;  // JSON Lines records in `tasks`
  uint64_t done_bytes = 0;    // input bytes of the records in `done`
  std::optional<JsonStyle> render;  // workers render records in this style
  bool producer_finished = false;
  bool cancelled = false;

  static constexpr uint64_t kFullBytes = uint64_t{4} << 20;
  bool Full() const {
    const uint64_t in_flight = produced - written;
    return in_flight >= window ||
           (in_flight >= min_window && queued_bytes + done_bytes >= kFullBytes);
  }
  // Half of the window is free: the producer, waiting once it is full,
  // resumes only then, and the writer wakes it only then.
  bool HalfFree() const { return produced - written <= window / 2; }

  // Whether a worker that has just added a record should wake the writer.
  // Waking a thread costs a system call and, on a virtual machine, an
  // interrupt to another core: about 4% of a one-thread run when it was
  // done for every record. So the writer is woken once the record it waits
  // for is ready and a batch has gathered (kWakeRecords records, or
  // kWakeBytes of input: a batch of large articles is not held in memory),
  // or at once when no queued work is left: the workers may be about to
  // wait for more input, and what is done must show up as it is done.
  static constexpr size_t kWakeRecords = 16;
  static constexpr uint64_t kWakeBytes = uint64_t{1} << 20;
  bool WakeWriter() const {
    if (done.empty() || done.begin()->first != written) return false;
    return done.size() >= kWakeRecords || done_bytes >= kWakeBytes ||
           tasks.empty() || cancelled;
  }
};

void Produce(std::shared_ptr<Shared> shared) {
  Shared& s = *shared;
  while (true) {
    {
      std::unique_lock lock(s.mu);
      // Once the window is full (Shared::Full), wait until half of it is
      // free and then refill it: one wake-up per half window instead of one
      // per record.
      if (s.Full()) {
        s.space_cv.wait(lock, [&] {
          return s.cancelled || (s.HalfFree() && !s.Full());
        });
      }
      if (s.cancelled) break;
    }
    // Outside the lock: reading the next list line may block.
    std::optional<Work> work = s.source->Next();
    std::unique_lock lock(s.mu);
    if (!work || s.cancelled) break;
    s.queued_bytes += QueuedBytes(*work);
    s.tasks.emplace_back(s.produced++, std::move(*work));
    // The writer needs no wake-up: more work cannot complete its wait (the
    // next record, or the end).
    s.work_cv.notify_one();
  }
  std::lock_guard lock(s.mu);
  s.producer_finished = true;
  s.work_cv.notify_all();
  s.done_cv.notify_all();
}

void RunWorker(Shared& s, const Pipeline& pipeline,
               const BatchOptions& options) {
  while (true) {
    std::pair<uint64_t, Work> task;
    {
      std::unique_lock lock(s.mu);
      s.work_cv.wait(lock, [&] {
        return s.cancelled || !s.tasks.empty() || s.producer_finished;
      });
      if (s.cancelled || s.tasks.empty()) return;
      task = std::move(s.tasks.front());
      s.tasks.pop_front();
      s.queued_bytes -= QueuedBytes(task.second);
    }
    const std::string name =
        task.second.jsonl ? task.second.line.Name() : task.second.item.path;
    Outcome outcome;
    try {
      outcome = ProcessWork(pipeline, std::move(task.second), options);
      if (s.render) Render(&outcome, *s.render);
    } catch (const std::exception& e) {
      // The library reports by value, but memory can run out; the input
      // still gets its record (rendered by the writer) and the run goes on.
      const uint64_t bytes = outcome.bytes;
      outcome = Outcome{};
      outcome.bytes = bytes;
      outcome.result = MakeErrorResult(
          name, Status::Internal(name + ": internal error: " + e.what()));
    }
    std::lock_guard lock(s.mu);
    s.done_bytes += outcome.bytes;
    s.done.emplace(task.first, std::move(outcome));
    if (s.WakeWriter()) s.done_cv.notify_one();
  }
}

// --- The run --------------------------------------------------------------

// Checks the configuration, before any input is read: stdin must not be
// both an input and the --files-from list, the list and the -o file must
// open. Sets *inputs and, with -o, *file. Returns kExitOk, or kExitConfig
// with the reason on stderr.
int OpenBatch(const BatchOptions& options, std::unique_ptr<InputList>* inputs,
              std::unique_ptr<OutputFile>* file) {
  if (options.files_from == "-" &&
      std::find(options.paths.begin(), options.paths.end(), "-") !=
          options.paths.end()) {
    std::cerr << "extract: '-' (stdin) cannot be both an input and the "
                 "--files-from list\n";
    return kExitConfig;
  }
  *inputs = std::make_unique<InputList>(
      options.paths, options.jsonl_input ? ".jsonl" : ".txt");
  if (!options.files_from.empty()) {
    if (Status s = (*inputs)->AddListFile(options.files_from); !s.ok()) {
      std::cerr << "extract: --files-from: " << s.message() << "\n";
      return kExitConfig;
    }
  }
  if (!options.output.empty()) {
    auto created = OutputFile::Create(options.output);
    if (!created.ok()) {
      std::cerr << "extract: -o " << created.status().message() << "\n";
      return kExitConfig;
    }
    *file = std::move(created).value();
  }
  return kExitOk;
}

// Sizes the window of work in flight for `jobs` workers (>= 1), then
// starts the producer and the workers on `shared`. With more than one
// worker, the workers render the records in `style`.
void StartThreads(const std::shared_ptr<Shared>& shared, unsigned jobs,
                  JsonStyle style, const Pipeline& pipeline,
                  const BatchOptions& options, std::thread* producer,
                  std::vector<std::thread>* workers) {
  // Room for two of the writer's batches (Shared::WakeWriter) at -j 1.
  shared->min_window = uint64_t{4} * jobs;
  shared->window = std::max<uint64_t>(shared->min_window,
                                      2 * Shared::kWakeRecords);
  // With one worker the writer renders the JSON, side by side with the
  // worker's next document. With more, each worker renders its own: one
  // writer thread rendering for all of them would cap the throughput at
  // six or seven workers' worth (rendering takes 13-16% of a worker's time).
  if (jobs > 1) shared->render = style;
  *producer = std::thread(Produce, shared);
  workers->reserve(jobs);
  for (unsigned i = 0; i < jobs; ++i) {
    workers->emplace_back(RunWorker, std::ref(*shared), std::cref(pipeline),
                          std::cref(options));
  }
}

// Waits for the record that is next in input order (number s.written) and
// moves it out of s.done into *outcome. Returns false instead once every
// record is written and the producer has finished. While it waits, it
// flushes `out` once and redraws `progress` (`bytes_done`: the input bytes
// of the records written).
bool NextRecord(Shared& s, std::ostream& out, Progress& progress,
                uint64_t bytes_done, Outcome* outcome) {
  bool flushed = false;
  std::unique_lock lock(s.mu);
  while (true) {
    if (auto it = s.done.find(s.written); it != s.done.end()) {
      *outcome = std::move(it->second);
      s.done_bytes -= outcome->bytes;
      s.done.erase(it);
      return true;
    }
    if (s.producer_finished && s.written == s.produced) return false;
    if (!flushed) {
      // Nothing to write yet: pass on what is buffered, so that a
      // slow stream of inputs shows up as it is processed.
      lock.unlock();
      out.flush();
      flushed = true;
      lock.lock();
      continue;
    }
    s.done_cv.wait_for(lock, std::chrono::milliseconds(100));
    const size_t done = s.written, seen = s.produced;
    lock.unlock();
    progress.Update(done, seen, bytes_done);
    lock.lock();
  }
}

// What the writer saw: whether some input failed (its record has errors),
// and whether a record could not be written (the writer stopped there).
struct WriteOutcome {
  bool failed = false;
  bool write_failed = false;
};

// The writer, on the main thread: writes the records to `sink` (over
// `out`) in input order as the workers finish them, with each failed
// input's errors on stderr, until every record is written or one cannot
// be.
WriteOutcome WriteRecords(Shared& s, JsonSink& sink, std::ostream& out,
                          Progress& progress) {
  WriteOutcome w;
  uint64_t bytes_done = 0;
  while (true) {
    Outcome outcome;
    if (!NextRecord(s, out, progress, bytes_done, &outcome)) break;
    bytes_done += outcome.bytes;
    if (!outcome.result.errors.empty()) {
      progress.Clear();
      for (const ErrorRecord& e : outcome.result.errors) {
        std::cerr << e.message << "\n";
      }
      w.failed = true;
    }
    const Status emitted =
        outcome.rendered ? sink.EmitRendered(outcome.json, outcome.result.id)
                         : sink.Emit(outcome.result);
    if (!emitted.ok()) {
      w.write_failed = true;
      break;
    }
    size_t done, seen;
    {
      std::lock_guard lock(s.mu);
      done = ++s.written;
      seen = s.produced;
      if (s.HalfFree()) s.space_cv.notify_one();
    }
    progress.Update(done, seen, bytes_done);
  }
  return w;
}

// Stops the threads once the writer is done; with `cancel` (the output
// failed), the workers leave the queued work. Workers finish the document
// in hand; the producer may be blocked reading a list from a pipe, and is
// left behind (detached) then.
void StopThreads(Shared& s, bool cancel, std::vector<std::thread>* workers,
                 std::thread* producer) {
  {
    std::lock_guard lock(s.mu);
    if (cancel) s.cancelled = true;
    s.work_cv.notify_all();
    s.space_cv.notify_all();
  }
  for (std::thread& worker : *workers) worker.join();
  {
    std::unique_lock lock(s.mu);
    s.done_cv.wait_for(lock, std::chrono::milliseconds(200),
                       [&] { return s.producer_finished; });
    if (s.producer_finished) {
      lock.unlock();
      producer->join();
    } else {
      producer->detach();
    }
  }
}

// Ends the output once the threads are stopped: finishes `sink` and, with
// -o, commits `file` (null: stdout, over `stdout_buf`). Returns the exit
// code RunBatch documents, with the reason on stderr when the output could
// not be written.
int FinishOutput(const BatchOptions& options, JsonSink& sink, OutputFile* file,
                 const FdOutBuf& stdout_buf, bool failed, bool write_failed) {
  auto output_error = [&] { return file ? file->error() : stdout_buf.error(); };
  if (!write_failed && !sink.Finish().ok()) write_failed = true;
  if (file) {
    if (write_failed) {
      std::cerr << "extract: -o " << options.output << ": cannot write: "
                << ErrnoMessage(output_error() != 0 ? output_error() : EIO)
                << "; nothing written\n";
      return kExitOutputFailed;  // the destructor removes the temporary file
    }
    if (Status st = file->Commit(); !st.ok()) {
      std::cerr << "extract: -o " << st.message() << "; nothing written\n";
      return kExitOutputFailed;
    }
  } else if (write_failed && output_error() != EPIPE) {
    std::cerr << "extract: cannot write the output: "
              << ErrnoMessage(output_error() != 0 ? output_error() : EIO)
              << "\n";
    return kExitOutputFailed;
  }
  // A closed stdout (`extract ... | head`) ends the run quietly: the reader
  // has what it wanted.
  return failed ? kExitInputFailed : kExitOk;
}

}  // namespace

bool ParseByteCount(const std::string& text, uint64_t* bytes) {
  size_t i = 0;
  uint64_t value = 0;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
    if (value > kMaxMaxBytes) return false;
    value = value * 10 + static_cast<uint64_t>(text[i] - '0');
    ++i;
  }
  if (i == 0) return false;
  std::string suffix = text.substr(i);
  for (char& c : suffix) c = static_cast<char>(std::toupper(c));
  int shift = 0;
  if (suffix.empty() || suffix == "B") {
    shift = 0;
  } else if (suffix == "K" || suffix == "KB" || suffix == "KIB") {
    shift = 10;
  } else if (suffix == "M" || suffix == "MB" || suffix == "MIB") {
    shift = 20;
  } else if (suffix == "G" || suffix == "GB" || suffix == "GIB") {
    shift = 30;
  } else {
    return false;
  }
  if (value == 0 || value > (kMaxMaxBytes >> shift)) return false;
  *bytes = value << shift;
  return true;
}

int RunBatch(const Pipeline& pipeline, const BatchOptions& options) {
  // Configuration first: nothing is read before these are known to work.
  std::unique_ptr<InputList> inputs;
  std::unique_ptr<OutputFile> file;
  if (int code = OpenBatch(options, &inputs, &file); code != kExitOk) {
    return code;
  }
  FdOutBuf stdout_buf(STDOUT_FILENO);
  std::ostream stdout_stream(&stdout_buf);
  std::ostream& out = file ? file->stream() : stdout_stream;

  auto shared = std::make_shared<Shared>(std::make_unique<WorkSource>(
      std::move(inputs), options.jsonl_input, options.read.max_bytes));
  const std::optional<size_t> total = shared->source->total_items();
  const bool pretty = !options.jsonl_output && !options.jsonl_input &&
                      options.files_from.empty() && total && *total == 1;
  JsonSink sink(out, pretty ? JsonStyle::kPretty : JsonStyle::kLine);
  // On a terminal only, and not when the records themselves go to that
  // terminal, where the line would be drawn through them.
  const bool show_progress = !options.quiet && ::isatty(STDERR_FILENO) == 1 &&
                             (file != nullptr || ::isatty(STDOUT_FILENO) != 1);
  Progress progress(show_progress, total, shared->source->total_bytes(),
                    options.jsonl_input ? "records" : "files");

  std::thread producer;
  std::vector<std::thread> workers;
  StartThreads(shared, std::max(1u, options.jobs), sink.style(), pipeline,
               options, &producer, &workers);
  const WriteOutcome w = WriteRecords(*shared, sink, out, progress);
  StopThreads(*shared, w.write_failed, &workers, &producer);
  progress.Clear();
  return FinishOutput(options, sink, file.get(), stdout_buf, w.failed,
                      w.write_failed);
}

}  // namespace extract::cli
