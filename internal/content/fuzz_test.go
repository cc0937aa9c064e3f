package content

import (
	"bytes"
	"strings"
	"testing"

	"github.com/nhsx/kb/internal/diag"
	"github.com/nhsx/kb/internal/markdown"
)

// FuzzParseSource runs arbitrary bytes through what every source file goes
// through: Clean, front matter and Markdown parsing, decoding, the syntax-tree
// walks and rendering. Nothing may panic, and every problem must point inside
// the file.
func FuzzParseSource(f *testing.F) {
	seeds := []string{
		"---\ntitle: A\nsummary: S\nmeasures: [well-led]\n---\n## H\n[x](b.md#y)\n",
		"\xEF\xBB\xBF---\r\ntitle: A\r\n---\r\nbody",
		"---\ntitle: \"unclosed\nsummary: x\n---\n",
		"---\n\tmeasures:\n---\n",
		"---\ntitle: [a, {b: c}]\ndate: 2026-13-45\nreview_due: x\nweight: 1.5\ndraft: maybe\n---\n",
		"---\n---\n",
		"---\ntitle: A\n",
		"no front matter",
		"---\ntitle: A\nsummary: S\n---\n## H {onclick=x style=y #id .c}\n<script>x</script>\n[^1]\n\n[^1]: note\n| a | b |\n|---|---|\n| 1 | 2 |\n",
		"---\ntitle: x\x00y\n---\n",
		"---\ntitle: caf\xe9\n---\n",
		"---\n: \n- \n? \n---\n",
		"---\ntopics: [\"../../x\", A B]\naliases: [//x, /a/../b]\n---\n",
		// Shapes goldmark parses in quadratic time, small: the bounds must
		// point inside the file too.
		"---\ntitle: A\nsummary: S\n---\n" + strings.Repeat(">", 120) + "\n",
		"---\ntitle: A\nsummary: S\n---\n" + strings.Repeat("- ", 120) + "a\n",
		"---\ntitle: A\nsummary: S\n---\n" + strings.Repeat("*a_", 600) + "\n",
		"---\ntitle: A\nsummary: S\n---\n" + strings.Repeat("[a](", 50) + "\n",
		"---\ntitle: A\nsummary: S\n---\n# A {" + strings.Repeat(".c ", 50) + "}\n",
		"---\ntitle: A\nsummary: S\n---\n|a|b|\n|-|-|\n" + strings.Repeat("|\n", 50),
		"---\n" + strings.Repeat(">", 120) + "\n---",
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	conv := markdown.New()
	f.Fuzz(func(t *testing.T, data []byte) {
		const name = "content/guides/fuzz.md"
		var errs diag.List
		src, err := Clean(name, data)
		text := data
		if err == nil {
			text = src
		}
		if err != nil {
			errs = append(errs, err.(diag.Diagnostic))
		} else {
			p := &Page{Path: name}
			if ParseSource(p, src, conv, nil, &errs) {
				if _, err := conv.Render(p.Doc, nil); err != nil {
					t.Fatalf("render: %v", err)
				}
				_ = p.Doc.Links()
				_ = p.Doc.Headings()
				if whole, err := p.Doc.Whole(); err != nil {
					t.Fatalf("a page parsed from memory cannot be had whole: %v", err)
				} else {
					_ = whole.PlainText()
				}
			}
		}
		lines := bytes.Count(text, []byte("\n")) + 1
		for _, d := range errs {
			if d.File != name || d.Line < 1 || d.Line > lines || d.Col < 1 {
				t.Errorf("problem outside the file (%d lines): %v", lines, d)
			}
			if strings.TrimSpace(d.Msg) == "" {
				t.Errorf("problem without a message at %v", d.Pos)
			}
		}
	})
}
