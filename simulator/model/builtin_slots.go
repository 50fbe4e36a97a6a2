package model

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// parseNumber reads AMAZON.NUMBER: one token of digits ("42"), or English
// number words up to the billions ("two hundred and five", "a thousand",
// "minus three"). It returns the decimal string Alexa puts in slot.value.
func parseNumber(toks []string) (string, bool) {
	n, ok := numberValue(toks)
	if !ok {
		return "", false
	}
	return strconv.FormatInt(n, 10), true
}

var smallNumbers = map[string]int64{
	"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
	"ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
	"seventeen": 17, "eighteen": 18, "nineteen": 19,
}

var tensNumbers = map[string]int64{
	"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}

var scaleNumbers = map[string]int64{"thousand": 1e3, "million": 1e6, "billion": 1e9}

func numberValue(toks []string) (int64, bool) {
	if len(toks) == 0 || len(toks) > 16 {
		return 0, false
	}
	sign := int64(1)
	if toks[0] == "minus" || toks[0] == "negative" {
		sign, toks = -1, toks[1:]
		if len(toks) == 0 {
			return 0, false
		}
	}
	if len(toks) == 1 && isDigits(toks[0]) {
		if len(toks[0]) > 12 {
			return 0, false
		}
		n, err := strconv.ParseInt(toks[0], 10, 64)
		return sign * n, err == nil
	}
	// Grammar: groups of [units hundred] [and] [tens] [units], each group
	// optionally followed by a scale word of decreasing size.
	var total, group int64
	lastScale := int64(1e12)
	const (
		start = iota
		afterUnit
		afterTeen
		afterTens
		afterHundred
		afterScale
		afterAnd
		afterA
	)
	state := start
	sawNumber := false
	for _, t := range toks {
		switch {
		case t == "a" || t == "an":
			if state != start && state != afterScale && state != afterAnd {
				return 0, false
			}
			group, state = 1, afterA
		case t == "and":
			if state != afterHundred && state != afterScale {
				return 0, false
			}
			state = afterAnd
		case smallNumbers[t] > 0 || t == "zero":
			v := smallNumbers[t]
			if state == afterUnit || state == afterTeen || state == afterA {
				return 0, false
			}
			if state == afterTens && (v == 0 || v >= 10) {
				return 0, false
			}
			if t == "zero" && (state != start || len(toks) > 1) {
				return 0, false
			}
			group += v
			state = afterUnit
			if v >= 10 {
				state = afterTeen
			}
			sawNumber = true
		case tensNumbers[t] > 0:
			if state == afterUnit || state == afterTeen || state == afterTens || state == afterA {
				return 0, false
			}
			group += tensNumbers[t]
			state, sawNumber = afterTens, true
		case t == "hundred":
			if group == 0 || group > 99 || state == afterHundred || state == afterAnd {
				return 0, false
			}
			if state != afterA && group >= 10 && group%10 == 0 && group > 10 {
				// "twenty hundred" is not English for 2000.
				return 0, false
			}
			group *= 100
			state, sawNumber = afterHundred, true
		case scaleNumbers[t] > 0:
			s := scaleNumbers[t]
			if group == 0 || s >= lastScale || state == afterAnd {
				return 0, false
			}
			total += group * s
			group, lastScale = 0, s
			state, sawNumber = afterScale, true
		default:
			return 0, false
		}
	}
	if !sawNumber || state == afterAnd || state == afterA {
		return 0, false
	}
	return sign * (total + group), true
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

var ordinalWords = map[string]int{
	"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
	"ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14,
	"fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19,
	"twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50, "sixtieth": 60, "seventieth": 70,
	"eightieth": 80, "ninetieth": 90, "hundredth": 100,
}

// ordinalValue reads "first" … "ninety ninth", "hundredth" and "1st", "22nd",
// "3rd", "4th".
func ordinalValue(toks []string) (int, bool) {
	switch len(toks) {
	case 1:
		t := toks[0]
		if v, ok := ordinalWords[t]; ok {
			return v, true
		}
		if len(t) > 2 {
			num, suffix := t[:len(t)-2], t[len(t)-2:]
			if isDigits(num) && len(num) <= 4 {
				n, _ := strconv.Atoi(num)
				if n > 0 && suffix == ordinalSuffix(n) {
					return n, true
				}
			}
		}
	case 2:
		tens, ok1 := tensNumbers[toks[0]]
		unit, ok2 := ordinalWords[toks[1]]
		if ok1 && ok2 && unit < 10 {
			return int(tens) + unit, true
		}
	}
	return 0, false
}

func ordinalSuffix(n int) string {
	if n%100 >= 11 && n%100 <= 13 {
		return "th"
	}
	switch n % 10 {
	case 1:
		return "st"
	case 2:
		return "nd"
	case 3:
		return "rd"
	}
	return "th"
}

var monthWords = map[string]time.Month{
	"january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
	"september": 9, "october": 10, "november": 11, "december": 12,
	"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}

var weekdayWords = map[string]time.Weekday{
	"sunday": time.Sunday, "monday": time.Monday, "tuesday": time.Tuesday, "wednesday": time.Wednesday,
	"thursday": time.Thursday, "friday": time.Friday, "saturday": time.Saturday,
}

const isoDate = "2006-01-02"

// parseDate reads AMAZON.DATE relative to today (the reference date, in its
// own location). See doc.go for the phrases and the values they give.
func parseDate(toks []string, today time.Time) (string, bool) {
	today = time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, today.Location())
	if len(toks) > 0 && toks[0] == "on" { // "on monday" inside a {date} slot
		toks = toks[1:]
	}
	phrase := strings.Join(toks, " ")
	switch phrase {
	case "today":
		return today.Format(isoDate), true
	case "tomorrow":
		return today.AddDate(0, 0, 1).Format(isoDate), true
	case "yesterday":
		return today.AddDate(0, 0, -1).Format(isoDate), true
	case "the day after tomorrow", "day after tomorrow":
		return today.AddDate(0, 0, 2).Format(isoDate), true
	case "the day before yesterday", "day before yesterday":
		return today.AddDate(0, 0, -2).Format(isoDate), true
	case "this week":
		return isoWeek(today), true
	case "next week":
		return isoWeek(today.AddDate(0, 0, 7)), true
	case "last week":
		return isoWeek(today.AddDate(0, 0, -7)), true
	case "this weekend", "the weekend", "weekend":
		return isoWeek(today) + "-WE", true
	case "next weekend":
		return isoWeek(today.AddDate(0, 0, 7)) + "-WE", true
	case "this month":
		return today.Format("2006-01"), true
	case "next month":
		return today.AddDate(0, 1, 1-today.Day()).Format("2006-01"), true
	case "this year":
		return strconv.Itoa(today.Year()), true
	case "next year":
		return strconv.Itoa(today.Year() + 1), true
	}
	if len(toks) == 1 {
		if d, err := time.Parse(isoDate, toks[0]); err == nil {
			return d.Format(isoDate), true
		}
	}
	// Weekdays: "friday" / "this friday" is the next Friday on or after
	// today; "next friday" the first one after today; "last friday" the
	// most recent one before today.
	if wd, rel, ok := weekdayPhrase(toks); ok {
		delta := (int(wd) - int(today.Weekday()) + 7) % 7
		switch rel {
		case "next":
			if delta == 0 {
				delta = 7
			}
		case "last":
			delta -= 7
			if delta == 0 {
				delta = -7
			}
		}
		return today.AddDate(0, 0, delta).Format(isoDate), true
	}
	if len(toks) == 1 {
		if mo, ok := monthWords[toks[0]]; ok {
			y := today.Year()
			if mo < today.Month() {
				y++
			}
			return fmt.Sprintf("%04d-%02d", y, mo), true
		}
	}
	return monthDay(toks, today)
}

func weekdayPhrase(toks []string) (time.Weekday, string, bool) {
	switch len(toks) {
	case 1:
		wd, ok := weekdayWords[toks[0]]
		return wd, "", ok
	case 2:
		wd, ok := weekdayWords[toks[1]]
		if ok && (toks[0] == "this" || toks[0] == "next" || toks[0] == "last" || toks[0] == "coming") {
			rel := toks[0]
			if rel == "this" || rel == "coming" {
				rel = ""
			}
			return wd, rel, true
		}
	}
	return 0, "", false
}

// monthDay reads "june fifth", "june 5", "june the 5th", "the fifth of june",
// "5 june", each with an optional four-digit year. Without a year the date is
// the next one on or after today.
func monthDay(toks []string, today time.Time) (string, bool) {
	year := 0
	if n := len(toks); n >= 2 && len(toks[n-1]) == 4 && isDigits(toks[n-1]) {
		year, _ = strconv.Atoi(toks[n-1])
		toks = toks[:n-1]
		if len(toks) > 0 && toks[len(toks)-1] == "of" {
			toks = toks[:len(toks)-1]
		}
	}
	var mo time.Month
	var dayToks []string
	switch {
	case len(toks) >= 2 && monthWords[toks[0]] != 0:
		mo, dayToks = monthWords[toks[0]], toks[1:]
	case len(toks) >= 2 && monthWords[toks[len(toks)-1]] != 0:
		mo, dayToks = monthWords[toks[len(toks)-1]], toks[:len(toks)-1]
		if len(dayToks) > 0 && dayToks[len(dayToks)-1] == "of" {
			dayToks = dayToks[:len(dayToks)-1]
		}
	default:
		return "", false
	}
	if len(dayToks) > 0 && dayToks[0] == "the" {
		dayToks = dayToks[1:]
	}
	day, ok := ordinalValue(dayToks)
	if !ok {
		n, ok2 := numberValue(dayToks)
		if !ok2 || len(dayToks) != 1 {
			return "", false
		}
		day = int(n)
	}
	if day < 1 || day > 31 {
		return "", false
	}
	if year == 0 {
		year = today.Year()
		if d := time.Date(year, mo, day, 0, 0, 0, 0, today.Location()); d.Before(today) && d.Day() == day {
			year++
		}
	}
	d := time.Date(year, mo, day, 0, 0, 0, 0, today.Location())
	if d.Day() != day { // June 31st rolls over to July 1st: not a date
		return "", false
	}
	return d.Format(isoDate), true
}

func isoWeek(t time.Time) string {
	y, w := t.ISOWeek()
	return fmt.Sprintf("%04d-W%02d", y, w)
}

var timeOfDayWords = map[string]string{
	"noon": "12:00", "midday": "12:00", "midnight": "00:00",
	"morning": "MO", "this morning": "MO", "in the morning": "MO",
	"afternoon": "AF", "this afternoon": "AF", "in the afternoon": "AF",
	"evening": "EV", "this evening": "EV", "in the evening": "EV",
	"night": "NI", "tonight": "NI", "at night": "NI",
}

// parseTime reads AMAZON.TIME into "HH:MM" (24 h) or Alexa's MO/AF/EV/NI.
func parseTime(toks []string) (string, bool) {
	if len(toks) > 0 && toks[0] == "at" {
		toks = toks[1:]
	}
	if v, ok := timeOfDayWords[strings.Join(toks, " ")]; ok {
		return v, true
	}
	toks, mer := meridiem(toks)
	h, m, ok := clockTime(toks)
	if !ok {
		return "", false
	}
	switch mer {
	case "am":
		if h < 1 || h > 12 {
			return "", false
		}
		if h == 12 {
			h = 0
		}
	case "pm":
		if h < 1 || h > 12 {
			return "", false
		}
		if h != 12 {
			h += 12
		}
	}
	return fmt.Sprintf("%02d:%02d", h, m), true
}

// meridiem strips a trailing "am"/"pm" ("p m", "in the evening", …).
func meridiem(toks []string) ([]string, string) {
	suffixes := []struct {
		words []string
		mer   string
	}{
		{[]string{"am"}, "am"}, {[]string{"a", "m"}, "am"}, {[]string{"in", "the", "morning"}, "am"},
		{[]string{"pm"}, "pm"}, {[]string{"p", "m"}, "pm"}, {[]string{"in", "the", "afternoon"}, "pm"},
		{[]string{"in", "the", "evening"}, "pm"}, {[]string{"at", "night"}, "pm"}, {[]string{"tonight"}, "pm"},
	}
	for _, s := range suffixes {
		if n := len(toks) - len(s.words); n > 0 && equalWords(toks[n:], s.words) {
			return toks[:n], s.mer
		}
	}
	return toks, ""
}

func clockTime(toks []string) (int, int, bool) {
	switch {
	case len(toks) == 1 && strings.Count(toks[0], ":") == 1:
		hs, ms, _ := strings.Cut(toks[0], ":")
		h, err1 := strconv.Atoi(hs)
		m, err2 := strconv.Atoi(ms)
		if err1 != nil || err2 != nil || len(ms) != 2 || h > 23 || m > 59 {
			return 0, 0, false
		}
		return h, m, true
	case len(toks) >= 3 && (toks[1] == "past" || toks[1] == "after" || toks[1] == "to" || toks[1] == "till" || toks[1] == "before"):
		return relativeClock(toks)
	}
	if len(toks) >= 2 && toks[len(toks)-1] == "o'clock" {
		h, ok := hourValue(toks[:len(toks)-1])
		return h, 0, ok
	}
	// "seven", "seven thirty", "seven oh five", "nineteen forty five"
	for split := 1; split <= len(toks) && split <= 2; split++ {
		h, ok := hourValue(toks[:split])
		if !ok {
			continue
		}
		rest := toks[split:]
		if len(rest) == 0 {
			return h, 0, true
		}
		if rest[0] == "oh" && len(rest) == 2 {
			if m, ok := numberValue(rest[1:]); ok && m >= 1 && m <= 9 {
				return h, int(m), true
			}
			continue
		}
		if m, ok := numberValue(rest); ok && m >= 10 && m <= 59 {
			return h, int(m), true
		}
	}
	return 0, 0, false
}

func hourValue(toks []string) (int, bool) {
	n, ok := numberValue(toks)
	if !ok || n < 0 || n > 23 {
		return 0, false
	}
	return int(n), true
}

// relativeClock reads "half past seven", "quarter to eight", "ten after six".
func relativeClock(toks []string) (int, int, bool) {
	minToks, rel, hourToks := toks[:1], toks[1], toks[2:]
	var mins int64
	switch minToks[0] {
	case "half":
		mins = 30
	case "quarter":
		mins = 15
	default:
		n, ok := numberValue(minToks)
		if !ok || n < 1 || n > 30 {
			return 0, 0, false
		}
		mins = n
	}
	h, ok := hourValue(hourToks)
	if !ok {
		return 0, 0, false
	}
	if rel == "past" || rel == "after" {
		return h, int(mins), true
	}
	if mins == 30 {
		return 0, 0, false // "half to eight" is not said
	}
	h = (h + 23) % 24
	return h, 60 - int(mins), true
}

var durationUnits = map[string]byte{
	"second": 'S', "seconds": 'S', "sec": 'S', "secs": 'S',
	"minute": 'm', "minutes": 'm', "min": 'm', "mins": 'm',
	"hour": 'H', "hours": 'H',
	"day": 'D', "days": 'D',
	"week": 'W', "weeks": 'W',
	"month": 'M', "months": 'M',
	"year": 'Y', "years": 'Y',
}

// parseDuration reads AMAZON.DURATION into ISO 8601: "five minutes" → PT5M,
// "an hour and a half" → PT1H30M, "two weeks" → P2W, "half an hour" → PT30M.
func parseDuration(toks []string) (string, bool) {
	switch strings.Join(toks, " ") {
	case "half an hour", "half hour", "a half hour":
		return "PT30M", true
	case "quarter of an hour", "a quarter of an hour", "quarter hour", "a quarter hour":
		return "PT15M", true
	}
	amounts := map[byte]int64{}
	var last byte
	for i := 0; i < len(toks); {
		if last != 0 && toks[i] == "and" {
			i++
		}
		// "an hour and a half": half of the unit just said.
		if last != 0 && i+2 == len(toks) && toks[i] == "a" && toks[i+1] == "half" {
			half := map[byte]byte{'H': 'm', 'm': 'S'}[last]
			if _, dup := amounts[half]; half == 0 || dup {
				return "", false
			}
			amounts[half] = 30
			break
		}
		j := i
		for j < len(toks) && durationUnits[toks[j]] == 0 {
			j++
		}
		if j == len(toks) || j == i {
			return "", false
		}
		n, ok := numberValue(toks[i:j])
		if j == i+1 && (toks[i] == "a" || toks[i] == "an") {
			n, ok = 1, true // "an hour"
		}
		if !ok || n <= 0 {
			return "", false
		}
		u := durationUnits[toks[j]]
		if _, dup := amounts[u]; dup {
			return "", false
		}
		amounts[u], last = n, u
		i = j + 1
	}
	if len(amounts) == 0 {
		return "", false
	}
	var b strings.Builder
	b.WriteByte('P')
	for _, u := range []byte{'Y', 'M', 'W', 'D'} {
		if n, ok := amounts[u]; ok {
			fmt.Fprintf(&b, "%d%c", n, u)
		}
	}
	if amounts['H']+amounts['m']+amounts['S'] > 0 {
		b.WriteByte('T')
		for _, u := range []byte{'H', 'm', 'S'} {
			if n, ok := amounts[u]; ok {
				fmt.Fprintf(&b, "%d%c", n, upper(u))
			}
		}
	}
	return b.String(), true
}

func upper(c byte) byte {
	if c >= 'a' && c <= 'z' {
		return c - 'a' + 'A'
	}
	return c
}

func equalWords(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
