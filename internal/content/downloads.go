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
func (d DownloadInfo) Pos(field string) diag.Pos {
	if p, ok := d.at.values[field]; ok {
		return p
	}
	return d.at.item
}

var downloadFields = map[string]bool{"file": true, "title": true, "description": true}

// downloads reads the downloads: list, each item a group of file, title and
// description. Whether the file is in the bundle is checked with the site,
// which knows the bundle's files.
func (d decoder) downloads(key string) []DownloadInfo {
	v, ok := d.m[key]
	if !ok || v == nil {
		return nil
	}
	items, ok := v.([]any)
	if !ok {
		d.fail(key, "%s must be a list, each item with file, title and description, not %s", key, shape(v))
		return nil
	}
	at := d.p.fm.itemPositions(key)
	out := make([]DownloadInfo, 0, len(items))
	for i, it := range items {
		dl := DownloadInfo{at: fieldPositions{item: d.p.KeyPos(key)}}
		if i < len(at) {
			dl.at = at[i]
		}
		m, ok := stringMap(it)
		if !ok {
			d.wrong[key] = true
			d.errs.Addf(dl.Pos(""), "download %d of %s must be a group of fields (file, title, description), not %s", i+1, key, shape(it))
			continue
		}
		for _, k := range sortedKeys(keysOf(m)) {
			if !downloadFields[k] {
				pos := dl.at.item
				if p, ok := dl.at.keys[k]; ok {
					pos = p
				}
				d.errs.Addf(pos, "download %d has an unknown field %q: a download has file, title and description", i+1, k)
				continue
			}
			str, isStr := m[k].(string)
			if !isStr {
				d.errs.Addf(dl.Pos(k), "download %d: %s must be text, not %s", i+1, k, shape(m[k]))
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
			d.errs.Addf(dl.Pos(""), "download %d has no file: add file: with the name of a file beside the page's index.md", i+1)
			continue
		}
		out = append(out, dl)
	}
	return out
}
