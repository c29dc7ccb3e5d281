"""What the Pelican build adds to the stock generators: paper fields, listings, feeds."""
