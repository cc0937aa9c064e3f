package content

import (
	"strings"

	"github.com/nhsx/kb/internal/diag"
)

// DownloadInfo names a file of the page's bundle for readers, from the page's
// downloads: field: the theme lists it under the page's Downloads heading
// with this title and description instead of its file name.
type DownloadInfo struct {
	File, Title, Description string

	at fieldPositions
}

// Pos is where a field of the item is written, or the item's position.
func (d DownloadInfo) Pos(field string) diag.Pos { return d.at.value(field) }

var downloadFields = map[string]bool{"file": true, "title": true, "description": true}

// downloads reads the downloads: list, each item a group of file, title and
// description. Whether the file is in the bundle is checked with the site,
// which knows the bundle's files.
func (d decoder) downloads(key string) []DownloadInfo {
	gs := d.groups(key, "a list, each item with file, title and description", "download", "file, title, description")
	if gs == nil {
		return nil
	}
	out := make([]DownloadInfo, 0, len(gs))
	for _, g := range gs {
		n, m := g.n, g.fields
		dl := DownloadInfo{at: g.at}
		for _, k := range sortedKeys(keysOf(m)) {
			if !downloadFields[k] {
				d.errs.Addf(dl.at.key(k), "download %d has an unknown field %q: a download has file, title and description", n, k)
				continue
			}
			str, isStr := m[k].(string)
			if !isStr {
				d.errs.Addf(dl.Pos(k), "download %d: %s must be text, not %s", n, k, shape(m[k]))
				continue
			}
			switch str = strings.TrimSpace(str); k {
			case "file":
				dl.File = str
			case "title":
				dl.Title = str
			default:
				dl.Description = str
			}
		}
		if dl.File == "" {
			d.errs.Addf(dl.Pos(""), "download %d has no file: add file: with the name of a file beside the page's index.md", n)
			continue
		}
		out = append(out, dl)
	}
	return out
}
