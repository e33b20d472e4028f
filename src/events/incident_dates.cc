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
  return status == "asserted" || status == "claimed" || status == "alleged" ||
         status == "possible" || status == "generic";
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
      e.date_precision = PrecisionOf(*d, *e.date);
      if (e.date_from.empty()) e.date_from = "paragraph";
      continue;
    }
    if (d->document_date.empty() || e.acled_event_type.empty() ||
        !Factual(e.status)) {
      continue;
    }
    DateExpr report;
    report.value = d->document_date;
    report.relation = "on";
    report.source = "document.date";
    report.sentence = e.sentence;
    e.date = report;
    e.date_precision = "report";
    e.date_from = "report";
    e.passes.push_back("date.report");
  }
}

}  // namespace extract
