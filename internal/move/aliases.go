package move

import (
	"errors"
	"regexp"
	"strings"
)

var aliasesKey = regexp.MustCompile(`^aliases\s*:`)

// addAlias adds old to the aliases in src's front matter, editing only the
// lines it must: comments, order and the other fields stay as written. A
// list in flow style ([a, b]) gets the URL appended inside its brackets; a
// block list gets one more "- " line; a page without aliases gets the line
// "aliases: [old]" before the closing ---. If the page already lists the URL
// it moves to (moving it back where it was), that alias is dropped, since a
// page cannot redirect to itself.
func addAlias(src []byte, old, now string) ([]byte, error) {
	nl := "\n"
	if strings.Contains(string(src), "\r\n") {
		nl = "\r\n"
	}
	lines := strings.Split(string(src), "\n")
	trim := func(i int) string { return strings.TrimRight(lines[i], "\r") }
	if len(lines) == 0 || strings.TrimRight(trim(0), " \t") != "---" {
		return nil, errors.New("the page has no front matter to record its old URL in: add one")
	}
	end := -1
	for i := 1; i < len(lines); i++ {
		if l := strings.TrimRight(trim(i), " \t"); l == "---" || l == "..." {
			end = i
			break
		}
	}
	if end < 0 {
		return nil, errors.New("the page's front matter is not closed: add a line with just --- after it")
	}
	key := -1
	for i := 1; i < end; i++ {
		if aliasesKey.MatchString(trim(i)) {
			key = i
			break
		}
	}
	cr := strings.TrimSuffix(nl, "\n")
	if key < 0 {
		lines = append(lines[:end], append([]string{"aliases: [" + old + "]" + cr}, lines[end:]...)...)
		return []byte(strings.Join(lines, "\n")), nil
	}
	line := trim(key)
	colon := strings.IndexByte(line, ':')
	value, comment := line[colon+1:], ""
	if j := strings.Index(value, " #"); j >= 0 {
		value, comment = value[:j], value[j:]
	}
	v := strings.TrimSpace(value)
	switch {
	case v == "" || v == "~" || v == "null": // a block list, or nothing yet
		last, indent := key, "  "
		var items []int
		for i := key + 1; i < end; i++ {
			t := strings.TrimSpace(trim(i))
			if t == "" || strings.HasPrefix(t, "#") {
				continue
			}
			if !strings.HasPrefix(t, "-") || trim(i)[0] != ' ' && trim(i)[0] != '-' {
				break
			}
			if len(items) == 0 {
				indent = trim(i)[:len(trim(i))-len(strings.TrimLeft(trim(i), " "))]
			}
			items = append(items, i)
			last = i
		}
		if v != "" {
			lines[key] = line[:colon+1] + comment + cr
		}
		lines = append(lines[:last+1], append([]string{indent + "- " + old + cr}, lines[last+1:]...)...)
		for k := len(items) - 1; k >= 0; k-- {
			if unquote(strings.TrimPrefix(strings.TrimSpace(trim(items[k])), "-")) == now {
				lines = append(lines[:items[k]], lines[items[k]+1:]...)
			}
		}
	case strings.HasPrefix(v, "["):
		if !strings.HasSuffix(v, "]") {
			return nil, errors.New("its aliases list spans several lines: add " + old + " to it by hand")
		}
		var keep []string
		for _, it := range strings.Split(strings.TrimSuffix(strings.TrimPrefix(v, "["), "]"), ",") {
			if t := strings.TrimSpace(it); t != "" && unquote(t) != now {
				keep = append(keep, t)
			}
		}
		lines[key] = line[:colon+1] + " [" + strings.Join(append(keep, old), ", ") + "]" + comment + cr
	default: // one alias written as text
		items := []string{old}
		if unquote(v) != now {
			items = []string{v, old}
		}
		lines[key] = line[:colon+1] + " [" + strings.Join(items, ", ") + "]" + comment + cr
	}
	return []byte(strings.Join(lines, "\n")), nil
}

func unquote(s string) string { return strings.Trim(strings.TrimSpace(s), `"'`) }
