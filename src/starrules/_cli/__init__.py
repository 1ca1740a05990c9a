"""The command line (click + rich). The only package that imports them."""
