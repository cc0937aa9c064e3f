package content

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/nhsx/kb/internal/diag"
)

// The YAML decoder goldmark-meta uses (gopkg.in/yaml.v2) reports a line but
// never a column, counts that line from the front matter's first line, counts
// it from 0 for parser errors and from 1 for scanner errors, and leaves it out
// altogether on the front matter's first line. So kb finds the fault itself:
// the decoder's message says what kind of mistake it is, and each kind has a
// finder that looks for that mistake in the lines, returning the position of
// the character at fault and a message saying how to fix it. When no finder
// recognises the line, the decoder's line is used, corrected.

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// parserErrors are the decoder messages that come from its parser, whose line
// counts from 0; all others come from its scanner and count from 1.
var parserErrors = []string{"did not find expected key", "did not find expected ',' or", "did not find expected node content",
	"did not find expected '-' indicator", "did not find expected <", "found undefined tag handle", "found duplicate %",
	"found incompatible YAML document"}

// yamlError turns a decoder error into a positioned one.
func (fm *frontMatter) yamlError(err error) diag.Diagnostic {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	hint := 2 // the first line after the opening ---
	if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
		n, _ := strconv.Atoi(m[1])
		msg = m[2]
		hint = n + 1
		for _, p := range parserErrors {
			if strings.HasPrefix(msg, p) {
				hint = n + 2
			}
		}
	}
	hint = min(max(hint, 2), fm.end)
	at := func(line, col int, fix string) diag.Diagnostic {
		return diag.Diagnostic{Pos: diag.Pos{File: fm.file, Line: line, Col: col}, Msg: "front matter is not valid YAML: " + fix}
	}
	if line, col, ok := fm.tabIndent(); ok {
		return at(line, col, "this line is indented with a tab: indent with spaces")
	}
	switch {
	case strings.Contains(msg, "end of stream"):
		if line, col, ok := fm.unclosedQuote(); ok {
			return at(line, col, "this quoted value is never closed: add the closing quote at the end of the value")
		}
	case strings.HasPrefix(msg, "mapping values are not allowed"):
		if line, col, key, value, ok := fm.colonInValue(); ok {
			return at(line, col, "the value of "+key+" has a colon and a space, which YAML reads as the start of another field: "+quoteHint(key, value))
		}
		if line, col, key, above, ok := fm.indentedField(); ok {
			return at(line, col, "this line is indented, but "+above+" above it already has a value: start "+key+" at the beginning of the line, or quote the value if it runs over two lines")
		}
	case strings.HasPrefix(msg, "did not find expected ',' or"):
		if line, col, bracket, ok := fm.unclosedFlow(); ok {
			closing := map[byte]string{'[': "]", '{': "}"}[bracket]
			return at(line, col, "this "+map[byte]string{'[': "list", '{': "group"}[bracket]+" is never closed: add "+closing+" after its last item, and separate items with commas")
		}
	case strings.HasPrefix(msg, "found character that cannot start any token"), strings.HasPrefix(msg, "unknown anchor"),
		strings.HasPrefix(msg, "did not find expected alphabetic"):
		reserved := map[bool]string{true: "@`%", false: "*&"}[strings.HasPrefix(msg, "found character")]
		if strings.HasPrefix(msg, "unknown anchor") {
			reserved = "*"
		}
		if line, col, key, value, ok := fm.reservedStart(reserved); ok {
			return at(line, col, "a value cannot start with "+value[:1]+" in YAML: "+quoteHint(key, value))
		}
	case strings.HasPrefix(msg, "could not find expected ':'"):
		if line, ok := fm.strayLine(); ok {
			return at(line, 1, "this line is not a field: write it as name: value, or indent it to continue the value above")
		}
	}
	if line, col, key, value, ok := fm.textAfterQuote(); ok {
		fix := quoteHint(key, value)
		if q := value[0]; len(value) > 1 && value[len(value)-1] == q {
			fix = "to keep a " + string(q) + " inside the value, " + quoteHint(key, value[1:len(value)-1])
		}
		return at(line, col, "the quoted value ends before the line does: "+fix)
	}
	if strings.HasPrefix(msg, "did not find expected key") || strings.HasPrefix(msg, "did not find expected '-'") {
		return at(hint, firstCol(fm.line(hint)), "this line does not line up with the lines above: start each field at the beginning of its line, and indent every item of a list the same")
	}
	return at(hint, firstCol(fm.line(hint)), msg+" (check indentation, and quote values that contain a colon)")
}

// line returns file line n (from 1), or "".
func (fm *frontMatter) line(n int) string {
	if n < 1 || n > len(fm.lines) {
		return ""
	}
	return string(fm.lines[n-1])
}

// body lists the front matter's lines with their file line numbers, skipping
// comments, blank lines and the contents of block scalars (| and >), which
// YAML takes as they are.
func (fm *frontMatter) body(each func(n int, l string) bool) {
	block := -1 // indentation of the field whose block scalar is being read
	for i := 1; i < fm.end; i++ {
		l := string(fm.lines[i])
		t := strings.TrimSpace(l)
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		ind := len(l) - len(strings.TrimLeft(l, " \t"))
		if block >= 0 && ind > block {
			continue
		}
		block = -1
		if _, v, ok := field(l); ok && (strings.HasPrefix(v, "|") || strings.HasPrefix(v, ">")) {
			block = ind
		}
		if !each(i+1, l) {
			return
		}
	}
}

// field splits a line "  key: value" or "  - value" into what names the
// value and the value as written, comment removed.
func field(l string) (key, value string, ok bool) {
	t := strings.TrimLeft(l, " \t")
	if rest, isItem := strings.CutPrefix(t, "- "); isItem {
		if m := keyLine.FindString(rest); m == "" {
			return "the list item", trimComment(rest), true
		}
		t = rest
	}
	m := keyLine.FindStringSubmatch(t)
	if m == nil {
		return "", "", false
	}
	return m[1], trimComment(strings.TrimSpace(t[len(m[0]):])), true
}

func trimComment(v string) string {
	if i := strings.Index(v, " #"); i >= 0 && v[0] != '"' && v[0] != '\'' {
		v = v[:i]
	}
	return strings.TrimSpace(v)
}

// valueCol is the column (from 1) where value starts on line l.
func valueCol(l, value string) int {
	i := strings.LastIndex(l, value)
	if i < 0 {
		return firstCol(l)
	}
	return len([]rune(l[:i])) + 1
}

func firstCol(l string) int { return len([]rune(l[:len(l)-len(strings.TrimLeft(l, " \t"))])) + 1 }

// tabIndent finds a line indented with a tab.
func (fm *frontMatter) tabIndent() (line, col int, ok bool) {
	fm.body(func(n int, l string) bool {
		lead := l[:len(l)-len(strings.TrimLeft(l, " \t"))]
		if i := strings.IndexByte(lead, '\t'); i >= 0 {
			line, col, ok = n, i+1, true
		}
		return !ok
	})
	return line, col, ok
}

// colonInValue finds an unquoted value holding ": " (or ending in a colon),
// pointing at that colon.
func (fm *frontMatter) colonInValue() (line, col int, key, value string, ok bool) {
	fm.body(func(n int, l string) bool {
		k, v, isField := field(l)
		if !isField || v == "" || strings.ContainsRune(`"'[{|>`, rune(v[0])) {
			return true
		}
		i := strings.Index(v, ": ")
		if i < 0 && strings.HasSuffix(v, ":") {
			i = len(v) - 1
		}
		if i >= 0 {
			line, col, key, value, ok = n, valueCol(l, v)+len([]rune(v[:i])), k, v, true
		}
		return !ok
	})
	return line, col, key, value, ok
}

// indentedField finds a field indented below one that has a value of its own.
func (fm *frontMatter) indentedField() (line, col int, key, above string, ok bool) {
	prevKey, prevValue, prevInd := "", "", 0
	fm.body(func(n int, l string) bool {
		ind := firstCol(l) - 1
		k, v, isField := field(l)
		if isField && ind > prevInd && prevValue != "" && !strings.HasPrefix(strings.TrimSpace(l), "- ") {
			line, col, key, above, ok = n, 1, k, prevKey, true
			return false
		}
		prevKey, prevValue, prevInd = k, v, ind
		return true
	})
	return line, col, key, above, ok
}

// unclosedFlow finds a [ or { whose closing bracket never comes before the
// next field.
func (fm *frontMatter) unclosedFlow() (line, col int, bracket byte, ok bool) {
	depth := 0
	fm.body(func(n int, l string) bool {
		_, v, isField := field(l)
		if depth > 0 && isField && firstCol(l) == 1 {
			ok = true
			return false
		}
		if depth == 0 && (!isField || v == "" || (v[0] != '[' && v[0] != '{')) {
			return true
		}
		if depth == 0 {
			line, col, bracket = n, valueCol(l, v), v[0]
		}
		depth += strings.Count(v, "[") + strings.Count(v, "{") - strings.Count(v, "]") - strings.Count(v, "}")
		return true
	})
	return line, col, bracket, ok || depth > 0
}

// reservedStart finds a plain value starting with a character YAML keeps for
// itself: @ and ` are reserved, * and & mark aliases and anchors, % directives.
func (fm *frontMatter) reservedStart(reserved string) (line, col int, key, value string, ok bool) {
	fm.body(func(n int, l string) bool {
		k, v, isField := field(l)
		if isField && v != "" && strings.ContainsRune(reserved, rune(v[0])) {
			line, col, key, value, ok = n, valueCol(l, v), k, v, true
		}
		return !ok
	})
	return line, col, key, value, ok
}

// strayLine finds a line at the left margin that is neither a field nor a
// list item.
func (fm *frontMatter) strayLine() (line int, ok bool) {
	fm.body(func(n int, l string) bool {
		if _, _, isField := field(l); !isField && firstCol(l) == 1 && !strings.HasPrefix(l, "-") {
			line, ok = n, true
		}
		return !ok
	})
	return line, ok
}

// textAfterQuote finds a quoted value followed by more text, pointing at the
// first character after the closing quote.
func (fm *frontMatter) textAfterQuote() (line, col int, key, value string, ok bool) {
	fm.body(func(n int, l string) bool {
		k, v, isField := field(l)
		if !isField || v == "" || (v[0] != '"' && v[0] != '\'') {
			return true
		}
		end := closingQuote(v)
		if end > 0 && end < len(v)-1 && strings.TrimSpace(v[end+1:]) != "" && !strings.HasPrefix(strings.TrimSpace(v[end+1:]), "#") {
			line, col, key, value, ok = n, valueCol(l, v)+len([]rune(v[:end+1])), k, v, true
		}
		return !ok
	})
	return line, col, key, value, ok
}

// closingQuote returns the index of the quote that closes the quoted value v,
// or -1. Inside single quotes a doubled quote stands for one; inside double
// quotes a backslash escapes the next character.
func closingQuote(v string) int {
	q := v[0]
	for i := 1; i < len(v); i++ {
		switch {
		case q == '"' && v[i] == '\\':
			i++
		case v[i] == q && q == '\'' && i+1 < len(v) && v[i+1] == '\'':
			i++
		case v[i] == q:
			return i
		}
	}
	return -1
}

// quoteHint says how to write value so that YAML reads it as text.
func quoteHint(key, value string) string {
	what := "the value"
	if key != "the list item" {
		what = "the " + key
	}
	switch {
	case !strings.Contains(value, "'"):
		hint := "put " + what + " in single quotes"
		if strings.Contains(value, `"`) {
			hint += ", or escape the inner double quotes"
		}
		return hint + ": " + writeField(key, "'"+value+"'")
	case !strings.ContainsAny(value, `"\`):
		return "put " + what + " in double quotes: " + writeField(key, `"`+value+`"`)
	}
	return "put " + what + " in single quotes, writing each ' inside it twice: " + writeField(key, "'"+strings.ReplaceAll(value, "'", "''")+"'")
}

func writeField(key, value string) string {
	if key == "the list item" {
		return "- " + value
	}
	return key + ": " + value
}
