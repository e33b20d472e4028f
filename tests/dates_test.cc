// Tests for FindDates (src/dates.h): a table of sentences with the date
// expression each must yield, read as the specification of the date rules,
// then the sample article, words that must not become dates, resolution
// without a reference date, calendar edge cases, and offsets.
#include "dates.h"

#include <re2/re2.h>

#include <catch2/catch.hpp>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "extract/document.h"
#include "normalizer.h"
#include "segmenter.h"

namespace extract {
namespace {

// One sentence spanning the whole text and no tokens, the way a caller
// without a segmenter would build it.
std::vector<DateExpr> Find(std::string_view text, std::string_view reference) {
  NormalizedText normalized;
  normalized.text = std::string(text);
  Segmentation segmentation;
  Sentence sentence;
  sentence.span = {0, static_cast<uint32_t>(text.size())};
  segmentation.sentences.push_back(sentence);
  return FindDates(normalized, segmentation, reference);
}

std::string_view SpanText(std::string_view text, const Span& span) {
  return text.substr(span.begin, span.size());
}

// Renders the result compactly, for failure messages.
std::string Describe(std::string_view text, const std::vector<DateExpr>& ds) {
  std::string out;
  for (const DateExpr& d : ds) {
    out += "[" + std::string(SpanText(text, d.span)) + "|" + d.value + "|" +
           d.relation + "|" + d.source + "] ";
  }
  return out.empty() ? "(none)" : out;
}

struct Row {
  const char* sentence;
  const char* reference;  // "" for none
  const char* span;       // the expected expression's text
  const char* value;
  const char* relation;
  const char* source;
};

// Reference dates used below: 2024-11-22 is a Friday, 2019-01-02 a
// Wednesday, 2021-03-01 a Monday.
constexpr Row kRows[] = {
    // --- Absolute, day first ---
    {"Gunmen attacked the convoy on 30 December 2018 near Gao.", "",
     "on 30 December 2018", "2018-12-30", "on", "date.dmy"},
    {"The camp was shelled 30 Dec 2018, officials said.", "", "30 Dec 2018",
     "2018-12-30", "on", "date.dmy"},
    {"It happened on the 30th of December, 2018.", "",
     "on the 30th of December, 2018", "2018-12-30", "on", "date.dmy"},
    {"The mayor was freed on Sunday, 6 January 2019.", "",
     "on Sunday, 6 January 2019", "2019-01-06", "on", "date.dmy"},
    {"Le maire a été enlevé le 1er janvier 2020 à Gao.", "",
     "le 1er janvier 2020", "2020-01-01", "on", "date.dmy"},
    {"Les faits remontent au 14 Décembre 2021.", "", "14 Décembre 2021",
     "2021-12-14", "on", "date.dmy"},
    {"L'attaque du 3 aout 2019 a fait dix morts.", "", "3 aout 2019",
     "2019-08-03", "on", "date.dmy"},
    {"The report is dated 30/12/2018.", "", "30/12/2018", "2018-12-30", "on",
     "date.dmy"},
    {"The report is dated 05/06/2018.", "", "05/06/2018", "2018-06-05", "on",
     "date.dmy"},
    {"The report is dated 5.6.2018.", "", "5.6.2018", "2018-06-05", "on",
     "date.dmy"},

    // --- Absolute, month first ---
    {"Troops entered the town on December 30, 2018.", "",
     "on December 30, 2018", "2018-12-30", "on", "date.mdy"},
    {"The ceasefire collapsed Dec. 30, 2018, residents said.", "",
     "Dec. 30, 2018", "2018-12-30", "on", "date.mdy"},
    {"A curfew began Sept. 12 2019 in the region.", "", "Sept. 12 2019",
     "2019-09-12", "on", "date.mdy"},
    {"Elections were held on Tuesday, March 3rd, 2020.", "",
     "on Tuesday, March 3rd, 2020", "2020-03-03", "on", "date.mdy"},
    {"A US-style date, 12/30/2018, can only be read month first.", "",
     "12/30/2018", "2018-12-30", "on", "date.mdy"},

    // --- ISO ---
    {"Published 2018-12-30 by the ministry.", "", "2018-12-30", "2018-12-30",
     "on", "date.iso"},

    // --- Month and year, year alone ---
    {"Fighting resumed in December 2018.", "", "December 2018", "2018-12", "in",
     "date.month_year"},
    {"Prices have doubled since Dec 2018.", "", "since Dec 2018", "2018-12",
     "since", "date.month_year"},
    {"La ville est assiégée depuis septembre 2019.", "",
     "depuis septembre 2019", "2019-09", "since", "date.month_year"},
    {"The group was founded in 2012 by defectors.", "", "2012", "2012", "in",
     "date.year"},
    {"Since 2012, the north has been unstable.", "", "Since 2012", "2012",
     "since", "date.year"},
    {"The mission will stay until 2025.", "", "until 2025", "2025", "until",
     "date.year"},
    {"Such attacks were rare before 1990.", "", "before 1990", "1990", "before",
     "date.year"},
    {"The vote is now planned for mid-2022.", "", "mid-2022", "2022", "in",
     "date.year"},
    {"Talks stalled in early 2019.", "", "early 2019", "2019", "in",
     "date.year"},

    // --- Day and month without a year: the latest one not after the
    //     reference ---
    {"On 30 December, militants ambushed a patrol.", "2019-01-02",
     "On 30 December", "2018-12-30", "on", "date.day_month"},
    {"On December 30, militants ambushed a patrol.", "2019-01-02",
     "On December 30", "2018-12-30", "on", "date.day_month"},
    {"On January 1, militants ambushed a patrol.", "2019-01-02", "On January 1",
     "2019-01-01", "on", "date.day_month"},
    {"The market reopened on 2 January.", "2019-01-02", "on 2 January",
     "2019-01-02", "on", "date.day_month"},
    {"The hostages were freed on May 21.", "2024-11-22", "on May 21",
     "2024-05-21", "on", "date.day_month"},
    {"Around January 15, the army withdrew.", "2024-11-22", "Around January 15",
     "2024-01-15", "on", "date.day_month"},
    {"On or around Sept 12, an IED hit a truck.", "2024-11-22",
     "On or around Sept 12", "2024-09-12", "on", "date.day_month"},
    {"On or before 3 March the post was abandoned.", "2024-11-22",
     "On or before 3 March", "2024-03-03", "before", "date.day_month"},
    {"Schools have been closed since 1 October.", "2024-11-22",
     "since 1 October", "2024-10-01", "since", "date.day_month"},
    {"The group claimed the attack on October, 27th.", "2024-11-22",
     "on October, 27th", "2024-10-27", "on", "date.day_month"},
    {"A second blast hit the base on Oct.8 at dawn.", "2024-11-22", "on Oct.8",
     "2024-10-08", "on", "date.day_month"},
    {"Il a été tué le 5 mai.", "2024-11-22", "le 5 mai", "2024-05-05", "on",
     "date.day_month"},
    {"The fighting of 5 May last year left 12 dead.", "2024-11-22",
     "5 May last year", "2023-05-05", "on", "date.day_month"},

    // --- Ranges: the first day ---
    {"On the night of 14 to 15 May, gunmen raided the village.", "2024-11-22",
     "On the night of 14 to 15 May", "2024-05-14", "on", "date.range"},
    {"Between 1 and 3 June, the two groups clashed.", "2024-11-22",
     "Between 1 and 3 June", "2024-06-01", "on", "date.range"},
    {"Strikes continued from 3 to 20 December 2017 in the area.", "",
     "from 3 to 20 December 2017", "2017-12-03", "on", "date.range"},
    {"Raids took place between 30 October - 1 November.", "2024-11-22",
     "between 30 October - 1 November", "2024-10-30", "on", "date.range"},
    {"On December 11-12, militants attacked two camps.", "2024-11-22",
     "On December 11-12", "2023-12-11", "on", "date.range"},
    {"On 11-12 March 2023, joint forces swept the area.", "",
     "On 11-12 March 2023", "2023-03-11", "on", "date.range"},
    {"Fighting raged between 30 December and 2 January 2019.", "",
     "between 30 December and 2 January 2019", "2018-12-30", "on",
     "date.range"},
    {"Men were detained between December 2016 and June 2017.", "",
     "between December 2016 and June 2017", "2016-12", "in", "date.range"},
    {"Dans la nuit du 14 au 15 août, le camp a été attaqué.", "2024-11-22",
     "Dans la nuit du 14 au 15 août", "2024-08-14", "on", "date.range"},

    // --- Parts of a month ---
    {"Clashes intensified in mid-May.", "2024-11-22", "mid-May", "2024-05",
     "in", "date.part_of_month"},
    {"In late May, the army moved north.", "2024-11-22", "late May", "2024-05",
     "in", "date.part_of_month"},
    {"Aid arrived early June.", "2024-11-22", "early June", "2024-06", "in",
     "date.part_of_month"},
    {"A soldier escaped an ambush in late August last year.", "2024-11-22",
     "late August last year", "2023-08", "in", "date.part_of_month"},
    {"The talks failed at the end of March 2021.", "", "the end of March 2021",
     "2021-03", "in", "date.part_of_month"},
    {"Une trêve a été signée fin décembre.", "2024-11-22", "fin décembre",
     "2023-12", "in", "date.part_of_month"},

    // --- Weekdays: plain means on or before the reference, "last" strictly
    //     before ---
    {"Yehia Tandina was kidnapped last Friday.", "2024-11-22", "last Friday",
     "2024-11-15", "on", "date.weekday_relative"},
    {"The convoy was hit on Tuesday.", "2024-11-22", "on Tuesday", "2024-11-19",
     "on", "date.weekday"},
    {"The convoy was hit Friday, police said.", "2024-11-22", "Friday",
     "2024-11-22", "on", "date.weekday"},
    {"Shots were heard on Friday night.", "2024-11-22", "on Friday night",
     "2024-11-22", "on", "date.weekday"},
    {"Talks resumed this Monday.", "2024-11-22", "this Monday", "2024-11-18",
     "on", "date.weekday_relative"},
    {"A vote is expected next Sunday.", "2024-11-22", "next Sunday",
     "2024-11-24", "on", "date.weekday_relative"},
    {"The road has been closed since last Saturday.", "2024-11-22",
     "since last Saturday", "2024-11-16", "since", "date.weekday_relative"},
    {"Friday's attack killed four.", "2021-03-01", "Friday", "2021-02-26", "on",
     "date.weekday"},

    // --- Relative days and periods ---
    {"Two soldiers were killed yesterday.", "2024-11-22", "yesterday",
     "2024-11-21", "on", "date.relative_day"},
    {"The curfew was lifted today.", "2024-11-22", "today", "2024-11-22", "on",
     "date.relative_day"},
    {"He left the day before yesterday.", "2024-11-22",
     "the day before yesterday", "2024-11-20", "on", "date.relative_day"},
    {"A mortar hit the camp last night.", "2024-11-22", "last night",
     "2024-11-21", "on", "date.relative_day"},
    {"Gunfire was heard this morning.", "2024-11-22", "this morning",
     "2024-11-22", "on", "date.relative_day"},
    {"The church was looted last week.", "2024-11-22", "last week",
     "2024-11-15", "in", "date.relative_period"},
    {"Fuel prices rose last month.", "2024-11-22", "last month", "2024-10",
     "in", "date.relative_period"},
    {"Fuel prices rose last month.", "2024-01-10", "last month", "2023-12",
     "in", "date.relative_period"},
    {"Turnout fell last year.", "2024-11-22", "last year", "2023", "in",
     "date.relative_period"},
    {"Fighting has flared this year.", "2024-11-22", "this year", "2024", "in",
     "date.relative_period"},

    // --- "... ago" ---
    {"The chief was abducted two days ago.", "2024-11-22", "two days ago",
     "2024-11-20", "on", "date.ago"},
    {"The well was poisoned three weeks ago.", "2024-11-22", "three weeks ago",
     "2024-11-01", "on", "date.ago"},
    {"The base was built 21 days ago.", "2024-11-22", "21 days ago",
     "2024-11-01", "on", "date.ago"},
    {"The base was built twenty-one days ago.", "2024-11-22",
     "twenty-one days ago", "2024-11-01", "on", "date.ago"},
    {"The base was built thirty one days ago.", "2024-11-22",
     "thirty one days ago", "2024-10-22", "on", "date.ago"},
    {"The mine closed a month ago.", "2024-11-22", "a month ago", "2024-10",
     "in", "date.ago"},
    {"The mine closed six months ago.", "2024-03-10", "six months ago",
     "2023-09", "in", "date.ago"},
    {"The town fell two years ago.", "2024-11-22", "two years ago", "2022",
     "in", "date.ago"},

    // --- A month alone, after a preposition ---
    {"JNIM has enforced a blockade since September.", "2024-11-22",
     "since September", "2024-09", "since", "date.since_month"},
    {"JNIM has enforced a blockade since September.", "2024-08-01",
     "since September", "2023-09", "since", "date.since_month"},
    {"La ville est sous blocus depuis mai.", "2024-11-22", "depuis mai",
     "2024-05", "since", "date.since_month"},
    {"The offensive began in March.", "2024-11-22", "March", "2024-03", "in",
     "date.month"},
    {"The offensive began in May.", "2024-11-22", "May", "2024-05", "in",
     "date.month"},
    {"The mandate runs until June.", "2024-11-22", "until June", "2024-06",
     "until", "date.month"},
    {"Nothing moved in December.", "2024-11-22", "December", "2023-12", "in",
     "date.month"},
};

TEST_CASE("Dates: table of expressions", "[dates]") {
  for (const Row& row : kRows) {
    const std::vector<DateExpr> found = Find(row.sentence, row.reference);
    INFO("sentence: " << row.sentence);
    INFO("reference: \"" << row.reference << "\"");
    INFO("found: " << Describe(row.sentence, found));
    const DateExpr* match = nullptr;
    for (const DateExpr& d : found) {
      if (SpanText(row.sentence, d.span) == row.span) match = &d;
    }
    REQUIRE(match != nullptr);
    CHECK(match->value == row.value);
    CHECK(match->relation == row.relation);
    CHECK(match->source == row.source);
    CHECK(match->sentence == 0);
    // Each row's sentence holds exactly one date expression.
    CHECK(found.size() == 1);
  }
}

TEST_CASE("Dates: the sample article's expressions", "[dates]") {
  // Sentences of samples/mali-tiktok-influencer.txt.
  const std::string text =
      "Since 2012, the country has been embroiled in persistent violence. "
      "These days, Cissé has more than 100,000 followers on TikTok. "
      "Yehia Tandina, the mayor of the Timbuktu region, was kidnapped last "
      "Friday. JNIM is demanding a ransom of $5 million for their release. "
      "JNIM has enforced a fuel blockade since September, paralyzing "
      "transportation networks. Analysts warn that Mali’s regime may be on "
      "the eve of a collapse—possibly within weeks or months.";

  SECTION("with the reference date 2024-11-22") {
    const std::vector<DateExpr> found = Find(text, "2024-11-22");
    INFO(Describe(text, found));
    REQUIRE(found.size() == 3);
    CHECK(SpanText(text, found[0].span) == "Since 2012");
    CHECK(found[0].value == "2012");
    CHECK(found[0].relation == "since");
    CHECK(found[0].source == "date.year");
    CHECK(SpanText(text, found[1].span) == "last Friday");
    CHECK(found[1].value == "2024-11-15");
    CHECK(found[1].relation == "on");
    CHECK(found[1].source == "date.weekday_relative");
    CHECK(SpanText(text, found[2].span) == "since September");
    CHECK(found[2].value == "2024-09");
    CHECK(found[2].relation == "since");
    CHECK(found[2].source == "date.since_month");
  }

  SECTION("without a reference date") {
    const std::vector<DateExpr> found = Find(text, "");
    INFO(Describe(text, found));
    REQUIRE(found.size() == 3);
    CHECK(found[0].value == "2012");  // absolute: still resolved
    CHECK(found[1].value.empty());    // "last Friday"
    CHECK(found[1].source == "date.weekday_relative");
    CHECK(found[2].value.empty());  // "since September"
    CHECK(found[2].relation == "since");
  }
}

TEST_CASE("Dates: words and numbers that are not dates", "[dates]") {
  const char* const kSentences[] = {
      // The modal verb and other month-like words.
      "If trends continue, the regime may collapse within weeks.",
      "Analysts warn that the regime may be on the eve of a collapse.",
      "Protesters may march in Bamako; they may march to the square.",
      "The Mars 2020 rover landed safely.",
      // Numbers, amounts and counts.
      "She has more than 100,000 followers on TikTok.",
      "JNIM is demanding a ransom of $5 million for their release.",
      "The mission has 2,000 troops and 1,900 vehicles.",
      "Fighters from 2000 villages joined; in 1900 hours nothing moved.",
      "A crowd of 2000 people gathered at 10.30 in the square.",
      "Resolution 1325/2000 and COVID-19 were discussed by the G5.",
      "Prices rose 2012% in the 1990s.",
      "The 2018 elections were postponed.",
      // A number after a month name is a count when glued to more digits.
      "In May, 5,000 people fled.",
      // Durations, not dates.
      "The siege lasted for weeks or months.",
      "He was held for two days.",
      "These days, few roads are open.",
  };
  for (const char* sentence : kSentences) {
    const std::vector<DateExpr> found = Find(sentence, "2024-11-22");
    INFO("sentence: " << sentence);
    INFO("found: " << Describe(sentence, found));
    // "In May, 5,000" keeps its month.
    if (std::string_view(sentence).rfind("In May", 0) == 0) {
      REQUIRE(found.size() == 1);
      CHECK(SpanText(sentence, found[0].span) == "May");
      continue;
    }
    CHECK(found.empty());
  }
}

TEST_CASE("Dates: impossible dates are rejected whole", "[dates]") {
  SECTION("a day the month does not have") {
    for (const char* sentence :
         {"It happened on 31 February 2019.", "It happened on February 30.",
          "It happened on April 31, 2020.", "Published 2019-02-29.",
          "Dated 31/04/2020.", "On 29 February 2019 nothing happened."}) {
      const std::vector<DateExpr> found = Find(sentence, "2024-11-22");
      INFO("sentence: " << sentence);
      INFO("found: " << Describe(sentence, found));
      // Not even "February 2019" or "2019" survives from inside it.
      CHECK(found.empty());
    }
  }
  SECTION("a year outside 1900..2100") {
    for (const char* sentence :
         {"The city was founded in 1850.", "It lasted until 2101.",
          "On 12 March 1899 the fort fell.", "The treaty of December 1885."}) {
      const std::vector<DateExpr> found = Find(sentence, "2024-11-22");
      INFO("sentence: " << sentence);
      INFO("found: " << Describe(sentence, found));
      CHECK(found.empty());
    }
  }
  SECTION("the window's edges are years") {
    CHECK(Find("Built in 1900.", "").size() == 1);
    CHECK(Find("Valid until 2100.", "").size() == 1);
  }
}

TEST_CASE("Dates: without a reference date", "[dates]") {
  struct Case {
    const char* sentence;
    const char* span;
    const char* value;  // "" unless the text gives the whole date
    const char* source;
  };
  const Case kCases[] = {
      {"On 30 December, militants attacked.", "On 30 December", "",
       "date.day_month"},
      {"The base was hit on Tuesday.", "on Tuesday", "", "date.weekday"},
      {"The base was hit yesterday.", "yesterday", "", "date.relative_day"},
      {"The base was hit two days ago.", "two days ago", "", "date.ago"},
      {"The base was hit last month.", "last month", "",
       "date.relative_period"},
      {"The offensive began in March.", "March", "", "date.month"},
      {"Clashes intensified in mid-May.", "mid-May", "", "date.part_of_month"},
      {"Between 1 and 3 June, clashes.", "Between 1 and 3 June", "",
       "date.range"},
      {"The base was hit on 30 December 2018.", "on 30 December 2018",
       "2018-12-30", "date.dmy"},
      {"The base was hit in December 2018.", "December 2018", "2018-12",
       "date.month_year"},
      {"Published 2018-12-30.", "2018-12-30", "2018-12-30", "date.iso"},
  };
  for (const Case& c : kCases) {
    for (const char* reference : {"", "not a date", "2024-02-30"}) {
      const std::vector<DateExpr> found = Find(c.sentence, reference);
      INFO("sentence: " << c.sentence << " reference: " << reference);
      INFO("found: " << Describe(c.sentence, found));
      REQUIRE(found.size() == 1);
      CHECK(SpanText(c.sentence, found[0].span) == c.span);
      CHECK(found[0].value == c.value);
      CHECK(found[0].source == c.source);
    }
  }
  // An impossible day is rejected even when no year can be inferred.
  CHECK(Find("It happened on February 30.", "").empty());
  CHECK(Find("It happened on February 29.", "").size() == 1);
}

TEST_CASE("Dates: year boundaries and leap years", "[dates]") {
  struct Case {
    const char* sentence;
    const char* reference;
    const char* value;
  };
  const Case kCases[] = {
      // Across New Year.
      {"On December 30, a patrol was ambushed.", "2019-01-02", "2018-12-30"},
      {"On December 30, a patrol was ambushed.", "2018-12-30", "2018-12-30"},
      {"On December 30, a patrol was ambushed.", "2018-12-29", "2017-12-30"},
      {"Two soldiers were killed yesterday.", "2019-01-01", "2018-12-31"},
      {"The road was cut three days ago.", "2019-01-02", "2018-12-30"},
      {"The road was cut last week.", "2019-01-03", "2018-12-27"},
      {"The road was cut last month.", "2019-01-15", "2018-12"},
      {"The road was cut last Friday.", "2019-01-02", "2018-12-28"},
      {"Attacks resumed in December.", "2019-01-02", "2018-12"},
      {"Between 30 December and 2 January, raids.", "2019-01-05", "2018-12-30"},
      // 29 February: the latest leap year not after the reference.
      {"He was seized on February 29.", "2021-03-01", "2020-02-29"},
      {"He was seized on February 29.", "2024-02-28", "2020-02-29"},
      {"He was seized on February 29.", "2024-02-29", "2024-02-29"},
      {"He was seized on 29 February 2024.", "", "2024-02-29"},
      {"He was seized on 29 February 2000.", "", "2000-02-29"},
      // Century rules: 2000 was a leap year, 1900 and 2100 are not.
      {"He was seized two days ago.", "2000-03-01", "2000-02-28"},
      {"He was seized yesterday.", "2000-03-01", "2000-02-29"},
      {"He was seized yesterday.", "1900-03-01", "1900-02-28"},
      {"He was seized yesterday.", "2100-03-01", "2100-02-28"},
      {"He was seized on February 29.", "2101-03-01", "2096-02-29"},
      // Weekdays far from today, including before 1970.
      {"He was seized on Saturday.", "2000-01-01", "2000-01-01"},
      {"He was seized last Saturday.", "2000-01-01", "1999-12-25"},
      {"He was seized last Thursday.", "1969-12-31", "1969-12-25"},
      {"He was seized on Sunday.", "1969-12-27", "1969-12-21"},
  };
  for (const Case& c : kCases) {
    const std::vector<DateExpr> found = Find(c.sentence, c.reference);
    INFO("sentence: " << c.sentence << " reference: " << c.reference);
    INFO("found: " << Describe(c.sentence, found));
    REQUIRE(found.size() == 1);
    CHECK(found[0].value == c.value);
  }
  CHECK(Find("The fight of 29 February 2100.", "").empty());
  CHECK(Find("The fight of 29 February 1900.", "").empty());
}

TEST_CASE("Dates: spans index the whole text across sentences", "[dates]") {
  NormalizedText text;
  text.text =
      "Côte d’Ivoire closed its border. "
      "On 3 March, militants attacked. "
      "Since 2012, the north is unstable.";
  Segmentation segmentation;
  const uint32_t second = static_cast<uint32_t>(text.text.find("On 3"));
  const uint32_t third = static_cast<uint32_t>(text.text.find("Since"));
  segmentation.sentences.push_back({{0, second - 1}});
  segmentation.sentences.push_back({{second, third - 1}});
  segmentation.sentences.push_back(
      {{third, static_cast<uint32_t>(text.text.size())}});

  const std::vector<DateExpr> found =
      FindDates(text, segmentation, "2024-11-22");
  INFO(Describe(text.text, found));
  REQUIRE(found.size() == 2);
  CHECK(found[0].span == Span{second, second + 10});
  CHECK(SpanText(text.text, found[0].span) == "On 3 March");
  CHECK(found[0].sentence == 1);
  CHECK(found[0].value == "2024-03-03");
  CHECK(SpanText(text.text, found[1].span) == "Since 2012");
  CHECK(found[1].sentence == 2);

  SECTION("no sentences, no dates") {
    CHECK(FindDates(text, Segmentation{}, "2024-11-22").empty());
  }
  SECTION("a preposition in the previous sentence is not used") {
    Segmentation split;
    const uint32_t cut = static_cast<uint32_t>(text.text.find("3 March"));
    split.sentences.push_back({{0, cut}});
    split.sentences.push_back({{cut, static_cast<uint32_t>(text.text.size())}});
    const std::vector<DateExpr> dates = FindDates(text, split, "2024-11-22");
    REQUIRE(dates.size() == 2);
    CHECK(SpanText(text.text, dates[0].span) == "3 March");
  }
}

TEST_CASE("Dates: sorted by position, longest match wins", "[dates]") {
  const std::string text =
      "After clashes on 30 December 2018 and in 2019, the army retook the "
      "town last Friday, two days after a raid on 11-12 March; since "
      "yesterday it is calm.";
  const std::vector<DateExpr> found = Find(text, "2024-11-22");
  INFO(Describe(text, found));
  REQUIRE(found.size() == 5);
  CHECK(SpanText(text, found[0].span) == "on 30 December 2018");
  CHECK(SpanText(text, found[1].span) == "2019");
  CHECK(SpanText(text, found[2].span) == "last Friday");
  CHECK(SpanText(text, found[3].span) == "on 11-12 March");
  CHECK(SpanText(text, found[4].span) == "since yesterday");
  CHECK(found[4].relation == "since");
  for (size_t i = 1; i < found.size(); ++i) {
    CHECK(found[i - 1].span.end <= found[i].span.begin);
  }
}

TEST_CASE("Dates: a reference date may carry a time", "[dates]") {
  const std::vector<DateExpr> found =
      Find("Two soldiers were killed yesterday.", "2024-11-22T08:30:00Z");
  REQUIRE(found.size() == 1);
  CHECK(found[0].value == "2024-11-21");
}

// Found by tests/fuzz/pipeline_fuzzer: resolved against a reference date at
// the end of the calendar, "next week" became "10000-01-07", which is not a
// YYYY-MM-DD value. A relative date outside the year window is dropped, as
// "last month" and "a year ago" already were.
TEST_CASE("Dates: relative dates outside the year window are dropped",
          "[dates][fuzz]") {
  for (const char* sentence :
       {"The talks resume next week.", "Two soldiers were killed yesterday.",
        "He was seized on Saturday.", "He was seized last Friday.",
        "The road was cut three days ago.", "He was seized on February 28.",
        "Attacks resumed in December.", "It was the worst attack this year."}) {
    INFO(sentence);
    CHECK(Describe(sentence, Find(sentence, "9999-12-31")) == "(none)");
    CHECK(Describe(sentence, Find(sentence, "0001-01-01")) == "(none)");
  }
  // Inside the window they still resolve, up to its last day.
  const std::vector<DateExpr> found =
      Find("Two soldiers were killed yesterday.", "2101-01-01");
  REQUIRE(found.size() == 1);
  CHECK(found[0].value == "2100-12-31");
  CHECK(Find("The talks resume next week.", "2100-12-28").empty());
}

// The preposition before a date used to be found by an RE2 pattern
// anchored at the end of a 48-byte window; a hand-written backward scan
// replaced it. The pattern stays here as the reference: both must agree
// on random windows built from the prepositions' words in several cases,
// the spaces the date patterns accept (and \v, which they do not), the
// long s that RE2 folds to "s", apostrophes, and letters and digits as
// neighbours.
TEST_CASE("Dates: the preposition scan agrees with its RE2 reference",
          "[dates]") {
  const std::string sp = R"re((?:\s|\x{A0}|\x{202F})+)re";
  RE2::Options options;
  options.set_case_sensitive(false);
  const RE2 reference(
      R"re((?:^|[^\p{L}\p{N}'’])(?P<p>on)re" + sp + "or" + sp +
          "(?:around|about|before|after)|or" + sp + "around|around|on|since|" +
          "until|till|up" + sp + "to|before|after|between|from|in|during|" +
          "dans" + sp + "la" + sp + "nuit" + sp + "du|la" + sp + "nuit" + sp +
          "du|le|depuis|[àa]" + sp + "partir" + sp + "de|en|" +
          "jusqu['’](?:au|à)|avant|apr[eè]s|entre|vers)" + sp + "$",
      options);
  REQUIRE(reference.ok());
  auto by_reference = [&](std::string_view sentence, size_t match_begin)
      -> std::optional<std::pair<size_t, size_t>> {
    size_t start = match_begin > 48 ? match_begin - 48 : 0;
    if (start > 0) {
      while (start < match_begin && sentence[start] != ' ') ++start;
    }
    const std::string_view window = sentence.substr(start, match_begin - start);
    re2::StringPiece groups[2];
    if (!reference.Match(window, 0, window.size(), RE2::UNANCHORED, groups,
                         2)) {
      return std::nullopt;
    }
    const size_t begin = start + (groups[1].data() - window.data());
    return std::make_pair(begin, begin + groups[1].size());
  };

  const char* words[] = {
      "on", "ON", "or", "Or", "around", "aRound", "about", "before", "after",
      "since", "\u017Fince", "SINCE", "until", "till", "up", "to", "between",
      "from", "in", "In", "during", "dans", "la", "LA", "nuit", "du", "le",
      "depuis", "\u00E0", "\u00C0", "a", "partir", "de", "en", "jusqu'au",
      "jusqu\u2019\u00E0", "JUSQU\u2019\u00C0", "jusqu'", "avant",
      "apr\u00E8s", "APR\u00C8S", "apres", "entre", "vers", "x", "7", "\u00E9",
      "(", "'", "\u2019", "-", "\u0301", "Mali"};
  const char* gaps[] = {" ", " ", " ", "  ", "\t", "\u00A0", "\u202F", "",
                        "\n", "\v", " \u00A0 "};
  std::mt19937 rng(20261124);
  int found = 0;
  for (int round = 0; round < 20000; ++round) {
    std::string text;
    const int length = 1 + static_cast<int>(rng() % 8);
    for (int k = 0; k < length; ++k) {
      text += words[rng() % std::size(words)];
      text += gaps[rng() % std::size(gaps)];
    }
    // Now and then longer than the window, so its start moves.
    if (rng() % 8 == 0) text = "Le 12 d\u00E9cembre, selon la police " + text;
    const auto want = by_reference(text, text.size());
    const auto got = dates_internal::PrecedingPreposition(text, text.size());
    INFO(text);
    REQUIRE(got == want);
    found += got.has_value() ? 1 : 0;
  }
  // Both outcomes were exercised.
  CHECK(found > 2000);
  CHECK(found < 18000);
}

// The date rules run only where an RE2::Set of their patterns, stripped of
// their optional leading and trailing parts, says they can match. Every
// combination of those parts around each kind of date must still reach its
// rule: the filter may let through more than the rules accept, never less.
// Date expressions with optional leads and tails, in contexts: every
// combination is a sentence that holds a date.
const char* const kLeads[] = {"", "the night of ", "Night of ", "the weekend of ",
                              "the evening of the ", "Tuesday, ", "tuesday ",
                              "the ", "mid-", "early ", "late ", "Mon ",
                              "the morning of Friday, the "};
const char* const kCores[] = {
    "14 to 15 May", "14 to the 15 May", "1 and 3 June", "14th-15th Sept.",
    "14 May to 15 June", "14 May to the 15 June", "May 14-15",
    "May 14 to June 2", "Oct.8 to 9", "between June and July",
    "December 2016 to June", "30 December", "30 of December", "December 30",
    "2019-05-14", "14/05/2019", "1.5.2019", "the end of May",
    "the end of the month of May", "mi-mai", "d\u00e9but juin", "May",
    "5 May", "May 5", "October, 27th", "last Tuesday", "this past Friday",
    "yesterday", "the day before yesterday", "last night", "this morning",
    "last week", "next year", "two weeks ago", "3 days ago", "an hour ago",
    "Monday", "March", "2018", "du 14 au 15 mai"};
const char* const kTails[] = {"", " last year", ", of last year", " of next year",
                              " 2019", ", 2019", "-2019", " morning",
                              " evening", ", 2019 last year", "."};
const char* const kContexts[] = {"", "He said on ", "(", "Since "};

TEST_CASE("Dates: the rule filter never misses a rule that matches",
          "[dates]") {
  size_t sentences = 0;
  for (const char* context : kContexts) {
    for (const char* lead : kLeads) {
      for (const char* core : kCores) {
        for (const char* tail : kTails) {
          const std::string sentence =
              std::string(context) + lead + core + tail;
          INFO(sentence);
          CHECK(dates_internal::RulesTheFilterMisses(sentence).empty());
          ++sentences;
        }
      }
    }
  }
  CHECK(sentences > 20000);
}

// FindDates over `text` segmented as the pipeline does, searching every
// sentence and only those MayHoldDate keeps: the two must agree. Returns
// how many sentences MayHoldDate ruled out.
size_t CheckCueFilter(const std::string& text) {
  const NormalizedText normalized = Normalize(text);
  const Segmentation seg = Segment(normalized, SegmenterConfig{});
  const std::vector<DateExpr> all =
      FindDates(normalized, seg, "2024-11-22", false);
  const std::vector<DateExpr> filtered =
      FindDates(normalized, seg, "2024-11-22", true);
  INFO(text);
  CHECK(Describe(normalized.text, filtered) == Describe(normalized.text, all));
  size_t ruled_out = 0;
  for (const Sentence& s : seg.sentences) {
    ruled_out += !MayHoldDate(normalized.text, seg.tokens, s);
  }
  for (const DateExpr& d : all) {
    CHECK(MayHoldDate(normalized.text, seg.tokens, seg.sentences[d.sentence]));
  }
  return ruled_out;
}

TEST_CASE("Dates: sentences without a date cue are not searched, and lose "
          "nothing", "[dates]") {
  // Every expression of the table and of the generated sentences.
  for (const Row& row : kRows) CheckCueFilter(row.sentence);
  for (const char* context : kContexts) {
    for (const char* lead : kLeads) {
      for (const char* core : kCores) {
        for (const char* tail : kTails) {
          CHECK(CheckCueFilter(std::string(context) + lead + core + tail) == 0);
        }
      }
    }
  }
  // Cue words inside tokens that are not plain letters and digits: after
  // an apostrophe or a period, in capitals, next to an accented letter, with
  // the Kelvin sign that case-insensitive matching reads as "k", in
  // numbers, after an underscore (no word boundary for RE2: no date).
  const char* const kTricky[] = {
      "Rock'n'Monday was held x'today as planned.",
      "It was Mayé and June\u00e9 for them.",
      "It happened last wee\u212A, they said.",
      "The U.S.Monday service ran.",
      "They came YESTERDAY and TODAY.",
      "Yesterday's raid and today's strike.",
      "foo_today and bar_March happened.",
      "Fighting resumed in mid-May.",
      "Fighting resumed O'March.",
      "The o.k.tomorrow plan.",
      "An attack two weeks ago killed five.",
      "They spoke about the \u2018week\u2019 ahead.",
      "In f\u00e9vrier and in d\u00e9cembre the army left.",
      "Les soldats sont partis en ao\u00fbt.",
  };
  for (const char* sentence : kTricky) CheckCueFilter(sentence);

  // Sentences that cannot hold a date are ruled out: the filter filters.
  // The headline, "Troops ..." and "Rebels ..." ("don't" and "U.S." hide no
  // cue); not the last, whose "Goïta" is not ASCII.
  CHECK(CheckCueFilter("Headline\n\nTroops left the town. Rebels came, and "
                       "don't stay. The U.S. envoy met Goïta's aides.") == 3);
  CHECK(CheckCueFilter("Headline\n\nThey came on Monday. They left.") == 2);
}

}  // namespace
}  // namespace extract
