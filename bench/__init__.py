"""`make bench`: figures, never assertions. See bench/__main__.py."""
