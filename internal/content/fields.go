package content

// Fields lists the front-matter fields kb reads, sorted: the JSON Schema kb
// schema writes has one property for each, and its test checks they agree.
func Fields() []string { return sortedKeys(knownFields) }
