"""Pure logic: records, formats, checks and explanations; no threads, loops or sockets."""
