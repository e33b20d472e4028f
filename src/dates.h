// Date expressions: finds absolute dates ("30 December 2018",
// "December 30, 2018", "2018-12-30", "in 2012") and relative ones ("last
// Friday", "on Tuesday", "since September", "yesterday", "last month") and
// resolves them against the document's reference date. Part of stage 5.
#ifndef EXTRACT_SRC_DATES_H_
#define EXTRACT_SRC_DATES_H_

#include <cstddef>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "extract/document.h"

namespace extract {

// Returns the date expressions of the text in order. Each has its span (into
// text.text, covering the date words; a leading "on"/"since"/"last" that is
// part of the expression is included, a bare preposition like "in" is not),
// its sentence index, a relation ("on", "since", "until", "before", "after",
// "in"), a stable rule id as source (e.g. "date.weekday_relative"; the table
// of ids is at the top of dates.cc), and a value: "YYYY-MM-DD", "YYYY-MM" or
// "YYYY" as precise as the text says (a range gives its first day).
// `reference_date` ("YYYY-MM-DD", optionally followed by a time, or "")
// anchors relative expressions and dates without a year (the latest such
// date not after the reference; "last Friday" is strictly before it); with
// no usable reference they are still returned, with value "". Impossible
// dates (31 February) and years outside 1900..2100 are not returned.
//
// Only text inside segmentation.sentences is searched (tokens are not
// used), and expressions never overlap: the longest wins. Spans are byte
// offsets into text.text; the caller maps them to the original input.
// Thread-safe: the patterns are compiled once, on first use.
//
// With `tokens_cover_sentences` (the segmentation comes from Segment, whose
// tokens cover every character of a sentence but white space), sentences
// that MayHoldDate rules out are not searched: most sentences of a news
// article, and the same result.
std::vector<DateExpr> FindDates(const NormalizedText& text,
                                const Segmentation& segmentation,
                                std::string_view reference_date,
                                bool tokens_cover_sentences = false);

// False when `sentence` of `text` can hold no date expression, judged by its
// tokens: none has a digit, none is a month or weekday name or a word of the
// relative patterns ("yesterday", "week", "ago", ...), and none of its
// tokens with other characters ("don't", "U.S.", anything non-ASCII) could
// hide one. Tokens must cover the sentence as Segment's do; a sentence
// without tokens may hold a date.
bool MayHoldDate(std::string_view text, const std::vector<Token>& tokens,
                 const Sentence& sentence);

namespace dates_internal {

// Exposed for tests. The preposition ("on", "since", "on or before", "à
// partir de", ...) that ends right before `match_begin` in `sentence`,
// followed by one or more spaces: its [begin, end) offsets, or nullopt.
// It must start within 48 bytes of `match_begin` and follow a character
// that is not a letter, a digit or an apostrophe (or start that window).
std::optional<std::pair<size_t, size_t>> PrecedingPreposition(
    std::string_view sentence, size_t match_begin);

// Exposed for tests. The date rules whose full pattern matches somewhere in
// `sentence` but which the per-sentence filter (an RE2::Set of the patterns
// without their optional ends) does not report: always empty when the
// filter is right.
std::vector<size_t> RulesTheFilterMisses(std::string_view sentence);

}  // namespace dates_internal

}  // namespace extract

#endif  // EXTRACT_SRC_DATES_H_
