package consent

// The engine counts time in unix seconds (int64) and does not import the time package: in the
// page's js/wasm build, importing time at all costs about 230 KB (its initialisation pulls in the
// syscall package's file system emulation), more than the rest of the engine. Callers convert at
// the edge of their code: time.Now().Unix(), time.Unix(s, 0).

// Day and related lengths in seconds.
const (
	Minute int64 = 60
	Hour         = 60 * Minute
	Day          = 24 * Hour
)

func isLeap(year int) bool { return year%4 == 0 && (year%100 != 0 || year%400 == 0) }

// daysInMonth returns the number of days of month (1–12) in year of the proleptic Gregorian calendar.
func daysInMonth(year, month int) int {
	switch month {
	case 2:
		if isLeap(year) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// daysSinceEpoch counts the days from 1970-01-01 to year-month-day (negative before it), by
// shifting the year to start in March so that the leap day is the last day of a year.
func daysSinceEpoch(year, month, day int) int64 {
	y := int64(year)
	if month <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era--
	}
	yoe := y - era*400                     // year of the era, 0–399
	mp := int64((month + 9) % 12)          // month from March, 0–11
	doy := (153*mp+2)/5 + int64(day) - 1   // day of the (March-based) year
	doe := yoe*365 + yoe/4 - yoe/100 + doy // day of the era
	return era*146097 + doe - 719468       // 719468: days from 0000-03-01 to 1970-01-01
}

// unixSeconds returns the unix time of a UTC date and time.
func unixSeconds(year, month, day, hour, minute, second int) int64 {
	return daysSinceEpoch(year, month, day)*Day + int64(hour)*Hour + int64(minute)*Minute + int64(second)
}
