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

// "The attack occurred in X, where 160 died last March": a relative
// clause of place, or a clause of sequence ("after", "following"), between
// the trigger and the date tells of another time.
bool OtherTimeBetween(const EventDoc& d, const Trigger& tr,
                      const DateExpr& de) {
  const auto& tokens = d.seg.tokens;
  const Sentence& s = d.seg.sentences[tr.sentence];
  const bool before = de.span.end <= tr.span.begin;
  uint32_t b = before ? s.token_begin : tr.token_end;
  uint32_t e = before ? tr.token_begin : s.token_end;
  for (uint32_t t = b; t < e; ++t) {
    const Span sp = tokens[t].span;
    if (before ? sp.begin < de.span.end : sp.begin >= de.span.begin) continue;
    if (In(d.key(t), {"where", "after", "before", "following", "followed",
                      "since", "whereas"})) {
      return true;
    }
  }
  return false;
}

}  // namespace

void DateFromSentence(const EventDoc& d, const Trigger& tr, Event* ev) {
  if (tr.sentence >= d.dates_in.size()) return;
  int64_t best = INT64_MAX;
  for (const uint32_t k : d.dates_in[tr.sentence]) {
    const DateExpr& de = d.dates[k];
    if (OtherTimeBetween(d, tr, de)) continue;
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
    if (offset <= 20) {
      e.date = *best;
      e.date_from = "paragraph";
    }
  }
}

}  // namespace extract
