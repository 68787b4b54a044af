raise SystemExit("a fake _pytest was imported")
