// Package importer brings mail and Tidings exports into the store: an mbox
// file (mboxrd, mboxo), one .eml message (RFC 5322), a zip or folder of
// .eml files, a Maildir (as Thunderbird, mbsync, Dovecot or any mail client
// leave it, flags included) and Tidings' own JSON export.
//
// Email goes through the same parser (email.Parse) and the same threading
// (threader) as synced mail. A message already in the store (the same
// Message-ID and the same content) is skipped and counted; a message the
// parser cannot read is kept with its original bytes and counted as
// unreadable, never dropped. Work is committed in batches, so a failure
// part way (a damaged file, a full disk) leaves every earlier message stored
// and the store consistent.
package importer

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"

	"tidings/backend/channels/email"
	"tidings/backend/inbox"
	"tidings/backend/store"
	"tidings/backend/threader"
)

// Options tune an import. A nil *Options means defaults.
type Options struct {
	// Own lists the business's addresses: mail from them is outgoing. The
	// addresses of every account in the store are always included.
	Own []string
	// Progress, if set, is called as messages are processed; total is 0
	// when it is not known in advance.
	Progress func(done, total int)
	// BatchSize is how many messages one transaction holds (default 500).
	BatchSize int
	// Account, if set, files the messages under this email account, as
	// its sync would: they thread with its mail, and a later sync of the
	// same messages finds them already there.
	Account *inbox.Account
}

// Summary says what an import did.
type Summary struct {
	Kind Kind `json:"kind"`
	// Imported counts messages stored (unreadable ones included).
	Imported int `json:"imported"`
	// Skipped counts messages already in the store.
	Skipped int `json:"skipped"`
	// Unreadable counts messages the parser could not read: stored with
	// their original bytes, shown as such.
	Unreadable int `json:"unreadable"`
	// Conversations counts conversations started by the import.
	Conversations int `json:"conversations"`
	// NotMail lists files in a folder that were not mail and were left out.
	NotMail  []string `json:"not_mail"`
	Warnings []string `json:"warnings"`
}

type importer struct {
	st       *store.Store
	th       *threader.Threader
	opts     Options
	own      []string
	sum      Summary
	progress *progress

	// JSON import state.
	jsonBase string
	accounts map[string]string // exported account ID -> local ID
	contacts map[string]string // exported contact ID -> local ID
	labels   map[string]string // lower-case name -> label ID
}

// Import reads path (see Detect for what it may be) into st.
func Import(ctx context.Context, st *store.Store, path string, opts *Options) (Summary, error) {
	im := &importer{st: st, th: threader.New(st, nil), labels: map[string]string{}}
	if opts != nil {
		im.opts = *opts
	}
	if im.opts.BatchSize <= 0 {
		im.opts.BatchSize = 500
	}
	im.sum.NotMail, im.sum.Warnings = []string{}, []string{}
	kind, err := Detect(path)
	if err != nil {
		return im.sum, err
	}
	im.sum.Kind = kind
	accs, err := st.Accounts(ctx)
	if err != nil {
		return im.sum, err
	}
	for _, a := range accs {
		if a.Address != "" {
			im.own = append(im.own, a.Address)
		}
	}
	im.own = append(im.own, im.opts.Own...)
	var items []item
	if kind == KindFolder || kind == KindMaildir {
		// A Maildir may hold Maildir++ subfolders (".Sent"): walk it too.
		var skipped []string
		if items, skipped, err = walkFolder(path); err != nil {
			return im.sum, fmt.Errorf("importer: %w", err)
		}
		im.sum.NotMail = append(im.sum.NotMail, skipped...)
		if len(items) == 0 {
			return im.sum, fmt.Errorf("%w: %s holds no mbox, .eml, Maildir or Tidings export", ErrNotMail, path)
		}
	} else {
		items = []item{{kind: kind, path: path, sent: isSentFolder(path)}}
	}
	im.progress = newProgress(im.opts.Progress, countMessages(items))
	defer st.DeferFTSMerge(ctx)() // one index merge after the import (its callers run it), not one per batch
	for _, it := range items {
		err := im.importItem(ctx, it)
		if err != nil && len(items) > 1 && (errors.Is(err, ErrNotMail) || errors.Is(err, ErrZipBomb)) {
			// One bad file in a folder does not stop the others.
			im.sum.NotMail = append(im.sum.NotMail, err.Error())
			continue
		}
		if err != nil {
			return im.sum, err
		}
	}
	im.progress.finish()
	return im.sum, nil
}

func (im *importer) warn(s string) {
	if len(im.sum.Warnings) < 100 {
		im.sum.Warnings = append(im.sum.Warnings, s)
	}
}

func (im *importer) importItem(ctx context.Context, it item) error {
	switch it.kind {
	case KindJSON:
		return im.importJSON(ctx, it.path)
	case KindMbox:
		return im.ingest(ctx, it.sent, func(fn func(raw) error) error { return readMbox(ctx, it.path, fn) })
	case KindEMLZip:
		return im.ingest(ctx, it.sent, func(fn func(raw) error) error { return readZip(ctx, it.path, fn) })
	case KindEML:
		return im.ingest(ctx, it.sent, func(fn func(raw) error) error {
			data, err := readFile(it.path)
			if err != nil {
				return err
			}
			return fn(raw{data: data, origin: it.path})
		})
	case KindMaildir:
		return im.ingest(ctx, it.sent, func(fn func(raw) error) error {
			files, err := maildirFiles(it.path)
			if err != nil {
				return err
			}
			for _, f := range files {
				if err := ctx.Err(); err != nil {
					return err
				}
				data, err := readFile(f)
				if err != nil {
					im.warn(err.Error())
					continue
				}
				read, flagged := maildirFlags(f)
				if err := fn(raw{data: data, origin: f, read: read, flagged: flagged, flagsKnown: true, sent: it.sent}); err != nil {
					return err
				}
			}
			return nil
		})
	}
	return fmt.Errorf("importer: %s: unknown kind %q", it.path, it.kind)
}

// parsed is a message read and parsed, waiting for its transaction.
type parsed struct {
	r raw
	p *email.Parsed
}

// ingest parses messages on every core while one goroutine files them, in
// source order, a batch per transaction.
func (im *importer) ingest(ctx context.Context, sent bool, produce func(fn func(raw) error) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	order := make(chan chan parsed, 1024)
	mem := newBudget(maxInFlight)
	sem := make(chan struct{}, max(1, runtime.GOMAXPROCS(0)))
	prodErr := make(chan error, 1)
	go func() {
		defer close(order)
		defer func() {
			if r := recover(); r != nil {
				prodErr <- fmt.Errorf("importer: reading failed: %v", r)
			}
		}()
		prodErr <- produce(func(r raw) error {
			r.sent = r.sent || sent
			if !r.flagsKnown {
				r.read, r.flagged = headerFlags(r.data)
			}
			if err := mem.acquire(ctx, len(r.data)); err != nil {
				return err
			}
			res := make(chan parsed, 1)
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				return ctx.Err()
			}
			go func() {
				defer func() { <-sem }()
				p := email.Parse(r.data)
				// Compress the original here, on a free core, rather than
				// in the write transaction.
				store.Precompress(p.Message.Raw)
				res <- parsed{r: r, p: p}
			}()
			select {
			case order <- res:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		})
	}()
	batch := make([]parsed, 0, im.opts.BatchSize)
	batchBytes, batchUnits := 0, 0
	for res := range order {
		p := <-res
		batch = append(batch, p)
		batchBytes += len(p.r.data)
		batchUnits += mem.units(len(p.r.data))
		// A batch holding half the budget is stored whatever its size:
		// otherwise many small messages could take the whole budget and
		// reading would wait for a batch that waits for reading.
		if len(batch) == cap(batch) || batchBytes >= maxBatchBytes || 2*batchUnits >= cap(mem.tokens) {
			err := im.fileBatch(ctx, batch)
			for _, p := range batch {
				mem.release(len(p.r.data))
			}
			if err != nil {
				cancel()
				for res := range order {
					p := <-res
					store.ForgetPrecompressed(p.p.Message.Raw)
					mem.release(len(p.r.data))
				}
				return err
			}
			batch, batchBytes, batchUnits = batch[:0], 0, 0
		}
	}
	if err := <-prodErr; err != nil {
		if len(batch) > 0 {
			// Keep what was read before the error.
			if ferr := im.fileBatch(context.WithoutCancel(ctx), batch); ferr != nil {
				return ferr
			}
		}
		return err
	}
	return im.fileBatch(ctx, batch)
}

// Memory bounds for an import of large messages: what is read but not yet
// stored (a variable for tests), and what one transaction holds.
var maxInFlight = 256 << 20

const maxBatchBytes = 64 << 20

// budget bounds the bytes in flight between reading and storing, in units
// of budgetUnit. One message takes at most half the budget, and a batch is
// stored once it holds a quarter (maxBatchBytes), so reading can always go
// on while the writer waits for more: no deadlock, however large a message.
type budget struct {
	tokens chan struct{}
}

const budgetUnit = 64 << 10

func newBudget(max int) *budget { return &budget{tokens: make(chan struct{}, max/budgetUnit)} }

// units is what a message of n bytes takes from the budget.
func (b *budget) units(n int) int {
	return min(max(1, (n+budgetUnit-1)/budgetUnit), cap(b.tokens)/2)
}

func (b *budget) acquire(ctx context.Context, n int) error {
	want := b.units(n)
	for got := 0; got < want; got++ {
		select {
		case b.tokens <- struct{}{}:
		case <-ctx.Done():
			b.put(got)
			return ctx.Err()
		}
	}
	return nil
}

// release gives back what acquire(n) took.
func (b *budget) release(n int) { b.put(b.units(n)) }

func (b *budget) put(k int) {
	for ; k > 0; k-- {
		<-b.tokens
	}
}

// fileBatch stores a batch of parsed messages in one transaction.
func (im *importer) fileBatch(ctx context.Context, batch []parsed) error {
	if len(batch) == 0 {
		return nil
	}
	var imported, skipped, unreadable, convs int
	var warns []string
	err := im.st.BulkTx(ctx, func(tx *sql.Tx) error {
		// Each conversation the batch touches is recounted once, at its end.
		ctx, flush := im.st.DeferRefresh(ctx)
		msgs := make([]*inbox.Message, len(batch))
		for i, b := range batch {
			msgs[i] = b.p.Message
		}
		known, err := im.storedAlready(ctx, tx, msgs)
		if err != nil {
			return err
		}
		for _, b := range batch {
			m := b.p.Message
			if dup, err := im.isDuplicate(ctx, tx, m, known); err != nil {
				return err
			} else if dup {
				store.ForgetPrecompressed(m.Raw)
				skipped++
				continue
			}
			m.Read = b.r.read || b.r.sent
			m.Flagged = b.r.flagged
			if b.r.truncated {
				warns = append(warns, b.r.origin+": the file ends inside this message (truncated?); what was there is kept")
				if m.ParseError == "" {
					b.p.Warnings = append(b.p.Warnings, "the source file ended inside this message: it may be incomplete")
				}
			}
			res, err := im.th.IngestTx(ctx, tx, threader.Input{Account: im.opts.Account, Own: im.own, Sent: b.r.sent, Message: m, Warnings: b.p.Warnings})
			if err != nil {
				return fmt.Errorf("importer: %s: %w", b.r.origin, err)
			}
			if !res.Created {
				store.ForgetPrecompressed(m.Raw)
				skipped++
				continue
			}
			imported++
			if res.NewConversation {
				convs++
			}
			if m.ParseError != "" {
				unreadable++
				warns = append(warns, b.r.origin+": "+m.ParseError+" (kept as it is)")
			}
		}
		return flush(ctx, tx)
	})
	if err != nil {
		for _, b := range batch {
			store.ForgetPrecompressed(b.p.Message.Raw)
		}
		if store.IsDiskFull(err) {
			// The batch was rolled back; earlier batches are stored.
			return fmt.Errorf("importer: %w: %w", store.ErrDiskFull, err)
		}
		return err
	}
	im.sum.Imported += imported
	im.sum.Skipped += skipped
	im.sum.Unreadable += unreadable
	im.sum.Conversations += convs
	for _, w := range warns {
		im.warn(w)
	}
	im.progress.add(len(batch))
	return nil
}

// stored is what a batch's duplicate checks need from the store, read in
// a few queries for the whole batch rather than one per message.
type stored struct {
	ids    map[string]bool     // the X-Tidings-Message IDs stored
	hashes map[string][]string // Message-ID -> content hashes stored
}

// storedAlready looks up every Message-ID and X-Tidings-Message ID of the
// batch at once.
func (im *importer) storedAlready(ctx context.Context, tx *sql.Tx, batch []*inbox.Message) (stored, error) {
	var mids, ids []string
	for _, m := range batch {
		if m.Raw != nil {
			if id := headerValue(m.Raw, "X-Tidings-Message"); id != "" {
				ids = append(ids, id)
			}
		}
		if m.MessageID != "" && m.ContentHash != "" {
			mids = append(mids, m.MessageID)
		}
	}
	var k stored
	var err error
	if k.ids, err = im.st.StoredMessageIDsTx(ctx, tx, ids); err != nil {
		return k, err
	}
	k.hashes, err = im.st.HashesByHeaderIDTx(ctx, tx, mids)
	return k, err
}

// isDuplicate reports whether m is already stored: the same content hash,
// the same Message-ID with the same content (compared by hashing the stored
// original the same way), or a Tidings export of a stored message. known
// holds what the batch's lookups found; messages stored earlier in the same
// batch are caught by the threader (same content, same ID).
func (im *importer) isDuplicate(ctx context.Context, tx *sql.Tx, m *inbox.Message, known stored) (bool, error) {
	if m.Raw != nil {
		if id := headerValue(m.Raw, "X-Tidings-Message"); id != "" && known.ids[id] {
			return true, nil
		}
	}
	if m.MessageID != "" && m.ContentHash != "" {
		hashes := known.hashes[m.MessageID]
		if len(hashes) == 0 {
			return false, nil
		}
		if slices.Contains(hashes, m.ContentHash) {
			return true, nil
		}
		// Stored by another route (the demo, an older version) with another
		// kind of hash: compare the originals the parser's way.
		if m.Raw == nil {
			return false, nil
		}
		cands, err := im.st.MessagesByHeaderIDTx(ctx, tx, m.MessageID, true)
		if err != nil {
			return false, err
		}
		own := m.ContentHash // email.Parse hashed the original the same way
		for _, c := range cands {
			if c.Raw != nil && email.ContentHash(c.Raw) == own {
				return true, nil
			}
		}
		return false, nil
	}
	return im.st.HasContentHashTx(ctx, tx, m.ContentHash)
}

// headerFlags reads the read and flagged marks that mail programs write
// into mbox messages: "Status: RO" and "X-Status: F" (mutt, Pine, Dovecot's
// mbox) or X-Mozilla-Status bits 0x0001 (read) and 0x0004 (flagged)
// (Thunderbird). A message with neither is history being imported: read.
func headerFlags(raw []byte) (read, flagged bool) {
	if v := headerValue(raw, "X-Mozilla-Status"); v != "" {
		if bits, err := strconv.ParseUint(v, 16, 32); err == nil {
			return bits&0x1 != 0, bits&0x4 != 0
		}
	}
	st, xst := headerValue(raw, "Status"), headerValue(raw, "X-Status")
	if st == "" && xst == "" {
		return true, false
	}
	return strings.Contains(st, "R"), strings.Contains(xst, "F")
}

// headerValue returns the first value of a header field in raw's header.
func headerValue(raw []byte, name string) string {
	end := bytes.Index(raw, []byte("\n\n"))
	if e2 := bytes.Index(raw, []byte("\r\n\r\n")); e2 >= 0 && (end < 0 || e2 < end) {
		end = e2
	}
	if end < 0 {
		end = len(raw)
	}
	for _, line := range bytes.Split(raw[:end], []byte("\n")) {
		if k, v, ok := bytes.Cut(line, []byte(":")); ok && strings.EqualFold(string(k), name) {
			return strings.TrimSpace(string(v))
		}
	}
	return ""
}

// countMessages estimates the number of messages for progress reports.
func countMessages(items []item) int {
	n := 0
	for _, it := range items {
		switch it.kind {
		case KindEML:
			n++
		case KindMaildir:
			if files, err := maildirFiles(it.path); err == nil {
				n += len(files)
			}
		case KindMbox:
			n += countMbox(it.path)
		}
	}
	return n
}

// countMbox counts From_ lines that follow an empty line, reading the
// file once without holding it in memory.
func countMbox(path string) int {
	f, err := os.Open(path)
	if err != nil {
		return 0
	}
	defer f.Close()
	r := bufio.NewReaderSize(f, 1<<20)
	n := 0
	prevBlank := true
	for {
		line, err := r.ReadSlice('\n')
		if len(line) > 0 {
			if prevBlank && bytes.HasPrefix(line, []byte("From ")) {
				n++
			}
			prevBlank = len(bytes.TrimRight(line, "\r\n")) == 0 && !errors.Is(err, bufio.ErrBufferFull)
		}
		if err != nil && !errors.Is(err, bufio.ErrBufferFull) {
			return n
		}
	}
}

// progress throttles callbacks to whole-percent steps.
type progress struct {
	fn          func(done, total int)
	done, total int
	last        int
}

func newProgress(fn func(int, int), total int) *progress {
	p := &progress{fn: fn, total: total, last: -1}
	if fn != nil {
		fn(0, total)
	}
	return p
}

func (p *progress) add(n int) {
	p.done += n
	if p.fn == nil {
		return
	}
	if p.total == 0 {
		if p.done-p.last >= 100 {
			p.last = p.done
			p.fn(p.done, 0)
		}
		return
	}
	if pct := p.done * 100 / p.total; pct != p.last {
		p.last = pct
		p.fn(min(p.done, p.total), p.total)
	}
}

func (p *progress) finish() {
	if p.fn != nil {
		p.fn(p.done, max(p.total, p.done))
	}
}
