// The compiled gazetteer cache: one file per gazetteer directory holding a
// header, the key it was compiled for and the gazetteer's image. See
// gazetteer_cache.h for the contract.
#include "gazetteer_cache.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <string_view>
#include <vector>

namespace extract {
namespace {

namespace fs = std::filesystem;

// Bump with any change to the file layout. A change to the key needs no
// bump (keys are compared whole, so an older key never matches), and
// keeping the format lets pruning read caches written before the change.
constexpr char kMagic[8] = {'X', 'G', 'A', 'Z', 'C', 'A', 'C', 'H'};
constexpr uint32_t kFormat = 1;
// A source file modified less than this long ago may still change within
// the same timestamp tick, so a cache is not written for it yet.
constexpr int64_t kRacyNs = 2'000'000'000;

struct Header {
  char magic[8];
  uint32_t format;
  uint16_t header_size;
  uint16_t checksum_kind;  // ChecksumKind
  uint64_t key_size;
  uint64_t image_size;
  uint64_t checksum;  // of the key, then the image
};
static_assert(sizeof(Header) == 40);

// Whether `h` starts a cache file of this layout (its sizes still need
// checking against the file).
bool IsThisFormat(const Header& h) {
  return std::memcmp(h.magic, kMagic, sizeof h.magic) == 0 &&
         h.format == kFormat && h.header_size == sizeof(Header);
}

// The key lines that name the gazetteer directory ("dir PATH\n") and the
// executable that compiled the cache ("exe_path PATH\n").
constexpr std::string_view kKeyDir = "dir ";
constexpr std::string_view kKeyExePath = "exe_path ";

// The running executable's path, "" when /proc/self/exe cannot be read.
const std::string& ExePath() {
  static const std::string path = [] {
    std::error_code ec;
    const fs::path p = fs::read_symlink("/proc/self/exe", ec);
    return ec ? std::string() : p.string();
  }();
  return path;
}

enum ChecksumKind : uint16_t { kPortable = 1, kCrc32c = 2 };

size_t Align8(size_t n) { return (n + 7) & ~size_t{7}; }

constexpr uint64_t kP1 = 0x9E3779B185EBCA87ull;
constexpr uint64_t kP2 = 0xC2B2AE3D27D4EB4Full;
constexpr uint64_t kP3 = 0x165667B19E3779F9ull;
constexpr uint64_t kP4 = 0x85EBCA77C2B2AE63ull;
constexpr uint64_t kP5 = 0x27D4EB2F165667C5ull;

inline uint64_t Rotl(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }
inline uint64_t Load64(const char* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}
inline uint64_t Round(uint64_t acc, uint64_t v) {
  return Rotl(acc + v * kP2, 31) * kP1;
}

// A 64-bit checksum in four independent lanes (the shape of xxHash64), fast
// enough to verify tens of megabytes in a few milliseconds.
uint64_t Checksum(const char* p, size_t n, uint64_t seed) {
  const char* const end = p + n;
  uint64_t v1 = seed + kP1 + kP2, v2 = seed + kP2, v3 = seed, v4 = seed - kP1;
  while (end - p >= 32) {
    v1 = Round(v1, Load64(p));
    v2 = Round(v2, Load64(p + 8));
    v3 = Round(v3, Load64(p + 16));
    v4 = Round(v4, Load64(p + 24));
    p += 32;
  }
  uint64_t h = Rotl(v1, 1) + Rotl(v2, 7) + Rotl(v3, 12) + Rotl(v4, 18) + n;
  while (end - p >= 8) {
    h ^= Round(0, Load64(p));
    h = Rotl(h, 27) * kP1 + kP4;
    p += 8;
  }
  while (p < end) {
    h ^= static_cast<uint8_t>(*p) * kP5;
    h = Rotl(h, 11) * kP1;
    ++p;
  }
  h ^= h >> 33;
  h *= kP2;
  h ^= h >> 29;
  h *= kP3;
  h ^= h >> 32;
  return h;
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define EXTRACT_HAVE_CRC32C 1
// CRC-32C in three interleaved streams, with the SSE 4.2 instruction: about
// 8 bytes a cycle, so a 40 MB cache is verified in 2 to 3 ms. Each stream is
// a CRC, which detects every error burst of up to 32 bits within it.
__attribute__((target("sse4.2"))) uint64_t Crc32c3(const char* p, size_t n,
                                                   uint64_t seed) {
  uint64_t a = static_cast<uint32_t>(seed), b = seed >> 32, c = ~0ull >> 32;
  while (n >= 24) {
    a = __builtin_ia32_crc32di(a, Load64(p));
    b = __builtin_ia32_crc32di(b, Load64(p + 8));
    c = __builtin_ia32_crc32di(c, Load64(p + 16));
    p += 24;
    n -= 24;
  }
  while (n >= 8) {
    a = __builtin_ia32_crc32di(a, Load64(p));
    p += 8;
    n -= 8;
  }
  while (n > 0) {
    a = __builtin_ia32_crc32qi(static_cast<uint32_t>(a),
                               static_cast<unsigned char>(*p));
    ++p;
    --n;
  }
  uint64_t h = (a | (b << 32)) ^ Rotl(c * kP1, 29);
  h ^= h >> 33;
  h *= kP2;
  h ^= h >> 29;
  return h;
}
#endif

bool HaveCrc32c() {
#ifdef EXTRACT_HAVE_CRC32C
  static const bool have = __builtin_cpu_supports("sse4.2");
  return have;
#else
  return false;
#endif
}

// The checksum of a cache's key and image, of the kind given; false when
// this machine cannot compute that kind.
bool CacheChecksum(ChecksumKind kind, std::string_view key,
                   std::string_view image, uint64_t* out) {
  switch (kind) {
    case kPortable:
      *out = Checksum(image.data(), image.size(),
                      Checksum(key.data(), key.size(), kFormat));
      return true;
    case kCrc32c:
#ifdef EXTRACT_HAVE_CRC32C
      if (!HaveCrc32c()) return false;
      *out = Crc32c3(image.data(), image.size(),
                     Crc32c3(key.data(), key.size(), kFormat));
      return true;
#else
      return false;
#endif
  }
  return false;
}

int64_t MtimeNs(const struct stat& st) {
  return static_cast<int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 +
         st.st_mtim.tv_nsec;
}

std::string Absolute(const std::string& dir) {
  std::error_code ec;
  fs::path p = fs::weakly_canonical(fs::absolute(dir, ec), ec);
  if (ec) p = fs::absolute(dir, ec).lexically_normal();
  if (p.has_parent_path() && p.filename().empty()) p = p.parent_path();
  return p.string();
}

struct KeyInfo {
  std::string key;
  int64_t newest_ns = 0;  // the newest modification time of a source file
  int64_t now_ns = 0;     // when the sources were listed
};

Result<KeyInfo> ComputeKey(const std::string& dir) {
  KeyInfo info;
  std::error_code ec;
  std::vector<std::string> names;
  fs::directory_iterator it(dir, ec);
  for (; !ec && it != fs::directory_iterator(); it.increment(ec)) {
    std::string name = it->path().filename().string();
    if (name.ends_with(".tsv") || name.ends_with(".txt")) names.push_back(name);
  }
  if (ec) return Status::IoError(dir + ": " + ec.message());
  std::sort(names.begin(), names.end());
  struct timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  info.now_ns = static_cast<int64_t>(now.tv_sec) * 1'000'000'000 + now.tv_nsec;
  std::string& key = info.key;
  key = "extract gazetteer cache " + std::to_string(kFormat) + "\n";
  struct stat st;
  if (::stat("/proc/self/exe", &st) == 0) {
    key += "exe " + std::to_string(st.st_size) + " " +
           std::to_string(MtimeNs(st)) + " " + std::to_string(st.st_ino) + "\n";
  }
  key.append(kKeyExePath).append(ExePath()).append("\n");
  key.append(kKeyDir).append(Absolute(dir)).append("\n");
  for (const std::string& name : names) {
    const std::string path = (fs::path(dir) / name).string();
    if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
    key += "file " + name + " " + std::to_string(st.st_size) + " " +
           std::to_string(MtimeNs(st)) + "\n";
    info.newest_ns = std::max(info.newest_ns, MtimeNs(st));
  }
  return info;
}

// A read-only mapping of a cache file, owned by the gazetteer built on it.
struct Mapping {
  void* addr = MAP_FAILED;
  size_t size = 0;
  ~Mapping() {
    if (addr != MAP_FAILED) munmap(addr, size);
  }
};

Result<std::unique_ptr<Gazetteer>> ReadWithKey(const std::string& path,
                                               const std::string& key,
                                               const std::string& dir) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return Status::NotFound(path + ": no cache");
    return Status::IoError(path + ": " + std::strerror(errno));
  }
  struct stat st;
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return Status::IoError(path + ": cannot stat");
  }
  const size_t size = static_cast<size_t>(st.st_size);
  if (size < sizeof(Header)) {
    ::close(fd);
    return Status::BadGazetteer(path + ": truncated cache");
  }
  auto map = std::make_shared<Mapping>();
  // (MAP_POPULATE does not help: the kernel maps pages around each fault.)
  map->addr = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
  ::close(fd);
  if (map->addr == MAP_FAILED) {
    return Status::IoError(path + ": cannot map: " + std::strerror(errno));
  }
  map->size = size;
  const char* base = static_cast<const char*>(map->addr);
  Header h;
  std::memcpy(&h, base, sizeof h);
  if (!IsThisFormat(h)) {
    return Status::BadGazetteer(path + ": not a cache of this format");
  }
  if (h.key_size > size || h.image_size > size ||
      sizeof(Header) + Align8(h.key_size) + h.image_size != size) {
    return Status::BadGazetteer(path + ": truncated cache");
  }
  const std::string_view stored_key(base + sizeof(Header), h.key_size);
  if (stored_key != key) {
    return Status::BadGazetteer(path + ": stale cache");
  }
  const std::string_view image(base + sizeof(Header) + Align8(h.key_size),
                               h.image_size);
  uint64_t checksum;
  if (!CacheChecksum(static_cast<ChecksumKind>(h.checksum_kind), stored_key,
                     image, &checksum) ||
      checksum != h.checksum) {
    return Status::BadGazetteer(path + ": checksum mismatch");
  }
  auto g = Gazetteer::FromImage(map, image, dir, /*verified=*/true);
  if (!g.ok()) return Status::BadGazetteer(path + ": " + g.status().message());
  return g;
}

// Whether `name` has the form of CachePath's file names.
bool IsCacheName(std::string_view name) {
  constexpr std::string_view kPrefix = "gazetteers-", kSuffix = ".bin";
  if (name.size() != kPrefix.size() + 16 + kSuffix.size() ||
      !name.starts_with(kPrefix) || !name.ends_with(kSuffix)) {
    return false;
  }
  return std::all_of(name.begin() + kPrefix.size(),
                     name.end() - kSuffix.size(), [](char c) {
                       return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
                     });
}

// Whether `name` has the form of the temporary files WriteWithKey writes
// before renaming them: a cache's name, ".tmp-" and mkstemp's six characters.
bool IsCacheTempName(std::string_view name) {
  constexpr std::string_view kTmp = ".tmp-";
  const size_t at = name.find(kTmp);
  return at != std::string_view::npos &&
         name.size() == at + kTmp.size() + 6 && IsCacheName(name.substr(0, at));
}

// Where the cache file at `path` came from, as its key records it: the
// gazetteer directory and the executable ("" in a cache written before
// executables were recorded). `dir` is "" when the file cannot be read or
// is not a cache of this format (then nothing is known about it).
struct CacheOrigin {
  std::string dir;
  std::string exe;
};
CacheOrigin CachedOrigin(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return {};
  Header h;
  std::string key;
  bool ok = ::pread(fd, &h, sizeof h, 0) == static_cast<ssize_t>(sizeof h) &&
            IsThisFormat(h) && h.key_size <= 65536;
  if (ok) {
    key.resize(h.key_size);
    ok = ::pread(fd, key.data(), key.size(), sizeof h) ==
         static_cast<ssize_t>(key.size());
  }
  ::close(fd);
  if (!ok) return {};
  // The key's lines: "extract gazetteer cache N", "exe ...", "exe_path
  // PATH", "dir PATH", "file ..."; the value of line `name`, if any.
  auto line = [&](std::string_view name) -> std::string {
    const size_t at = key.find("\n" + std::string(name));
    if (at == std::string::npos) return "";
    const size_t start = at + 1 + name.size();
    const size_t end = key.find('\n', start);
    if (end == std::string::npos || end == start || key[start] != '/') {
      return "";
    }
    return key.substr(start, end - start);
  };
  return {line(kKeyDir), line(kKeyExePath)};
}

// Whether `path` is gone: it does not exist (ENOENT, ENOTDIR), or it is no
// longer what it was (a directory, or for an executable a regular file).
bool Gone(const std::string& path, bool directory) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return errno == ENOENT || errno == ENOTDIR;
  return directory ? !S_ISDIR(st.st_mode) : !S_ISREG(st.st_mode);
}

Status WriteWithKey(const std::string& path, const std::string& key,
                    const Gazetteer& gazetteer) {
  const std::string_view image = gazetteer.image();
  Header h{};
  std::memcpy(h.magic, kMagic, sizeof h.magic);
  h.format = kFormat;
  h.header_size = sizeof(Header);
  h.key_size = key.size();
  h.image_size = image.size();
  h.checksum_kind = HaveCrc32c() ? kCrc32c : kPortable;
  if (!CacheChecksum(static_cast<ChecksumKind>(h.checksum_kind), key, image,
                     &h.checksum)) {
    return Status::Internal(path + ": no checksum");
  }

  std::error_code ec;
  const fs::path target(path);
  fs::create_directories(target.parent_path(), ec);
  // Tidy the cache directory while we are writing to it (rare: after an
  // edit of the gazetteers or a new build). Temporary files of writers that
  // died (killed mid-write), this cache's or another's, are removed once
  // they are an hour old; younger ones may still be being written. Caches
  // whose gazetteer directory or executable no longer exists (an old
  // checkout, a CI workspace, a deleted build) are removed.
  fs::directory_iterator it(target.parent_path(), ec);
  for (; !ec && it != fs::directory_iterator(); it.increment(ec)) {
    const std::string name = it->path().filename().string();
    struct stat old;
    bool remove = false;
    if (IsCacheTempName(name)) {
      remove = ::stat(it->path().c_str(), &old) == 0 &&
               std::time(nullptr) - old.st_mtime > 3600;
    } else if (IsCacheName(name) && it->path() != target) {
      // The file's name must be the one its recorded directory and
      // executable give, so that a misread key never removes another
      // cache.
      const CacheOrigin origin = CachedOrigin(it->path().string());
      remove = !origin.dir.empty() &&
               (Gone(origin.dir, true) ||
                (!origin.exe.empty() && Gone(origin.exe, false))) &&
               CachePath(target.parent_path().string(), origin.dir,
                         origin.exe) == it->path().string();
    }
    if (remove) {
      std::error_code remove_ec;
      fs::remove(it->path(), remove_ec);
    }
  }
  std::string tmp = path + ".tmp-XXXXXX";
  const int fd = ::mkstemp(tmp.data());
  if (fd < 0) {
    return Status::IoError(path + ": cannot create: " + std::strerror(errno));
  }
  const char zeros[8] = {};
  const std::string_view parts[] = {
      std::string_view(reinterpret_cast<const char*>(&h), sizeof h), key,
      std::string_view(zeros, Align8(key.size()) - key.size()), image};
  bool ok = true;
  for (std::string_view part : parts) {
    while (ok && !part.empty()) {
      const ssize_t n = ::write(fd, part.data(), part.size());
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        ok = false;
        break;
      }
      part.remove_prefix(static_cast<size_t>(n));
    }
  }
  const int saved_errno = errno;
  if (::close(fd) != 0) ok = false;
  if (ok && ::rename(tmp.c_str(), path.c_str()) != 0) ok = false;
  if (!ok) {
    ::unlink(tmp.c_str());
    return Status::IoError(path + ": cannot write: " +
                           std::strerror(saved_errno ? saved_errno : errno));
  }
  return Status::Ok();
}

}  // namespace

std::string DefaultCacheDir() {
  if (const char* d = std::getenv("EXTRACT_CACHE_DIR"); d && *d) return d;
  if (const char* d = std::getenv("XDG_CACHE_HOME"); d && *d) {
    return (fs::path(d) / "extract").string();
  }
  if (const char* d = std::getenv("HOME"); d && *d) {
    return (fs::path(d) / ".cache" / "extract").string();
  }
  return "";
}

std::string CachePath(const std::string& cache_dir, const std::string& dir) {
  return CachePath(cache_dir, dir, ExePath());
}

std::string CachePath(const std::string& cache_dir, const std::string& dir,
                      const std::string& exe) {
  // The executable is part of the name: two builds (a release and a debug
  // one, an installed tool and a checkout's) that share a gazetteer
  // directory would otherwise overwrite each other's cache on every run,
  // each key naming its own executable.
  std::string named = Absolute(dir);
  if (!exe.empty()) named.append(1, '\0').append(exe);
  char hex[17];
  std::snprintf(
      hex, sizeof hex, "%016llx",
      static_cast<unsigned long long>(Checksum(named.data(), named.size(), 0)));
  return (fs::path(cache_dir) / ("gazetteers-" + std::string(hex) + ".bin"))
      .string();
}

Result<std::string> CacheKey(const std::string& dir) {
  auto info = ComputeKey(dir);
  if (!info.ok()) return info.status();
  return info->key;
}

Result<std::unique_ptr<Gazetteer>> ReadGazetteerCache(const std::string& path,
                                                      const std::string& dir) {
  auto key = CacheKey(dir);
  if (!key.ok()) return key.status();
  return ReadWithKey(path, *key, dir);
}

Status WriteGazetteerCache(const std::string& path, const std::string& dir,
                           const Gazetteer& gazetteer) {
  auto key = CacheKey(dir);
  if (!key.ok()) return key.status();
  return WriteWithKey(path, *key, gazetteer);
}

Result<std::unique_ptr<Gazetteer>> LoadGazetteerCached(
    const std::string& dir, const std::string& cache_dir,
    CacheOutcome* outcome) {
  CacheOutcome local;
  if (outcome == nullptr) outcome = &local;
  std::error_code ec;
  Result<KeyInfo> info = Status::NotFound("no cache directory");
  std::string path;
  if (!cache_dir.empty() && fs::is_directory(dir, ec)) {
    path = CachePath(cache_dir, dir);
    info = ComputeKey(dir);
    if (info.ok()) {
      auto cached = ReadWithKey(path, info->key, dir);
      if (cached.ok()) {
        *outcome = CacheOutcome::kHit;
        return cached;
      }
    }
  }
  auto g = Gazetteer::Load(dir, nullptr);
  if (!g.ok()) {
    *outcome = CacheOutcome::kFailed;
    return g;
  }
  *outcome = CacheOutcome::kNotWritten;
  if (info.ok() && info->now_ns - info->newest_ns >= kRacyNs &&
      WriteWithKey(path, info->key, **g).ok()) {
    *outcome = CacheOutcome::kWritten;
  }
  return g;
}

}  // namespace extract
