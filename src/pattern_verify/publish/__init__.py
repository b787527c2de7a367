"""Stage 7, publish: everything that leaves the process (files, terminal, GitHub, git)."""
