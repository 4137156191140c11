package store

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
)

// The statement cache must behave as uncached statements do: the same
// query may run again while rows of it are still being read, scripts of
// several statements run, and errors leave the connection usable.
func TestStatementCache(t *testing.T) {
	ctx := context.Background()
	st, err := Open(ctx, filepath.Join(t.TempDir(), FileName), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	err = st.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `CREATE TABLE t (v INTEGER); INSERT INTO t VALUES (1); INSERT INTO t VALUES (2);`); err != nil {
			return err
		}
		const q = `SELECT v FROM t WHERE v >= ? ORDER BY v`
		outer, err := tx.QueryContext(ctx, q, 1)
		if err != nil {
			return err
		}
		var got []int
		for outer.Next() {
			var v int
			outer.Scan(&v)
			// The same statement, while the outer rows are open.
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM (`+q+`)`, v).Scan(&n); err != nil {
				return err
			}
			inner, err := tx.QueryContext(ctx, q, v)
			if err != nil {
				return err
			}
			for inner.Next() {
				var w int
				inner.Scan(&w)
				got = append(got, v*10+w)
			}
			inner.Close()
		}
		outer.Close()
		if len(got) != 3 || got[0] != 11 || got[1] != 12 || got[2] != 22 {
			t.Errorf("nested reads: got %v, want [11 12 22]", got)
		}
		return outer.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		if _, err := st.DB().Exec(`INSERT INTO missing_table VALUES (1)`); err == nil {
			t.Fatal("insert into a missing table succeeded")
		}
		var n int
		if err := st.DB().QueryRow(`SELECT count(*) FROM t`).Scan(&n); err != nil || n != 2 {
			t.Fatalf("after an error: got %d, %v", n, err)
		}
	}
}
