"""HTML views of the showcase room: ``public`` (shoppers), ``manage`` (creators), ``center``
(the creator's hub) and ``hot`` (the two JSON reads every viewer repeats)."""
