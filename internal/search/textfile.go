package search

import (
	"bufio"
	"encoding/binary"
	"errors"
	"io"
	"slices"
)

// textFile is the file, beside bleve's in the index folder, that holds the
// lexicon, each page's row and each page's code: "kb-text 5\n", then the
// varint length and bytes of the lexicon, of the names and of the table of
// pages, then the codes one after another. The names are the distinct
// types, measures, topics and organisations of the rows, each as its varint
// length and bytes after their varint count. The table gives for each page,
// in URL order, the varint length and bytes of its URL; the number of its
// type's name; the count and numbers of its measures', topics' and
// organisations' names; its date as a varint; its document's sum in 8
// bytes; and the varint lengths of its code and its prose.
//
// Opening the index reads the lexicon, the names and the table, which are
// small; the file is mapped, so a page's code is read from disk when first
// used. The rows are kept here rather than among bleve's records (as JSON,
// packed) because a build after a one-page edit writes them all again, and
// reading and writing them as JSON cost it a quarter of a second.
const (
	textFile  = "kb-text.bin"
	textMagic = "kb-text 5\n"
)

// writeText lays out the lexicon, the rows and their codes, in URL order,
// onto w. The codes, tens of megabytes at 10,000 pages, are streamed from
// where they are (the last index's file, mapped, or a Writer's spill file,
// read through spilled) rather than copied into one buffer first.
func writeText(w io.Writer, lex *lexicon, rows map[string]row, spilled io.ReaderAt) error {
	urls := make([]string, 0, len(rows))
	for u := range rows {
		urls = append(urls, u)
	}
	slices.Sort(urls)
	var names []string
	number := map[string]uint64{}
	name := func(table []byte, s string) []byte {
		n, ok := number[s]
		if !ok {
			n = uint64(len(names))
			number[s] = n
			names = append(names, s)
		}
		return binary.AppendUvarint(table, n)
	}
	table := make([]byte, 0, len(urls)*96)
	for _, u := range urls {
		r := rows[u]
		table = binary.AppendUvarint(table, uint64(len(u)))
		table = append(table, u...)
		table = name(table, r.Type)
		for _, list := range [][]string{r.Measures, r.Topics, r.Orgs} {
			table = binary.AppendUvarint(table, uint64(len(list)))
			for _, s := range list {
				table = name(table, s)
			}
		}
		table = binary.AppendVarint(table, r.Date)
		table = binary.LittleEndian.AppendUint64(table, r.Sum)
		table = binary.AppendUvarint(table, uint64(r.size()))
		table = binary.AppendUvarint(table, uint64(r.prose))
	}
	head := []byte(textMagic)
	section := func(b []byte) { head = append(binary.AppendUvarint(head, uint64(len(b))), b...) }
	section(lex.marshal())
	var nb []byte
	nb = binary.AppendUvarint(nb, uint64(len(names)))
	for _, s := range names {
		nb = append(binary.AppendUvarint(nb, uint64(len(s))), s...)
	}
	section(nb)
	section(table)
	bw := bufio.NewWriterSize(w, 1<<20)
	bw.Write(head)
	var buf []byte
	for _, u := range urls {
		code, err := codeOf(rows[u].pageText, spilled, buf)
		if err != nil {
			return err
		}
		if rows[u].code == nil {
			buf = code // reused for the next spilled code
		}
		bw.Write(code)
	}
	return bw.Flush()
}

// textReader reads the sections writeText wrote.
type textReader struct {
	b   []byte
	err error
}

func (t *textReader) uint() uint64 {
	n, size := binary.Uvarint(t.b)
	if size <= 0 {
		t.fail()
		return 0
	}
	t.b = t.b[size:]
	return n
}

func (t *textReader) bytes(n uint64) []byte {
	if n > uint64(len(t.b)) {
		t.fail()
		return nil
	}
	v := t.b[:n:n]
	t.b = t.b[n:]
	return v
}

func (t *textReader) fail() {
	t.err, t.b = errLexicon, nil
}

// unmarshalText reads what writeText wrote: the lexicon and the rows, whose
// codes point into b.
func unmarshalText(b []byte) (*lexicon, map[string]row, error) {
	if len(b) < len(textMagic) || string(b[:len(textMagic)]) != textMagic {
		return nil, nil, errors.New("not a kb text file")
	}
	t := &textReader{b: b[len(textMagic):]}
	lb := t.bytes(t.uint())
	nr := &textReader{b: t.bytes(t.uint())}
	tr := &textReader{b: t.bytes(t.uint())}
	if t.err != nil {
		return nil, nil, t.err
	}
	lex, err := unmarshalLexicon(lb)
	if err != nil {
		return nil, nil, err
	}
	names := make([]string, nr.uint())
	for i := range names {
		names[i] = string(nr.bytes(nr.uint()))
	}
	name := func() string {
		n := tr.uint()
		if n >= uint64(len(names)) {
			tr.fail()
			return ""
		}
		return names[n]
	}
	list := func() []string {
		n := tr.uint()
		if n > uint64(len(tr.b)) {
			tr.fail()
		}
		if n == 0 || tr.err != nil {
			return nil
		}
		out := make([]string, n)
		for i := range out {
			out[i] = name()
		}
		return out
	}
	rows := map[string]row{}
	codes := t.b
	for len(tr.b) > 0 && tr.err == nil && nr.err == nil {
		r := row{URL: string(tr.bytes(tr.uint())), Type: name(), Measures: list(), Topics: list(), Orgs: list()}
		if v, size := binary.Varint(tr.b); size > 0 {
			r.Date, tr.b = v, tr.b[size:]
		} else {
			tr.fail()
		}
		if sum := tr.bytes(8); len(sum) == 8 {
			r.Sum = binary.LittleEndian.Uint64(sum)
		}
		n, prose := tr.uint(), tr.uint()
		if n > uint64(len(codes)) {
			tr.fail()
			break
		}
		r.code, r.prose, codes = codes[:n:n], int(prose), codes[n:]
		rows[r.URL] = r.prepare()
	}
	if tr.err != nil || nr.err != nil || len(codes) != 0 {
		return nil, nil, errLexicon
	}
	return lex, rows, nil
}
