"""The I/O core: the background event loop, connections and the threads that run callbacks."""
