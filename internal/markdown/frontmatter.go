package markdown

import (
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// skipFrontMatter is the front matter block of goldmark-meta without its
// decoding: it takes the same lines (from a first line of dashes to the
// next, or to the end) and drops them from the tree, as goldmark-meta does
// with front matter that is valid YAML. A page is parsed again for its
// render only after its first parse found the front matter valid, and
// decoding it once more (twice: goldmark-meta unmarshals it as a map and as
// a list of items) was a third of that second parse's time.
type skipFrontMatter struct{}

func (skipFrontMatter) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(parser.WithBlockParsers(util.Prioritized(frontMatterBlock{}, 0)))
}

// frontMatterBlock opens, continues and closes exactly where goldmark-meta's
// block parser does, so the rest of the tree is the same.
type frontMatterBlock struct{}

func (frontMatterBlock) Trigger() []byte { return []byte{'-'} }

func (frontMatterBlock) Open(parent ast.Node, reader text.Reader, pc parser.Context) (ast.Node, parser.State) {
	if line, _ := reader.Position(); line != 0 {
		return nil, parser.NoChildren
	}
	if l, _ := reader.PeekLine(); isDashes(l) {
		return ast.NewTextBlock(), parser.NoChildren
	}
	return nil, parser.NoChildren
}

func (frontMatterBlock) Continue(node ast.Node, reader text.Reader, pc parser.Context) parser.State {
	line, seg := reader.PeekLine()
	if isDashes(line) && !util.IsBlank(line) {
		reader.Advance(seg.Len())
		return parser.Close
	}
	return parser.Continue | parser.NoChildren
}

func (frontMatterBlock) Close(node ast.Node, reader text.Reader, pc parser.Context) {
	node.Parent().RemoveChild(node.Parent(), node)
}

func (frontMatterBlock) CanInterruptParagraph() bool { return false }
func (frontMatterBlock) CanAcceptIndentedLine() bool { return false }

// isDashes reports whether a line is only dashes between spaces (or
// blank), goldmark-meta's test for a front matter delimiter.
func isDashes(line []byte) bool {
	for _, c := range util.TrimRightSpace(util.TrimLeftSpace(line)) {
		if c != '-' {
			return false
		}
	}
	return true
}
