package export

import (
	"context"
	"io"

	"tidings/backend/store"
)

func writePDF(ctx context.Context, w io.Writer, st *store.Store, ids []string, o Options, p *progress, res *Result) error {
	return nil
}
