package search

import (
	"context"
	"sort"
	"strconv"
)

// Walk tuning: rows are read from the sent_at index in chunks that grow from
// firstChunk to maxChunk; a chunk's rows are checked against the index with
// one rowid-range query per run of nearby rows, a run breaking where row
// numbers jump by more than maxGap (mail that arrived out of date order).
const (
	firstChunk = 128
	maxChunk   = 4096
	maxGap     = 256
	// queryCost and rowCost model a rowid-range query, in microseconds:
	// its start (parsing, opening every segment of the index) and each
	// match it reads.
	queryCost = 90.0
	rowCost   = 0.12
	// sortMax is the most messages matching the operators of a query that
	// are sorted by date rather than walked.
	sortMax = 20000
)

// walk reads messages newest first from the cursor and keeps the first
// limit+1 conversations whose messages match. Rows come from the sent_at
// index filtered by the plan's SQL; the text part is checked a chunk at a
// time against the FTS index by rowid ranges, which costs a fraction of a
// microsecond per row where a probe per row costs a hundred.
//
// With inSet, the text is checked inside SQLite instead: the driving
// expression's matches are read once into a temporary b-tree and every row
// walked is looked up in it, so only matching rows reach Go.
func (s *Searcher) walk(ctx context.Context, p *plan, limit int, cur key, hasCur, inSet bool) (map[string]*group, []string, map[string]bool, error) {
	where, args := p.rest.sql, append([]any{}, p.rest.args...)
	dateOrder := where == "1"
	if !dateOrder && !p.rest.sender() {
		// Operators: SQLite picks the index for them, which is best when
		// they match few messages (it sorts the matches); when they match
		// many, walking by date and stopping early is. A sender's messages
		// come newest first from their own index, whatever their number.
		var n int
		if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM messages m`+p.rest.join()+` WHERE `+where+` LIMIT ?)`,
			append(append([]any{}, args...), sortMax+1)...).Scan(&n); err != nil {
			return nil, nil, nil, ftsErr(err)
		}
		dateOrder = n > sortMax
	}
	index := ""
	if dateOrder {
		// Words are checked chunk by chunk below; the rows must come in
		// date order, so the walk uses the sent_at index.
		index = bySent
	}
	q := `SELECT m.seq, m.conversation_id, m.sent_at FROM messages m` + index + p.rest.join() + ` WHERE ` + where
	if inSet {
		q += ` AND m.seq IN (SELECT rowid FROM message_fts WHERE message_fts MATCH ?)`
		args = append(args, p.driving)
	}
	if hasCur {
		q += ` AND (m.sent_at < ? OR (m.sent_at = ? AND m.seq < ?))`
		args = append(args, cur.at, cur.at, cur.seq)
	}
	q += ` ORDER BY m.sent_at DESC, m.seq DESC`
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, nil, nil, ftsErr(err)
	}
	defer rows.Close()
	groups := map[string]*group{}
	skipped := map[string]bool{}
	var seen []string
	chunk := make([]*group, 0, firstChunk)
	size := firstChunk
	// take adds the matching rows of a chunk, in order, to the groups.
	take := func() error {
		ok := func(*group) bool { return true }
		if p.driving != "" && !inSet {
			m, err := s.matching(ctx, p.driving, chunk)
			if err != nil {
				return err
			}
			ok = func(g *group) bool { return m[g.seq] }
		}
		for _, g := range chunk {
			if len(seen) > limit {
				break
			}
			if !ok(g) {
				continue
			}
			if _, dup := groups[g.conv]; dup || skipped[g.conv] {
				continue
			}
			if hasCur {
				shown, err := s.shownBefore(ctx, p, g.conv, cur)
				if err != nil {
					return err
				}
				if shown {
					skipped[g.conv] = true
					continue
				}
			}
			groups[g.conv] = g
			seen = append(seen, g.conv)
		}
		chunk = chunk[:0]
		if size < maxChunk {
			size *= 2
		}
		return nil
	}
	for len(seen) <= limit && rows.Next() {
		g := &group{}
		if err := rows.Scan(&g.seq, &g.conv, &g.key.at); err != nil {
			return nil, nil, nil, err
		}
		g.key.seq = g.seq
		chunk = append(chunk, g)
		if len(chunk) >= size {
			if err := take(); err != nil {
				return nil, nil, nil, err
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, nil, nil, ftsErr(err)
	}
	if len(chunk) > 0 && len(seen) <= limit {
		if err := take(); err != nil {
			return nil, nil, nil, err
		}
	}
	return groups, seen, skipped, nil
}

// matching returns which rows of a chunk the FTS expression matches, asking
// the index for each run of nearby row numbers.
func (s *Searcher) matching(ctx context.Context, expr string, chunk []*group) (map[int64]bool, error) {
	seqs := make([]int64, len(chunk))
	for i, g := range chunk {
		seqs[i] = g.seq
	}
	sort.Slice(seqs, func(i, j int) bool { return seqs[i] < seqs[j] })
	want := make(map[int64]bool, len(seqs))
	for _, v := range seqs {
		want[v] = true
	}
	out := make(map[int64]bool, len(seqs))
	// Cost model: a range query costs about queryCost to start plus
	// rowCost per match it reads. Runs merge across a gap when reading the
	// gap's matches is cheaper than another query; and when many runs
	// would cost more than reading the chunk's whole span, one query does.
	d := s.density
	if d <= 0 || d > 1 {
		d = 1
	}
	gap := int64(queryCost / (d * rowCost))
	gap = max(gap, maxGap)
	type run struct{ lo, hi int64 }
	var runs []run
	for i := 0; i < len(seqs); {
		j := i
		for j+1 < len(seqs) && seqs[j+1]-seqs[j] <= gap {
			j++
		}
		runs = append(runs, run{seqs[i], seqs[j]})
		i = j + 1
	}
	var spanCost, runsCost float64
	spanCost = queryCost + d*rowCost*float64(seqs[len(seqs)-1]-seqs[0]+1)
	for _, r := range runs {
		runsCost += queryCost + d*rowCost*float64(r.hi-r.lo+1)
	}
	if len(runs) > 1 && spanCost < runsCost {
		runs = []run{{seqs[0], seqs[len(seqs)-1]}}
	}
	if s.ranges == nil {
		// The rows of the chunk go along as a JSON array: SQLite drops the
		// other matches of the range (a bloom filter, then a b-tree) before
		// they reach Go, which costs a fifth as much per match.
		st, err := s.prepare(ctx, `SELECT rowid FROM message_fts WHERE message_fts MATCH ? AND rowid >= ? AND rowid <= ?
			AND +rowid IN (SELECT value FROM json_each(?))`)
		if err != nil {
			return nil, ftsErr(err)
		}
		s.ranges = st
	}
	var list []byte
	for _, r := range runs {
		list = append(list[:0], '[')
		for _, v := range seqs[sort.Search(len(seqs), func(i int) bool { return seqs[i] >= r.lo }):] {
			if v > r.hi {
				break
			}
			if len(list) > 1 {
				list = append(list, ',')
			}
			list = strconv.AppendInt(list, v, 10)
		}
		list = append(list, ']')
		rows, err := s.ranges.QueryContext(ctx, expr, r.lo, r.hi, string(list))
		if err != nil {
			return nil, ftsErr(err)
		}
		for rows.Next() {
			var r int64
			if err := rows.Scan(&r); err != nil {
				rows.Close()
				return nil, err
			}
			if want[r] {
				out[r] = true
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, ftsErr(err)
		}
	}
	return out, nil
}
