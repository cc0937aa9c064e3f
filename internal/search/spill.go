package search

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
)

// spillFile is where a Writer keeps the codes of the pages it encoded, in
// the index folder it is writing, until Close writes them into the text
// file and removes it.
const spillFile = "kb-codes.tmp"

// spill holds the codes a Writer encodes on disk rather than in memory.
// Each code is wanted twice: as its page is indexed, and when the text
// file is written at the end of the build. In between, held in memory,
// they were the largest thing a build kept: over 200 MB at 100,000 pages.
// The file is read back through the page cache, which the kernel can give
// up, rather than mapped, which would count against the build's memory.
type spill struct {
	mu  sync.Mutex
	f   *os.File
	buf *bufio.Writer
	end int64
	err error
}

func newSpill(dir string) (*spill, error) {
	f, err := os.OpenFile(filepath.Join(dir, spillFile), os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return nil, err
	}
	return &spill{f: f, buf: bufio.NewWriterSize(f, 1<<20)}, nil
}

// put writes t's code to the file and returns t pointing at it instead. A
// failed write is kept and reported by flush.
func (s *spill) put(t pageText) pageText {
	s.mu.Lock()
	defer s.mu.Unlock()
	at := s.end
	if _, err := s.buf.Write(t.code); err != nil && s.err == nil {
		s.err = err
	}
	s.end += int64(len(t.code))
	return pageText{prose: t.prose, at: at, n: len(t.code)}
}

// flush makes every code put so far readable with ReadAt.
func (s *spill) flush() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.buf.Flush(); err != nil && s.err == nil {
		s.err = err
	}
	if s.err != nil {
		return fmt.Errorf("keeping page codes in %s: %w", s.f.Name(), s.err)
	}
	return nil
}

func (s *spill) ReadAt(p []byte, off int64) (int, error) { return s.f.ReadAt(p, off) }

// remove closes and deletes the file.
func (s *spill) remove() {
	if s == nil {
		return
	}
	s.f.Close()
	os.Remove(s.f.Name())
}

// codeOf returns t's code: in memory, or read from spilled into buf
// (grown as needed) when a Writer spilled it.
func codeOf(t pageText, spilled io.ReaderAt, buf []byte) ([]byte, error) {
	if t.code != nil || t.n == 0 {
		return t.code, nil
	}
	if cap(buf) < t.n {
		buf = make([]byte, t.n)
	}
	buf = buf[:t.n]
	if _, err := spilled.ReadAt(buf, t.at); err != nil {
		return nil, err
	}
	return buf, nil
}
