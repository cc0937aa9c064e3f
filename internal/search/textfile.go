package search

import (
	"encoding/binary"
	"errors"
	"slices"
)

// textFile is the file, beside bleve's in the index folder, that holds the
// lexicon and each page's code: "kb-text 4\n", the varint length of the
// lexicon and the lexicon, the varint length of the table of pages and the
// table, then the codes one after another. The table gives for each page
// the varint lengths and bytes of its URL, then the varint lengths of its
// code and its prose. Opening the index reads the lexicon and the table;
// the file is mapped, so a page's code is read from disk when first used.
const (
	textFile  = "kb-text.bin"
	textMagic = "kb-text 4\n"
)

// marshalText lays out the lexicon and the rows' codes, in URL order.
func marshalText(lex *lexicon, rows map[string]row) []byte {
	urls := make([]string, 0, len(rows))
	for u := range rows {
		urls = append(urls, u)
	}
	slices.Sort(urls)
	// Sized up front: at 10,000 pages the file is tens of megabytes, and
	// growing it by appends cost more than writing it.
	n, codes := 0, 0
	for _, u := range urls {
		n += len(u) + 3*binary.MaxVarintLen64
		codes += len(rows[u].code)
	}
	table := make([]byte, 0, n)
	for _, u := range urls {
		r := rows[u]
		table = binary.AppendUvarint(table, uint64(len(u)))
		table = append(table, u...)
		table = binary.AppendUvarint(table, uint64(len(r.code)))
		table = binary.AppendUvarint(table, uint64(r.prose))
	}
	lb := lex.marshal()
	out := make([]byte, 0, len(textMagic)+2*binary.MaxVarintLen64+len(lb)+len(table)+codes)
	out = append(out, textMagic...)
	out = binary.AppendUvarint(out, uint64(len(lb)))
	out = append(out, lb...)
	out = binary.AppendUvarint(out, uint64(len(table)))
	out = append(out, table...)
	for _, u := range urls {
		out = append(out, rows[u].code...)
	}
	return out
}

// unmarshalText reads what marshalText wrote into the rows it names.
func unmarshalText(b []byte, rows map[string]row) (*lexicon, error) {
	if len(b) < len(textMagic) || string(b[:len(textMagic)]) != textMagic {
		return nil, errors.New("not a kb text file")
	}
	b = b[len(textMagic):]
	bytesOf := func() ([]byte, error) {
		n, size := binary.Uvarint(b)
		if size <= 0 || n > uint64(len(b)-size) {
			return nil, errLexicon
		}
		v := b[size : size+int(n)]
		b = b[size+int(n):]
		return v, nil
	}
	lb, err := bytesOf()
	if err != nil {
		return nil, err
	}
	lex, err := unmarshalLexicon(lb)
	if err != nil {
		return nil, err
	}
	table, err := bytesOf()
	if err != nil {
		return nil, err
	}
	codes := b
	for len(table) > 0 {
		var v [3]uint64
		var u []byte
		for i := range v {
			n, size := binary.Uvarint(table)
			if size <= 0 {
				return nil, errLexicon
			}
			v[i], table = n, table[size:]
			if i == 0 {
				if n > uint64(len(table)) {
					return nil, errLexicon
				}
				u, table = table[:n], table[n:]
			}
		}
		if v[1] > uint64(len(codes)) {
			return nil, errLexicon
		}
		code := codes[:v[1]:v[1]]
		codes = codes[v[1]:]
		if r, ok := rows[string(u)]; ok {
			r.code, r.prose = code, int(v[2])
			rows[string(u)] = r
		}
	}
	if len(codes) != 0 {
		return nil, errLexicon
	}
	return lex, nil
}
