// Package htmlcheck checks built pages against the rules of the Nu Html
// Checker (validator.nu) that kb's layouts and content can break, so that
// `make test` catches them without Java: unique ids, heading levels that
// never skip, references (aria-labelledby, label for, #anchors) to ids that
// exist, list and definition-list children, nested links and buttons, and
// roles that repeat an element's own. It also asks for one h1 a page.
package htmlcheck

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Problem is one rule broken on one page.
type Problem struct {
	Page, Msg string
}

func (p Problem) String() string { return p.Page + ": " + p.Msg }

// Dir checks every .html file below dir.
func Dir(dir string) ([]Problem, error) {
	var out []Problem
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
			return err
		}
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		rel, _ := filepath.Rel(dir, p)
		probs, err := Page(filepath.ToSlash(rel), f)
		out = append(out, probs...)
		return err
	})
	return out, err
}

// Page checks one HTML document, named name in the problems.
func Page(name string, r io.Reader) ([]Problem, error) {
	doc, err := html.Parse(r)
	if err != nil {
		return nil, err
	}
	c := &checker{name: name, ids: map[string]int{}}
	c.walk(doc, 0)
	c.finish()
	return c.probs, nil
}

type ref struct{ attr, id string }

type checker struct {
	name      string
	probs     []Problem
	ids       map[string]int
	refs      []ref
	level, h1 int // the last heading's level, and how many h1s
	inLink    int // depth of a, button
}

func (c *checker) addf(format string, args ...any) {
	c.probs = append(c.probs, Problem{c.name, fmt.Sprintf(format, args...)})
}

// redundant roles: the Nu checker warns that these repeat the element's own.
var redundant = map[atom.Atom]string{atom.Header: "banner", atom.Footer: "contentinfo",
	atom.Nav: "navigation", atom.Main: "main", atom.Button: "button", atom.Ul: "list", atom.Ol: "list", atom.Li: "listitem"}

func (c *checker) walk(n *html.Node, depth int) {
	if n.Type == html.ElementNode {
		c.element(n)
	}
	interactive := n.Type == html.ElementNode && (n.DataAtom == atom.A && attr(n, "href") != "" || n.DataAtom == atom.Button)
	if interactive {
		if c.inLink > 0 {
			c.addf("<%s> inside a link or button: interactive elements must not nest", n.Data)
		}
		c.inLink++
	}
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		c.walk(ch, depth+1)
	}
	if interactive {
		c.inLink--
	}
}

func (c *checker) element(n *html.Node) {
	if id, ok := attrOK(n, "id"); ok {
		if id == "" || strings.ContainsAny(id, " \t\n") {
			c.addf("id %q must not be empty or contain spaces", id)
		}
		c.ids[id]++
		if c.ids[id] == 2 {
			c.addf("duplicate id %q", id)
		}
	}
	for _, a := range []string{"aria-labelledby", "aria-describedby", "aria-controls"} {
		for _, id := range strings.Fields(attr(n, a)) {
			c.refs = append(c.refs, ref{a, id})
		}
	}
	if n.DataAtom == atom.Label {
		if f := attr(n, "for"); f != "" {
			c.refs = append(c.refs, ref{"label for", f})
		}
	}
	if n.DataAtom == atom.A {
		if h := attr(n, "href"); strings.HasPrefix(h, "#") && len(h) > 1 {
			c.refs = append(c.refs, ref{"href", h[1:]})
		}
	}
	if role := attr(n, "role"); role != "" && redundant[n.DataAtom] == role {
		c.addf("the %q role is unnecessary for element <%s>", role, n.Data)
	}
	if (n.DataAtom == atom.Div || n.DataAtom == atom.Span) && attr(n, "aria-label") != "" && attr(n, "role") == "" {
		c.addf("aria-label on a <%s> without a role", n.Data)
	}
	switch n.DataAtom {
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		l := int(n.Data[1] - '0')
		if l == 1 {
			c.h1++
		}
		if l > c.level+1 {
			c.addf("heading <h%d> %q comes after <h%d>: heading levels must not skip", l, text(n), c.level)
		}
		c.level = l
	case atom.Ul, atom.Ol:
		c.children(n, atom.Li)
	case atom.Dl:
		c.children(n, atom.Dt, atom.Dd, atom.Div)
	}
}

// children reports element children of n other than those allowed (and
// script and template, which may go anywhere).
func (c *checker) children(n *html.Node, allowed ...atom.Atom) {
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		if ch.Type != html.ElementNode || ch.DataAtom == atom.Script || ch.DataAtom == atom.Template {
			continue
		}
		ok := false
		for _, a := range allowed {
			ok = ok || ch.DataAtom == a
		}
		if !ok {
			c.addf("<%s> is not allowed as a child of <%s>", ch.Data, n.Data)
		}
	}
}

func (c *checker) finish() {
	for _, r := range c.refs {
		if c.ids[r.id] == 0 && r.id != "top" {
			c.addf("%s refers to id %q, which is not on the page", r.attr, r.id)
		}
	}
	if c.h1 != 1 {
		c.addf("the page has %d <h1> headings: it needs exactly one", c.h1)
	}
}

func attrOK(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Namespace == "" && a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

func attr(n *html.Node, key string) string { v, _ := attrOK(n, key); return v }

func text(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			walk(ch)
		}
	}
	walk(n)
	return strings.Join(strings.Fields(b.String()), " ")
}
