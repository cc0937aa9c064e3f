package build

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"io"
	"os"
	"path/filepath"

	"github.com/nhsx/kb/internal/content"
)

// The files' records live in a log beside the rest of the records
// (filesLog): each build appends the records of the files it read anew, or
// found gone, rather than writing every file's record again; a later entry
// for a path replaces an earlier one. The log is written whole again when
// most of it is replaced entries, when the settings changed (every record
// was made again), or when it is not the log the records name.
//
// The rest of the records (state) name the log by its id and say how much
// of it they cover: bytes past that, appended by a build that died before
// its records were written, are never read, and the next append
// overwrites them.
const (
	filesLog   = "files.log"
	filesMagic = "kb-files 1\n"
)

// logRef is the log a state's records of files are in.
type logRef struct {
	ID   [8]byte
	Len  int64 // bytes of the log the records cover, its head included
	Live int64 // bytes of its entries not replaced since
}

// fileEntry is one entry of the log: a file's record, or its end (gone).
type fileEntry struct {
	path string
	rec  fileRecord
	gone bool
}

// appendEntry encodes an entry, prefixed by its length.
func appendEntry(b []byte, f fileEntry) []byte {
	e := encoder{b: make([]byte, 0, 512)}
	e.str(f.path)
	e.bool(f.gone)
	if !f.gone {
		e.file(f.rec)
	}
	b = binary.AppendUvarint(b, uint64(len(e.b)))
	return append(b, e.b...)
}

// readLog reads the files' records from the log in dir that ref names.
// Their facts stay encoded until a page asks for them (see decodeFacts):
// most builds need only some, and those are decoded on every core.
func readLog(dir string, ref logRef) (map[string]fileRecord, error) {
	data, err := os.ReadFile(filepath.Join(dir, filesLog))
	if err != nil {
		return nil, err
	}
	head := len(filesMagic) + len(ref.ID)
	if int64(len(data)) < ref.Len || ref.Len < int64(head) || string(data[:len(filesMagic)]) != filesMagic ||
		!bytes.Equal(data[len(filesMagic):head], ref.ID[:]) {
		return nil, errRecord
	}
	files := map[string]fileRecord{}
	d := decoder{b: data[head:ref.Len]}
	for len(d.b) > 0 && d.err == nil {
		n := d.count()
		entry := decoder{b: d.b[:n]}
		d.b = d.b[n:]
		path, gone := entry.str(), entry.bool()
		if gone {
			delete(files, path)
			continue
		}
		r := entry.file()
		r.entry = int64(n + uvarintLen(n))
		if entry.err != nil {
			return nil, entry.err
		}
		files[path] = r
	}
	return files, d.err
}

func uvarintLen(n int) int { return len(binary.AppendUvarint(nil, uint64(n))) }

// writeLog brings the log in dir up to date with files, the records of this
// build: it appends the entries of the files whose records differ from
// prev's (the records read at the start of the build, in the log prevRef
// names), or writes the log anew when whole is set or appending would leave
// it mostly replaced entries. It returns the reference to the log.
func writeLog(dir string, files, prev map[string]fileRecord, prevRef logRef, whole bool) (logRef, error) {
	if !whole && prev != nil {
		var tail []byte
		live := prevRef.Live
		for path, r := range files {
			if old, ok := prev[path]; ok && old.same(r) {
				continue
			} else if ok {
				live -= old.entry
			}
			n := len(tail)
			tail = appendEntry(tail, fileEntry{path: path, rec: r})
			live += int64(len(tail) - n)
		}
		for path, old := range prev {
			if _, ok := files[path]; !ok {
				live -= old.entry
				tail = appendEntry(tail, fileEntry{path: path, gone: true})
			}
		}
		end := prevRef.Len + int64(len(tail))
		if end-live <= live+1<<20 {
			ref := logRef{ID: prevRef.ID, Len: end, Live: live}
			return ref, appendLog(dir, prevRef, tail)
		}
	}
	return newLog(dir, files)
}

// appendLog writes tail after the part of the log ref covers.
func appendLog(dir string, ref logRef, tail []byte) error {
	f, err := os.OpenFile(filepath.Join(dir, filesLog), os.O_RDWR, 0)
	if err != nil {
		return err
	}
	var id [len(filesMagic) + 8]byte
	if _, err := io.ReadFull(f, id[:]); err != nil || !bytes.Equal(id[len(filesMagic):], ref.ID[:]) {
		f.Close()
		return errors.New("the records' log was replaced")
	}
	if _, err := f.WriteAt(tail, ref.Len); err != nil {
		f.Close()
		return err
	}
	if err := f.Truncate(ref.Len + int64(len(tail))); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// newLog writes a log of files, under a new id, in place of the last. The
// entries are written as they are encoded: at 100,000 pages the whole log
// is some 200 MB, which a build held at its end, while its model was still
// held too.
func newLog(dir string, files map[string]fileRecord) (logRef, error) {
	var ref logRef
	if _, err := rand.Read(ref.ID[:]); err != nil {
		return ref, err
	}
	tmp := filepath.Join(dir, "."+filesLog+".new")
	f, err := os.Create(tmp)
	if err != nil {
		return ref, err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	head := append([]byte(filesMagic), ref.ID[:]...)
	w.Write(head)
	ref.Len = int64(len(head))
	var entry []byte
	for path, r := range files {
		entry = appendEntry(entry[:0], fileEntry{path: path, rec: r})
		w.Write(entry) // a failed write is kept by w, and returned by Flush
		ref.Len += int64(len(entry))
	}
	ref.Live = ref.Len - int64(len(head))
	err = w.Flush()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp)
		return ref, err
	}
	return ref, os.Rename(tmp, filepath.Join(dir, filesLog))
}

// same reports whether r records what old does: the same file (sameFile),
// and facts or none alike. The facts of the same bytes with the same
// settings are the same, so they are not compared.
func (old fileRecord) same(r fileRecord) bool {
	return old.sameFile(r) && old.hasFacts() == r.hasFacts()
}

// sameFile reports whether r is of the same bytes, bundle files and times.
func (old fileRecord) sameFile(r fileRecord) bool {
	return old.Sum == r.Sum && old.Res == r.Res && old.Size == r.Size && old.Mod == r.Mod && old.Change == r.Change
}

func (r fileRecord) hasFacts() bool { return r.Facts != nil || r.facts != nil || r.page != nil }

// decodeFacts returns r's facts, decoding them when they were read from
// the log; nil when there are none or they cannot be decoded.
func (r fileRecord) decodeFacts() *content.Record {
	if r.page != nil && r.Facts == nil {
		return r.page.Record()
	}
	if r.Facts != nil || r.facts == nil {
		return r.Facts
	}
	d := decoder{b: r.facts}
	f := d.facts()
	if d.err != nil {
		return nil
	}
	return f
}
