"""Benchmark harness: dicombind XML/JSON against pydicom's own to_json/from_json (`make bench`)."""
