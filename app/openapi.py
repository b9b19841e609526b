def build_spec() -> dict:
    return {}
