package secure

import (
	"bufio"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// TestNetlifyHeaders reads netlify.toml and checks that its [[headers]] rule
// for /* sets exactly the headers of this package, in the same order.
func TestNetlifyHeaders(t *testing.T) {
	got := netlifyHeaders(t, filepath.Join("..", "..", "netlify.toml"), "/*")
	want := Headers()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("netlify.toml headers for /*:\n%q\nwant (from internal/secure):\n%q", got, want)
	}
}

// netlifyHeaders reads the values of the [[headers]] rule whose for is path.
// It understands only the shape netlify.toml uses (key = "basic string"),
// which spares the module a TOML dependency for one test.
func netlifyHeaders(t *testing.T, file, path string) []Header {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []Header
	var table, rule string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if strings.HasPrefix(line, "[") {
			table = strings.Trim(line, "[]")
			if line == "[[headers]]" {
				rule = ""
			}
			continue
		}
		key, raw, ok := strings.Cut(line, "=")
		if !ok {
			t.Fatalf("%s: cannot read line %q", file, line)
		}
		value, err := strconv.Unquote(strings.TrimSpace(raw))
		key = strings.TrimSpace(key)
		switch {
		case table == "headers" && key == "for":
			rule = value
		case table == "headers.values" && rule == path:
			if err != nil {
				t.Fatalf("%s: %s is not a quoted string: %v", file, key, err)
			}
			out = append(out, Header{Name: key, Value: value})
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(out) == 0 {
		t.Fatalf("%s sets no headers for %s", file, path)
	}
	return out
}
