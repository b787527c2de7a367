from pattern_verify.cli import main

raise SystemExit(main())
