"""`python -m poalint` runs the command line."""

from poalint.cli import main

if __name__ == "__main__":
    main()
