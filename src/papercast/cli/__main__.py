from papercast.cli import main

raise SystemExit(main())
