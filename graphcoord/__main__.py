"""``python -m graphcoord`` runs the CLI."""

from graphcoord.cli import main

if __name__ == "__main__":
    main()
