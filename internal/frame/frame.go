// Package frame is a page of the site rendered once through the theme, with
// slots for what changes from one request to the next: the title and the
// main part. The pages made per request (search results, self-assessment
// results) are filled in from it, so that their server needs no theme, no
// site model and no templates of the site's, only the frame's bytes.
package frame

import (
	"bytes"
	"fmt"
	"html"
	"html/template"
	"io"
)

// Marks the renderer puts where the slots are. Title is plain text that
// HTML escaping leaves as it is, so it survives both the <title> element and
// attribute values; Main is a comment, put by the layout as HTML.
const (
	Title = "kb-frame-title-slot"
	Main  = template.HTML("<!--kb-frame-main-slot-->")
)

// Frame is a parsed frame: the page cut at its slots.
type Frame struct {
	parts [][]byte // text between the slots
	main  []bool   // main[i]: the slot after parts[i] is the main part (else the title)
}

// Parse cuts page, rendered with layout, at its slots. A page without
// exactly one main slot is not a frame: a layout that left it out would show
// every request's page without its answer.
func Parse(layout string, page []byte) (*Frame, error) {
	if n := bytes.Count(page, []byte(Main)); n != 1 {
		return nil, fmt.Errorf("layout %s shows the part kb fills in %d times, not once: its \"main\" block must show {{.Search}} (search) or {{.Assess}} (the self-assessment) exactly once", layout, n)
	}
	f := &Frame{}
	rest := page
	for {
		t, m := bytes.Index(rest, []byte(Title)), bytes.Index(rest, []byte(Main))
		switch {
		case t < 0 && m < 0:
			f.parts = append(f.parts, rest)
			return f, nil
		case m >= 0 && (t < 0 || m < t):
			f.parts, f.main = append(f.parts, rest[:m]), append(f.main, true)
			rest = rest[m+len(Main):]
		default:
			f.parts, f.main = append(f.parts, rest[:t]), append(f.main, false)
			rest = rest[t+len(Title):]
		}
	}
}

// Page writes the frame with title (escaped) and main (as it is) in their slots.
func (f *Frame) Page(w io.Writer, title string, main template.HTML) error {
	escaped := html.EscapeString(title)
	for i, p := range f.parts {
		if _, err := w.Write(p); err != nil {
			return err
		}
		if i == len(f.main) {
			break
		}
		slot := escaped
		if f.main[i] {
			slot = string(main)
		}
		if _, err := io.WriteString(w, slot); err != nil {
			return err
		}
	}
	return nil
}

// Bytes is the frame as Parse read it, for writing to a file.
func (f *Frame) Bytes() []byte {
	var b bytes.Buffer
	for i, p := range f.parts {
		b.Write(p)
		if i < len(f.main) {
			if f.main[i] {
				b.WriteString(string(Main))
			} else {
				b.WriteString(Title)
			}
		}
	}
	return b.Bytes()
}
