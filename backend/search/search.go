package search

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"tidings/backend/inbox"
	"tidings/backend/store"
)

// Order is how results are sorted.
type Order string

// Orders.
const (
	// Newest puts the conversation with the newest match first.
	Newest Order = "newest"
	// Relevance ranks by bm25 among the newest RelevanceWindow matches.
	Relevance Order = "relevance"
)

// Defaults and bounds.
const (
	DefaultLimit = 50
	MaxLimit     = 1000
	// ExhaustiveMax is how many index matches a query may have and still be
	// read whole from the index; beyond it, messages are walked newest first
	// and checked against the index one by one.
	ExhaustiveMax = 8000
	// RelevanceWindow bounds the matches ranked by relevance.
	RelevanceWindow = 4000
	// SetMax is the most matches the set plan reads into a temporary
	// b-tree for the walk; SetWindow the newest rows in which a word's
	// frequency is estimated.
	SetMax    = 12000
	SetWindow = 20000
	// maxNoteHits bounds the notes read for one query.
	maxNoteHits = 5000
)

// Searcher runs queries against a store.
type Searcher struct {
	pool *sql.DB
	// db is the one connection a search runs on (a process that runs one
	// search then exits pays for one connection, not three).
	db querier
	// density estimates the share of messages the driving expression
	// matches (0: unknown), which sizes the walk's range queries.
	density float64
	// total and counts cache the message count and match counts of one
	// search.
	total  int64
	counts map[countKey]counted
	// ranges is the prepared rowid-range query of the walk, per search.
	ranges *sql.Stmt
	opts   *Options
	// Exhaustive overrides ExhaustiveMax (tests and benchmarks).
	Exhaustive int
	// Force makes a query with text use one plan, "index", "set" or
	// "walk", whatever its matches (tests and benchmarks).
	Force string
}

// New returns a Searcher over st. It does no I/O.
func New(st *store.Store, o *Options) *Searcher {
	return &Searcher{pool: st.DB(), db: st.DB(), opts: o}
}

type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	PrepareContext(ctx context.Context, query string) (*sql.Stmt, error)
}

// Covering indexes (migrations 0005 and 0010, which every store opened has):
// the walk and the index plan read only row number, date and conversation,
// which these hold, so they never touch the wide message rows.
const (
	bySent = " INDEXED BY messages_sent_seq_conv"
	bySeq  = " INDEXED BY messages_seq_conv"
)

func (s *Searcher) prepare(ctx context.Context, q string) (*sql.Stmt, error) {
	return s.db.PrepareContext(ctx, q)
}

// Request is one search.
type Request struct {
	Query string
	// Limit is the number of conversations (DefaultLimit when 0).
	Limit int
	Order Order
	// After is Result.Next of the previous page.
	After string
}

// Hit is one conversation found, with the match that put it there.
type Hit struct {
	ConversationID string
	// MessageID is the newest (or best) matching message; empty when the
	// match is a private note.
	MessageID string
	NoteID    string
	Date      time.Time
	Subject   string
	FromName  string
	From      string
	Snippet   Snippet
	key       key
	score     float64
}

// Result is a page of hits.
type Result struct {
	Hits []Hit
	// Next continues after this page; "" when there is no more.
	Next string
	// Plan says how the index was used: "index" (every match looked up),
	// "set" (messages walked newest first inside SQLite, each checked
	// against the matches read once into a temporary b-tree), "walk"
	// (walked rows checked against the index a chunk at a time), "filter"
	// (no words: operators only) or "relevance".
	Plan string
}

// key orders hits newest first: time, then row (notes use negative rows).
type key struct{ at, seq int64 }

func (k key) less(o key) bool { return k.at < o.at || (k.at == o.at && k.seq < o.seq) }

func (k key) String() string { return strconv.FormatInt(k.at, 10) + "." + strconv.FormatInt(k.seq, 10) }

func parseCursor(s string) (key, bool, error) {
	if s == "" {
		return key{}, false, nil
	}
	a, b, ok := strings.Cut(s, ".")
	at, err1 := strconv.ParseInt(a, 10, 64)
	seq, err2 := strconv.ParseInt(b, 10, 64)
	if !ok || err1 != nil || err2 != nil {
		return key{}, false, fmt.Errorf("search: page cursor %q is not one this search returned: %w", s, inbox.ErrInvalid)
	}
	return key{at, seq}, true, nil
}

// group is the best match so far of one conversation.
type group struct {
	conv      string
	messageID string
	noteID    string
	seq       int64 // message or note row
	key       key
	score     float64
}

// Search runs a query and returns one page of conversations.
func (s *Searcher) Search(ctx context.Context, r Request) (Result, error) {
	root, err := Parse(r.Query, s.opts)
	if err != nil {
		return Result{}, err
	}
	limit := r.Limit
	if limit <= 0 {
		limit = DefaultLimit
	}
	if limit > MaxLimit {
		return Result{}, fmt.Errorf("search: a page holds at most %d conversations, not %d: %w", MaxLimit, limit, inbox.ErrInvalid)
	}
	conn, err := s.pool.Conn(ctx)
	if err != nil {
		return Result{}, fmt.Errorf("search: %w", err)
	}
	defer conn.Close()
	// A bigger page cache for this connection: a search touches index and
	// row pages spread over the file.
	if _, err := conn.ExecContext(ctx, `PRAGMA cache_size = -16384`); err != nil {
		return Result{}, fmt.Errorf("search: %w", err)
	}
	run := *s
	run.db, run.total, run.counts = conn, 0, nil
	defer func() {
		if run.ranges != nil {
			run.ranges.Close()
		}
	}()
	var ferr error
	p := compile(root, func(expr string) bool {
		n, err := run.count(ctx, expr)
		if err != nil {
			ferr = err
			return false
		}
		return n >= 0
	})
	if ferr != nil {
		return Result{}, ferr
	}
	return run.search(ctx, p, r, limit)
}

func (s *Searcher) search(ctx context.Context, p *plan, r Request, limit int) (Result, error) {
	var err error
	var res Result
	var groups []*group
	if r.Order == Relevance && p.driving != "" {
		groups, res.Next, err = s.relevance(ctx, p, limit, r.After)
		res.Plan = "relevance"
	} else {
		if r.Order != "" && r.Order != Newest && r.Order != Relevance {
			return Result{}, fmt.Errorf("search: unknown order %q (newest or relevance): %w", r.Order, inbox.ErrInvalid)
		}
		groups, res.Next, res.Plan, err = s.newest(ctx, p, limit, r.After)
	}
	if err != nil {
		return Result{}, err
	}
	res.Hits, err = s.hits(ctx, p, groups)
	return res, err
}

// newest finds the limit conversations with the newest matches after the
// cursor.
func (s *Searcher) newest(ctx context.Context, p *plan, limit int, after string) ([]*group, string, string, error) {
	cur, hasCur, err := parseCursor(after)
	if err != nil {
		return nil, "", "", err
	}
	noteGroups, err := s.noteGroups(ctx, p)
	if err != nil {
		return nil, "", "", err
	}
	planName := "filter"
	if p.driving != "" {
		if planName, err = s.choose(ctx, p.driving); err != nil {
			return nil, "", "", err
		}
		if planName == "index" {
			msgGroups, err := s.indexGroups(ctx, p)
			if err != nil {
				return nil, "", "", err
			}
			merged := merge(msgGroups, noteGroups)
			page, next := pageOf(merged, cur, hasCur, limit)
			return page, next, planName, nil
		}
	}
	msgGroups, seen, skipped, err := s.walk(ctx, p, limit, cur, hasCur, planName == "set")
	if err != nil {
		return nil, "", "", err
	}
	if len(seen) > limit {
		// The walk stopped early: notes older than its last group cannot
		// make the page.
		floor := msgGroups[seen[len(seen)-1]].key
		for c, g := range noteGroups {
			if g.key.less(floor) {
				delete(noteGroups, c)
			}
		}
	}
	if hasCur {
		for c, g := range noteGroups {
			if _, ok := msgGroups[c]; ok || skipped[c] || !g.key.less(cur) {
				if skipped[c] {
					delete(noteGroups, c)
				}
				continue
			}
			shown, err := s.shownBefore(ctx, p, c, cur)
			if err != nil {
				return nil, "", "", err
			}
			if shown {
				delete(noteGroups, c)
			}
		}
	}
	page, next := pageOf(merge(msgGroups, noteGroups), cur, hasCur, limit)
	return page, next, planName, nil
}

// exhaustiveMax is how many matches are cheaper to look up one by one (a
// random read each) than to find by walking messages by date (a sequential
// read of about limit/density rows): they meet near sqrt(5 × messages),
// kept between 300 and ExhaustiveMax.
func (s *Searcher) exhaustiveMax(ctx context.Context) (int, error) {
	n, err := s.messageCount(ctx)
	if err != nil {
		return 0, err
	}
	return min(max(int(math.Sqrt(5*float64(n))), 300), ExhaustiveMax), nil
}

// choose picks the plan of a query with text: "index" when its matches are
// few enough to look up one by one, "set" when they are few enough to hold
// in a temporary b-tree while messages are walked, else "walk".
func (s *Searcher) choose(ctx context.Context, expr string) (string, error) {
	switch s.Force {
	case "index", "set", "walk":
		if s.Force != "index" {
			if _, err := s.setSized(ctx, expr); err != nil {
				return "", err
			}
		}
		return s.Force, nil
	}
	max := s.Exhaustive
	if max <= 0 {
		var err error
		if max, err = s.exhaustiveMax(ctx); err != nil {
			return "", err
		}
	}
	n, err := s.countUpTo(ctx, expr, max)
	if err != nil {
		return "", err
	}
	if n <= max {
		return "index", nil
	}
	if s.Exhaustive > 0 {
		return "walk", nil
	}
	if few, err := s.setSized(ctx, expr); err != nil || !few {
		return "walk", err
	}
	return "set", nil
}

func (s *Searcher) messageCount(ctx context.Context) (int64, error) {
	if s.total > 0 {
		return s.total, nil
	}
	var n int64
	if err := s.db.QueryRowContext(ctx, `SELECT coalesce(max(seq), 0) FROM messages`).Scan(&n); err != nil {
		return 0, ftsErr(err)
	}
	s.total = n
	return n, nil
}

// setSized estimates how many messages a word of middling frequency
// matches, from its matches among the newest SetWindow rows (which also
// sets the density the walk sizes its range queries by), and reports
// whether they are few enough for the set plan: at most SetMax. Those are
// read once into a temporary b-tree (about half a microsecond each) and
// the walk checks each row against it inside SQLite, so only matching rows
// reach Go; a common word's walk stops after a few rows and checks them
// by range queries instead.
func (s *Searcher) setSized(ctx context.Context, expr string) (bool, error) {
	total, err := s.messageCount(ctx)
	if err != nil {
		return false, err
	}
	var inWindow int64
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM message_fts WHERE message_fts MATCH ? AND rowid > ?`,
		expr, total-SetWindow).Scan(&inWindow); err != nil {
		return false, ftsErr(err)
	}
	if total > 0 {
		s.density = float64(inWindow) / float64(min(total, SetWindow))
	}
	est := inWindow
	if total > SetWindow {
		est = inWindow * total / SetWindow
	}
	return est <= SetMax, nil
}

// countUpTo counts the matches of an FTS expression, stopping past max.
// Counts are kept for the search: compiling and choosing the plan ask
// about the same expression.
func (s *Searcher) countUpTo(ctx context.Context, expr string, max int) (int, error) {
	k := countKey{expr, max}
	if c, ok := s.counts[k]; ok {
		return c.n, nil
	}
	// The matches come along as a JSON array (a fifth of a microsecond
	// each): when they are few, the index plan looks them up from it
	// instead of asking the index again, which for two words or a sender's
	// words costs as much as the count.
	var c counted
	if err := s.db.QueryRowContext(ctx, `SELECT count(*), json_group_array(rowid) FROM (SELECT rowid FROM message_fts WHERE message_fts MATCH ? LIMIT ?)`,
		expr, max+1).Scan(&c.n, &c.rows); err != nil {
		return 0, ftsErr(err)
	}
	if c.n > max {
		c.rows = ""
	}
	if s.counts == nil {
		s.counts = map[countKey]counted{}
	}
	s.counts[k] = c
	return c.n, nil
}

type countKey struct {
	expr string
	max  int
}

// counted is a count of matches, with their row numbers as a JSON array
// when they were all read.
type counted struct {
	n    int
	rows string
}

// matchRows returns the JSON array of an expression's matches that a count
// read whole, or "".
func (s *Searcher) matchRows(expr string) string {
	for k, c := range s.counts {
		if k.expr == expr && c.rows != "" {
			return c.rows
		}
	}
	return ""
}

// count returns the matches of an expression when they are few enough to
// read whole, or -1.
func (s *Searcher) count(ctx context.Context, expr string) (int, error) {
	max := s.Exhaustive
	if max <= 0 {
		var err error
		if max, err = s.exhaustiveMax(ctx); err != nil {
			return 0, err
		}
	}
	n, err := s.countUpTo(ctx, expr, max)
	if err != nil || n > max {
		return -1, err
	}
	return n, nil
}

// indexGroups reads every message matching the driving expression from the
// index (few, by construction) and groups them.
func (s *Searcher) indexGroups(ctx context.Context, p *plan) (map[string]*group, error) {
	q := `SELECT m.seq, m.conversation_id, m.sent_at FROM message_fts f CROSS JOIN messages m` + bySeq + ` ON m.seq = f.rowid` +
		p.rest.join() + ` WHERE f.message_fts MATCH ? AND ` + p.rest.sql
	first := p.driving
	if list := s.matchRows(p.driving); list != "" {
		q = `SELECT m.seq, m.conversation_id, m.sent_at FROM json_each(?) j CROSS JOIN messages m` + bySeq + ` ON m.seq = j.value` +
			p.rest.join() + ` WHERE ` + p.rest.sql
		first = list
	}
	rows, err := s.db.QueryContext(ctx, q, append([]any{first}, p.rest.args...)...)
	if err != nil {
		return nil, ftsErr(err)
	}
	defer rows.Close()
	out := map[string]*group{}
	for rows.Next() {
		g := &group{}
		if err := rows.Scan(&g.seq, &g.conv, &g.key.at); err != nil {
			return nil, err
		}
		g.key.seq = g.seq
		if old, ok := out[g.conv]; !ok || old.key.less(g.key) {
			out[g.conv] = g
		}
	}
	return out, ftsErr(rows.Err())
}

// noteGroups reads the private notes that match, grouped by conversation.
func (s *Searcher) noteGroups(ctx context.Context, p *plan) (map[string]*group, error) {
	out := map[string]*group{}
	if !p.notes {
		return out, nil
	}
	q := `SELECT n.seq, n.id, n.conversation_id, n.created_at, bm25(note_fts) FROM note_fts f CROSS JOIN notes n ON n.seq = f.rowid
		JOIN conversations c ON c.id = n.conversation_id WHERE f.note_fts MATCH ? AND ` + p.noteRest.sql + ` ORDER BY f.rowid DESC LIMIT ?`
	args := append([]any{p.noteDriving}, p.noteRest.args...)
	rows, err := s.db.QueryContext(ctx, q, append(args, maxNoteHits)...)
	if err != nil {
		return nil, ftsErr(err)
	}
	defer rows.Close()
	for rows.Next() {
		g := &group{}
		if err := rows.Scan(&g.seq, &g.noteID, &g.conv, &g.key.at, &g.score); err != nil {
			return nil, err
		}
		g.key.seq = -g.seq
		if old, ok := out[g.conv]; !ok || old.key.less(g.key) {
			out[g.conv] = g
		}
	}
	return out, ftsErr(rows.Err())
}

// merge keeps, per conversation, the newer of its message and note match.
func merge(a, b map[string]*group) []*group {
	out := make([]*group, 0, len(a)+len(b))
	for c, g := range a {
		if n, ok := b[c]; ok && g.key.less(n.key) {
			g = n
		}
		out = append(out, g)
	}
	for c, g := range b {
		if _, ok := a[c]; !ok {
			out = append(out, g)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[j].key.less(out[i].key) })
	return out
}

// pageOf cuts the page after the cursor from groups sorted newest first.
func pageOf(groups []*group, cur key, hasCur bool, limit int) ([]*group, string) {
	if hasCur {
		i := sort.Search(len(groups), func(i int) bool { return groups[i].key.less(cur) })
		groups = groups[i:]
	}
	if len(groups) > limit {
		return groups[:limit], groups[limit-1].key.String()
	}
	return groups, ""
}

// shownBefore reports whether a conversation also matches at or after the
// cursor, which means an earlier page showed it.
func (s *Searcher) shownBefore(ctx context.Context, p *plan, conv string, cur key) (bool, error) {
	var hit bool
	q := `SELECT EXISTS (SELECT 1 FROM messages m JOIN conversations c ON c.id = m.conversation_id
		WHERE m.conversation_id = ? AND (m.sent_at > ? OR (m.sent_at = ? AND m.seq >= ?)) AND ` + p.full.sql + `)`
	if err := s.db.QueryRowContext(ctx, q, append([]any{conv, cur.at, cur.at, cur.seq}, p.full.args...)...).Scan(&hit); err != nil {
		return false, ftsErr(err)
	}
	if hit || !p.notes {
		return hit, nil
	}
	q = `SELECT EXISTS (SELECT 1 FROM notes n JOIN conversations c ON c.id = n.conversation_id
		WHERE n.conversation_id = ? AND (n.created_at > ? OR (n.created_at = ? AND -n.seq >= ?)) AND ` + p.noteFull.sql + `)`
	if err := s.db.QueryRowContext(ctx, q, append([]any{conv, cur.at, cur.at, cur.seq}, p.noteFull.args...)...).Scan(&hit); err != nil {
		return false, ftsErr(err)
	}
	return hit, nil
}

// ftsErr words an FTS5 failure; a query that reaches here was built from
// quoted strings, so this is a bug or a damaged index, not user input.
func ftsErr(err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("search: %w", err)
}

func fromMS(v int64) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return time.UnixMilli(v).UTC()
}
