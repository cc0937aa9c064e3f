package markdown

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// pathological are the inputs goldmark parses in more than linear time, each
// about 400 KB (the probes of issue 11), with where Check or the parse stops
// them and the start of what it says. Before the bounds, the first three took
// 73 s, 25 s and more than 60 s.
var pathological = []struct {
	name   string
	src    string
	offset int // where the error points
	msg    string
}{
	{"link-openers", strings.Repeat("[a](", 100_000), 2, "too many links here are left open"},
	{"nested-lists", strings.Repeat("- ", 100_000) + "a", 200, "this line opens 100000 block quotes, lists or footnotes"},
	{"nested-quotes", strings.Repeat(">", 1_000_000), 100, "this line opens 1000000 block quotes"},
	{"ordered-lists", strings.Repeat("1. ", 100_000) + "a", 300, "this line opens 100000 block quotes"},
	{"quoted-lists", strings.Repeat("> - ", 100_000) + "a", 200, "this line opens 200000 block quotes"},
	{"footnotes", strings.Repeat("[^a]: ", 60_000) + "a", 600, "this line opens 60000 block quotes"},
	{"angle-destinations", strings.Repeat("[a](<", 80_000), 2, "too many links here are left open"},
	{"image-openers", strings.Repeat("![a](", 80_000), 3, "too many links here are left open"},
	{"open-titles", strings.Repeat("x [a](b \"\n", 40_000), 0, "this paragraph has 40000 lines and at least"},
	{"shortcut-references", strings.Repeat("x [a]\n", 60_000), 0, "this paragraph has 60000 lines and at least"},
	{"footnote-references", strings.Repeat("x [^a]\n", 60_000), 0, "this paragraph has 60000 lines and at least"},
	{"reference-definitions", strings.Repeat("[a]: b\n", 60_000), 0, "this paragraph has 60000 lines and at least 239 that start with \"[\""},
	{"heading-classes", "# a {" + strings.Repeat(".c ", 130_000) + "}", 0, "this heading's attributes"},
	{"wide-table", strings.Repeat("|a", 1000) + "\n" + strings.Repeat("|-", 1000) + "\n" + strings.Repeat("|\n", 200_000), 2001, "this table has 1000 columns and 200000 rows"},
	{"emphasis", strings.Repeat("*a_", 130_000), 1500, "this paragraph has more than 1000 emphasis or quote marks"},
	{"quotes", strings.Repeat("\"a'", 130_000), 1500, "this paragraph has more than 1000 emphasis or quote marks"},
}

// limitOf runs what kb runs on a page: Check, then Parse.
func limitOf(c *Converter, src []byte) *LimitError {
	if err := Check(src); err != nil {
		return err
	}
	return c.Parse(src).Limit
}

// TestPathological: each input is stopped at the right place with the right
// message, quickly. The bound is generous (the machine may be shared); the
// figures are in BenchmarkPathological.
func TestPathological(t *testing.T) {
	c := New()
	for _, p := range pathological {
		t.Run(p.name, func(t *testing.T) {
			start := time.Now()
			err := limitOf(c, []byte(p.src))
			if took := time.Since(start); took > 2*time.Second {
				t.Errorf("took %v", took)
			}
			if err == nil {
				t.Fatal("accepted")
			}
			if err.Offset != p.offset || !strings.HasPrefix(err.Msg, p.msg) {
				t.Errorf("got %d: %s\nwant %d: %s…", err.Offset, err.Msg, p.offset, p.msg)
			}
		})
	}
}

// BenchmarkPathological times what kb spends on each 400 KB input: the check,
// and the parse when the check lets it through.
func BenchmarkPathological(b *testing.B) {
	c := New()
	for _, p := range pathological {
		b.Run(p.name, func(b *testing.B) {
			src := []byte(p.src)
			b.SetBytes(int64(len(src)))
			for b.Loop() {
				limitOf(c, src)
			}
		})
	}
}

// TestLimitsAcceptRealPages: no page of the bundled knowledge base, nor any
// ordinary shape of Markdown, comes near a bound.
func TestLimitsAcceptRealPages(t *testing.T) {
	c := New()
	files, _ := filepath.Glob("../../content/*/*.md")
	more, _ := filepath.Glob("../../content/*.md")
	files = append(files, more...)
	if len(files) < 10 {
		t.Fatalf("only %d pages found", len(files))
	}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := limitOf(c, src); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
	row := "| [DSPT](https://www.dsptoolkit.nhs.uk/ \"the toolkit\") | *a* and _b_ | `code_with_underscores` | don't |\n"
	ordinary := map[string]string{
		"big table":       "| a | b | c | d |\n|---|---|---|---|\n" + strings.Repeat(row, 5000),
		"many links":      strings.Repeat("See [the guide](../guides/a.md#who \"Who\") and [that][ref].\n", 5000) + "\n[ref]: https://example.org\n",
		"deep lists":      strings.Repeat("- a\n", 10) + "- " + strings.Repeat("- ", 20) + "deep\n",
		"code":            "```python\n" + strings.Repeat("def __init__(self, *args, **kwargs): return {'a': \"b\"}\n", 3000) + "```\n",
		"references":      strings.Repeat("[r]: https://example.org/a_b_c \"T\"\n", 500),
		"heading classes": strings.Repeat("## Risks {#risks .wide .note}\n\ntext\n\n", 2000),
		"thematic breaks": strings.Repeat("- ", 300) + "\n",
	}
	for name, src := range ordinary {
		if err := limitOf(c, []byte(src)); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// TestDelimitersCountPerBlock: table cells and paragraphs each have their own
// count, and the marks past the bound stay in the text.
func TestDelimitersCountPerBlock(t *testing.T) {
	c := New()
	cells := "| a |\n|---|\n" + strings.Repeat("| *x* _y_ |\n", 1000)
	paras := strings.Repeat(strings.Repeat("*a* ", 400)+"\n\n", 10)
	for _, src := range []string{cells, paras} {
		if d := c.Parse([]byte(src)); d.Limit != nil {
			t.Errorf("limit at %d", d.Limit.Offset)
		}
	}
	d := c.Parse([]byte(strings.Repeat("_a ", 1001) + "*b* [c](d)"))
	if d.Limit == nil || d.Limit.Offset != 3000 {
		t.Fatalf("limit = %+v", d.Limit)
	}
	if got := d.PlainText(); !strings.HasSuffix(got, "_a *b* [c](d)\n") {
		t.Errorf("text ends %q", got[len(got)-20:])
	}
}

// FuzzCheck: Check never panics, points inside the source, and whatever it
// accepts parses.
func FuzzCheck(f *testing.F) {
	for _, p := range pathological {
		f.Add([]byte(p.src[:min(len(p.src), 300)]))
	}
	for _, s := range []string{"> - 1. [^a]: x", "[a](<b> \"t\")", "a\n===\n", "|a|b|\n|-|-|\n|c|", "[a]: b\n[c]: d", "- - -", "[a](()()"} {
		f.Add([]byte(s))
	}
	c := New()
	f.Fuzz(func(t *testing.T, src []byte) {
		err := Check(src)
		if err != nil {
			if err.Offset < 0 || err.Offset > len(src) {
				t.Fatalf("offset %d outside %d bytes", err.Offset, len(src))
			}
			return
		}
		d := c.Parse(src)
		if d.Limit != nil && (d.Limit.Offset < 0 || d.Limit.Offset > len(src)) {
			t.Fatalf("limit offset %d outside %d bytes", d.Limit.Offset, len(src))
		}
	})
}

// BenchmarkWorstAccepted times 400 KB pages that stay just inside the bounds,
// or that goldmark parses in linear time but slowly: what a page can cost.
func BenchmarkWorstAccepted(b *testing.B) {
	fill := func(unit string) string { return strings.Repeat(unit, 400_000/len(unit)) }
	pages := []struct{ name, src string }{
		{"emphasis-999-a-paragraph", fill(strings.Repeat("*a_", 333) + "\n\n")},
		{"quotes-100-deep-each-line", fill(strings.Repeat(">", 100) + " a\n")},
		{"lists-100-deep-each-line", fill(strings.Repeat("- ", 100) + "a\n")},
		{"indented-lists", func() string {
			var sb strings.Builder
			for i := 0; sb.Len() < 400_000; i++ {
				sb.WriteString(strings.Repeat(" ", 2*i) + "- a\n")
			}
			return sb.String()
		}()},
		{"brackets", fill("[")},
		{"image-brackets", fill("![")},
		{"setext-headings", fill("a\n=\n")},
		{"links", fill("[a](b) ")},
		{"thematic-rescan-at-100-levels", strings.Repeat("- ", 100) + fill("-") + "x\n"},
		{"table-250k-cells", "|a|b|\n|-|-|\n" + fill("|\n")[:2*124_000]},
	}
	c := New()
	for _, p := range pages {
		b.Run(p.name, func(b *testing.B) {
			src := []byte(p.src)
			if err := limitOf(c, src); err != nil {
				b.Fatalf("refused: %v", err)
			}
			b.SetBytes(int64(len(src)))
			for b.Loop() {
				limitOf(c, src)
			}
		})
	}
}
