package markdown

import (
	"fmt"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// MaxDelimiters is how many emphasis, strikethrough and quote marks (runs of
// *, _, ~, ' and ") one paragraph, heading or table cell may hold. goldmark
// matches each closing mark against every earlier open one in its paragraph,
// so n unmatched marks cost n² (goldmark#555); a thousand cost a millisecond.
const MaxDelimiters = 1000

// delimLimiter runs before goldmark's emphasis, strikethrough and typographer
// parsers, and counts the marks of each inline block. Past MaxDelimiters it
// takes the rest of the line as plain text, so goldmark never sees its marks,
// and remembers where that first happened for Parse to report.
type delimLimiter struct{}

var delimKey = parser.NewContextKey()

type delimState struct {
	block ast.Node
	n     int
	over  int // offset of the first mark past the bound, or -1
}

func (delimLimiter) Trigger() []byte { return []byte{'*', '_', '~', '\'', '"'} }

func (delimLimiter) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	st := delimStateOf(pc)
	if st.block != parent {
		st.block, st.n = parent, 0
	}
	st.n++
	if st.n <= MaxDelimiters {
		return nil // goldmark's own parsers take it
	}
	line, seg := block.PeekLine()
	if st.over < 0 {
		st.over = seg.Start
	}
	// The rest of the line is text: one node, not one a mark.
	n := len(line)
	if line[n-1] == '\n' {
		n--
	}
	block.Advance(n)
	return ast.NewTextSegment(text.NewSegment(seg.Start, seg.Start+n))
}

func delimStateOf(pc parser.Context) *delimState {
	if v, ok := pc.Get(delimKey).(*delimState); ok {
		return v
	}
	st := &delimState{over: -1}
	pc.Set(delimKey, st)
	return st
}

// delimError reports the first mark past the bound, if any.
func delimError(pc parser.Context) *LimitError {
	st, ok := pc.Get(delimKey).(*delimState)
	if !ok || st.over < 0 {
		return nil
	}
	return &LimitError{Offset: st.over, Msg: fmt.Sprintf("this paragraph has more than %d emphasis or quote marks (*, _, ~, ' and \"), too many to match in time; kb shows the rest of the line as text: split the paragraph, put code in `backticks`, or escape marks meant as text (\\*, \\_)", MaxDelimiters)}
}
