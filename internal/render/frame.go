package render

import "github.com/nhsx/kb/internal/frame"

// SearchFrame is the results page with its title and main part left as
// slots, for the search server to fill in for each request: the page kb
// serve shows and the one kb build writes into the search function.
func (r *Renderer) SearchFrame() (*frame.Frame, error) {
	body, err := r.Page(&View{Layout: "search", Title: frame.Title, URL: "/search/", Search: frame.Main,
		Description: "Search the knowledge base by words, success measure and type of item."})
	if err != nil {
		return nil, err
	}
	return frame.Parse("search", body)
}
