package search

import (
	"sort"
	"strconv"
	"strings"
	"time"

	"tidings/backend/inbox"
)

// fieldSpec describes one operator of the query language.
type fieldSpec struct {
	example string
	// check validates a value and may normalize it; it returns a message for
	// the user when the value is wrong.
	check func(v string, o *Options) (string, string)
}

var fields = map[string]fieldSpec{
	"from":    {example: "from:anna@example.com", check: checkPeople},
	"to":      {example: "to:anna@example.com", check: checkPeople},
	"channel": {example: "channel:telegram", check: checkChannel},
	"account": {example: "account:shop", check: checkAny},
	"label":   {example: "label:vip", check: checkAny},
	"status":  {example: "status:open", check: checkStatus},
	"is":      {example: "is:unread", check: checkIs},
	"has":     {example: "has:attachment", check: checkHas},
	"before":  {example: "before:2026-11-01", check: checkDate},
	"after":   {example: "after:7d", check: checkDate},
}

func fieldList() string {
	names := make([]string, 0, len(fields))
	for n := range fields {
		names = append(names, n+":")
	}
	sort.Strings(names)
	return strings.Join(names, " ")
}

func checkAny(v string, _ *Options) (string, string) { return strings.TrimSpace(v), "" }

func checkPeople(v string, _ *Options) (string, string) {
	if !hasTokenRune(v) {
		return "", "has no letters or digits to search for"
	}
	return v, ""
}

var channels = []inbox.Channel{inbox.ChannelEmail, inbox.ChannelTelegram, inbox.ChannelWhatsApp, inbox.ChannelSMS, inbox.ChannelPhone}

func checkChannel(v string, _ *Options) (string, string) {
	v = strings.ToLower(v)
	var names []string
	for _, c := range channels {
		if string(c) == v {
			return v, ""
		}
		names = append(names, string(c))
	}
	return "", "is not a channel (known: " + strings.Join(names, ", ") + ")"
}

func checkStatus(v string, _ *Options) (string, string) {
	st, err := inbox.ParseStatus(strings.ToLower(v))
	if err != nil {
		return "", "is not a status (open, pending, snoozed or closed)"
	}
	return string(st), ""
}

// isValues are the accepted is: values.
var isValues = []string{"unread", "read", "auto", "flagged"}

func checkIs(v string, _ *Options) (string, string) {
	v = strings.ToLower(v)
	for _, k := range isValues {
		if k == v {
			return v, ""
		}
	}
	return "", "is not known (is: takes " + strings.Join(isValues, ", ") + ")"
}

func checkHas(v string, _ *Options) (string, string) {
	switch strings.ToLower(v) {
	case "attachment", "attachments", "file", "files":
		return "attachment", ""
	}
	return "", "is not known (has: takes attachment)"
}

func checkDate(v string, o *Options) (string, string) {
	if _, err := parseDate(v, o); err != "" {
		return "", err
	}
	return v, ""
}

// parseDate reads a date for before: and after:: an ISO date (2026-11-01),
// today, yesterday, or a time ago (7d, 2w, 3m, 1y). Calendar dates mean the
// start of that day in o's location; a time ago means that long before now.
func parseDate(v string, o *Options) (time.Time, string) {
	now := o.now().In(o.loc())
	day := func(t time.Time) time.Time { return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, o.loc()) }
	lv := strings.ToLower(v)
	switch lv {
	case "today":
		return day(now), ""
	case "yesterday":
		return day(now).AddDate(0, 0, -1), ""
	}
	if n := len(lv); n >= 2 && strings.ContainsRune("dwmy", rune(lv[n-1])) {
		k, err := strconv.Atoi(lv[:n-1])
		if err == nil {
			if k < 0 || k > 100*366 {
				return time.Time{}, "is too far back"
			}
			switch lv[n-1] {
			case 'd':
				return now.AddDate(0, 0, -k), ""
			case 'w':
				return now.AddDate(0, 0, -7*k), ""
			case 'm':
				return now.AddDate(0, -k, 0), ""
			default:
				if k > 100 {
					return time.Time{}, "is too far back"
				}
				return now.AddDate(-k, 0, 0), ""
			}
		}
	}
	t, err := time.ParseInLocation("2006-01-02", v, o.loc())
	if err != nil {
		return time.Time{}, "is not a date (use 2026-11-01, today, yesterday, or a time ago as 7d, 2w, 3m, 1y)"
	}
	return t, ""
}

// Options tune parsing and searching. A nil *Options means defaults.
type Options struct {
	// Now is the clock for relative dates (7d, yesterday).
	Now func() time.Time
	// Location is the time zone of calendar dates; nil means time.Local.
	Location *time.Location
}

func (o *Options) now() time.Time {
	if o == nil || o.Now == nil {
		return time.Now()
	}
	return o.Now()
}

func (o *Options) loc() *time.Location {
	if o == nil || o.Location == nil {
		return time.Local
	}
	return o.Location
}
