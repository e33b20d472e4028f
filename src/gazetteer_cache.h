// The compiled gazetteer cache: parsing ~145,000 gazetteer lines into a trie
// takes a few hundred milliseconds, so the first run stores the compiled
// Gazetteer (its image, see Gazetteer::image) in one file, and later runs map
// that file and use it directly, after checking that it was compiled from the
// same files by the same program.
//
// A cache file is valid for one gazetteer directory and one executable. Its
// key lists the cache format, the running executable (size, modification
// time and inode, so that a rebuilt program never trusts an older program's
// cache, and its path), the gazetteer directory and, for each
// source file of the directory (*.tsv and *.txt; rules are compiled at every
// load and are not cached), its name, size and modification time in
// nanoseconds. A cache whose key differs, whose size or magic is wrong, or
// whose checksum does not match is ignored and rewritten; any failure to
// read or write the cache only means the files are parsed.
//
// Usage:
//   CacheOutcome outcome;
//   auto gaz = LoadGazetteerCached("gazetteers", DefaultCacheDir(), &outcome);
#ifndef EXTRACT_SRC_GAZETTEER_CACHE_H_
#define EXTRACT_SRC_GAZETTEER_CACHE_H_

#include <memory>
#include <string>

#include "extract/status.h"
#include "gazetteer.h"

namespace extract {

// What LoadGazetteerCached did.
enum class CacheOutcome {
  kHit,         // the gazetteer came from the cache
  kWritten,     // the files were parsed and the cache (re)written
  kNotWritten,  // the files were parsed; the cache could not be written, or
                // a source file changed less than two seconds ago (its
                // modification time could still change without changing
                // the key), or there is no cache directory
  kFailed,      // the files did not load (see the returned status)
};

// The cache directory: $EXTRACT_CACHE_DIR, else $XDG_CACHE_HOME/extract,
// else $HOME/.cache/extract; "" when none of these variables is set.
std::string DefaultCacheDir();

// The cache file for gazetteer directory `dir` in `cache_dir`, for this
// executable: "<cache_dir>/gazetteers-<hash>.bin", the hash of the absolute
// path of `dir` and of the executable's path (each executable keeps its own
// cache: the key names the executable, so builds sharing one file would
// replace it in turn).
std::string CachePath(const std::string& cache_dir, const std::string& dir);
// The same for executable `exe` ("": the name that caches had before
// executables were recorded).
std::string CachePath(const std::string& cache_dir, const std::string& dir,
                      const std::string& exe);

// The key a cache file for `dir` must carry (see above), or an error when
// `dir` cannot be listed.
Result<std::string> CacheKey(const std::string& dir);

// Reads the cache file at `path` for gazetteer directory `dir`. Returns
// kNotFound when there is no file, kBadGazetteer when it is stale (its key
// is not CacheKey(dir)), truncated, corrupt or from another format, kIoError
// when it cannot be read. Never crashes on a bad file. The result maps the
// file (read-only) for as long as it lives.
Result<std::unique_ptr<Gazetteer>> ReadGazetteerCache(const std::string& path,
                                                      const std::string& dir);

// Writes `gazetteer`, loaded from `dir`, to the cache file at `path`
// atomically (a temporary file in the same directory, then rename), so that
// a concurrent reader sees the old file or the new one, never a part.
// Creates the directory. Returns kIoError on failure (no file is left
// behind). Also tidies the directory: removes the other caches whose key
// names a gazetteer directory or an executable that no longer exists (and
// whose file name is the one CachePath gives for them), and temporary files
// of cache writers that died more than an hour ago.
Status WriteGazetteerCache(const std::string& path, const std::string& dir,
                           const Gazetteer& gazetteer);

// Loads the gazetteers in `dir` through the cache in `cache_dir` ("" for
// none): from the cache when it is valid, else by Gazetteer::Load (whose
// errors are returned as they are), writing the cache afterwards. Sets
// `*outcome` when not null. Thread-compatible; several processes may share
// a cache directory.
Result<std::unique_ptr<Gazetteer>> LoadGazetteerCached(
    const std::string& dir, const std::string& cache_dir,
    CacheOutcome* outcome);

}  // namespace extract

#endif  // EXTRACT_SRC_GAZETTEER_CACHE_H_
