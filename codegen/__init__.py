"""Code generators: schemas/ in, generated/ out.  Run from the project root, never installed."""
