def main() -> None:
    raise SystemExit("courtbot: not wired yet")
