// Date expressions (part of stage 5, apply rules): a fixed set of RE2
// patterns runs over each sentence, every match is read into an ISO value
// (resolved against the document's reference date when the text leaves the
// year or the day implicit), a preceding preposition sets the relation, and
// overlapping matches are settled longest-first. Matching is case-blind
// except where case is the only clue: a lower-case "may" or "march" is a
// verb, never a month.
//
// Source ids. They are written to the output (DateExpr::source) and must stay
// stable; add new ids rather than renaming old ones.
//
//   id                      example                           value
//   date.iso                "2018-12-30"                      YYYY-MM-DD
//   date.dmy                "30 December 2018", "30/12/2018"  YYYY-MM-DD
//                           "le 1er janvier 2020"
//   date.mdy                "December 30, 2018", "Dec. 30,    YYYY-MM-DD
//                           2018", "12/30/2018" (only when the
//                           day-first reading is impossible)
//   date.month_year         "December 2018", "Dec 2018"       YYYY-MM
//   date.year               "in 2012", "since 2012",          YYYY
//                           "mid-2018", "in early 2019"
//   date.day_month          "on 30 December", "December 30",  YYYY-MM-DD *
//                           "5 May last year"
//   date.weekday            "on Tuesday", "Friday night"      YYYY-MM-DD *
//   date.weekday_relative   "last Friday", "this Monday",     YYYY-MM-DD *
//                           "next Sunday"
//   date.relative_day       "yesterday", "today", "the day    YYYY-MM-DD *
//                           before yesterday", "last night"
//   date.relative_period    "last week" (7 days earlier),     YYYY-MM-DD, *
//                           "last month", "this year"         YYYY-MM, YYYY
//   date.ago                "two days ago", "three weeks      YYYY-MM-DD, *
//                           ago", "six months ago", "a year   YYYY-MM, YYYY
//                           ago"
//   date.since_month        "since September", "depuis mai"   YYYY-MM *
//   date.month              "in March", "until June"          YYYY-MM *
//   date.part_of_month      "mid-May", "early June", "late    YYYY-MM (*)
//                           August 2019", "the end of May"
//   date.range              "on the night of 14 to 15 May",   first day (*)
//                           "between 1 and 3 June", "December
//                           11-12", "30 October - 1 November"
//                           "between June and July 2017"      first month
//
//   * needs the reference date; without one the value is "" (the expression
//     is still reported so that the caller can show it).
//
// Relations: "on" for a day (also after "on", "around", "on or around",
// "between"), "in" for a month, a year or a period ("last week"), and
// "since" / "until" / "before" / "after" after those words ("from" reads as
// "since" except before a range, where "from 1 to 3 June" is "on").
//
// Absolute dates are checked: an impossible day ("31 February 2019") or a
// year outside 1900..2100 suppresses the whole expression, so that a shorter
// reading inside it ("February 2019") is not reported in its place.
#include "dates.h"

#include <re2/re2.h>
#include <re2/set.h>
#include <unicode/uchar.h>

#include <algorithm>
#include <array>
#include <cassert>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace extract {
namespace {

// ---------------------------------------------------------------------------
// Civil-date arithmetic (proleptic Gregorian, no time zones). The two
// conversions are H. Hinnant's days_from_civil / civil_from_days.

struct CivilDate {
  int y = 0;
  int m = 0;  // 1..12
  int d = 0;  // 1..31
};

bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysInMonth(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30,
                                  31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

bool IsValid(int y, int m, int d) {
  return m >= 1 && m <= 12 && d >= 1 && d <= DaysInMonth(y, m);
}

// Days since 1970-01-01.
int64_t DaysFromCivil(const CivilDate& c) {
  const int64_t y = c.m <= 2 ? c.y - 1 : c.y;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t mp = (c.m + 9) % 12;  // March = 0
  const int64_t doy = (153 * mp + 2) / 5 + c.d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

CivilDate CivilFromDays(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  const int y = static_cast<int>(yoe + era * 400 + (m <= 2 ? 1 : 0));
  return {y, m, d};
}

CivilDate AddDays(const CivilDate& c, int64_t days) {
  return CivilFromDays(DaysFromCivil(c) + days);
}

// 0 = Sunday ... 6 = Saturday. 1970-01-01 was a Thursday.
int Weekday(const CivilDate& c) {
  const int64_t z = DaysFromCivil(c);
  return static_cast<int>(z >= -4 ? (z + 4) % 7 : (z + 5) % 7 + 6);
}

bool NotAfter(const CivilDate& a, const CivilDate& b) {
  if (a.y != b.y) return a.y < b.y;
  if (a.m != b.m) return a.m < b.m;
  return a.d <= b.d;
}

// Years outside this window are OCR noise, page numbers or troop counts, not
// dates in a news article.
constexpr int kMinYear = 1900;
constexpr int kMaxYear = 2100;
bool YearInRange(int y) { return y >= kMinYear && y <= kMaxYear; }

std::string FormatDay(const CivilDate& c) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", c.y, c.m, c.d);
  return buf;
}
std::string FormatMonth(int y, int m) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02d", y, m);
  return buf;
}
std::string FormatYear(int y) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d", y);
  return buf;
}

// Reads "YYYY-MM-DD"; anything after the date (a "T12:00" time) is ignored
// because only the day matters here.
std::optional<CivilDate> ParseReference(std::string_view s) {
  if (s.size() < 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  if (s.size() > 10 && s[10] != 'T' && s[10] != ' ') return std::nullopt;
  int v[3] = {0, 0, 0};
  const int starts[3] = {0, 5, 8};
  const int lens[3] = {4, 2, 2};
  for (int i = 0; i < 3; ++i) {
    for (int j = 0; j < lens[i]; ++j) {
      const char ch = s[starts[i] + j];
      if (ch < '0' || ch > '9') return std::nullopt;
      v[i] = v[i] * 10 + (ch - '0');
    }
  }
  if (!IsValid(v[0], v[1], v[2])) return std::nullopt;
  return CivilDate{v[0], v[1], v[2]};
}

// ---------------------------------------------------------------------------
// Words.

// Lower-cases ASCII and folds the few accented letters of French month names
// and prepositions (NFC text, so each is one two-byte sequence), so that
// "Décembre", "DÉCEMBRE" and "decembre" share one key.
std::string FoldKey(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    const unsigned char ch = static_cast<unsigned char>(s[i]);
    if (ch == 0xC3 && i + 1 < s.size()) {
      const unsigned char next = static_cast<unsigned char>(s[i + 1]) | 0x20;
      if (next >= 0xA0 && next <= 0xA2) {  // à á â
        out += 'a';
        ++i;
        continue;
      }
      if (next >= 0xA8 && next <= 0xAB) {  // è é ê ë
        out += 'e';
        ++i;
        continue;
      }
      if (next >= 0xB9 && next <= 0xBC) {  // ù ú û ü
        out += 'u';
        ++i;
        continue;
      }
    }
    if (ch == '.') continue;  // "Sept." -> "sept"
    out += (ch >= 'A' && ch <= 'Z') ? static_cast<char>(ch + 32)
                                    : static_cast<char>(ch);
  }
  return out;
}

// 1..12, or 0 for a word that is not a month name.
int MonthFromName(std::string_view name) {
  struct Entry {
    const char* key;
    int month;
  };
  static constexpr Entry kMonths[] = {
      {"january", 1},   {"february", 2}, {"march", 3},     {"april", 4},
      {"may", 5},       {"june", 6},     {"july", 7},      {"august", 8},
      {"september", 9}, {"october", 10}, {"november", 11}, {"december", 12},
      {"jan", 1},       {"feb", 2},      {"mar", 3},       {"apr", 4},
      {"jun", 6},       {"jul", 7},      {"aug", 8},       {"sep", 9},
      {"sept", 9},      {"oct", 10},     {"nov", 11},      {"dec", 12},
      {"janvier", 1},   {"fevrier", 2},  {"mars", 3},      {"avril", 4},
      {"mai", 5},       {"juin", 6},     {"juillet", 7},   {"aout", 8},
      {"septembre", 9}, {"octobre", 10}, {"novembre", 11}, {"decembre", 12},
      {"janv", 1},      {"fevr", 2},     {"avr", 4},       {"juil", 7},
  };
  const std::string key = FoldKey(name);
  for (const Entry& e : kMonths) {
    if (key == e.key) return e.month;
  }
  return 0;
}

// 0 = Sunday ... 6 = Saturday, or -1.
int WeekdayFromName(std::string_view name) {
  static constexpr const char* kNames[] = {"sun", "mon", "tue", "wed",
                                           "thu", "fri", "sat"};
  const std::string key = FoldKey(name).substr(0, 3);
  for (int i = 0; i < 7; ++i) {
    if (key == kNames[i]) return i;
  }
  return -1;
}

// Digits, "a"/"an", or a number word up to thirty-one ("twenty-one",
// "twenty one"). Returns -1 when it is none of these.
int ParseCount(std::string_view text) {
  static constexpr const char* kUnits[] = {
      "zero",    "one",     "two",       "three",    "four",
      "five",    "six",     "seven",     "eight",    "nine",
      "ten",     "eleven",  "twelve",    "thirteen", "fourteen",
      "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"};
  const std::string key = FoldKey(text);
  if (key.empty()) return -1;
  if (key[0] >= '0' && key[0] <= '9') {
    int n = 0;
    for (const char ch : key) n = n * 10 + (ch - '0');
    return n;
  }
  if (key == "a" || key == "an") return 1;
  int total = 0;
  std::string_view rest = key;
  if (rest.substr(0, 6) == "twenty") {
    total = 20;
    rest.remove_prefix(6);
  } else if (rest.substr(0, 6) == "thirty") {
    total = 30;
    rest.remove_prefix(6);
  }
  while (!rest.empty() && (rest[0] == '-' || rest[0] == ' ' ||
                           static_cast<unsigned char>(rest[0]) <= ' ')) {
    rest.remove_prefix(1);
  }
  if (rest.empty()) return total;
  for (int i = 1; i < 20; ++i) {
    if (rest == kUnits[i]) return total + i;
  }
  return -1;
}

// ---------------------------------------------------------------------------
// Patterns.

// What a pattern recognizes; decides how its groups are read.
enum class Kind {
  kIso,
  kNumeric,
  kDmy,
  kMdy,
  kMonthYear,
  kYear,
  kDayMonth,
  kWeekday,
  kWeekdayRelative,
  kRelativeDay,
  kRelativePeriod,
  kAgo,
  kMonth,
  kPartOfMonth,
  kRange,
  kMonthRange,
};

// Named groups a pattern may use. Patterns share the names, so one reader
// serves them all.
enum Field {
  kFYear,
  kFMonth,
  kFMonthNum,
  kFDay,
  kFMonth2,
  kFDay2,
  kFWeekday,
  kFRel,
  kFRelDay,
  kFUnit,
  kFNum,
  kFPart,
  kFYearRel,
  kFSep,
  kFSep2,
  kFYear1,
  kNumFields,
};
constexpr const char* kFieldNames[kNumFields] = {
    "year",    "month", "month_num", "day",  "month2", "day2",
    "weekday", "rel",   "relday",    "unit", "num",    "part",
    "yearrel", "sep",   "sep2",      "year1"};

// Which preposition a match needs before it counts as a date.
enum class Need {
  kNothing,
  // "in", "since", "from", "until", "before" or "after": a month name or a
  // year alone is a date only then ("in March", "since 2012"), since "2012"
  // alone is as likely a count.
  kPreposition,
  // A preposition other than "in": ACLED's "on January, 12" reads as a date,
  // while "in May, 12 people died" does not.
  kNotIn,
};

// A rule's RE2, compiled on the first sentence that needs it: one article
// uses a few of the rules, and compiling all of them took about 40% of the
// start-up instructions of `extract article.txt`.
struct CompiledRule {
  std::unique_ptr<RE2> re;
  std::array<int, kNumFields> group{};  // capture index per Field, or -1
  int num_groups = 0;
};

struct Rule {
  Rule(Kind k, const char* s, Need n, std::string p)
      : kind(k), source(s), need(n), pattern(std::move(p)) {}
  Kind kind;
  const char* source;
  Need need = Need::kNothing;
  std::string pattern;

  // Thread-safe; compiled once.
  const CompiledRule& Compiled() const {
    std::call_once(once_, [this] {
      RE2::Options options;
      options.set_case_sensitive(false);
      options.set_log_errors(false);
      compiled_.re = std::make_unique<RE2>(pattern, options);
      // The patterns are fixed at compile time: a failure is a bug.
      assert(compiled_.re->ok());
      compiled_.num_groups = compiled_.re->NumberOfCapturingGroups();
      const auto& named = compiled_.re->NamedCapturingGroups();
      for (int f = 0; f < kNumFields; ++f) {
        const auto it = named.find(kFieldNames[f]);
        compiled_.group[f] = it == named.end() ? -1 : it->second;
      }
    });
    return compiled_;
  }

 private:
  mutable std::once_flag once_;
  mutable CompiledRule compiled_;
};

// Building blocks. News text separates words with ordinary spaces, no-break
// spaces (French typography: "1er janvier 2018") and narrow no-break spaces;
// all count as space. Raw strings use the "re" delimiter because the
// patterns themselves contain `)"`.
constexpr const char kSp[] = R"re((?:\s|\x{A0}|\x{202F})+)re";
constexpr const char kOptSp[] = R"re((?:\s|\x{A0}|\x{202F})*)re";
constexpr const char kDash[] =
    R"re((?:-|\x{2010}|\x{2011}|\x{2012}|\x{2013}|\x{2014}))re";
constexpr const char kFullMonths[] =
    "(?:january|february|march|april|may|june|july|august|september|"
    "october|november|december|"
    "janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[uû]t|septembre|"
    "octobre|novembre|d[ée]cembre)\\b";
// The period belongs to an abbreviation only, so "since September." does
// not swallow the full stop.
constexpr const char kAbbreviatedMonths[] =
    "(?:janv|f[ée]vr|avr|juil|sept|jan|feb|mar|apr|jun|jul|aug|sep|oct|nov|"
    "d[ée]c)\\b\\.?";
constexpr const char kWeekdayNames[] =
    "(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)";
constexpr const char kNumberWords[] =
    "(?:twenty|thirty)"
    "(?:[-\\s](?:one|two|three|four|five|six|seven|eight|nine)\\b)?|"
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    "thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|an?";

std::string Group(const char* name, const std::string& body) {
  return std::string("(?P<") + name + ">" + body + ")";
}

struct RuleSpec {
  Kind kind;
  const char* source;
  std::string pattern;
  Need need = Need::kNothing;
};

// The built-in patterns. Order is priority among matches of equal length
// (the earlier wins).
//
// With `filter`, each pattern loses its optional leading and trailing parts
// (its leading \b stays): what is left is a part of the full pattern that
// every match of it contains, so a sentence with no match of the filter
// pattern has none of the full one. (The \b still holds at the core's
// start: each leading part ends in a space or a dash, and each core starts
// with a letter or a digit.) DateRuleSet is built from these: fewer NFA
// steps in flight make fewer states for its DFA to build and visit (a
// quarter fewer instructions matching, a third fewer compiling).
std::vector<RuleSpec> RuleSpecs(bool filter = false) {
  const std::string sp = kSp;
  const std::string dash = kDash;
  // Full month names only where no number confirms that the word is a month
  // ("in March", "mid-May"): "Mar", "Jun" or "Dec" alone are too often
  // something else.
  auto month_full = [](const char* name) { return Group(name, kFullMonths); };
  auto month_any = [](const char* name) {
    return Group(name, std::string(kFullMonths) + "|" + kAbbreviatedMonths);
  };
  // "30", "30th", "1st", French "1er".
  auto day = [](const char* name) {
    return Group(name, R"re(\d{1,2})re") + R"re((?:st|nd|rd|th|er)?\b)re";
  };
  const std::string year = R"re((?P<year>\d{4})\b)re";
  const std::string weekday =
      Group("weekday", std::string(kWeekdayNames) + R"re(\b)re");
  // "Tuesday, 30 December 2018": the weekday is part of the expression.
  const std::string weekday_lead =
      filter ? "" : "(?:" + std::string(kWeekdayNames) + ",?" + sp + ")?";
  // ACLED-style "on the night of 14 to 15 May".
  const std::string part_of_day_of =
      filter ? ""
             : "(?:(?:the" + sp +
                   ")?(?:night|morning|evening|afternoon|weekend)" + sp +
                   "of" + sp + ")?";
  const std::string the_opt = "(?:the" + sp + ")?";
  const std::string lead_the = filter ? "" : the_opt;  // first in a pattern
  const std::string time_of_day =
      filter ? ""
             : "(?:" + sp + R"re((?:morning|afternoon|evening|night)\b)?)re";
  const std::string day_month_sep =
      "(?:" + sp + "of" + sp + "|" + sp + "|" + dash + ")";
  const std::string month_year_sep = "(?:,?" + sp + "|" + dash + ")";
  // Optional years, always last in a pattern.
  const std::string year_opt =
      filter ? "" : "(?:" + month_year_sep + year + ")?";
  const std::string year_tail = filter ? "" : "(?:,?" + sp + year + ")?";
  // "5 May last year", "late August of last year".
  const std::string year_rel =
      filter ? ""
             : "(?:,?" + sp + "(?:of" + sp + ")?(?P<yearrel>last|this|next)" +
                   sp + R"re(year\b)?)re";
  // "14 to 15", "14-15", "1 and 3", "14 or 15", French "du 14 au 15".
  const std::string connector =
      std::string(kOptSp) + "(?:" + dash +
      R"re(|\bto\b|\band\b|\bor\b|\bthrough\b|\bau\b|\bet\b))re" + kOptSp;
  // Between a month and its day: a space, or nothing after an abbreviation's
  // period ("Oct.8"; Read rejects "May5").
  const std::string month_day_sep = kOptSp;
  const std::string b = R"re(\b)re";
  const std::string year_part =
      filter ? ""
             : "(?:(?P<part>early|mid|late)(?:" + dash + "|" + sp + "))?";
  return {
      // Ranges first: "1 and 3 June" must beat "3 June".
      {Kind::kRange, "date.range",
       b + part_of_day_of + lead_the + day("day") + connector + the_opt +
           day("day2") + day_month_sep + month_any("month") + year_opt +
           year_rel},
      {Kind::kRange, "date.range",
       b + part_of_day_of + lead_the + day("day") + day_month_sep +
           month_any("month") + connector + the_opt + day("day2") +
           day_month_sep + month_any("month2") + year_opt},
      {Kind::kRange, "date.range",
       b + part_of_day_of + month_any("month") + month_day_sep + day("day") +
           connector + day("day2") + year_tail},
      {Kind::kRange, "date.range",
       b + part_of_day_of + month_any("month") + month_day_sep + day("day") +
           connector + month_any("month2") + month_day_sep + day("day2") +
           year_tail},
      // "between June and July 2017", "December 2016 to June 2017".
      {Kind::kMonthRange, "date.range",
       b + month_full("month") + "(?:" + month_year_sep +
           R"re((?P<year1>\d{4})\b)?)re" + connector + month_full("month2") +
           month_year_sep + year},
      {Kind::kDmy, "date.dmy",
       b + part_of_day_of + weekday_lead + lead_the + day("day") +
           day_month_sep + month_any("month") + month_year_sep + year},
      {Kind::kMdy, "date.mdy",
       b + part_of_day_of + weekday_lead + month_any("month") + month_day_sep +
           day("day") + ",?" + sp + year},
      {Kind::kIso, "date.iso",
       R"re(\b(?P<year>\d{4})-(?P<month_num>\d{1,2})-(?P<day>\d{1,2})\b)re"},
      {Kind::kNumeric, "date.dmy",
       R"re(\b(?P<day>\d{1,2})(?P<sep>[/.-])(?P<month_num>\d{1,2}))re"
       R"re((?P<sep2>[/.-])(?P<year>\d{4})\b)re"},
      {Kind::kPartOfMonth, "date.part_of_month",
       b + "(?P<part>early|mid|late|(?:the" + sp +
           ")?(?:end|beginning|start|middle)" + sp + "of|fin|d[ée]but|mi)(?:" +
           dash + "|" + sp + ")(?:the" + sp + "month" + sp + "of" + sp + ")?" +
           month_any("month") + year_opt + year_rel},
      {Kind::kMonthYear, "date.month_year",
       b + month_any("month") + month_year_sep + year},
      {Kind::kDayMonth, "date.day_month",
       b + part_of_day_of + weekday_lead + lead_the + day("day") +
           day_month_sep + month_any("month") + year_rel},
      {Kind::kDayMonth, "date.day_month",
       b + part_of_day_of + weekday_lead + month_any("month") + month_day_sep +
           the_opt + day("day") + year_rel},
      // ACLED's "claimed the attack on October, 27th".
      {Kind::kDayMonth, "date.day_month",
       b + month_any("month") + "," + sp + day("day"), Need::kNotIn},
      {Kind::kWeekdayRelative, "date.weekday_relative",
       b + "(?P<rel>this" + sp + "past|last|this|next|past)" + sp + weekday +
           time_of_day},
      {Kind::kRelativeDay, "date.relative_day",
       b + "(?P<relday>the" + sp + "day" + sp + "before" + sp +
           "yesterday|the" + sp + "day" + sp + "after" + sp +
           "tomorrow|yesterday|today|tonight|tomorrow|last" + sp +
           "night|this" + sp + R"re((?:morning|afternoon|evening))\b)re" +
           time_of_day},
      {Kind::kRelativePeriod, "date.relative_period",
       b + "(?P<rel>last|this|next)" + sp +
           R"re((?P<unit>week|month|year)\b)re"},
      {Kind::kAgo, "date.ago",
       b + R"re((?P<num>\d{1,3}|)re" + kNumberWords + ")" + sp +
           R"re((?P<unit>days?|weeks?|months?|years?|hours?))re" + sp +
           R"re(ago\b)re"},
      {Kind::kWeekday, "date.weekday", b + weekday + time_of_day},
      // "last March": the latest March before the reference month.
      {Kind::kMonth, "date.month",
       b + "(?:last|this|past)" + sp + month_full("month") + year_rel},
      {Kind::kMonth, "date.month", b + month_full("month") + year_rel,
       Need::kPreposition},
      // Needs a preposition unless "early"/"mid"/"late" marks it as a year.
      {Kind::kYear, "date.year",
       b + year_part + year, Need::kPreposition},
  };
}

// Built on first use (thread-safe static initialization), each rule's RE2
// compiled when first needed, and never destroyed, so no destructor runs at
// exit while another thread matches. A deque: a Rule (with its once_flag)
// cannot move.
const std::deque<Rule>& Rules() {
  static const std::deque<Rule>* const rules = [] {
    auto* out = new std::deque<Rule>;
    for (RuleSpec& spec : RuleSpecs()) {
      out->emplace_back(spec.kind, spec.source, spec.need,
                        std::move(spec.pattern));
    }
    return out;
  }();
  return *rules;
}

// All rules as one RE2::Set: most sentences hold no date, and one DFA pass
// that says which rules can match (usually none) is much cheaper than a
// search per rule. A rule the set rejects has no match in the sentence, so
// skipping it changes nothing.
const RE2::Set& DateRuleSet() {
  static const RE2::Set* const set = [] {
    RE2::Options options;
    options.set_case_sensitive(false);
    options.set_log_errors(false);
    options.set_never_capture(true);
    options.set_max_mem(int64_t{64} << 20);
    auto* out = new RE2::Set(options, RE2::UNANCHORED);
    for (const RuleSpec& spec : RuleSpecs(/*filter=*/true)) {
      [[maybe_unused]] const int index = out->Add(spec.pattern, nullptr);
      assert(index >= 0);
    }
    [[maybe_unused]] const bool compiled = out->Compile();
    assert(compiled);
    return out;
  }();
  return *set;
}

// ---------------------------------------------------------------------------
// Prepositions before a match.

enum class Prefix {
  kNone,
  kOn,       // "on", "le", "on or around", "around", "vers"
  kBetween,  // "between", "entre": the range starts the event
  kIn,       // "in", "during", "en": not part of the span
  kSince,    // "since", "depuis", "à partir de"
  kFrom,     // "from" (not French "du": "l'attaque du 3 août" is "of")
  kUntil,    // "until", "till", "up to", "jusqu'au"
  kBefore,   // "before", "on or before", "avant"
  kAfter,    // "after", "on or after", "après"
};

Prefix PrefixFromWords(std::string_view words) {
  const std::string key = FoldKey(words);
  auto starts = [&](std::string_view p) { return key.rfind(p, 0) == 0; };
  auto has = [&](std::string_view p) {
    return key.find(p) != std::string::npos;
  };
  if (starts("on") && has("before")) return Prefix::kBefore;
  if (starts("on") && has("after")) return Prefix::kAfter;
  if (starts("a") && has("partir")) return Prefix::kSince;  // "à partir de"
  if (starts("on") || starts("or") || starts("around") || starts("le") ||
      starts("vers") || starts("la") || starts("dans")) {
    return Prefix::kOn;
  }
  if (starts("between") || starts("entre")) return Prefix::kBetween;
  if (key == "in" || starts("during") || key == "en") return Prefix::kIn;
  if (starts("since") || starts("depuis")) return Prefix::kSince;
  if (starts("from")) return Prefix::kFrom;
  if (starts("until") || starts("till") || starts("up") || starts("jusqu")) {
    return Prefix::kUntil;
  }
  if (starts("before") || starts("avant")) return Prefix::kBefore;
  if (starts("after") || starts("apr")) return Prefix::kAfter;
  return Prefix::kNone;
}

struct PrefixMatch {
  Prefix prefix = Prefix::kNone;
  size_t begin = 0;  // offset in the sentence of the first prefix word
};

// The prepositions, one spelling each: a space stands for one or more
// spaces, and letters match either case. Alternatives are spelled out ("à"
// and "a", "’" and "'").
constexpr std::string_view kPrepositions[] = {
    "on or around", "on or about", "on or before", "on or after",
    "or around", "around", "on", "since", "until", "till", "up to", "before",
    "after", "between", "from", "in", "during", "dans la nuit du",
    "la nuit du", "le", "depuis", "\u00e0 partir de", "a partir de", "en",
    "jusqu'au", "jusqu'\u00e0", "jusqu\u2019au", "jusqu\u2019\u00e0",
    "avant", "apr\u00e8s", "apres", "entre", "vers",
};

// The code point that ends at `end` in valid UTF-8, and where it begins.
char32_t PreviousCodePoint(std::string_view s, size_t end, size_t* begin) {
  size_t b = end - 1;
  while (b > 0 && (static_cast<unsigned char>(s[b]) & 0xC0) == 0x80) --b;
  *begin = b;
  const auto* p = reinterpret_cast<const unsigned char*>(s.data() + b);
  const size_t n = end - b;
  if (n == 1) return p[0];
  if (n == 2) return ((p[0] & 0x1Fu) << 6) | (p[1] & 0x3Fu);
  if (n == 3) {
    return ((p[0] & 0x0Fu) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu);
  }
  return ((p[0] & 0x07u) << 18) | ((p[1] & 0x3Fu) << 12) |
         ((p[2] & 0x3Fu) << 6) | (p[3] & 0x3Fu);
}

// What the date patterns' space matches: RE2's \s (tab, newline, form feed,
// carriage return, space), no-break space and narrow no-break space.
bool IsPatternSpace(char32_t c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r' ||
         c == 0xA0 || c == 0x202F;
}

// Case-insensitive as RE2 is (simple case folding) for the letters the
// prepositions use: ASCII, À/à, È/è, and ſ (long s), which folds to s.
char32_t FoldForPreposition(char32_t c) {
  if (c >= 'A' && c <= 'Z') return c + 32;
  if (c == 0xC0 || c == 0xC8) return c + 0x20;  // À È
  if (c == 0x17F) return 's';
  return c;
}

// Whether `phrase` ends at `end` in `text`, each space of the phrase
// standing for one or more pattern spaces; where it begins if so.
bool PhraseEndsAt(std::string_view text, size_t end, std::string_view phrase,
                  size_t* begin) {
  size_t t = end;
  size_t q = phrase.size();
  while (q > 0) {
    size_t qb = 0;
    const char32_t want = PreviousCodePoint(phrase, q, &qb);
    q = qb;
    if (t == 0) return false;
    size_t tb = 0;
    const char32_t got = PreviousCodePoint(text, t, &tb);
    if (want == ' ') {
      if (!IsPatternSpace(got)) return false;
      t = tb;
      while (t > 0) {
        const char32_t more = PreviousCodePoint(text, t, &tb);
        if (!IsPatternSpace(more)) break;
        t = tb;
      }
      continue;
    }
    if (FoldForPreposition(got) != want) return false;
    t = tb;
  }
  *begin = t;
  return true;
}

}  // namespace

namespace dates_internal {

std::optional<std::pair<size_t, size_t>> PrecedingPreposition(
    std::string_view sentence, size_t match_begin) {
  constexpr size_t kWindow = 48;
  size_t start = match_begin > kWindow ? match_begin - kWindow : 0;
  if (start > 0) {
    // Do not let the window's start stand for a word boundary in the middle
    // of a word.
    while (start < match_begin && sentence[start] != ' ') ++start;
  }
  const std::string_view window = sentence.substr(start, match_begin - start);
  // One or more spaces, then the end.
  size_t end = window.size();
  while (end > 0) {
    size_t b = 0;
    if (!IsPatternSpace(PreviousCodePoint(window, end, &b))) break;
    end = b;
  }
  if (end == window.size() || end == 0) return std::nullopt;
  // The longest phrase wins (the regex this replaces took the leftmost
  // match); it must start the window or follow a character that is not a
  // letter, a digit or an apostrophe.
  std::optional<size_t> best;
  for (const std::string_view phrase : kPrepositions) {
    size_t begin = 0;
    if (!PhraseEndsAt(window, end, phrase, &begin)) continue;
    if (best.has_value() && *best <= begin) continue;
    if (begin > 0) {
      size_t b = 0;
      const char32_t before = PreviousCodePoint(window, begin, &b);
      if (before == '\'' || before == 0x2019 ||
          (U_GET_GC_MASK(static_cast<UChar32>(before)) &
           (U_GC_L_MASK | U_GC_N_MASK)) != 0) {
        continue;
      }
    }
    best = begin;
  }
  if (!best.has_value()) return std::nullopt;
  return std::make_pair(start + *best, start + end);
}

}  // namespace dates_internal

namespace {

// Finds the preposition that ends right before `match_begin`.
PrefixMatch FindPrefix(std::string_view sentence, size_t match_begin) {
  const auto found =
      dates_internal::PrecedingPreposition(sentence, match_begin);
  if (!found.has_value()) return {};
  return {PrefixFromWords(
              sentence.substr(found->first, found->second - found->first)),
          found->first};
}

// ---------------------------------------------------------------------------
// Reading a match.

enum class Precision { kDay, kMonth, kYear };

struct Reading {
  enum class Verdict {
    kDrop,   // not a date after all; shorter readings may take its place
    kBlock,  // an impossible date; suppresses anything it overlaps
    kKeep,
  };
  Verdict verdict = Verdict::kDrop;
  std::string value;  // "" when it needs a reference date that is missing
  Precision precision = Precision::kDay;
  const char* source = nullptr;  // overrides the rule's source when set
};

Reading Drop() { return {}; }
Reading Block() { return {Reading::Verdict::kBlock, "", Precision::kDay}; }
Reading Keep(std::string value, Precision precision) {
  return {Reading::Verdict::kKeep, std::move(value), precision};
}

// A date resolved against the reference date. Like MonthsBack and the years
// of ReadAgo, a result outside the year window is dropped: a reference date
// near or past its edge ("9999-12-31" + "next week") would otherwise give a
// value that is not even YYYY-MM-DD ("10000-01-07").
Reading KeepDay(const CivilDate& c) {
  if (!YearInRange(c.y)) return Drop();
  return Keep(FormatDay(c), Precision::kDay);
}
Reading KeepMonth(int y, int m) {
  if (!YearInRange(y)) return Drop();
  return Keep(FormatMonth(y, m), Precision::kMonth);
}
Reading KeepYear(int y) {
  if (!YearInRange(y)) return Drop();
  return Keep(FormatYear(y), Precision::kYear);
}

using Captures = std::array<std::string_view, kNumFields>;

int ToInt(std::string_view digits) {
  int n = 0;
  for (const char ch : digits) n = n * 10 + (ch - '0');
  return n;
}

// "last"/"this"/"next" year -> -1/0/+1.
int YearOffset(std::string_view rel) {
  const std::string key = FoldKey(rel);
  return key == "last" ? -1 : key == "next" ? 1 : 0;
}

// A day with an explicit year.
Reading ExactDay(int y, int m, int d) {
  if (!YearInRange(y) || !IsValid(y, m, d)) return Block();
  return Keep(FormatDay({y, m, d}), Precision::kDay);
}

// A day without a year: the latest such date not after the reference, or the
// year named by "last year"/"this year".
Reading YearlessDay(int m, int d, std::string_view yearrel,
                    const std::optional<CivilDate>& ref) {
  // 29 February exists; 30 February and 31 April never do.
  if (d > DaysInMonth(2000, m)) return Block();
  if (!ref) return Keep("", Precision::kDay);
  if (!yearrel.empty()) return ExactDay(ref->y + YearOffset(yearrel), m, d);
  // Eight years always reach a leap year, even across 2100.
  for (int y = ref->y; y >= ref->y - 8; --y) {
    if (IsValid(y, m, d) && NotAfter({y, m, d}, *ref)) {
      return KeepDay({y, m, d});
    }
  }
  return Block();
}

// A month without a year: the latest one not after the reference.
Reading YearlessMonth(int m, std::string_view yearrel,
                      const std::optional<CivilDate>& ref) {
  if (!ref) return Keep("", Precision::kMonth);
  const int y = !yearrel.empty() ? ref->y + YearOffset(yearrel)
                : m <= ref->m    ? ref->y
                                 : ref->y - 1;
  return KeepMonth(y, m);
}

Reading ReadRange(const Captures& c, const std::optional<CivilDate>& ref) {
  const int m1 = MonthFromName(c[kFMonth]);
  const int m2 = c[kFMonth2].empty() ? m1 : MonthFromName(c[kFMonth2]);
  const int d1 = ToInt(c[kFDay]);
  const int d2 = ToInt(c[kFDay2]);
  if (m1 == 0 || m2 == 0) return Drop();
  if (d2 > DaysInMonth(2000, m2)) return Block();
  if (!c[kFYear].empty()) {
    const int y2 = ToInt(c[kFYear]);
    // "30 December - 2 January 2019": the year is the one of the last day.
    const int y1 = m1 > m2 ? y2 - 1 : y2;
    if (!YearInRange(y2) || !IsValid(y2, m2, d2)) return Block();
    return ExactDay(y1, m1, d1);
  }
  return YearlessDay(m1, d1, c[kFYearRel], ref);
}

// "last Friday" is strictly before the reference; a plain "Friday" in a
// past-tense news story is on or before it; "next Friday" is after it.
Reading ReadWeekday(int weekday, std::string_view rel,
                    const std::optional<CivilDate>& ref) {
  if (!ref) return Keep("", Precision::kDay);
  const int today = Weekday(*ref);
  const std::string key = FoldKey(rel);
  if (key.rfind("next", 0) == 0) {
    const int ahead = (weekday - today + 7) % 7;
    return KeepDay(AddDays(*ref, ahead == 0 ? 7 : ahead));
  }
  int back = (today - weekday + 7) % 7;
  const bool strictly = key == "last" || key.find("past") != std::string::npos;
  if (strictly && back == 0) back = 7;
  return KeepDay(AddDays(*ref, -back));
}

Reading ReadRelativeDay(std::string_view text,
                        const std::optional<CivilDate>& ref) {
  const std::string key = FoldKey(text);
  int offset = 0;
  if (key.find("before") != std::string::npos) {
    offset = -2;
  } else if (key.find("after") != std::string::npos) {
    offset = 2;
  } else if (key.rfind("yesterday", 0) == 0 || key.rfind("last", 0) == 0) {
    offset = -1;  // "last night" is the evening before the report
  } else if (key.rfind("tomorrow", 0) == 0) {
    offset = 1;
  }
  if (!ref) return Keep("", Precision::kDay);
  return KeepDay(AddDays(*ref, offset));
}

Reading MonthsBack(const CivilDate& ref, int months) {
  const int index = ref.y * 12 + (ref.m - 1) - months;
  const int y = index / 12;
  if (!YearInRange(y)) return Drop();
  return Keep(FormatMonth(y, index % 12 + 1), Precision::kMonth);
}

Reading ReadPeriod(std::string_view rel, std::string_view unit,
                   const std::optional<CivilDate>& ref) {
  const std::string u = FoldKey(unit);
  const Precision precision = u == "week"    ? Precision::kDay
                              : u == "month" ? Precision::kMonth
                                             : Precision::kYear;
  if (!ref) return Keep("", precision);
  const int sign = YearOffset(rel);  // last -1, this 0, next +1
  if (u == "week") {
    return KeepDay(AddDays(*ref, 7 * sign));
  }
  if (u == "month") return MonthsBack(*ref, -sign);
  return KeepYear(ref->y + sign);
}

Reading ReadAgo(std::string_view num, std::string_view unit,
                const std::optional<CivilDate>& ref) {
  const int n = ParseCount(num);
  if (n < 0) return Drop();
  const std::string u = FoldKey(unit);
  const Precision precision = u[0] == 'm'   ? Precision::kMonth
                              : u[0] == 'y' ? Precision::kYear
                                            : Precision::kDay;
  if (!ref) return Keep("", precision);
  switch (u[0]) {
    case 'h':
      return KeepDay(AddDays(*ref, -(n / 24)));
    case 'd':
      return KeepDay(AddDays(*ref, -n));
    case 'w':
      return KeepDay(AddDays(*ref, -7 * n));
    case 'm':
      return MonthsBack(*ref, n);
    default:
      if (!YearInRange(ref->y - n)) return Drop();
      return Keep(FormatYear(ref->y - n), Precision::kYear);
  }
}

// True when the month word is more likely an ordinary word: the modal "may"
// ("it may collapse") and the verb "march" are written in lower case, while
// the months are capitalized in English; the planet "Mars" is capitalized
// while French months are not (unless a day number confirms the date).
bool MonthWordIsSuspect(std::string_view word, bool has_day) {
  if (word.empty()) return false;
  const std::string key = FoldKey(word);
  const bool lower = word[0] >= 'a' && word[0] <= 'z';
  if (lower && (key == "may" || key == "march" || key == "mar")) return true;
  return !has_day && !lower && key == "mars";
}

Reading Read(Kind kind, const Captures& c,
             const std::optional<CivilDate>& ref) {
  const bool has_day = !c[kFDay].empty();
  if (MonthWordIsSuspect(c[kFMonth], has_day) ||
      MonthWordIsSuspect(c[kFMonth2], has_day)) {
    return Drop();
  }
  // "May 45 people" is a count after a month, not a day.
  if (has_day && (ToInt(c[kFDay]) == 0 || ToInt(c[kFDay]) > 31)) {
    return Drop();
  }
  if (!c[kFDay2].empty() && (ToInt(c[kFDay2]) == 0 || ToInt(c[kFDay2]) > 31)) {
    return Drop();
  }
  // "Oct.8" is a date; "May5" or "Mar2" is a code or a name.
  for (const auto& [month, day] :
       {std::pair{kFMonth, kFDay}, std::pair{kFMonth2, kFDay2}}) {
    const std::string_view m = c[month];
    if (!m.empty() && !c[day].empty() && m.data() + m.size() == c[day].data() &&
        m.back() != '.') {
      return Drop();
    }
  }
  switch (kind) {
    case Kind::kIso: {
      const int m = ToInt(c[kFMonthNum]);
      if (m < 1 || m > 12) return Drop();
      return ExactDay(ToInt(c[kFYear]), m, ToInt(c[kFDay]));
    }
    case Kind::kNumeric: {
      if (c[kFSep] != c[kFSep2]) return Drop();
      const int d = ToInt(c[kFDay]);
      const int m = ToInt(c[kFMonthNum]);
      const int y = ToInt(c[kFYear]);
      if (m >= 1 && m <= 12) return ExactDay(y, m, d);
      // Day-first is the rule, but "12/30/2018" can only be month-first.
      if (d >= 1 && d <= 12 && m <= 31) {
        Reading r = ExactDay(y, d, m);
        r.source = "date.mdy";
        return r;
      }
      return Drop();
    }
    case Kind::kDmy:
    case Kind::kMdy: {
      const int m = MonthFromName(c[kFMonth]);
      if (m == 0) return Drop();
      return ExactDay(ToInt(c[kFYear]), m, ToInt(c[kFDay]));
    }
    case Kind::kMonthYear: {
      const int m = MonthFromName(c[kFMonth]);
      const int y = ToInt(c[kFYear]);
      if (m == 0) return Drop();
      if (!YearInRange(y)) return Block();
      return Keep(FormatMonth(y, m), Precision::kMonth);
    }
    case Kind::kYear: {
      const int y = ToInt(c[kFYear]);
      if (!YearInRange(y)) return Block();
      return Keep(FormatYear(y), Precision::kYear);
    }
    case Kind::kDayMonth: {
      const int m = MonthFromName(c[kFMonth]);
      if (m == 0) return Drop();
      return YearlessDay(m, ToInt(c[kFDay]), c[kFYearRel], ref);
    }
    case Kind::kWeekday:
    case Kind::kWeekdayRelative: {
      const int w = WeekdayFromName(c[kFWeekday]);
      if (w < 0) return Drop();
      return ReadWeekday(w, c[kFRel], ref);
    }
    case Kind::kRelativeDay:
      return ReadRelativeDay(c[kFRelDay], ref);
    case Kind::kRelativePeriod:
      return ReadPeriod(c[kFRel], c[kFUnit], ref);
    case Kind::kAgo:
      return ReadAgo(c[kFNum], c[kFUnit], ref);
    case Kind::kMonth:
    case Kind::kPartOfMonth: {
      const int m = MonthFromName(c[kFMonth]);
      if (m == 0) return Drop();
      if (!c[kFYear].empty()) {
        const int y = ToInt(c[kFYear]);
        if (!YearInRange(y)) return Block();
        return Keep(FormatMonth(y, m), Precision::kMonth);
      }
      return YearlessMonth(m, c[kFYearRel], ref);
    }
    case Kind::kRange:
      return ReadRange(c, ref);
    case Kind::kMonthRange: {
      const int m1 = MonthFromName(c[kFMonth]);
      const int m2 = MonthFromName(c[kFMonth2]);
      const int y2 = ToInt(c[kFYear]);
      if (m1 == 0 || m2 == 0) return Drop();
      // "December 2016 to June 2017"; "November to January 2018" starts in
      // 2017.
      const int y1 = !c[kFYear1].empty() ? ToInt(c[kFYear1])
                     : m1 > m2           ? y2 - 1
                                         : y2;
      if (!YearInRange(y1) || !YearInRange(y2)) return Block();
      return Keep(FormatMonth(y1, m1), Precision::kMonth);
    }
  }
  return Drop();
}

// ---------------------------------------------------------------------------
// Boundaries.

// Decodes the code point that ends at `end` (exclusive) / starts at `begin`.
// Invalid UTF-8 yields U+FFFD, which counts as neither letter nor digit.
char32_t CodePointBefore(std::string_view s, size_t end) {
  if (end == 0) return 0;
  size_t i = end - 1;
  while (i > 0 && end - i < 4 &&
         (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) {
    --i;
  }
  const unsigned char lead = static_cast<unsigned char>(s[i]);
  const size_t len = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
  if (i + len != end) return 0xFFFD;
  char32_t cp = len == 1 ? lead : lead & (0x3F >> (len - 1));
  for (size_t k = 1; k < len; ++k) {
    cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  }
  return cp;
}

char32_t CodePointAt(std::string_view s, size_t begin) {
  if (begin >= s.size()) return 0;
  const unsigned char lead = static_cast<unsigned char>(s[begin]);
  const size_t len = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
  if (begin + len > s.size()) return 0xFFFD;
  char32_t cp = len == 1 ? lead : lead & (0x3F >> (len - 1));
  for (size_t k = 1; k < len; ++k) {
    cp = (cp << 6) | (static_cast<unsigned char>(s[begin + k]) & 0x3F);
  }
  return cp;
}

// RE2's \b only knows ASCII, so "Décembre" or "émai" would look like word
// starts; Latin letters with diacritics are checked here.
bool IsWordChar(char32_t cp) {
  return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') ||
         (cp >= 'A' && cp <= 'Z') || cp == '_' ||
         (cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7);
}

bool IsDigit(char ch) { return ch >= '0' && ch <= '9'; }

// Rejects matches glued to other words or numbers: "5,30 May", "May 5,000",
// "$2012", "2012%".
bool HasClearEdges(std::string_view s, size_t begin, size_t end) {
  if (IsWordChar(CodePointBefore(s, begin))) return false;
  if (IsWordChar(CodePointAt(s, end))) return false;
  if (begin > 0) {
    const char before = s[begin - 1];
    if (before == '$' || before == '#') return false;
    if (begin >= 2 && (before == ',' || before == '.') &&
        IsDigit(s[begin - 2])) {
      return false;
    }
    // "€" and "£" end in these bytes.
    if (CodePointBefore(s, begin) == 0x20AC ||
        CodePointBefore(s, begin) == 0xA3) {
      return false;
    }
  }
  if (end < s.size()) {
    const char after = s[end];
    if (after == '%') return false;
    // "May 5,000 people"; a real "May 5, 2018" has a space after the comma.
    if ((after == ',' || after == '.') && end + 1 < s.size() &&
        IsDigit(s[end + 1])) {
      return false;
    }
  }
  return true;
}

// "in 2000 villages", "after 1900 fighters": a four-digit count before a
// plural noun is not a year.
bool FollowedByPluralNoun(std::string_view s, size_t end) {
  size_t i = end;
  while (i < s.size() && s[i] == ' ') ++i;
  if (i == end) return false;
  size_t j = i;
  while (j < s.size() && s[j] >= 'a' && s[j] <= 'z') ++j;
  const std::string_view word = s.substr(i, j - i);
  if (word.size() < 3 || word.back() != 's' || IsWordChar(CodePointAt(s, j))) {
    return false;
  }
  static constexpr std::string_view kNotNouns[] = {
      "was",    "has",     "its",     "this",   "thus",
      "as",     "is",      "across",  "versus", "does",
      "always", "perhaps", "whereas", "less",   "unless"};
  return std::find(std::begin(kNotNouns), std::end(kNotNouns), word) ==
         std::end(kNotNouns);
}

// ---------------------------------------------------------------------------
// Collecting and settling matches.

struct Candidate {
  size_t begin = 0;  // in the sentence
  size_t end = 0;
  size_t priority = 0;  // rule index
  bool blocked = false;
  DateExpr expr;
};

std::string Relation(Prefix prefix, Precision precision, Kind kind) {
  switch (prefix) {
    case Prefix::kSince:
      return "since";
    case Prefix::kFrom:
      // "from 1 to 3 June" starts on the 1st; "from September" is "since".
      if (kind != Kind::kRange && kind != Kind::kMonthRange) return "since";
      break;
    case Prefix::kUntil:
      return "until";
    case Prefix::kBefore:
      return "before";
    case Prefix::kAfter:
      return "after";
    default:
      break;
  }
  // "last week" is a period even though its value is a day.
  if (kind == Kind::kRelativePeriod) return "in";
  return precision == Precision::kDay ? "on" : "in";
}

bool PrefixSatisfies(Need need, Prefix prefix) {
  switch (need) {
    case Need::kNothing:
      return true;
    case Need::kPreposition:
      return prefix == Prefix::kIn || prefix == Prefix::kSince ||
             prefix == Prefix::kFrom || prefix == Prefix::kUntil ||
             prefix == Prefix::kBefore || prefix == Prefix::kAfter;
    case Need::kNotIn:
      return prefix != Prefix::kNone && prefix != Prefix::kIn;
  }
  return false;
}

void CollectSentence(std::string_view sentence, uint32_t sentence_begin,
                     uint32_t sentence_index,
                     const std::optional<CivilDate>& ref,
                     std::vector<DateExpr>* out) {
  const std::deque<Rule>& rules = Rules();
  thread_local std::vector<int> matching;
  matching.clear();
  RE2::Set::ErrorInfo error;
  if (!DateRuleSet().Match(sentence, &matching, &error)) {
    // No rule matches, unless the DFA ran out of memory: then try them all.
    if (error.kind == RE2::Set::kNoError) return;
    matching.resize(rules.size());
    for (size_t r = 0; r < rules.size(); ++r) matching[r] = static_cast<int>(r);
  }
  std::sort(matching.begin(), matching.end());
  // Scratch kept between sentences.
  thread_local std::vector<Candidate> candidates;
  thread_local std::vector<re2::StringPiece> groups;
  thread_local std::vector<const Candidate*> kept;
  candidates.clear();
  kept.clear();
  for (const int ri : matching) {
    const size_t r = static_cast<size_t>(ri);
    const Rule& rule = rules[r];
    const CompiledRule& compiled = rule.Compiled();
    groups.assign(compiled.num_groups + 1, re2::StringPiece());
    size_t pos = 0;
    while (pos <= sentence.size() &&
           compiled.re->Match(sentence, pos, sentence.size(), RE2::UNANCHORED,
                          groups.data(), static_cast<int>(groups.size()))) {
      const size_t begin = groups[0].data() - sentence.data();
      size_t end = begin + groups[0].size();
      // A rejected match may hide a good one that starts inside it.
      size_t retry = begin + 1;
      while (retry < sentence.size() &&
             (static_cast<unsigned char>(sentence[retry]) & 0xC0) == 0x80) {
        ++retry;
      }
      pos = retry;
      if (end == begin || !HasClearEdges(sentence, begin, end)) continue;
      // "... in mid-Feb." : the abbreviation's period is also the full stop,
      // which belongs to the sentence.
      if (sentence[end - 1] == '.' &&
          sentence.find_first_not_of(" \t\r\n", end) ==
              std::string_view::npos) {
        --end;
      }

      Captures captures;
      for (int f = 0; f < kNumFields; ++f) {
        const int g = compiled.group[f];
        if (g > 0 && groups[g].data() != nullptr) {
          captures[f] = std::string_view(groups[g].data(), groups[g].size());
        }
      }
      const Reading reading = Read(rule.kind, captures, ref);
      if (reading.verdict == Reading::Verdict::kDrop) continue;

      const PrefixMatch prefix = FindPrefix(sentence, begin);
      // "mid-2018" is a year without any preposition.
      const Need need = rule.kind == Kind::kYear && !captures[kFPart].empty()
                            ? Need::kNothing
                            : rule.need;
      if (!PrefixSatisfies(need, prefix.prefix)) continue;
      if (need == Need::kPreposition && rule.kind == Kind::kYear &&
          FollowedByPluralNoun(sentence, end)) {
        continue;
      }
      // "in" and "during" only say that the date contains the event; the
      // other words change the meaning and stay in the span.
      const bool include_prefix =
          prefix.prefix != Prefix::kNone && prefix.prefix != Prefix::kIn;
      Candidate candidate;
      candidate.begin = include_prefix ? prefix.begin : begin;
      candidate.end = end;
      candidate.priority = r;
      candidate.blocked = reading.verdict == Reading::Verdict::kBlock;
      candidate.expr.span.begin =
          sentence_begin + static_cast<uint32_t>(candidate.begin);
      candidate.expr.span.end =
          sentence_begin + static_cast<uint32_t>(candidate.end);
      candidate.expr.value = reading.value;
      candidate.expr.relation =
          Relation(prefix.prefix, reading.precision, rule.kind);
      candidate.expr.source = reading.source ? reading.source : rule.source;
      if (rule.kind == Kind::kMonth &&
          (prefix.prefix == Prefix::kSince || prefix.prefix == Prefix::kFrom)) {
        candidate.expr.source = "date.since_month";
      }
      candidate.expr.sentence = sentence_index;
      candidates.push_back(std::move(candidate));
      // An accepted match is consumed whole.
      pos = std::max(pos, end);
    }
  }

  // Longest first; among equals, the earlier rule.
  std::sort(candidates.begin(), candidates.end(),
            [](const Candidate& a, const Candidate& b) {
              const size_t la = a.end - a.begin;
              const size_t lb = b.end - b.begin;
              if (la != lb) return la > lb;
              if (a.priority != b.priority) return a.priority < b.priority;
              return a.begin < b.begin;
            });
  for (const Candidate& c : candidates) {
    const bool overlaps =
        std::any_of(kept.begin(), kept.end(), [&](const Candidate* k) {
          return c.begin < k->end && k->begin < c.end;
        });
    if (!overlaps) kept.push_back(&c);
  }
  std::sort(kept.begin(), kept.end(),
            [](const Candidate* a, const Candidate* b) {
              return a->begin < b->begin;
            });
  for (const Candidate* c : kept) {
    if (!c->blocked) out->push_back(c->expr);
  }
}

// The words one of which every date pattern needs when it has no digit,
// lower case and without accents (a word with an accent is not plain ASCII,
// and MayHoldDate does not rule it out): the month names and abbreviations
// of kFullMonths and kAbbreviatedMonths, the weekdays of kWeekdayNames, and
// the words that make the relative patterns (date.relative_day: yesterday,
// today, tonight, tomorrow, "last night", "this morning"; .relative_period:
// week, month, year; .ago). Every other pattern needs a digit. A test
// checks every rule against this list (MayHoldDate must accept each example
// of each rule), and debug builds check each sentence it rejects.
constexpr std::string_view kCueWords[] = {
    "january", "february", "march", "april", "may", "june", "july",
    "august", "september", "october", "november", "december", "janvier",
    "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout",
    "septembre", "octobre", "novembre", "decembre", "janv", "fevr", "avr",
    "juil", "sept", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "oct", "nov", "dec", "monday", "tuesday", "wednesday", "thursday",
    "friday", "saturday", "sunday", "yesterday", "today", "tonight",
    "tomorrow", "night", "morning", "afternoon", "evening", "week", "month",
    "year", "ago"};

// kCueWords by first letter and size, compared as integers: this runs for
// most words of every article.
class CueWords {
 public:
  CueWords() {
    for (const std::string_view w : kCueWords) {
      assert(w.size() >= kMin && w.size() <= kMax && w[0] >= 'a' &&
             w[0] <= 'z');
      sizes_[static_cast<unsigned char>(w[0])] |= 1u << w.size();
      words_[w[0] - 'a'].push_back(Word{Pack(w), w.size()});
    }
  }
  // `key` is lower case.
  bool Contains(std::string_view key) const {
    if (key.size() < kMin || key.size() > kMax) return false;
    const auto first = static_cast<unsigned char>(key[0]);
    if (((sizes_[first] >> key.size()) & 1) == 0) return false;
    const Packed packed = Pack(key);
    for (const Word& w : words_[first - 'a']) {
      if (w.size == key.size() && w.packed == packed) return true;
    }
    return false;
  }

 private:
  static constexpr size_t kMin = 3, kMax = 9;
  struct Packed {
    uint64_t lo = 0;
    char ninth = 0;
    bool operator==(const Packed& o) const {
      return lo == o.lo && ninth == o.ninth;
    }
  };
  static Packed Pack(std::string_view w) {
    Packed p;
    std::memcpy(&p.lo, w.data(), std::min<size_t>(w.size(), 8));
    if (w.size() > 8) p.ninth = w[8];
    return p;
  }
  struct Word {
    Packed packed;
    size_t size;
  };
  uint32_t sizes_[256] = {};  // bit n of sizes_[c]: a word of n bytes starts with c
  std::vector<Word> words_[26];
};

const CueWords& Cues() {
  static const CueWords* const cues = new CueWords();
  return *cues;
}

// Whether `text` (a token that is not plain ASCII letters and digits) holds
// a cue word where a pattern could see it. RE2's \b puts word boundaries
// next to characters that are not ASCII letters, digits or '_'; the runs
// here are also cut at '_', which can only find more. Any non-ASCII byte
// answers yes:
// case-insensitive matching folds some non-ASCII letters to ASCII ones (the
// Kelvin sign to "k"), and an accented month name is one.
bool PiecesHoldCue(std::string_view text) {
  char lowered[16];
  size_t n = 0;
  bool too_long = false;
  auto flush = [&] {
    const bool hit = !too_long && Cues().Contains(std::string_view(lowered, n));
    n = 0;
    too_long = false;
    return hit;
  };
  for (const char ch : text) {
    const auto b = static_cast<unsigned char>(ch);
    if (b >= 0x80) return true;
    if ((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') ||
        (b >= '0' && b <= '9')) {
      if (n < sizeof lowered) {
        lowered[n++] = static_cast<char>(b >= 'A' && b <= 'Z' ? b + 32 : b);
      } else {
        too_long = true;
      }
      continue;
    }
    if (flush()) return true;
  }
  return flush();
}

}  // namespace

bool MayHoldDate(std::string_view text, const std::vector<Token>& tokens,
                 const Sentence& sentence) {
  if (sentence.token_end <= sentence.token_begin) {
    return sentence.span.begin < sentence.span.end;  // no tokens to go by
  }
  for (uint32_t i = sentence.token_begin; i < sentence.token_end; ++i) {
    const Token& t = tokens[i];
    // Punctuation is one character that is not a letter or a digit.
    if (t.kind == TokenKind::kPunct) continue;
    if (t.has(kHasDigit)) return true;
    if (t.has(kNotPlain)) {
      if (PiecesHoldCue(text.substr(t.span.begin, t.span.size()))) return true;
    } else if (Cues().Contains(t.key)) {
      return true;
    }
  }
  return false;
}

namespace dates_internal {

std::vector<size_t> RulesTheFilterMisses(std::string_view sentence) {
  std::vector<int> matching;
  DateRuleSet().Match(sentence, &matching, nullptr);
  std::vector<size_t> missed;
  for (size_t r = 0; r < Rules().size(); ++r) {
    if (std::find(matching.begin(), matching.end(), static_cast<int>(r)) !=
        matching.end()) {
      continue;
    }
    if (RE2::PartialMatch(sentence, *Rules()[r].Compiled().re)) {
      missed.push_back(r);
    }
  }
  return missed;
}

}  // namespace dates_internal

std::vector<DateExpr> FindDates(const NormalizedText& text,
                                const Segmentation& segmentation,
                                std::string_view reference_date,
                                bool tokens_cover_sentences) {
  const std::optional<CivilDate> ref = ParseReference(reference_date);
  std::vector<DateExpr> out;
  const std::string_view all = text.text;
  for (size_t i = 0; i < segmentation.sentences.size(); ++i) {
    const Sentence& sentence = segmentation.sentences[i];
    const Span span = sentence.span;
    assert(span.begin <= span.end && span.end <= all.size());
    if (span.begin >= span.end || span.end > all.size()) continue;
    const std::string_view sentence_text = all.substr(span.begin, span.size());
    if (tokens_cover_sentences &&
        !MayHoldDate(all, segmentation.tokens, sentence)) {
      // The date rules' set finds nothing where no cue is.
      assert(!DateRuleSet().Match(sentence_text, nullptr));
      continue;
    }
    CollectSentence(sentence_text, span.begin, static_cast<uint32_t>(i), ref,
                    &out);
  }
  // Sentences come in text order, but a hand-built segmentation may not.
  const auto by_begin = [](const DateExpr& a, const DateExpr& b) {
    return a.span.begin < b.span.begin;
  };
  if (!std::is_sorted(out.begin(), out.end(), by_begin)) {
    std::stable_sort(out.begin(), out.end(), by_begin);
  }
  return out;
}

}  // namespace extract
