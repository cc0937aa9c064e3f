package move

import (
	"bytes"
	"fmt"
	"net/url"
	"path"
	"sort"
	"strings"

	"github.com/nhsx/kb/internal/diag"
	"github.com/nhsx/kb/internal/markdown"
)

// relink rewrites the link destinations in src, a file that was at self and
// will be at to, that point at what moves, or that must climb differently
// because the file itself moves folder. Anchors (#...) and a final slash are
// kept. It returns the new text, how many destinations changed, and the
// links it found but could not place in the text.
func (p *Plan) relink(self, to string, src []byte, bundle bool) ([]byte, int, []string) {
	doc := markdown.New().Parse(src)
	type change struct {
		start, end int
		dest       string
	}
	var changes []change
	seen := map[int]bool{}
	var warns []string
	for _, l := range doc.Links() {
		dest := strings.TrimSpace(l.Dest)
		raw, frag, hasFrag := strings.Cut(dest, "#")
		if raw == "" || external(raw) || strings.HasPrefix(raw, "/") {
			continue
		}
		target, err := url.PathUnescape(raw)
		if err != nil {
			continue
		}
		abs := path.Join(path.Dir(self), target)
		moved, _ := p.mapPath(abs, bundle)
		if moved == abs && path.Dir(self) == path.Dir(to) {
			continue // neither end moves: the link is left as written
		}
		rel := relative(path.Dir(to), moved)
		if strings.HasSuffix(target, "/") && !strings.HasSuffix(rel, "/") {
			rel += "/"
		}
		if strings.ContainsAny(rel, " ()<>") {
			rel = (&url.URL{Path: rel}).EscapedPath()
		}
		if hasFrag {
			rel += "#" + frag
		}
		if rel == dest {
			continue
		}
		start, end, ok := findDest(doc.Source, l.Offset, l.Dest)
		if !ok {
			pos := diag.At(self, doc.Source, l.Offset)
			warns = append(warns, fmt.Sprintf("%s: link %s could not be rewritten: change it to %s by hand", pos, l.Dest, rel))
			continue
		}
		if seen[start] {
			continue
		}
		seen[start] = true
		changes = append(changes, change{start, end, rel})
	}
	if len(changes) == 0 {
		return src, 0, warns
	}
	sort.Slice(changes, func(i, j int) bool { return changes[i].start > changes[j].start })
	out := append([]byte{}, src...)
	for _, c := range changes {
		out = append(out[:c.start], append([]byte(c.dest), out[c.end:]...)...)
	}
	return out, len(changes), warns
}

// relative is the path from folder dir to target, both slashed paths from
// the source folder.
func relative(dir, target string) string {
	d, t := strings.Split(dir, "/"), strings.Split(target, "/")
	i := 0
	for i < len(d) && i < len(t)-1 && d[i] == t[i] {
		i++
	}
	up := strings.Repeat("../", len(d)-i)
	return up + strings.Join(t[i:], "/")
}

// findDest finds where a link's destination is written in src, at or after
// the link's opening bracket: [text](dest), [text](<dest>), or a reference
// definition [ref]: dest anywhere in the file.
func findDest(src []byte, from int, dest string) (start, end int, ok bool) {
	d := []byte(dest)
	closes := func(i int) bool { return i >= len(src) || bytes.IndexByte([]byte(")> \t\r\n\"'"), src[i]) >= 0 }
	for i := max(from, 0); i < len(src); {
		j := bytes.Index(src[i:], d)
		if j < 0 {
			break
		}
		at := i + j
		if closes(at+len(d)) && (at >= 2 && src[at-1] == '(' && src[at-2] == ']' || at >= 3 && src[at-1] == '<' && src[at-2] == '(' && src[at-3] == ']') {
			return at, at + len(d), true
		}
		i = at + 1
	}
	for i := 0; i < len(src); {
		j := bytes.Index(src[i:], d)
		if j < 0 {
			break
		}
		at := i + j
		k := at - 1
		for k >= 0 && (src[k] == ' ' || src[k] == '\t' || src[k] == '<') {
			k--
		}
		if closes(at+len(d)) && k >= 1 && src[k] == ':' && src[k-1] == ']' {
			return at, at + len(d), true
		}
		i = at + 1
	}
	return 0, 0, false
}

// external reports destinations that leave the site: any scheme or a
// protocol-relative address.
func external(dest string) bool {
	if strings.HasPrefix(dest, "//") {
		return true
	}
	u, err := url.Parse(dest)
	return err == nil && u.Scheme != ""
}
