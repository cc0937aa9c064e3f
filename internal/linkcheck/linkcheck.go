// Package linkcheck checks a built site as a visitor's browser would follow it:
// every link and embedded file on the site resolves to a file in the output,
// every #anchor exists on its target page, and the sitemap lists exactly the
// published pages. It reads only the output folder, so it checks what is
// deployed, whatever produced it.
package linkcheck

import (
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"golang.org/x/net/html"
)

// Problem is one broken reference, named by the page it is on.
type Problem struct {
	Page string // the page's path below the site root, such as guides/x/index.html
	Ref  string // the reference as written
	Msg  string
}

func (p Problem) String() string {
	if p.Ref == "" {
		return p.Page + ": " + p.Msg
	}
	return p.Page + ": " + p.Ref + ": " + p.Msg
}

// checker holds one run's state: the site's files and each page's anchors.
type checker struct {
	dir      string
	base     *url.URL // the site's public URL; links to it count as internal
	pages    map[string]*page
	problems []Problem
}

// page is what one HTML file offers and asks for.
type page struct {
	ids      map[string]bool
	refs     []string
	redirect bool // an alias page: a meta refresh to the page's new address
}

// Check checks the site built in dir. base is the site's public URL (such as
// https://kb.example.org); absolute links to it are checked like rooted ones.
func Check(dir, base string) ([]Problem, error) {
	c := &checker{dir: dir, pages: map[string]*page{}}
	if base != "" {
		u, err := url.Parse(base)
		if err != nil {
			return nil, fmt.Errorf("base URL %q: %w", base, err)
		}
		c.base = u
	}
	if err := c.load(); err != nil {
		return nil, err
	}
	names := make([]string, 0, len(c.pages))
	for name := range c.pages {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		for _, ref := range c.pages[name].refs {
			if msg := c.follow(name, ref); msg != "" {
				c.problems = append(c.problems, Problem{Page: name, Ref: ref, Msg: msg})
			}
		}
	}
	c.sitemap()
	return c.problems, nil
}

// load parses every HTML file of the site.
func (c *checker) load() error {
	return filepath.WalkDir(c.dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(p) != ".html" {
			return err
		}
		rel, _ := filepath.Rel(c.dir, p)
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		doc, err := html.Parse(f)
		if err != nil {
			return fmt.Errorf("%s: %w", rel, err)
		}
		c.pages[filepath.ToSlash(rel)] = scan(doc)
		return nil
	})
}

// refAttrs are the attributes that make a browser fetch or go somewhere.
var refAttrs = map[string]bool{"href": true, "src": true, "action": true, "poster": true}

// scan collects a page's ids and references.
func scan(doc *html.Node) *page {
	p := &page{ids: map[string]bool{}}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			for _, a := range n.Attr {
				switch {
				case a.Key == "id" || (a.Key == "name" && n.Data == "a"):
					p.ids[a.Val] = true
				case refAttrs[a.Key]:
					p.refs = append(p.refs, a.Val)
				case a.Key == "srcset":
					for _, cand := range strings.Split(a.Val, ",") {
						if f := strings.Fields(cand); len(f) > 0 {
							p.refs = append(p.refs, f[0])
						}
					}
				case a.Key == "http-equiv" && strings.EqualFold(a.Val, "refresh"):
					p.redirect = true
				}
			}
		}
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			walk(ch)
		}
	}
	walk(doc)
	return p
}
