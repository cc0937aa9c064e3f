package markdown

import (
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/yuin/goldmark/ast"
)

// scanCases are sources whose paragraphs Scan treats in each of its ways:
// left unparsed, parsed for a "[", parsed for too many emphasis marks, and
// the blocks built from paragraphs (setext headings, tables, tight lists,
// link reference definitions) beside them.
var scanCases = []string{
	"Plain prose with **bold**, \"quotes\" -- and dashes, www.example.com and a@b.org.\n",
	"Setext heading with *emphasis*\n===\n\nBody text.\n\nSecond setext\n---\n",
	"## A heading with *marks* and [a link](x.md)\n\nText.\n",
	"# Level one in the body\n\n> # And in a quote\n> with text\n",
	"Text [a link](../guides/x.md#risks) and ![an image](pic.png).\n\nPlain after.\n",
	"[DTAC](../standards/dtac.md#who owns it) left as text\n",
	"Never closed [text](../x.md\n",
	"A reference [link][ref] and a [shortcut].\n\n[ref]: /a/\n[shortcut]: b.md\n",
	"[ref]: /defined/first/\n\nUsed later: [here][ref].\n",
	"| a | b |\n|---|---|\n| 1 | 2 |\n\n| c | d |\n|---|---|\n| [x](y.md) | 3 |\n",
	"- tight item\n- another with [a link](z.md)\n- plain\n\n1. loose\n\n2. list\n",
	"Footnote[^1] in text.\n\n[^1]: The note, with [a link](n.md).\n",
	"## Contents\n\n## Search {#search}\n\n## Top\n",
	"## Heading {#custom .c}\n\nText \\[escaped\\] brackets.\n",
	"<div>\nraw [html](x.md) block\n</div>\n\n`code [not](a.md) a link` in text\n",
	"```\nfenced [x](y.md)\n```\n\n    indented [x](y.md)\n",
	strings.Repeat("*a ", MaxDelimiters+5) + "\n",
	strings.Repeat("_b_ ", MaxDelimiters/2-3) + "\n\n" + strings.Repeat("'c ", MaxDelimiters-1) + "\n",
	"Paragraph one\ncontinued [on](a.md) a later line.\n",
}

// sameFacts fails t unless a Doc from Scan gives every fact a first pass
// takes from Parse's.
func sameFacts(t *testing.T, name string, scanned, full *Doc) {
	t.Helper()
	for _, c := range []struct {
		what      string
		got, want any
	}{
		{"links", scanned.Links(), full.Links()},
		{"links left as text", scanned.RawLinks(), full.RawLinks()},
		{"headings", scanned.Headings(), full.Headings()},
		{"anchors", scanned.IDs(), full.IDs()},
		{"level-1 headings", scanned.Level1(), full.Level1()},
		{"limit", scanned.Limit, full.Limit},
		{"renamed", scanned.Renamed, full.Renamed},
		{"front matter", scanned.Meta, full.Meta},
		{"front matter error", errText(scanned.MetaErr), errText(full.MetaErr)},
	} {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("%s: %s %#v, want %#v", name, c.what, c.got, c.want)
		}
	}
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// TestScanGivesParsesFacts checks Scan against Parse on the cases above,
// the front-matter cases and every page of the bundled knowledge base, and
// that a scanned Doc renders as a parsed one does.
func TestScanGivesParsesFacts(t *testing.T) {
	c := New()
	sources := map[string][]byte{}
	for i, s := range append(append([]string{}, scanCases...), frontMatterCases...) {
		sources["case "+string(rune('a'+i))] = []byte(s)
	}
	maps.Copy(sources, knowledgeBase(t))
	left := 0
	for name, src := range sources {
		if Check(src) != nil {
			t.Fatalf("%s: not accepted by Check", name)
		}
		s := c.Scan(src)
		sameFacts(t, name, s, c.Parse(src))
		left += paragraphs(c.Parse(src)) - paragraphs(s)
		wantHTML, werr := c.Render(c.Parse(src), nil)
		gotHTML, gerr := c.Render(s, nil)
		if werr != nil || gerr != nil || string(gotHTML) != string(wantHTML) {
			t.Errorf("%s: a scanned Doc renders\n%s (%v)\nwant\n%s (%v)", name, gotHTML, gerr, wantHTML, werr)
		}
	}
	if left == 0 {
		t.Error("Scan left no paragraph out: it saves nothing")
	}
}

// paragraphs counts the paragraphs and tables in d's tree.
func paragraphs(d *Doc) int {
	n := 0
	for _, node := range allNodes(d.root) {
		if k := node.Kind(); k == ast.KindParagraph || k == ast.KindTextBlock || k.String() == "Table" {
			n++
		}
	}
	return n
}

// knowledgeBase reads every page of the bundled knowledge base.
func knowledgeBase(tb testing.TB) map[string][]byte {
	pages := map[string][]byte{}
	root := filepath.Join("..", "..", "content")
	err := filepath.WalkDir(root, func(path string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() || filepath.Ext(path) != ".md" {
			return err
		}
		b, err := os.ReadFile(path)
		pages[path] = b
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
	if len(pages) < 50 {
		tb.Fatalf("only %d pages: the bundled knowledge base was not found", len(pages))
	}
	return pages
}

// BenchmarkFirstPass parses every page of the bundled knowledge base for
// its facts, as a build's first pass does, with Parse and with Scan.
func BenchmarkFirstPass(b *testing.B) {
	c := New()
	var pages [][]byte
	for _, src := range knowledgeBase(b) {
		pages = append(pages, src)
	}
	for _, parse := range []struct {
		name string
		fn   func([]byte) *Doc
	}{{"Parse", c.Parse}, {"Scan", c.Scan}} {
		b.Run(parse.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				for _, src := range pages {
					parse.fn(src).Facts(nil)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*len(pages)), "µs/page")
		})
	}
}

// FuzzScan checks the same of any source Check accepts.
func FuzzScan(f *testing.F) {
	for _, s := range append(append([]string{}, scanCases...), frontMatterCases...) {
		f.Add([]byte(s))
	}
	c := New()
	f.Fuzz(func(t *testing.T, src []byte) {
		if Check(src) != nil {
			return
		}
		sameFacts(t, "fuzzed source", c.Scan(src), c.Parse(src))
	})
}

func allNodes(n ast.Node) []ast.Node {
	var all []ast.Node
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			all = append(all, c)
		}
		return ast.WalkContinue, nil
	})
	return all
}
