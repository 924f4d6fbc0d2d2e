"""HTML views of the engage app: the feed, the comment area, private messages, E后台."""
