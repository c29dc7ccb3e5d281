"""One module per kind of source, each turning bytes into Papers."""
