package search

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"tidings/backend/inbox"
)

// relevance ranks the newest RelevanceWindow matches by bm25 (subject and
// people weigh more than the body) and pages by offset.
//
// The scores come from the index alone; the messages are then looked up
// best first, a batch at a time, until the page and one more conversation
// are known, so a page costs the scoring and about a page of look-ups
// rather than a look-up per match.
func (s *Searcher) relevance(ctx context.Context, p *plan, limit int, after string) ([]*group, string, error) {
	offset := 0
	if after != "" {
		v, err := strconv.Atoi(strings.TrimPrefix(after, "r"))
		if err != nil || !strings.HasPrefix(after, "r") || v < 0 {
			return nil, "", fmt.Errorf("search: page cursor %q is not one this search returned: %w", after, inbox.ErrInvalid)
		}
		offset = v
	}
	scored, err := s.scores(ctx, p.driving)
	if err != nil {
		return nil, "", err
	}
	want := offset + limit + 1
	best := map[string]*group{}
	var order []string // conversations, best first
	batch := max(256, 2*want)
	// enough: the page and one more are known, and no match left could tie
	// with the last of them (ties go to the newest).
	enough := func(lo int) bool {
		return len(order) >= want && scored[lo].score > best[order[want-1]].score
	}
	for lo := 0; lo < len(scored) && !enough(lo); lo += batch {
		part := scored[lo:min(lo+batch, len(scored))]
		found, err := s.lookUp(ctx, p, part)
		if err != nil {
			return nil, "", err
		}
		for _, sc := range part {
			g, ok := found[sc.seq]
			if !ok {
				continue // the operators rule it out
			}
			g.score = sc.score
			if _, seen := best[g.conv]; !seen {
				best[g.conv] = g
				order = append(order, g.conv)
			}
		}
	}
	notes, err := s.noteGroups(ctx, p)
	if err != nil {
		return nil, "", err
	}
	for c, n := range notes {
		if g, ok := best[c]; !ok || n.score < g.score {
			best[c] = n
		}
	}
	all := make([]*group, 0, len(best))
	for _, g := range best {
		all = append(all, g)
	}
	sort.Slice(all, func(i, j int) bool {
		if all[i].score != all[j].score {
			return all[i].score < all[j].score
		}
		return all[j].key.less(all[i].key)
	})
	if offset >= len(all) {
		return nil, "", nil
	}
	all = all[offset:]
	if len(all) > limit {
		return all[:limit], "r" + strconv.Itoa(offset+limit), nil
	}
	return all, "", nil
}

type scored struct {
	seq   int64
	score float64
}

// scores returns the newest RelevanceWindow matches of expr with their bm25
// scores, best first (newest first among equals).
func (s *Searcher) scores(ctx context.Context, expr string) ([]scored, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT rowid, bm25(message_fts, 4.0, 1.0, 2.0, 2.0) FROM message_fts
		WHERE message_fts MATCH ? ORDER BY rowid DESC LIMIT ?`, expr, RelevanceWindow)
	if err != nil {
		return nil, ftsErr(err)
	}
	defer rows.Close()
	var out []scored
	for rows.Next() {
		var sc scored
		if err := rows.Scan(&sc.seq, &sc.score); err != nil {
			return nil, err
		}
		out = append(out, sc)
	}
	if err := rows.Err(); err != nil {
		return nil, ftsErr(err)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].score < out[j].score })
	return out, nil
}

// lookUp reads the conversation and date of the given matches that the
// plan's operators allow.
func (s *Searcher) lookUp(ctx context.Context, p *plan, part []scored) (map[int64]*group, error) {
	list := make([]byte, 0, 8*len(part))
	list = append(list, '[')
	for i, sc := range part {
		if i > 0 {
			list = append(list, ',')
		}
		list = strconv.AppendInt(list, sc.seq, 10)
	}
	list = append(list, ']')
	q := `SELECT m.seq, m.conversation_id, m.sent_at FROM json_each(?) j CROSS JOIN messages m` + bySeq + ` ON m.seq = j.value` +
		p.rest.join() + ` WHERE ` + p.rest.sql
	rows, err := s.db.QueryContext(ctx, q, append([]any{string(list)}, p.rest.args...)...)
	if err != nil {
		return nil, ftsErr(err)
	}
	defer rows.Close()
	out := make(map[int64]*group, len(part))
	for rows.Next() {
		g := &group{}
		if err := rows.Scan(&g.seq, &g.conv, &g.key.at); err != nil {
			return nil, err
		}
		g.key.seq = g.seq
		out[g.seq] = g
	}
	return out, ftsErr(rows.Err())
}
