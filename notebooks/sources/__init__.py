"""The notebooks' cells, one module per notebook; ``make_notebooks.py`` builds them."""
