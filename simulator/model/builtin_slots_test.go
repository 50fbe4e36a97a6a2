package model

import (
	"strconv"
	"testing"
	"time"
)

// parserCase: input words → want value; want "" means the parser must refuse.
type parserCase struct{ in, want string }

func runParser(t *testing.T, name string, parse func([]string) (string, bool), cases []parserCase) {
	t.Helper()
	for _, c := range cases {
		got, ok := parse(Words(c.in))
		switch {
		case c.want == "" && ok:
			t.Errorf("%s(%q) = %q, want refusal", name, c.in, got)
		case c.want != "" && (!ok || got != c.want):
			t.Errorf("%s(%q) = %q, %v; want %q", name, c.in, got, ok, c.want)
		}
	}
}

func TestParseNumber(t *testing.T) {
	runParser(t, "parseNumber", parseNumber, []parserCase{
		{"42", "42"}, {"007", "7"}, {"zero", "0"}, {"seven", "7"}, {"thirteen", "13"}, {"forty two", "42"},
		{"forty-two", "42"}, {"a hundred", "100"}, {"one hundred and five", "105"}, {"two hundred fifty", "250"},
		{"nineteen hundred", "1900"}, {"a thousand", "1000"}, {"three thousand four hundred and twelve", "3412"},
		{"twelve thousand", "12000"}, {"two million three hundred thousand", "2300000"}, {"minus five", "-5"},
		{"ninety nine thousand nine hundred ninety nine", "99999"}, {"one billion", "1000000000"},
		// refusals
		{"", ""}, {"banana", ""}, {"five five", ""}, {"twenty twenty", ""}, {"twenty hundred", ""},
		{"thousand thousand", ""}, {"a", ""}, {"and", ""}, {"one and", ""}, {"thirteen four", ""},
		{"two thousand three thousand", ""}, {"minus", ""}, {"zero zero", ""}, {"forty eleven", ""},
		{"1234567890123", ""}, {"hundred", ""}, {"five a", ""},
	})
}

func TestParseOrdinal(t *testing.T) {
	ord := func(toks []string) (string, bool) {
		n, ok := ordinalValue(toks)
		return strconv.Itoa(n), ok
	}
	runParser(t, "ordinalValue", ord, []parserCase{
		{"first", "1"}, {"second", "2"}, {"twelfth", "12"}, {"twenty first", "21"}, {"ninety ninth", "99"},
		{"1st", "1"}, {"2nd", "2"}, {"3rd", "3"}, {"11th", "11"}, {"12th", "12"}, {"13th", "13"}, {"22nd", "22"},
		{"101st", "101"}, {"hundredth", "100"},
		{"1nd", ""}, {"11st", ""}, {"first second", ""}, {"twenty", ""}, {"twenty twentieth", ""}, {"th", ""},
	})
}

func TestParseDate(t *testing.T) {
	wed := time.Date(2025, 6, 4, 23, 59, 0, 0, time.UTC) // Wednesday
	date := func(toks []string) (string, bool) { return parseDate(toks, wed) }
	runParser(t, "parseDate", date, []parserCase{
		{"today", "2025-06-04"}, {"tomorrow", "2025-06-05"}, {"yesterday", "2025-06-03"},
		{"the day after tomorrow", "2025-06-06"}, {"day before yesterday", "2025-06-02"},
		{"wednesday", "2025-06-04"}, {"this wednesday", "2025-06-04"}, {"next wednesday", "2025-06-11"},
		{"friday", "2025-06-06"}, {"next friday", "2025-06-06"}, {"on monday", "2025-06-09"},
		{"last monday", "2025-06-02"}, {"last wednesday", "2025-05-28"},
		{"june fifth", "2025-06-05"}, {"June 5", "2025-06-05"}, {"june the 5th", "2025-06-05"},
		{"the fifth of june", "2025-06-05"}, {"5 june", "2025-06-05"}, {"june fourth", "2025-06-04"},
		{"june third", "2026-06-03"}, {"january first", "2026-01-01"}, {"december twenty fifth", "2025-12-25"},
		{"june fifth 2030", "2030-06-05"}, {"the 1st of june, 2024", "2024-06-01"}, {"feb 29 2028", "2028-02-29"},
		{"2025-07-14", "2025-07-14"}, {"this week", "2025-W23"}, {"next week", "2025-W24"}, {"last week", "2025-W22"},
		{"this weekend", "2025-W23-WE"}, {"next weekend", "2025-W24-WE"}, {"this month", "2025-06"},
		{"next month", "2025-07"}, {"this year", "2025"}, {"next year", "2026"}, {"july", "2025-07"}, {"may", "2026-05"},
		// refusals
		{"june thirty first", ""}, {"february 30", ""}, {"feb 29 2027", ""}, {"june", "2025-06"},
		{"june zeroth", ""}, {"2025-13-01", ""}, {"banana", ""}, {"next", ""}, {"june fifth sixth", ""}, {"", ""},
		{"june 32", ""}, {"someday", ""},
	})
	// The reference date's location decides "today", not UTC.
	tokyo := time.FixedZone("JST", 9*3600)
	late := time.Date(2025, 6, 4, 20, 0, 0, 0, time.UTC).In(tokyo) // already June 5 in Tokyo
	if got, _ := parseDate([]string{"today"}, late); got != "2025-06-05" {
		t.Errorf("today in Tokyo = %s, want 2025-06-05", got)
	}
	// Month end: "next month" on January 31st is February.
	if got, _ := parseDate([]string{"next", "month"}, time.Date(2025, 1, 31, 0, 0, 0, 0, time.UTC)); got != "2025-02" {
		t.Errorf("next month from Jan 31 = %s, want 2025-02", got)
	}
}

func TestParseTime(t *testing.T) {
	runParser(t, "parseTime", parseTime, []parserCase{
		{"noon", "12:00"}, {"midnight", "00:00"}, {"seven", "07:00"}, {"seven pm", "19:00"}, {"seven p.m.", "19:00"},
		{"seven thirty pm", "19:30"}, {"7:30", "07:30"}, {"7:30 pm", "19:30"}, {"19:45", "19:45"}, {"at 6 am", "06:00"},
		{"twelve am", "00:00"}, {"twelve pm", "12:00"}, {"seven o'clock", "07:00"}, {"seven oh five", "07:05"},
		{"half past seven", "07:30"}, {"quarter past eight pm", "20:15"}, {"quarter to eight", "07:45"},
		{"ten to midnight", ""}, {"twenty after six in the evening", "18:20"}, {"quarter to one", "00:45"},
		{"nine forty five", "09:45"}, {"morning", "MO"}, {"in the afternoon", "AF"}, {"tonight", "NI"}, {"this evening", "EV"},
		// refusals
		{"13 pm", ""}, {"25:00", ""}, {"7:60", ""}, {"seven sixty", ""}, {"banana", ""}, {"", ""}, {"half to eight", ""},
		{"seven oh fifteen", ""}, {"pm", ""}, {"7:5", ""},
	})
}

func TestParseDuration(t *testing.T) {
	runParser(t, "parseDuration", parseDuration, []parserCase{
		{"five minutes", "PT5M"}, {"an hour", "PT1H"}, {"two hours", "PT2H"}, {"ten seconds", "PT10S"},
		{"three days", "P3D"}, {"two weeks", "P2W"}, {"a month", "P1M"}, {"one year", "P1Y"}, {"90 minutes", "PT90M"},
		{"one hour and thirty minutes", "PT1H30M"}, {"an hour and a half", "PT1H30M"}, {"a minute and a half", "PT1M30S"},
		{"half an hour", "PT30M"}, {"a quarter of an hour", "PT15M"}, {"two days three hours", "P2DT3H"},
		{"a year and two months", "P1Y2M"},
		// refusals
		{"minutes", ""}, {"five", ""}, {"five minutes five minutes", ""}, {"zero minutes", ""}, {"a day and a half", ""},
		{"banana minutes", ""}, {"", ""}, {"five minutes and", ""},
	})
}

func TestBuiltinListsLoaded(t *testing.T) {
	for typ, probe := range map[string]string{
		"AMAZON.FirstName": "christopher", "AMAZON.City": "new york", "AMAZON.US_CITY": "seattle",
		"AMAZON.Country": "new zealand", "AMAZON.Color": "light blue",
	} {
		if !builtinLists[typ][probe] {
			t.Errorf("%s lacks %q", typ, probe)
		}
	}
	if builtinLists["AMAZON.FirstName"]["charles christopher"] {
		t.Error("space-separated list merged two names across a line break")
	}
}
