package markdown

import (
	"bytes"
	"fmt"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
	"gopkg.in/yaml.v2"
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

// decodeFrontMatter is goldmark-meta with one decoding of the front matter
// rather than two. goldmark-meta unmarshals it as a map and again as a list
// of items, which only its table renderer reads; kb reads the map. In a
// first pass over 10,000 pages the second decoding was 122 MB of the 244 MB
// the YAML decoder allocated (4% of a build's allocations). Everything else
// is as goldmark-meta does it, checked against it by
// FuzzDecodeFrontMatterMatchesMeta: the same lines, the same map, the same
// error, and, when the front matter is not valid YAML, the same tree (the
// block kept, with the error as a comment at its end).
type decodeFrontMatter struct{}

func (decodeFrontMatter) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(parser.WithBlockParsers(util.Prioritized(frontMatterBlock{decode: true}, 0)),
		parser.WithASTTransformers(util.Prioritized(metaErrorComment{}, 0)))
}

// metaKey is where decodeFrontMatter leaves what it decoded, a *decoded.
var metaKey = parser.NewContextKey()

type decoded struct {
	meta  map[string]any
	err   error
	block ast.Node
}

// decodeYAML decodes front matter as goldmark-meta does. When the map cannot
// be had, goldmark-meta's error is that of its second decoding, as a list of
// items, if that one fails too: kb's messages are made from its text.
func decodeYAML(b []byte) (map[string]any, error) {
	m := map[string]any{}
	err := yaml.Unmarshal(b, &m)
	if err == nil {
		return m, nil
	}
	items := yaml.MapSlice{}
	if err2 := yaml.Unmarshal(b, &items); err2 != nil {
		err = err2
	}
	return nil, err
}

// metaErrorComment adds the error to front matter that is not valid YAML,
// kept in the tree, as goldmark-meta's transformer does.
type metaErrorComment struct{}

func (metaErrorComment) Transform(_ *ast.Document, _ text.Reader, pc parser.Context) {
	d, _ := pc.Get(metaKey).(*decoded)
	if d == nil || d.err == nil {
		return
	}
	msg := ast.NewString([]byte(fmt.Sprintf("<!-- %s -->", d.err)))
	msg.SetCode(true)
	d.block.AppendChild(d.block, msg)
}

// frontMatterBlock opens, continues and closes exactly where goldmark-meta's
// block parser does, so the rest of the tree is the same. With decode set it
// keeps the lines and decodes them (see decodeFrontMatter); without, it
// drops them (see skipFrontMatter).
type frontMatterBlock struct{ decode bool }

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

func (b frontMatterBlock) Continue(node ast.Node, reader text.Reader, pc parser.Context) parser.State {
	line, seg := reader.PeekLine()
	if isDashes(line) && !util.IsBlank(line) {
		reader.Advance(seg.Len())
		return parser.Close
	}
	if b.decode {
		node.Lines().Append(seg)
	}
	return parser.Continue | parser.NoChildren
}

func (b frontMatterBlock) Close(node ast.Node, reader text.Reader, pc parser.Context) {
	if b.decode {
		var buf bytes.Buffer
		lines := node.Lines()
		for i := range lines.Len() {
			seg := lines.At(i)
			buf.Write(seg.Value(reader.Source()))
		}
		m, err := decodeYAML(buf.Bytes())
		pc.Set(metaKey, &decoded{meta: m, err: err, block: node})
		if err != nil {
			return // kept, as goldmark-meta keeps it
		}
	}
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
