package search

import (
	"bytes"
	"compress/flate"
	"io"
	"strings"
	"sync"
)

// The prose each page stores for its snippets is most of what the index
// holds. bleve compresses stored fields with snappy, which is fast but
// leaves English text at about half its size; flate leaves it nearer two
// fifths, and a results page unpacks only the twenty hits it shows.

// packText compresses text for storing; unpackText undoes it.
func packText(text string) string {
	var b bytes.Buffer
	w, _ := flate.NewWriter(&b, flate.BestCompression) // the level is valid
	io.WriteString(w, text)
	w.Close()
	return b.String()
}

// unpackText returns the text packText packed, or "" if packed is not
// flate data (an index is only read by the kb that wrote its format).
func unpackText(packed string) string {
	var p inflaters
	return p.unpack(packed)
}

// inflaters keeps flate readers for reuse: each holds a 32 KB window, and
// every hit shown unpacks its page's prose. The zero value is ready.
type inflaters struct{ pool sync.Pool }

// unpack is unpackText with a reader from the pool.
func (p *inflaters) unpack(packed string) string {
	src := strings.NewReader(packed)
	r, _ := p.pool.Get().(io.ReadCloser)
	if r == nil {
		r = flate.NewReader(src)
	} else if err := r.(flate.Resetter).Reset(src, nil); err != nil {
		return ""
	}
	defer p.pool.Put(r)
	var b strings.Builder
	b.Grow(3 * len(packed)) // about what prose packs into
	if _, err := io.Copy(&b, r); err != nil {
		return ""
	}
	return b.String()
}
