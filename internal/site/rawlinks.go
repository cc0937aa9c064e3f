package site

import (
	"strings"

	"github.com/nhsx/kb/internal/content"
	"github.com/nhsx/kb/internal/diag"
	"github.com/nhsx/kb/internal/markdown"
)

// rawLinks reports the links of a page that Markdown left as text.
func rawLinks(p *content.Page, at *content.Positions, errs *diag.List) {
	for _, l := range p.Doc.RawLinks() {
		errs.Addf(at.At(l.Offset), "%s", rawLink(l))
	}
}

// rawLink explains why something written as a link was published as text,
// and how to write it so that it is a link.
func rawLink(l markdown.RawLink) string {
	const msg = "this link is published as text, brackets and all"
	switch {
	case !l.Closed:
		return msg + ", because its ( is never closed: add ) after the address"
	case strings.ContainsAny(l.Dest, " \t"):
		addr, frag, _ := strings.Cut(l.Dest, "#")
		if strings.ContainsAny(frag, " \t") && !strings.ContainsAny(addr, " \t") {
			anchor := strings.ToLower(strings.Join(strings.Fields(frag), "-"))
			return msg + ", because its address has spaces: anchors are written with hyphens, in lower case: [" + l.Text + "](" + addr + "#" + anchor + ")"
		}
		return msg + ", because its address has spaces: write each space as %20, or put the address in <>: [" + l.Text + "](<" + l.Dest + ">)"
	}
	return msg + ": check the brackets and the address, written [text](address)"
}
