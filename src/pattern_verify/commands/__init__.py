"""One module per subcommand; `cli` only parses arguments and dispatches."""
