package email

import (
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/jhillyerd/enmime/v2"
)

// cpythonCorpus is CPython's email test messages (Debian package
// libpython3.11-testsuite).
const cpythonCorpus = "/usr/lib/python3.11/test/test_email/data"

// corpusFiles returns the messages of both corpora: CPython's and enmime's
// malformed-mail testdata (from the module cache). Under CI=true a missing
// corpus fails the test.
func corpusFiles(tb testing.TB) []string {
	tb.Helper()
	var files []string
	cp, _ := filepath.Glob(filepath.Join(cpythonCorpus, "msg_*.txt"))
	if len(cp) == 0 {
		missing(tb, "CPython's email test corpus (apt-get install libpython3.11-testsuite)")
	}
	files = append(files, cp...)
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/jhillyerd/enmime/v2").Output()
	dir := strings.TrimSpace(string(out))
	if err != nil || dir == "" {
		missing(tb, "enmime's testdata (go mod download github.com/jhillyerd/enmime/v2)")
	} else {
		for _, sub := range []string{"mail", "low-quality"} {
			raw, _ := filepath.Glob(filepath.Join(dir, "testdata", sub, "*.raw"))
			files = append(files, raw...)
		}
	}
	own, _ := filepath.Glob("testdata/*.eml")
	files = append(files, own...)
	sort.Strings(files)
	return files
}

func missing(tb testing.TB, what string) {
	tb.Helper()
	if os.Getenv("CI") == "true" {
		tb.Fatalf("missing %s", what)
	}
	tb.Logf("skipping part of the corpus: missing %s", what)
}

// TestParseCorpus parses every corpus message, one subtest per file, and
// compares the subject and the presence of a body with enmime's reading.
func TestParseCorpus(t *testing.T) {
	for _, f := range corpusFiles(t) {
		t.Run(filepath.Base(filepath.Dir(f))+"/"+filepath.Base(f), func(t *testing.T) {
			raw, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			p := Parse(raw)
			m := p.Message
			if why, ok := notMessages[filepath.Base(f)]; ok {
				if m.ParseError == "" {
					t.Fatalf("ParseError empty, want set: %s", why)
				}
				if m.Text == "" {
					t.Errorf("text empty, want the bytes kept searchable")
				}
				return
			}
			if m.ParseError != "" {
				t.Fatalf("ParseError %q, want a parsed message", m.ParseError)
			}
			checkInvariants(t, raw, p)
			env, err := enmime.ReadEnvelope(strings.NewReader(string(raw)))
			if err != nil {
				return // enmime cannot read it: nothing to compare
			}
			want := strings.Join(strings.Fields(env.GetHeader("Subject")), " ")
			got := strings.Join(strings.Fields(m.Subject), " ")
			if _, known := disagreements[filepath.Base(f)]; want != got && !known && utf8.ValidString(want) && !strings.Contains(want, "\uFFFD") {
				t.Errorf("subject: got %q, want %q (enmime)", got, want)
			}
			if strings.Trim(env.Text, "-\n ") != "" && strings.TrimSpace(m.Text) == "" && len(m.Attachments) == 0 {
				t.Errorf("text: got nothing, enmime found %q", clip(env.Text, 80))
			}
		})
	}
}

// notMessages are corpus files that do not start with a header field.
var notMessages = map[string]string{
	"erroneous.raw": "a C comment, not a message",
	"msg_19.txt":    "a digest fragment whose first line is prose",
}

// disagreements are files where Tidings deliberately reads differently
// from enmime.
var disagreements = map[string]string{
	"msg_35.txt": "a line that is not a field ends the header (as CPython reads it); enmime glues it to Subject",
}

// checkInvariants holds for every message Parse returns.
func checkInvariants(t *testing.T, raw []byte, p *Parsed) {
	t.Helper()
	m := p.Message
	if string(m.Raw) != string(raw) {
		t.Errorf("raw bytes not kept")
	}
	if len(m.ContentHash) != 32 {
		t.Errorf("content hash %q: want 32 hex digits", m.ContentHash)
	}
	for what, s := range map[string]string{"subject": m.Subject, "text": m.Text, "html": m.HTML, "from": m.From.String(), "message-id": m.MessageID} {
		if !utf8.ValidString(s) {
			t.Errorf("%s is not valid UTF-8: %q", what, clip(s, 80))
		}
	}
	for _, a := range m.Attachments {
		if a.Name == "" || strings.ContainsAny(a.Name, "/\\\x00") {
			t.Errorf("attachment name %q unsafe or empty", a.Name)
		}
		if !utf8.ValidString(a.Name) {
			t.Errorf("attachment name %q is not UTF-8", a.Name)
		}
		if a.Size != int64(len(a.Data)) {
			t.Errorf("attachment %s size %d, data %d", a.Name, a.Size, len(a.Data))
		}
	}
	if len(m.Attachments) > maxParts {
		t.Errorf("%d attachments, cap is %d", len(m.Attachments), maxParts)
	}
}

// FuzzParse runs its seed corpus (CPython's and enmime's messages) in every
// `go test`; `go test -fuzz FuzzParse` explores further.
func FuzzParse(f *testing.F) {
	for _, file := range corpusFiles(f) {
		raw, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(raw)
	}
	f.Add([]byte(structured))
	f.Fuzz(func(t *testing.T, raw []byte) {
		p := Parse(raw)
		if p == nil || p.Message == nil {
			t.Fatal("Parse returned nil")
		}
		if strings.HasPrefix(p.Message.ParseError, "email: the parser failed") {
			t.Fatalf("parser panicked: %s", p.Message.ParseError)
		}
		checkInvariants(t, raw, p)
	})
}
