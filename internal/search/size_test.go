package search_test

import (
	"encoding/binary"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	segment "github.com/blevesearch/scorch_segment_api/v2"
	"github.com/blevesearch/vellum"
)

// BenchmarkIndexSize10k reports the 10,000-page index's size beside the
// Markdown it was built from (target: at most 0.6 of it), and logs where
// the bytes go, field by field: stored values, postings (document
// bitmaps, frequencies and norms, positions), term dictionaries and doc
// values, read from the merged zap segment, and kb's own data beside it.
// It times nothing: its metrics are sizes.
func BenchmarkIndexSize10k(b *testing.B) {
	dir := index10k(b)
	md := treeSize(filepath.Join(corpus10k(b), "content"), ".md")
	total := treeSize(dir, "")
	for b.Loop() {
	}
	table, err := sizeTable(dir)
	if err != nil {
		b.Fatal(err)
	}
	// Printed, not logged: a benchmark's log is cut after a few lines.
	fmt.Printf("Markdown %.1f MB, index %.1f MB (%.2f×)\n%s", mb(md), mb(total), float64(total)/float64(md), table)
	b.ReportMetric(mb(total), "index-MB")
	b.ReportMetric(float64(total)/float64(md), "index/md")
}

func mb(n int64) float64 { return float64(n) / 1e6 }

// treeSize sums the sizes of the files under dir whose names end in ext.
func treeSize(dir, ext string) int64 {
	var size int64
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ext) {
			if info, err := d.Info(); err == nil {
				size += info.Size()
			}
		}
		return nil
	})
	return size
}

// zapSegment is what the size table reads of a zap segment: its bytes and
// the offsets its footer holds (zapx's Segment has these for its own tools).
type zapSegment interface {
	Data() []byte
	NumDocs() uint64
	StoredIndexOffset() uint64
	SectionsIndexOffset() uint64
	VisitStoredFields(num uint64, visit segment.StoredFieldValueVisitor) error
}

// fieldSize is where one field's bytes go.
type fieldSize struct {
	name                                      string
	stored, bitmaps, freqs, positions, dict   int64
	docValues, terms, oneHit, postingsHeaders int64
}

func (f fieldSize) total() int64 {
	return f.stored + f.bitmaps + f.freqs + f.positions + f.dict + f.docValues + f.postingsHeaders
}

// sizeTable lays out, as text, where an index's bytes go.
func sizeTable(dir string) (string, error) {
	bi, err := bleve.OpenUsing(dir, map[string]any{"read_only": true})
	if err != nil {
		return "", err
	}
	defer bi.Close()
	adv, err := bi.Advanced()
	if err != nil {
		return "", err
	}
	r, err := adv.Reader()
	if err != nil {
		return "", err
	}
	defer r.Close()
	var b strings.Builder
	fmt.Fprintf(&b, "%-14s %9s %9s %9s %9s %9s %9s %9s %8s\n", "field", "total", "stored", "bitmaps", "freq+norm", "positions", "dict", "docvalues", "terms")
	for _, ss := range r.(*scorch.IndexSnapshot).Segments() {
		seg, ok := ss.Segment().(zapSegment)
		if !ok {
			return "", fmt.Errorf("segment %T is not zap", ss.Segment())
		}
		fields, err := segmentSizes(seg)
		if err != nil {
			return "", err
		}
		var sum int64
		for _, f := range fields {
			sum += f.total()
			fmt.Fprintf(&b, "%-14s %9.2f %9.2f %9.2f %9.2f %9.2f %9.2f %9.2f %8d\n", f.name, mb(f.total()), mb(f.stored),
				mb(f.bitmaps+f.postingsHeaders), mb(f.freqs), mb(f.positions), mb(f.dict), mb(f.docValues), f.terms)
		}
		fmt.Fprintf(&b, "%-14s %9.2f (segment %.2f MB)\n", "(rest)", mb(int64(len(seg.Data()))-sum), mb(int64(len(seg.Data()))))
	}
	for _, key := range []string{"kb:rows", "kb:vocabulary", "kb:labels", "kb:synonyms"} {
		v, _ := bi.GetInternal([]byte(key))
		fmt.Fprintf(&b, "%-14s %9.2f (internal value)\n", key, mb(int64(len(v))))
	}
	for _, f := range []string{"store/root.bolt", "kb-text.bin"} {
		if info, _ := os.Stat(filepath.Join(dir, f)); info != nil {
			fmt.Fprintf(&b, "%-14s %9.2f (file)\n", filepath.Base(f), mb(info.Size()))
		}
	}
	return b.String(), nil
}

// segmentSizes attributes a zap segment's bytes to its fields. Each field's
// postings, dictionary and doc values lie together, one field after another;
// the stored values are one snappy block a document, shared out among the
// fields by their values' lengths.
func segmentSizes(seg zapSegment) ([]fieldSize, error) {
	data := seg.Data()
	uvarint := func(at uint64) (uint64, uint64) {
		v, n := binary.Uvarint(data[at:])
		return v, uint64(n)
	}
	byName := map[string]*fieldSize{}
	field := func(name string) *fieldSize {
		if byName[name] == nil {
			byName[name] = &fieldSize{name: name}
		}
		return byName[name]
	}
	if err := storedSizes(seg, data, field); err != nil {
		return nil, err
	}
	pos := seg.SectionsIndexOffset()
	n, sz := uvarint(pos)
	pos += sz
	for range n {
		addr := binary.BigEndian.Uint64(data[pos:])
		pos += 8
		nameLen, sz := uvarint(addr)
		name := string(data[addr+sz : addr+sz+nameLen])
		at := addr + sz + nameLen
		_, sz = uvarint(at) // options
		at += sz
		sections, sz := uvarint(at)
		at += sz
		for range sections {
			typ, sec := binary.BigEndian.Uint16(data[at:]), binary.BigEndian.Uint64(data[at+2:])
			at += 10
			if typ != 0 || sec == 0 { // 0: the inverted text index
				continue
			}
			if err := invertedSizes(data, sec, field(name)); err != nil {
				return nil, fmt.Errorf("field %s: %w", name, err)
			}
		}
	}
	var out []fieldSize
	for _, f := range byName {
		out = append(out, *f)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].total() > out[j].total() })
	return out, nil
}

// storedSizes shares each document's stored bytes among its fields.
func storedSizes(seg zapSegment, data []byte, field func(string) *fieldSize) error {
	for doc := range seg.NumDocs() {
		at := binary.BigEndian.Uint64(data[seg.StoredIndexOffset()+8*doc:])
		metaLen, n1 := binary.Uvarint(data[at:])
		dataLen, n2 := binary.Uvarint(data[at+uint64(n1):])
		size := float64(uint64(n1+n2) + metaLen + dataLen)
		lens := map[string]int{}
		all := 0
		err := seg.VisitStoredFields(doc, func(name string, _ byte, v []byte, _ []uint64) bool {
			lens[name] += len(v)
			all += len(v)
			return true
		})
		if err != nil {
			return err
		}
		names := make([]string, 0, len(lens))
		for name := range lens {
			names = append(names, name)
		}
		slices.Sort(names)
		for _, name := range names {
			field(name).stored += int64(size * float64(lens[name]) / float64(max(all, 1)))
		}
	}
	return nil
}

// invertedSizes adds up one field's inverted index, from the section at
// sec: doc values' start and end, then the dictionary's offset.
func invertedSizes(data []byte, sec uint64, f *fieldSize) error {
	dvStart, n1 := binary.Uvarint(data[sec:])
	dvEnd, n2 := binary.Uvarint(data[sec+uint64(n1):])
	dictAt, _ := binary.Uvarint(data[sec+uint64(n1+n2):])
	if dvStart != ^uint64(0) {
		f.docValues += int64(dvEnd - dvStart)
	}
	dictLen, n := binary.Uvarint(data[dictAt:])
	f.dict += int64(uint64(n) + dictLen)
	fst, err := vellum.Load(data[dictAt+uint64(n) : dictAt+uint64(n)+dictLen])
	if err != nil {
		return err
	}
	it, err := fst.Iterator(nil, nil)
	for err == nil {
		_, off := it.Current()
		f.terms++
		if off&(1<<63) != 0 { // one document, frequency 1: all in the dictionary
			f.oneHit++
		} else {
			freqAt, a := binary.Uvarint(data[off:])
			locAt, b := binary.Uvarint(data[off+uint64(a):])
			bmLen, c := binary.Uvarint(data[off+uint64(a+b):])
			if locAt < freqAt { // no positions: only frequencies and norms
				locAt = off
			}
			f.freqs += int64(locAt - freqAt)
			f.positions += int64(off - locAt)
			f.bitmaps += int64(bmLen)
			f.postingsHeaders += int64(a + b + c)
		}
		err = it.Next()
	}
	if err != vellum.ErrIteratorDone {
		return err
	}
	return nil
}
