package markdown

import (
	"bytes"
	"fmt"
)

// goldmark's cost is linear in the page for everything real pages contain,
// but a few shapes make it quadratic: a 400 KB page of them parses for minutes.
// Check measures those shapes before parsing, with bounds that no written
// page comes near (each is tens of times what the bundled content uses), so
// that the parse of any page allowed through stays under about a second per
// 400 KB. The costs it counts (measured in BenchmarkPathological):
//   - containers opened on one line (">>>>", "- - - a", "1. 1. a",
//     "[^a]: [^a]: "): goldmark measures each new one's column from the start
//     of the line, and after "- " or "* " reads the rest of the line as a
//     possible thematic break (goldmark#592), so n on a line cost n × the line.
//   - link destinations and titles: for every "](" goldmark scans the
//     destination to the next space on the line, and a title to its closing
//     quote through the rest of the paragraph; unclosed ones are rescanned
//     for every later "](".
//   - link reference definitions: each one in a paragraph copies the rest of
//     the paragraph (goldmark#596).
//   - heading attributes: each class in "{.a .b …}" copies all the earlier ones.
//   - closing brackets: for every "]" that may end a link or footnote
//     reference, goldmark finds its line by walking back from the last line
//     of the paragraph (goldmark#596, case B).
//   - table cells: every row gets as many cells as the header, however short
//     the row.
//
// Emphasis and quote marks are bounded while parsing (see delimLimiter), as
// only the parser knows which paragraph or table cell they belong to.
const (
	// MaxNesting is how many block quotes, lists and footnotes one line may open.
	MaxNesting = 100
	// MaxLinkScan bounds the characters goldmark reads for link destinations
	// and titles in a page: twice the largest page kb accepts, so only links
	// left open (rescanned by each later one) can reach it.
	MaxLinkScan = 20_000_000
	// MaxRefDefScan bounds link reference definitions times the length of the
	// paragraph they stand in.
	MaxRefDefScan = 100_000_000
	// MaxAttrScan bounds heading attributes times the heading's length.
	MaxAttrScan = 10_000_000
	// MaxBracketScan bounds the closing brackets of a paragraph times the
	// lines after each in it.
	MaxBracketScan = 50_000_000
	// MaxTableCells bounds the cells of all a page's tables.
	MaxTableCells = 250_000
)

// LimitError says where a page goes past one of kb's parsing bounds.
type LimitError struct {
	Offset int // byte offset in the source
	Msg    string
}

func (e *LimitError) Error() string { return fmt.Sprintf("offset %d: %s", e.Offset, e.Msg) }

// Check returns the first place src goes past a parsing bound, or nil. It reads
// src once, in time linear in its length.
func Check(src []byte) *LimitError {
	s := scan{src: src, openLink: -1}
	for start := 0; start < len(src); {
		end := bytes.IndexByte(src[start:], '\n')
		if end < 0 {
			end = len(src)
		} else {
			end += start
		}
		if err := s.line(start, end); err != nil {
			return err
		}
		start = end + 1
	}
	return s.endChunk()
}

// scan is Check's state: the current chunk (a run of non-blank lines, which
// holds every paragraph and table of goldmark's that it overlaps), the
// running totals, and the next place each byte that ends a link part occurs.
type scan struct {
	src []byte

	chunkStart, refDefs int
	chunkLines, lineNo  int // lines in the chunk, and the current one's index
	brackets            int // closing brackets in the chunk
	tableStart          int // offset of the delimiter row, when the chunk has one
	tableCols, rows     int
	inTable             bool // lines are table rows, each its own inline block
	prevCells           int  // cells of the line before, for a delimiter row to match

	linkCost, refCost, attrCost, bracketCost, cells int
	openLink                                        int // the first "](" read far, or -1

	// next[c] is the first offset of byte c at or after from[c] (-1: none);
	// chunkFrom..chunkTo is the last chunk chunkEnd found.
	next, from         [256]int
	chunkFrom, chunkTo int
}

func (s *scan) line(start, end int) *LimitError {
	ln := s.src[start:end]
	if isBlank(ln) {
		if err := s.endChunk(); err != nil {
			return err
		}
		s.chunkStart = end + 1
		return nil
	}
	if start == s.chunkStart {
		s.chunkLines = bytes.Count(s.src[start:s.chunkEnd(start)], []byte{'\n'}) + 1
		s.lineNo = 0
	}
	s.lineNo++
	body, depth, at := containers(ln)
	if depth > MaxNesting {
		return &LimitError{Offset: start + at, Msg: fmt.Sprintf("this line opens %d block quotes, lists or footnotes inside each other; kb allows at most %d: if the characters are meant as text, put a backslash before the first (\\>, \\-, \\[)", depth, MaxNesting)}
	}
	b := start + (len(ln) - len(body))
	if len(body) > 0 && body[0] == '[' {
		s.refDefs++
		s.refCost += s.chunkEnd(start) - s.chunkStart
		if s.refCost > MaxRefDefScan {
			return &LimitError{Offset: s.chunkStart, Msg: fmt.Sprintf("this paragraph has %d lines and at least %d that start with \"[\", each read as a link reference definition over the rest of the paragraph, too many to read in time: put a blank line between groups of definitions (kb reads at most %d characters for them a page)", s.chunkLines, s.refDefs, MaxRefDefScan)}
		}
	}
	if s.inTable && !tableRow(ln, depth) {
		s.inTable = false
	}
	cells := 0
	if s.inTable {
		s.rows++
	} else if cols := delimiterRow(body); cols > 0 && cols == s.prevCells && depth == 0 {
		s.endTable()
		s.tableStart, s.tableCols, s.inTable = b, cols, true
	} else {
		cells = rowCells(body)
	}
	s.prevCells = cells
	if err := s.bracketLines(b, ln); err != nil {
		return err
	}
	if len(body) > 0 && body[0] == '#' || s.setextNext(end) {
		s.attrCost += attrCost(body)
		if s.attrCost > MaxAttrScan {
			return &LimitError{Offset: b, Msg: fmt.Sprintf("this heading's attributes ({…} at its end) are too many to read in time: kb reads at most %d characters of heading attributes a page: give a heading one id and a few classes", MaxAttrScan)}
		}
	}
	return s.links(start, end)
}

// links adds what goldmark reads for each "](" and "][" on the line.
func (s *scan) links(start, end int) *LimitError {
	src := s.src
	for i := start; i+1 < end; i++ {
		if src[i] != ']' || (src[i+1] != '(' && src[i+1] != '[') {
			continue
		}
		var cost int
		if src[i+1] == '[' {
			cost = s.upTo(i+2, ']', s.chunkEnd(i)) - i
		} else {
			d := i + 2
			for d < end && (src[d] == ' ' || src[d] == '\t') {
				d++
			}
			var destEnd int
			if d < end && src[d] == '<' {
				destEnd = s.upTo(d, '>', end)
			} else {
				// The destination ends at a space or at a ")" with no "(" before it.
				destEnd = s.space(d, end)
				if p := s.upTo(d, ')', destEnd); p < destEnd && s.upTo(d, '(', p) == p {
					destEnd = p
				}
			}
			cost = destEnd - i
			t := destEnd
			for t < len(src) && (src[t] == ' ' || src[t] == '\t' || src[t] == '\n') {
				t++
			}
			if t < len(src) {
				switch src[t] {
				case '"', '\'':
					cost += s.upTo(t+1, src[t], s.chunkEnd(t)) - t
				case '(':
					cost += s.upTo(t+1, ')', s.chunkEnd(t)) - t
				}
			}
		}
		s.linkCost += cost
		if cost > 1000 && s.openLink < 0 {
			s.openLink = i
		}
		if s.linkCost > MaxLinkScan {
			if s.openLink >= 0 {
				i = s.openLink
			}
			return &LimitError{Offset: i, Msg: fmt.Sprintf("too many links here are left open: kb reads at most %d characters of link targets a page, and the \"](\" from here on would make it read more: close each link target with \")\" and each title with its quote, or write \\] where a bracket is meant as text", MaxLinkScan)}
		}
	}
	return nil
}

// endChunk adds the costs of the chunk that ends here.
func (s *scan) endChunk() *LimitError {
	s.refDefs, s.brackets, s.inTable, s.prevCells = 0, 0, false, 0
	return s.endTable()
}

// endTable adds the cells of the table the chunk has, if any.
func (s *scan) endTable() *LimitError {
	if s.tableCols == 0 {
		return nil
	}
	s.cells += s.tableCols * (s.rows + 2)
	cols, rows := s.tableCols, s.rows
	s.tableCols, s.rows, s.inTable = 0, 0, false
	if s.cells > MaxTableCells {
		return &LimitError{Offset: s.tableStart, Msg: fmt.Sprintf("this table has %d columns and %d rows, and kb allows at most %d table cells a page: split the table, or offer the data as a CSV download", cols, rows, MaxTableCells)}
	}
	return nil
}

// bracketLines adds, for each "]" on the line, the lines after it in its
// paragraph (one in a table row, which is parsed on its own).
func (s *scan) bracketLines(b int, ln []byte) *LimitError {
	n := bytes.Count(ln, []byte{']'})
	if n == 0 {
		return nil
	}
	after := s.chunkLines - s.lineNo + 1
	if s.inTable {
		after = 1
	}
	s.brackets += n
	s.bracketCost += n * after
	if s.bracketCost > MaxBracketScan {
		return &LimitError{Offset: s.chunkStart, Msg: fmt.Sprintf("this paragraph has %d lines and at least %d closing brackets \"]\", too many to match in time (kb allows brackets times lines up to %d a page): put blank lines between paragraphs, or write \\] where a bracket is meant as text", s.chunkLines, s.brackets, MaxBracketScan)}
	}
	return nil
}

// tableRow reports whether goldmark would go on reading ln as a row of the
// table above it rather than as the start of another block. It may say no
// to a row, which only makes Check count more.
func tableRow(ln []byte, depth int) bool {
	t := bytes.TrimLeft(ln, " ")
	if depth > 0 || len(ln)-len(t) >= 4 || bytes.IndexByte(ln, '|') < 0 || len(t) == 0 {
		return false
	}
	switch t[0] {
	case '#', '`', '~', '<', '>', '\t', '=', '-', '_', '*', '+':
		return false
	}
	return true
}

// rowCells counts the cells goldmark would split ln into as a table row:
// unescaped pipes, less a leading and a trailing one.
func rowCells(ln []byte) int {
	ln = bytes.TrimSpace(ln)
	if len(ln) == 0 {
		return 0
	}
	n := 1
	for i := 0; i < len(ln); i++ {
		switch ln[i] {
		case '\\':
			i++
		case '|':
			if i > 0 && i < len(ln)-1 {
				n++
			}
		}
	}
	return n
}

// chunkEnd is the offset of the blank line that ends the chunk holding i, or
// the end of the source.
func (s *scan) chunkEnd(i int) int {
	if s.chunkTo > 0 && s.chunkFrom <= i && i <= s.chunkTo {
		return s.chunkTo
	}
	s.chunkFrom, s.chunkTo = i, s.findChunkEnd(i)
	return s.chunkTo
}

func (s *scan) findChunkEnd(i int) int {
	for {
		j := s.upTo(i, '\n', len(s.src))
		if j >= len(s.src) {
			return j
		}
		k := j + 1
		for k < len(s.src) && (s.src[k] == ' ' || s.src[k] == '\t') {
			k++
		}
		if k >= len(s.src) || s.src[k] == '\n' {
			return j
		}
		i = j + 1
	}
}

// upTo is the offset of the first c at or after i, or limit if there is none
// before it. Offsets are remembered, so that asking at increasing i costs
// linear time in all.
func (s *scan) upTo(i int, c byte, limit int) int {
	n := s.next[c]
	if i < s.from[c] || (n >= 0 && n < i) || (n == 0 && s.from[c] == 0) {
		n = bytes.IndexByte(s.src[i:], c)
		if n >= 0 {
			n += i
		}
		s.next[c], s.from[c] = n, i
	}
	if n < 0 || n > limit {
		return limit
	}
	return n
}

// space is the offset of the first space or tab at or after i, or end.
func (s *scan) space(i, end int) int {
	return min(s.upTo(i, ' ', end), s.upTo(i, '\t', end))
}

// setextNext reports whether the line after end underlines a heading.
func (s *scan) setextNext(end int) bool {
	if end+1 >= len(s.src) {
		return false
	}
	next := s.src[end+1:]
	if i := bytes.IndexByte(next, '\n'); i >= 0 {
		next = next[:i]
	}
	next = bytes.TrimSpace(next)
	return len(next) > 0 && (len(bytes.Trim(next, "=")) == 0 || len(bytes.Trim(next, "-")) == 0)
}

// containers skips the block quote, list and footnote markers that open a
// line, returning the rest, how many there were, and the offset of the one
// past MaxNesting.
func containers(ln []byte) (rest []byte, depth, at int) {
	i := 0
	same := byte(0) // the marker, while all are the same one character
	for {
		for i < len(ln) && (ln[i] == ' ' || ln[i] == '\t') {
			i++
		}
		n := marker(ln[i:])
		if n == 0 {
			if i == len(ln) && (same == '-' || same == '*') {
				return nil, 0, 0 // a thematic break: "- - - -"
			}
			return ln[i:], depth, at
		}
		switch {
		case depth == 0 && n == 1:
			same = ln[i]
		case n != 1 || ln[i] != same:
			same = 0
		}
		depth++
		if depth == MaxNesting+1 {
			at = i
		}
		i += n
	}
}

// marker is the length of the container marker at the start of b, or 0.
func marker(b []byte) int {
	if len(b) == 0 {
		return 0
	}
	spaced := func(n int) int {
		if n == len(b) || b[n] == ' ' || b[n] == '\t' {
			return n
		}
		return 0
	}
	switch c := b[0]; {
	case c == '>':
		return 1
	case c == '-' || c == '+' || c == '*':
		return spaced(1)
	case c >= '0' && c <= '9':
		n := 1
		for n < len(b) && n < 10 && b[n] >= '0' && b[n] <= '9' {
			n++
		}
		if n < len(b) && (b[n] == '.' || b[n] == ')') {
			return spaced(n + 1)
		}
	case c == '[' && len(b) > 1 && b[1] == '^':
		if i := bytes.Index(b, []byte("]:")); i > 0 && bytes.IndexByte(b[:i], ' ') < 0 {
			return i + 2
		}
	}
	return 0
}

// delimiterRow returns the number of columns of a table's delimiter row
// ("|---|:--:|"), or 0 if b is not one.
func delimiterRow(b []byte) int {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || bytes.IndexByte(b, '-') < 0 {
		return 0
	}
	pipes := 0
	for _, c := range b {
		switch c {
		case '|':
			pipes++
		case '-', ':', ' ', '\t':
		default:
			return 0
		}
	}
	if pipes == 0 {
		return 0
	}
	return rowCells(b)
}

// attrCost estimates what goldmark spends on a heading line's attributes:
// every attribute or brace after the first brace copies up to the whole line.
func attrCost(b []byte) int {
	i := bytes.IndexByte(b, '{')
	if i < 0 {
		return 0
	}
	n := 0
	for _, c := range b[i:] {
		switch c {
		case '{', ' ', '\t', '.', '#', ',':
			n++
		}
	}
	return n * len(b)
}

func isBlank(b []byte) bool {
	for _, c := range b {
		if c != ' ' && c != '\t' {
			return false
		}
	}
	return true
}
