package site

// DraftAt returns the source path of the unpublished draft whose URL would
// be url, so that a preview hiding drafts can explain its 404.
func (s *Site) DraftAt(url string) (source string, ok bool) {
	source, ok = s.draftURLs[url]
	return source, ok && url != ""
}
