// Steps and pass for event dates. DateFromSentence (of BuildEventMentions)
// reads the date expressions of the trigger's sentence and adds the
// nearest one as the event's date. Pass DateFromParagraph reads the events
// still without a date and the document's date expressions, and adds a
// date that opens the event's paragraph.
#include <algorithm>
#include <cstdlib>
#include <string>

#include "events/passes.h"

namespace extract {
namespace {

bool IsOtherTimeWord(std::string_view k) {
  return In(k, {"where", "after", "before", "following", "followed", "since",
                "whereas"});
}

}  // namespace

// "The attack occurred in X, where 160 died last March": a relative clause
// of place, or a clause of sequence ("after", "following"), between the
// trigger and a date tells of another time. The word nearest the trigger on
// each side decides for every date of that side, so each side is read once,
// from the trigger outwards, and only within kSentenceReach (as are the
// dates).
// "The police command Sunday said ...", "..., the ministry said Saturday":
// a date beside a speech verb dates the statement, not what it reports.
bool DatesTheTelling(const EventDoc& d, const Sentence& s, const DateExpr& de) {
  const auto& tokens = d.seg.tokens;
  const auto first = tokens.begin() + s.token_begin;
  const auto last = tokens.begin() + s.token_end;
  const auto at = std::lower_bound(
      first, last, de.span.begin,
      [](const Token& t, uint32_t offset) { return t.span.begin < offset; });
  const auto end = std::lower_bound(
      at, last, de.span.end,
      [](const Token& t, uint32_t offset) { return t.span.begin < offset; });
  uint32_t b = static_cast<uint32_t>(at - tokens.begin());
  const uint32_t e = static_cast<uint32_t>(end - tokens.begin());
  if (b > s.token_begin && d.key(b - 1) == "on") --b;
  return (b > s.token_begin && d.is_speech(b - 1)) ||
         (e < s.token_end && d.is_speech(e));
}

void DateFromSentence(const EventDoc& d, const Trigger& tr, Event* ev) {
  if (tr.sentence >= d.dates_in.size()) return;
  const std::vector<uint32_t>& in = d.dates_in[tr.sentence];
  if (in.empty()) return;
  const auto& tokens = d.seg.tokens;
  const Sentence& s = d.seg.sentences[tr.sentence];
  const uint32_t lo = d.reach_begin(s, tr), hi = d.reach_end(s, tr);
  // Where the other-time words nearest the trigger start, before and after.
  int64_t word_before = -1, word_after = INT64_MAX;
  for (uint32_t t = tr.token_begin; t-- > lo;) {
    if (IsOtherTimeWord(d.key(t))) {
      word_before = tokens[t].span.begin;
      break;
    }
  }
  for (uint32_t t = tr.token_end; t < hi; ++t) {
    if (IsOtherTimeWord(d.key(t))) {
      word_after = tokens[t].span.begin;
      break;
    }
  }
  const uint32_t from = tokens[lo].span.begin;
  const uint32_t to = tokens[hi - 1].span.end;
  // The dates are in text order: skip those before the reach.
  auto k = std::partition_point(in.begin(), in.end(), [&](uint32_t i) {
    return d.dates[i].span.begin < from;
  });
  int64_t best = INT64_MAX;
  for (; k != in.end() && d.dates[*k].span.begin < to; ++k) {
    const DateExpr& de = d.dates[*k];
    const bool before = de.span.end <= tr.span.begin;
    if (before ? word_before >= static_cast<int64_t>(de.span.end)
               : word_after < static_cast<int64_t>(de.span.begin)) {
      continue;
    }
    if (DatesTheTelling(d, s, de)) continue;
    int64_t dist = std::llabs(static_cast<int64_t>(de.span.begin) -
                              static_cast<int64_t>(tr.span.begin));
    if (dist < best) {
      best = dist;
      ev->date = de;
    }
  }
}

// A report states its date once, up front ("On December 27, ... . The
// assailants then ..."): a conflict event with no date in its sentence
// takes a date that opens its paragraph (within its first 20 bytes, to
// allow "Defusal: On March 19, ..."). A date later in a paragraph ("was
// kidnapped last Friday") belongs to its own sentence only.
void DateFromParagraph(EventDoc* d) {
  const auto& dates = d->dates;
  const std::string& text = d->text.text;
  for (Event& e : d->events) {
    if (e.date || e.acled_event_type.empty()) continue;
    // The last date that starts before the trigger (dates are in text
    // order).
    const auto after = std::partition_point(
        dates.begin(), dates.end(), [&](const DateExpr& de) {
          return de.span.begin < e.trigger.begin;
        });
    if (after == dates.begin()) continue;
    const DateExpr* best = &*(after - 1);
    const std::string_view between = std::string_view(text).substr(
        best->span.end, e.trigger.begin - best->span.end);
    if (between.find('\n') != std::string_view::npos) continue;
    const size_t paragraph = text.rfind('\n', best->span.begin);
    const size_t offset = paragraph == std::string::npos
                              ? best->span.begin
                              : best->span.begin - paragraph - 1;
    if (offset <= 20 &&
        !DatesTheTelling(*d, d->seg.sentences[best->sentence], *best)) {
      e.date = *best;
      e.date_from = "paragraph";
    }
  }
}

}  // namespace extract
