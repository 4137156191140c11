package htmlsafe

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"golang.org/x/net/html"
)

// trackerHosts names the mail-tracking services by a part of their image
// host or path.
var trackerHosts = []struct{ match, name string }{
	{"list-manage.com/track", "Mailchimp"},
	{"mailchimp.com", "Mailchimp"},
	{"mandrillapp.com/track", "Mandrill"},
	{"sendgrid.net", "SendGrid"},
	{"/wf/open", "SendGrid"},
	{"hubspotemail.net", "HubSpot"},
	{"hubspotlinks.com", "HubSpot"},
	{"hs-analytics", "HubSpot"},
	{"mailtrack.io", "Mailtrack"},
	{"google-analytics.com", "Google Analytics"},
	{"mixpanel.com", "Mixpanel"},
	{"sparkpostmail.com", "SparkPost"},
	{"exct.net", "Salesforce Marketing Cloud"},
	{"mailgun.org", "Mailgun"},
	{"/o/eJ", "Mailgun"},
	{"createsend", "Campaign Monitor"},
	{"cmail19.com", "Campaign Monitor"},
	{"cmail20.com", "Campaign Monitor"},
	{"klaviyo", "Klaviyo"},
	{"pstmrk.it", "Postmark"},
	{"emltrk.com", "Litmus"},
	{"superhuman.com", "Superhuman"},
	{"yesware", "Yesware"},
	{"bananatag", "Bananatag"},
	{"streak.com", "Streak"},
	{"getnotify.com", "GetNotify"},
	{"intercom", "Intercom"},
	{"convertkit", "ConvertKit"},
	{"mailerlite", "MailerLite"},
	{"sendinblue", "Brevo"},
	{"brevo.com", "Brevo"},
	{"mktoresp.com", "Marketo"},
	{"pardot", "Pardot"},
	{"customer.io", "Customer.io"},
	{"amazonses.com", "Amazon SES"},
}

// pixelPath matches paths that say what they are.
var pixelPath = regexp.MustCompile(`(?i)(/(open|opened|pixel|beacon|trk|track|tracking)(/|\.gif|\.png|$)|[/_.-](pixel|beacon|1x1|open|spacer)\.(gif|png)$)`)

var cssSize = regexp.MustCompile(`(?i)(?:^|;)\s*(width|height)\s*:\s*([0-9.]+)\s*px`)
var cssHidden = regexp.MustCompile(`(?i)(display\s*:\s*none|visibility\s*:\s*hidden|opacity\s*:\s*0(\.0*)?\s*(;|$))`)

// tracker decides whether a remote image is a tracking pixel: a known
// tracking service, an image of at most 3×3 pixels, a hidden image, or a
// path that names itself an open or pixel tracker.
func tracker(t html.Token, src string) (Tracker, bool) {
	lower := strings.ToLower(src)
	for _, h := range trackerHosts {
		if strings.Contains(lower, strings.ToLower(h.match)) {
			return Tracker{URL: src, Name: h.name, Reason: "known tracking service"}, true
		}
	}
	w, h := dim(attr(t, "width")), dim(attr(t, "height"))
	for _, m := range cssSize.FindAllStringSubmatch(attr(t, "style"), -1) {
		v, err := strconv.ParseFloat(m[2], 64)
		if err != nil {
			continue
		}
		if strings.EqualFold(m[1], "width") {
			w = v
		} else {
			h = v
		}
	}
	if (w >= 0 || h >= 0) && w <= 3 && h <= 3 {
		return Tracker{URL: src, Name: "Tracking pixel", Reason: "a tiny image"}, true
	}
	if cssHidden.MatchString(attr(t, "style")) {
		return Tracker{URL: src, Name: "Tracking pixel", Reason: "a hidden image"}, true
	}
	if u, err := url.Parse(src); err == nil && pixelPath.MatchString(u.Path) {
		return Tracker{URL: src, Name: "Tracking pixel", Reason: "an open-tracking address"}, true
	}
	return Tracker{}, false
}

// dim reads a width or height attribute; -1 when absent or not a number.
func dim(v string) float64 {
	v = strings.TrimSuffix(strings.TrimSpace(v), "px")
	f, err := strconv.ParseFloat(v, 64)
	if err != nil {
		return -1
	}
	return f
}

func host(u string) string {
	p, err := url.Parse(u)
	if err != nil || p.Host == "" {
		return u
	}
	return p.Host
}

var shownURL = regexp.MustCompile(`(?i)^(?:https?://)?((?:[a-z0-9-]+\.)+[a-z]{2,})(?:[/:?#]\S*)?$`)

// mismatch reports whether text shows a web address whose host differs from
// the one href goes to.
func mismatch(text, href string) bool {
	m := shownURL.FindStringSubmatch(strings.TrimSpace(text))
	if m == nil {
		return false
	}
	shown := strings.TrimPrefix(strings.ToLower(m[1]), "www.")
	real := strings.TrimPrefix(strings.ToLower(host(href)), "www.")
	if i := strings.LastIndex(real, "@"); i >= 0 {
		real = real[i+1:]
	}
	if j := strings.Index(real, ":"); j >= 0 {
		real = real[:j]
	}
	return shown != real && !strings.HasSuffix(real, "."+shown)
}
