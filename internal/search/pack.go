package search

import (
	"bytes"
	"compress/flate"
	"io"
	"strings"
)

// The rows stored with the index repeat slugs and URL paths; flate packs
// them to a fraction of their size. The prose each page stores for its
// snippets is left to bleve (snappy): unpacking flate for every hit shown
// cost a results page about a millisecond, more than its saving was worth.

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
	r := flate.NewReader(strings.NewReader(packed))
	defer r.Close()
	var b bytes.Buffer
	b.Grow(4 * len(packed))
	if _, err := b.ReadFrom(r); err != nil {
		return ""
	}
	return b.String()
}
