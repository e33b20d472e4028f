// Pass DateIncidents. Reads each incident's date (its main mention's, or
// another mention's from FillIncidentRoles) and the document's date. Adds
// the date's precision (day, week, month, year) and, for an incident
// reported as fact with no date in the text, the document's date with
// precision "report" (so a consumer can tell it from a date the text
// gives).
#include "events/passes.h"

namespace extract {
namespace {

// Reported as having happened (a generic report too: it is undated, not
// unreal).
bool Factual(std::string_view status) {
  return IsReported(status) || status == "generic";
}

// True for a real calendar day "YYYY-MM-DD" (year 1 or later): the
// document's date is only checked for its shape upstream ("2023-02-31").
bool RealDay(std::string_view v) {
  if (v.size() != 10 || v[4] != '-' || v[7] != '-') return false;
  const int y = DigitsAt(v, 0, 4), m = DigitsAt(v, 5, 2), d = DigitsAt(v, 8, 2);
  if (y < 1 || m < 1 || m > 12 || d < 1) return false;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30,
                                  31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return d <= kDays[m - 1] + (m == 2 && leap ? 1 : 0);
}

std::string PrecisionOf(const EventDoc& d, const DateExpr& date) {
  const std::string_view text =
      std::string_view(d.text.text).substr(date.span.begin, date.span.size());
  if (text.find("week") != std::string_view::npos) return "week";
  switch (date.value.size()) {
    case 10: return "day";
    case 7: return "month";
    case 4: return "year";
  }
  return "";
}

}  // namespace

void DateIncidents(EventDoc* d) {
  for (Event& e : d->events) {
    if (e.date) {
      // date_from was set where the date was found (SeedIncidents,
      // DateFromParagraph, FillIncidentRoles).
      e.date_precision = PrecisionOf(*d, *e.date);
      continue;
    }
    if (!RealDay(d->document_date) || e.acled_event_type.empty() ||
        !Factual(e.status)) {
      continue;
    }
    e.date.emplace();
    e.date->value = d->document_date;
    e.date->relation = "on";
    e.date->source = "document.date";
    e.date->sentence = e.sentence;
    e.date_precision = "report";
    e.date_from = "report";
    e.passes.push_back("date.report");
  }
}

}  // namespace extract
