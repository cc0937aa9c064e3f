package content

import (
	"bytes"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/nhsx/kb/internal/diag"
)

// frontMatter remembers where each top-level key sits in a file, because the
// YAML decoder goldmark-meta uses keeps no positions and contributors need the
// line of the field they got wrong.
type frontMatter struct {
	file string
	// lines are the file's lines; a page lets them go once it is parsed
	// (see Page.front).
	lines [][]byte
	end   int // index of the closing --- line; 0 when there is no front matter
	keys  map[string]int
}

// bodyStart is the byte offset just after the closing --- line.
func (f *frontMatter) bodyStart() int {
	n := 0
	for _, l := range f.lines[:f.end+1] {
		n += len(l) + 1
	}
	return min(n, f.size())
}

func (f *frontMatter) size() int {
	n := len(f.lines) - 1
	for _, l := range f.lines {
		n += len(l)
	}
	return n
}

var keyLine = regexp.MustCompile(`^([A-Za-z_][A-Za-z0-9_-]*)\s*:`)

// splitFrontMatter finds the front matter block. It reports a block that is
// opened but never closed, which goldmark-meta would silently swallow.
func splitFrontMatter(file string, src []byte, errs *diag.List) *frontMatter {
	fm := &frontMatter{file: file, lines: bytes.Split(src, []byte("\n")), keys: map[string]int{}}
	if len(fm.lines) == 0 || strings.TrimRight(string(fm.lines[0]), " \t") != "---" {
		return fm
	}
	for i := 1; i < len(fm.lines); i++ {
		l := strings.TrimRight(string(fm.lines[i]), " \t")
		if l == "---" || l == "..." {
			fm.end = i
			break
		}
	}
	if fm.end == 0 {
		errs.Addf(diag.Pos{File: file, Line: 1, Col: 1}, "front matter is not closed: add a line with just --- after the last field")
		return fm
	}
	for i := 1; i < fm.end; i++ {
		if m := keyLine.FindSubmatch(fm.lines[i]); m != nil {
			if _, dup := fm.keys[string(m[1])]; dup {
				errs.Addf(diag.Pos{File: file, Line: i + 1, Col: 1}, "field %q is given twice in the front matter: keep one", m[1])
				continue
			}
			fm.keys[string(m[1])] = i
		}
	}
	return fm
}

// has reports whether the file starts with front matter.
func (fm *frontMatter) has() bool { return fm.end > 0 }

// keyPos is the position of a top-level key, or of the front matter's first
// line when the key is absent.
func (fm *frontMatter) keyPos(key string) diag.Pos {
	if i, ok := fm.keys[key]; ok {
		return diag.Pos{File: fm.file, Line: i + 1, Col: 1}
	}
	return diag.Pos{File: fm.file, Line: 1, Col: 1}
}

// valuePos finds a value inside a key's block (an item of a list, say), so an
// error about one bad measure points at that measure, not only at its key.
func (fm *frontMatter) valuePos(key, value string) diag.Pos {
	start, ok := fm.keys[key]
	if !ok {
		return fm.keyPos(key)
	}
	for i := start; i < fm.end; i++ {
		if i > start && keyLine.Match(fm.lines[i]) {
			break
		}
		line := string(fm.lines[i])
		from := 0
		if i == start {
			from = strings.IndexByte(line, ':') + 1
		}
		if j := strings.Index(line[from:], value); j >= 0 && value != "" {
			return diag.Pos{File: fm.file, Line: i + 1, Col: len([]rune(line[:from+j])) + 1}
		}
	}
	return fm.keyPos(key)
}

// unclosedQuote finds the first field whose value opens a quote that its line
// does not close.
func (fm *frontMatter) unclosedQuote() (line, col int, ok bool) {
	for i := 1; i < fm.end; i++ {
		l := string(fm.lines[i])
		key, value, found := strings.Cut(l, ": ")
		trimmed := strings.TrimSpace(value)
		if !found || trimmed == "" || (trimmed[0] != '"' && trimmed[0] != '\'') {
			continue
		}
		q := trimmed[:1]
		if strings.Count(strings.ReplaceAll(trimmed, `\"`, ""), q)%2 == 1 {
			start := len(key) + 2 + len(value) - len(strings.TrimLeft(value, " "))
			return i + 1, len([]rune(l[:start])) + 1, true
		}
	}
	return 0, 0, false
}

// raw returns a single-line value as written in the file, so that a number
// given where text goes (title: 1.10) keeps its exact spelling.
func (fm *frontMatter) raw(key string) (string, bool) {
	i, ok := fm.keys[key]
	if !ok {
		return "", false
	}
	_, value, _ := strings.Cut(string(fm.lines[i]), ":")
	if j := strings.Index(value, " #"); j >= 0 {
		value = value[:j]
	}
	value = strings.TrimSpace(value)
	return value, value != ""
}

// fieldPositions is where one item of a list of groups (a source, say) is
// written, and where each of its fields' keys and values are.
type fieldPositions struct {
	item         diag.Pos
	keys, values map[string]diag.Pos
}

// value is where a field's value is written ("" for the item itself), or
// the item's position when the field is missing.
func (f fieldPositions) value(field string) diag.Pos {
	if p, ok := f.values[field]; ok {
		return p
	}
	return f.item
}

// key is where a field's key is written, or the item's position.
func (f fieldPositions) key(field string) diag.Pos {
	if p, ok := f.keys[field]; ok {
		return p
	}
	return f.item
}

// itemPositions finds each item of a top-level list of groups (see
// sequence). It returns nil when the list is not there or the front matter
// does not parse, and messages then fall back to the key's line.
func (fm *frontMatter) itemPositions(key string) []fieldPositions {
	list := fm.sequence(key)
	if list == nil {
		return nil
	}
	out := make([]fieldPositions, len(list.Content))
	for j, item := range list.Content {
		at := fieldPositions{item: fm.nodePos(item), keys: map[string]diag.Pos{}, values: map[string]diag.Pos{}}
		if item.Kind == yaml.MappingNode {
			for k := 0; k+1 < len(item.Content); k += 2 {
				name, value := item.Content[k], item.Content[k+1]
				at.keys[name.Value] = fm.nodePos(name)
				if value.Tag == "!!null" && value.Value == "" {
					at.values[name.Value] = fm.nodePos(name) // nothing written after the key
				} else {
					at.values[name.Value] = fm.nodePos(value)
				}
			}
		}
		out[j] = at
	}
	return out
}

// rawItems returns the items of a top-level list as written, each scalar's
// text ("" for an item that is not one), or nil when the list is not there
// or the front matter does not parse. goldmark-meta reads YAML 1.1, where y,
// no, on and off are true or false: a topic or organisation written so would
// otherwise become "true" or "false".
func (fm *frontMatter) rawItems(key string) []string {
	list := fm.sequence(key)
	if list == nil {
		return nil
	}
	out := make([]string, len(list.Content))
	for j, item := range list.Content {
		if item.Kind == yaml.ScalarNode {
			out[j] = item.Value
		}
	}
	return out
}

// sequence parses the front matter with gopkg.in/yaml.v3, whose nodes keep
// their text, lines and columns (goldmark-meta's decoder keeps none), and
// returns the list under key, or nil when there is none or the front matter
// does not parse.
func (fm *frontMatter) sequence(key string) *yaml.Node {
	if !fm.has() {
		return nil
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(bytes.Join(fm.lines[1:fm.end], []byte("\n")), &doc); err != nil || len(doc.Content) == 0 {
		return nil
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		if list := root.Content[i+1]; root.Content[i].Value == key && list.Kind == yaml.SequenceNode {
			return list
		}
	}
	return nil
}

// nodePos turns a yaml.v3 position, counted from the line after the opening
// ---, into the file's.
func (fm *frontMatter) nodePos(n *yaml.Node) diag.Pos {
	return diag.Pos{File: fm.file, Line: n.Line + 1, Col: n.Column}
}
