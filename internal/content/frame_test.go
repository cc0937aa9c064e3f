package content

import "testing"

func TestInItem(t *testing.T) {
	for rel, want := range map[string]bool{
		"content/guides/a.md":              true,
		"content/templates/dpia/index.md":  true,
		"content/templates/dpia/form.docx": true,
		"content/guides/_index.md":         false,
		"content/_index.md":                false,
		"content/about.md":                 false,
		"content/help/contact.md":          false,
		"content/measures/well-led.md":     false,
		"content/measures/_index.md":       false,
	} {
		if got := InItem(rel); got != want {
			t.Errorf("InItem(%q) = %v, want %v", rel, got, want)
		}
	}
}
