package export

import (
	"bufio"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"unicode"
	"unicode/utf8"
)

// countingWriter counts bytes and remembers the first write error, turned
// into a sentence a user understands.
type countingWriter struct {
	w   io.Writer
	n   int64
	err error
}

func (c *countingWriter) Write(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	n, err := c.w.Write(p)
	c.n += int64(n)
	if err != nil {
		c.err = writeErr(err)
	}
	return n, c.err
}

// writeErr explains a failed write.
func writeErr(err error) error {
	switch {
	case errors.Is(err, syscall.ENOSPC):
		return fmt.Errorf("export: the disk is full: %w", err)
	case errors.Is(err, syscall.EFBIG):
		return fmt.Errorf("export: the file is larger than this disk or account allows: %w", err)
	case errors.Is(err, syscall.EDQUOT):
		return fmt.Errorf("export: disk quota exceeded: %w", err)
	}
	return fmt.Errorf("export: write failed: %w", err)
}

// createErr explains why an output could not be created.
func createErr(path string, err error) error {
	switch {
	case errors.Is(err, os.ErrPermission):
		return fmt.Errorf("export: cannot write %s: permission denied (choose another folder)", path)
	case errors.Is(err, os.ErrNotExist):
		return fmt.Errorf("export: cannot write %s: the folder %s does not exist", path, filepath.Dir(path))
	case errors.Is(err, syscall.EROFS):
		return fmt.Errorf("export: cannot write %s: the disk is read-only", path)
	}
	return fmt.Errorf("export: cannot write %s: %w", path, err)
}

// writeFile writes path through a temporary file in the same folder, which
// replaces path only once fn has succeeded and the data is on disk.
func writeFile(path string, res *Result, fn func(w *countingWriter) error) error {
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return fmt.Errorf("export: %s is a folder; give a file name: %w", path, errIsDir)
	}
	tmp, err := createTemp(path)
	if err != nil {
		return err
	}
	name := tmp.Name()
	ok := false
	defer func() {
		if !ok {
			tmp.Close()
			os.Remove(name)
		}
	}()
	bw := bufio.NewWriterSize(tmp, 256<<10)
	cw := &countingWriter{w: bw}
	if err := fn(cw); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return writeErr(err)
	}
	if cw.err != nil {
		return cw.err
	}
	if err := tmp.Sync(); err != nil {
		return writeErr(err)
	}
	if err := tmp.Close(); err != nil {
		return writeErr(err)
	}
	if err := os.Rename(name, path); err != nil {
		return createErr(path, err)
	}
	ok = true
	res.Bytes += cw.n
	res.Files++
	return nil
}

var errIsDir = errors.New("is a directory")

func createTemp(path string) (*os.File, error) {
	dir := filepath.Dir(path)
	if fi, err := os.Stat(dir); err != nil {
		return nil, createErr(path, err)
	} else if !fi.IsDir() {
		return nil, fmt.Errorf("export: cannot write %s: %s is not a folder", path, dir)
	}
	f, err := os.OpenFile(filepath.Join(dir, "."+filepath.Base(path)+".part-"+randomHex()), os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		return nil, createErr(path, err)
	}
	return f, nil
}

func randomHex() string {
	var b [6]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// safeName turns a subject into a file name part that every OS accepts.
func safeName(s string, max int) string {
	var b strings.Builder
	dash := false
	for _, r := range s {
		ok := unicode.IsLetter(r) || unicode.IsDigit(r) || r == '.' || r == '_'
		if !ok {
			if !dash && b.Len() > 0 {
				b.WriteByte('-')
				dash = true
			}
			continue
		}
		b.WriteRune(r)
		dash = false
		if utf8.RuneCountInString(b.String()) >= max {
			break
		}
	}
	out := strings.Trim(b.String(), "-.")
	if out == "" {
		return "untitled"
	}
	return out
}

// uniqueNames hands out names, adding -2, -3, ... to repeats.
type uniqueNames map[string]int

func (u uniqueNames) name(base, ext string) string {
	key := strings.ToLower(base)
	u[key]++
	if n := u[key]; n > 1 {
		return fmt.Sprintf("%s-%d%s", base, n, ext)
	}
	return base + ext
}
