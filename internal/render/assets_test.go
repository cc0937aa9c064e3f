package render

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestAssetsNamesWhatIsMissing checks Assets's messages: a theme whose npm
// install or stylesheet is missing is told to run make deps, and one whose
// files are there but cannot be looked at is told why, not to install again.
func TestAssetsNamesWhatIsMissing(t *testing.T) {
	vendor := func(dir string) string { return filepath.Join(dir, filepath.FromSlash(VendorDir)) }
	installed := func(t *testing.T, dir string) {
		t.Helper()
		if err := os.MkdirAll(vendor(dir), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(vendor(dir), "nhsuk-frontend.min.js"), []byte("//"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		name  string
		setup func(t *testing.T, dir string)
		want  []string // in the message, with DIR for the theme's folder
		not   string
	}{{
		name:  "no npm install",
		setup: func(t *testing.T, dir string) {},
		want:  []string{"DIR/node_modules: the NHS design system is not installed: run `make deps` (npm ci in DIR)"},
	}, {
		name:  "stylesheet not compiled",
		setup: installed,
		want:  []string{"DIR/dist/nhsuk.css: the theme's stylesheet is not compiled: run `make deps`"},
	}, {
		name: "a file where a folder of the install goes",
		setup: func(t *testing.T, dir string) {
			if err := os.MkdirAll(filepath.Join(dir, "node_modules"), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, "node_modules", "nhsuk-frontend"), nil, 0o644); err != nil {
				t.Fatal(err)
			}
		},
		want: []string{"DIR/" + VendorDir + "/nhsuk-frontend.min.js: cannot be read: not a directory"},
		not:  "make deps",
	}} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			tc.setup(t, dir)
			_, err := Assets(nil, dir)
			if err == nil {
				t.Fatal("no error")
			}
			msg := err.Error()
			for _, w := range tc.want {
				if w = strings.ReplaceAll(w, "DIR", filepath.ToSlash(dir)); !strings.Contains(msg, w) {
					t.Errorf("message %q\nwant it to say %q", msg, w)
				}
			}
			if tc.not != "" && strings.Contains(msg, tc.not) {
				t.Errorf("message %q says %q, which would not help", msg, tc.not)
			}
		})
	}
}
