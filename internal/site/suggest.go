package site

import (
	"path"
	"strings"

	"github.com/nhsx/kb/internal/content"
	"github.com/nhsx/kb/internal/wgll"
)

// missing explains a link to a page that does not exist, naming the page it
// most likely meant: the page that took the missing one's address as an
// alias (it was renamed), a page whose file name is a letter or two away (a
// typo, in the same folder first), or a page whose title or name holds the
// missing name (renamed without an alias).
func (r resolver) missing(src string) string {
	msg := "link to missing page " + src
	was := urlOf(content.At(src))
	if t := r.s.Aliases[was]; t != nil {
		return msg + ": it moved to " + t.Path + ", which keeps " + was + " as an alias: update the link to " + relLink(r.p.Path, t.Path)
	}
	if t := r.nearest(src, typo); t != nil {
		return msg + ": did you mean " + t.Path + "?"
	}
	if t := r.nearest(src, renamed); t != nil {
		return msg + ": was it renamed to " + t.Path + "? Update the link to " + relLink(r.p.Path, t.Path) +
			", and add aliases: [" + was + "] to " + t.Path + " so that the old address keeps working (kb mv OLD NEW renames a page)"
	}
	return msg + ": check the path (it is relative to this file)"
}

// nearest finds the published page that match says is closest to src, in
// src's folder first; nil when none is close.
func (r resolver) nearest(src string, match func(want, stem string, p *Page) (int, bool)) *Page {
	want := stem(src)
	var best *Page
	bestScore := 0
	for _, p := range r.s.sortedPages() {
		score, ok := match(want, stem(p.Path), p)
		if !ok {
			continue
		}
		if path.Dir(p.Path) != path.Dir(src) {
			score += 100 // another folder: only when nothing in this one matches
		}
		if best == nil || score < bestScore || score == bestScore && p.Path < best.Path {
			best, bestScore = p, score
		}
	}
	return best
}

// typo matches a file name a few letters away: one edit for short names,
// up to three for long ones.
func typo(want, stem string, _ *Page) (int, bool) {
	d := wgll.Distance(want, stem)
	return d, d <= max(1, min(3, len(want)/5))
}

// renamed matches a page whose name or title holds the missing name as whole
// words ("dtac" in digital-technology-assessment-criteria-dtac), or whose
// title's initials spell it (the DTAC of Digital Technology Assessment
// Criteria, the GDPR of UK General Data Protection Regulation).
func renamed(want, stem string, p *Page) (int, bool) {
	if len(want) < 3 {
		return 0, false
	}
	title := content.Slugify(p.Title)
	for i, s := range []string{stem, title} {
		if strings.Contains("-"+s+"-", "-"+want+"-") {
			return i, true
		}
	}
	initials := ""
	for _, w := range strings.Split(title, "-") {
		if w != "" && w != "and" && w != "of" && w != "the" && w != "for" && w != "in" {
			initials += w[:1]
		}
	}
	return 2, strings.Contains(initials, want)
}

// stem is a page's name as its URL shows it: the file name without .md, or
// the folder's name for a bundle's index.md.
func stem(src string) string {
	dir, name := path.Split(src)
	name = strings.TrimSuffix(name, path.Ext(name))
	if name == "index" || name == "_index" {
		name = path.Base(dir)
	}
	return content.Slugify(name)
}

// relLink is the relative link from the file from to the file to, as a
// contributor writes it in Markdown.
func relLink(from, to string) string {
	a := strings.Split(path.Dir(from), "/")
	b := strings.Split(to, "/")
	i := 0
	for i < len(a) && i < len(b)-1 && a[i] == b[i] {
		i++
	}
	return strings.Repeat("../", len(a)-i) + strings.Join(b[i:], "/")
}
