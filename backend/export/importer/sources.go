package importer

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Limits that keep a hostile file from exhausting memory or disk.
const (
	// MaxMessageBytes is the largest single message read.
	MaxMessageBytes = 256 << 20
	// MaxZipTotal caps what a zip may expand to altogether.
	MaxZipTotal = 16 << 30
	// MaxZipRatio caps how much one zip entry may expand (a zip bomb
	// expands by thousands; mail compresses by less than 20).
	MaxZipRatio = 200
	// MaxZipEntries caps the number of entries in a zip.
	MaxZipEntries = 2_000_000
)

// ErrNotMail means a file is none of the formats Tidings imports.
var ErrNotMail = errors.New("importer: not mail")

// ErrZipBomb means a zip would expand beyond the limits.
var ErrZipBomb = errors.New("importer: the zip archive expands far beyond its size (a zip bomb?)")

// raw is one message found in a source, with what the source knows of it.
type raw struct {
	data    []byte
	origin  string // file, and position inside it, for messages in reports
	read    bool
	flagged bool
	// flagsKnown is set when the source said (Maildir file names); else
	// they are read from the message's header.
	flagsKnown bool
	sent       bool
	// truncated is set when the source ended in the middle of this message.
	truncated bool
}

// Kind is a source format.
type Kind string

// Source kinds.
const (
	KindMbox    Kind = "mbox"
	KindEML     Kind = "eml"
	KindEMLZip  Kind = "eml-zip"
	KindFolder  Kind = "folder"
	KindMaildir Kind = "maildir"
	KindJSON    Kind = "json"
)

// Detect tells what path is: an mbox file, an .eml message, a zip of .eml
// files, a Tidings JSON export, a Maildir, or a folder holding any of them.
func Detect(path string) (Kind, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return "", fmt.Errorf("importer: cannot read %s: %w", path, err)
	}
	if fi.IsDir() {
		if isMaildir(path) {
			return KindMaildir, nil
		}
		return KindFolder, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("importer: cannot read %s: %w", path, err)
	}
	defer f.Close()
	head := make([]byte, 4096)
	n, _ := io.ReadFull(f, head)
	head = head[:n]
	k := sniff(head)
	if k == "" {
		return "", fmt.Errorf("%w: %s is neither an mbox, an .eml message, a zip of .eml files, a Maildir nor a Tidings JSON export", ErrNotMail, path)
	}
	return k, nil
}

func sniff(head []byte) Kind {
	trim := bytes.TrimLeft(head, " \t\r\n\ufeff")
	switch {
	case len(head) == 0:
		return ""
	case bytes.HasPrefix(head, []byte("From ")):
		return KindMbox
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		return KindEMLZip
	case bytes.HasPrefix(trim, []byte("{")) && bytes.Contains(head, []byte(`"tidings-export"`)):
		return KindJSON
	case looksLikeMessage(head):
		return KindEML
	}
	return ""
}

// looksLikeMessage reports whether data starts with RFC 5322 header fields
// (section 2.2: a name of printable ASCII without colon, then a colon), and
// at least two of them, one a field every message has.
func looksLikeMessage(data []byte) bool {
	lines := 0
	known := false
	for _, line := range bytes.SplitN(data, []byte("\n"), 40) {
		line = bytes.TrimRight(line, "\r")
		if len(line) == 0 {
			break
		}
		if line[0] == ' ' || line[0] == '\t' {
			continue
		}
		i := bytes.IndexByte(line, ':')
		if i <= 0 {
			return false
		}
		for _, c := range line[:i] {
			if c <= ' ' || c > '~' {
				return false
			}
		}
		switch strings.ToLower(string(line[:i])) {
		case "from", "date", "subject", "message-id", "to", "received", "return-path", "mime-version":
			known = true
		}
		lines++
	}
	return lines >= 2 && known
}

func isMaildir(dir string) bool {
	for _, sub := range []string{"cur", "new"} {
		if fi, err := os.Stat(filepath.Join(dir, sub)); err != nil || !fi.IsDir() {
			return false
		}
	}
	return true
}

// readMbox reads an mbox file (mboxrd, mboxo or mboxcl: a message starts at
// a "From " line at the start of the file or after an empty line) and calls
// fn for each message, with one level of ">From " quoting removed.
func readMbox(ctx context.Context, path string, fn func(raw) error) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("importer: cannot read %s: %w", path, err)
	}
	defer f.Close()
	r := bufio.NewReaderSize(f, 1<<20)
	var msg []byte
	var start, n int
	inMsg := false
	prevBlank := true
	lineNo := 0
	flush := func(truncated bool) error {
		if !inMsg {
			return nil
		}
		// The empty line before the next From_ line belongs to the mbox.
		if !truncated {
			if bytes.HasSuffix(msg, []byte("\r\n\n")) {
				msg = msg[:len(msg)-1]
			} else if bytes.HasSuffix(msg, []byte("\n\n")) {
				msg = msg[:len(msg)-1]
			}
		}
		n++
		err := fn(raw{data: msg, origin: fmt.Sprintf("%s, message %d (line %d)", path, n, start), truncated: truncated})
		msg = nil
		return err
	}
	for {
		line, err := r.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			// A line longer than the buffer: gather it whole.
			full := append([]byte(nil), line...)
			for errors.Is(err, bufio.ErrBufferFull) {
				line, err = r.ReadSlice('\n')
				full = append(full, line...)
				if len(full) > MaxMessageBytes {
					return fmt.Errorf("importer: %s line %d is longer than %d MB: not an mbox", path, lineNo+1, MaxMessageBytes>>20)
				}
			}
			line = full
		}
		if len(line) > 0 {
			lineNo++
			if prevBlank && bytes.HasPrefix(line, []byte("From ")) {
				if err := flush(false); err != nil {
					return err
				}
				if err := ctx.Err(); err != nil {
					return err
				}
				inMsg, start = true, lineNo
				prevBlank = false
				continue
			}
			if !inMsg {
				return fmt.Errorf("%w: %s does not start with a \"From \" line, so it is not an mbox", ErrNotMail, path)
			}
			prevBlank = len(bytes.TrimRight(line, "\r\n")) == 0
			if line[0] == '>' && isQuotedFrom(line) {
				line = line[1:]
			}
			if len(msg)+len(line) > MaxMessageBytes {
				return fmt.Errorf("importer: %s: message %d is larger than %d MB", path, n+1, MaxMessageBytes>>20)
			}
			msg = append(msg, line...)
		}
		if err == io.EOF {
			truncated := len(line) > 0 && line[len(line)-1] != '\n'
			if !inMsg {
				return fmt.Errorf("%w: %s is empty", ErrNotMail, path)
			}
			return flush(truncated)
		}
		if err != nil {
			return fmt.Errorf("importer: reading %s: %w", path, err)
		}
	}
}

func isQuotedFrom(line []byte) bool {
	i := 0
	for i < len(line) && line[i] == '>' {
		i++
	}
	return bytes.HasPrefix(line[i:], []byte("From "))
}

// readFile reads one message file.
func readFile(path string) ([]byte, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("importer: cannot read %s: %w", path, err)
	}
	if fi.Size() > MaxMessageBytes {
		return nil, fmt.Errorf("importer: %s is larger than %d MB", path, MaxMessageBytes>>20)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("importer: cannot read %s: %w", path, err)
	}
	return b, nil
}

// maildirFlags reads the flags from a Maildir file name ("...:2,FRS"),
// per https://cr.yp.to/proto/maildir.html.
func maildirFlags(name string) (read, flagged bool) {
	i := strings.LastIndex(name, ":2,")
	if i < 0 {
		i = strings.LastIndex(name, "!2,") // the separator on Windows
	}
	if i < 0 {
		return false, false
	}
	flags := name[i+3:]
	return strings.ContainsRune(flags, 'S'), strings.ContainsRune(flags, 'F')
}

// isSentFolder guesses from a folder's name that it holds sent mail.
func isSentFolder(dir string) bool {
	base := strings.ToLower(strings.TrimLeft(filepath.Base(dir), "."))
	for _, n := range []string{"sent", "sent items", "sent messages", "sent mail", "[gmail].sent mail", "gesendet", "envoyés", "отправленные"} {
		if base == n || strings.HasSuffix(base, "."+n) || strings.HasSuffix(base, "/"+n) {
			return true
		}
	}
	return false
}

// maildirFiles lists a Maildir's messages (new/ and cur/), oldest name
// first, which for Maildir names is delivery order.
func maildirFiles(dir string) ([]string, error) {
	var out []string
	for _, sub := range []string{"cur", "new"} {
		ents, err := os.ReadDir(filepath.Join(dir, sub))
		if err != nil {
			return nil, fmt.Errorf("importer: cannot read %s: %w", filepath.Join(dir, sub), err)
		}
		for _, e := range ents {
			if e.Type().IsRegular() && !strings.HasPrefix(e.Name(), ".") {
				out = append(out, filepath.Join(dir, sub, e.Name()))
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return filepath.Base(out[i]) < filepath.Base(out[j]) })
	return out, nil
}

// item is one thing to import inside a folder.
type item struct {
	kind Kind
	path string
	sent bool
}

// walkFolder finds every Maildir, mbox, .eml, zip and JSON export under
// dir: Thunderbird profiles (mbox files beside .msf indexes), mbsync and
// Dovecot Maildirs (nested or Maildir++ ".Folder" style) and folders of
// .eml files all work. Files that are none of these are listed in skipped.
func walkFolder(dir string) (items []item, skipped []string, err error) {
	err = filepath.WalkDir(dir, func(p string, e os.DirEntry, err error) error {
		if err != nil {
			skipped = append(skipped, p+": "+err.Error())
			if e != nil && e.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if e.IsDir() {
			switch filepath.Base(p) {
			case "cur", "new", "tmp":
				if isMaildir(filepath.Dir(p)) {
					return filepath.SkipDir // the Maildir's own messages
				}
			}
			if isMaildir(p) {
				// Maildir++ subfolders (".Sent") live inside and are found too.
				items = append(items, item{kind: KindMaildir, path: p, sent: isSentFolder(p)})
			}
			return nil
		}
		if !e.Type().IsRegular() {
			return nil
		}
		if mailClientFile(e.Name()) {
			return nil
		}
		f, err := os.Open(p)
		if err != nil {
			skipped = append(skipped, p+": "+err.Error())
			return nil
		}
		head := make([]byte, 4096)
		n, _ := io.ReadFull(f, head)
		f.Close()
		k := sniff(head[:n])
		if k == "" {
			skipped = append(skipped, p+": not mail")
			return nil
		}
		items = append(items, item{kind: k, path: p, sent: isSentFolder(filepath.Dir(p)) || (k == KindMbox && isSentFolder(p))})
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	return items, skipped, nil
}

// readZip reads every message file in a zip of .eml files, refusing
// archives that would expand beyond the limits before reading anything.
func readZip(ctx context.Context, path string, fn func(raw) error) error {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return fmt.Errorf("%w: %s is not a readable zip archive: %v", ErrNotMail, path, err)
	}
	defer zr.Close()
	if len(zr.File) > MaxZipEntries {
		return fmt.Errorf("%w: %s holds %d entries", ErrZipBomb, path, len(zr.File))
	}
	var total uint64
	for _, f := range zr.File {
		total += f.UncompressedSize64
		if f.UncompressedSize64 > MaxMessageBytes || total > MaxZipTotal ||
			(f.UncompressedSize64 > 1<<20 && f.UncompressedSize64 > MaxZipRatio*(f.CompressedSize64+1)) {
			return fmt.Errorf("%w: %s, entry %q declares %d bytes from %d", ErrZipBomb, path, f.Name, f.UncompressedSize64, f.CompressedSize64)
		}
	}
	for _, f := range zr.File {
		if err := ctx.Err(); err != nil {
			return err
		}
		if f.FileInfo().IsDir() || strings.HasPrefix(filepath.Base(f.Name), ".") || strings.HasPrefix(f.Name, "__MACOSX/") {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return fmt.Errorf("importer: %s, entry %q: %w", path, f.Name, err)
		}
		// Never trust the declared size: read at most the cap, plus one
		// byte to notice a lie.
		limit := int64(min(f.UncompressedSize64, MaxMessageBytes)) + 1
		data, err := io.ReadAll(io.LimitReader(rc, limit))
		rc.Close()
		if err != nil {
			return fmt.Errorf("importer: %s, entry %q is damaged: %w", path, f.Name, err)
		}
		if int64(len(data)) == limit {
			return fmt.Errorf("%w: %s, entry %q is larger than it declares", ErrZipBomb, path, f.Name)
		}
		if !looksLikeMessage(data) {
			if err := fn(raw{data: data, origin: path + ": " + f.Name + " (not a message)"}); err != nil {
				return err
			}
			continue
		}
		if err := fn(raw{data: data, origin: path + ": " + f.Name}); err != nil {
			return err
		}
	}
	return nil
}

// mailClientFile reports whether a file is a mail client's or server's own
// bookkeeping (indexes, state, settings), which a folder import passes over
// without calling it "not mail".
func mailClientFile(name string) bool {
	n := strings.ToLower(name)
	if strings.HasPrefix(n, ".") {
		return true // .mbsyncstate, .uidvalidity, .DS_Store, ...
	}
	switch filepath.Ext(n) {
	case ".msf", ".dat", ".sqlite", ".sqlite-wal", ".sqlite-shm", ".lock", ".db", ".db-wal", ".db-shm", ".idx", ".log", ".tmp":
		return true
	}
	for _, p := range []string{"dovecot", "subscriptions", "maildirfolder", "courierimap", "popstate", "msgfilterrules"} {
		if strings.HasPrefix(n, p) {
			return true
		}
	}
	return false
}
