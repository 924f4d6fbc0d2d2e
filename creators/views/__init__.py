"""HTML views of the creators app, one module per page group."""
