"""Checks workflow documents against prompts/workflow.schema.json with the `jsonschema` package.

Usage: check_schema.py SCHEMA FILE...   Prints one JSON object: file name -> true (valid) / false (invalid).
A file that is not JSON counts as invalid.
"""
import json
import sys

import jsonschema

schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)
verdicts = {}
for path in sys.argv[2:]:
    try:
        document = json.load(open(path, encoding="utf-8"))
    except (ValueError, UnicodeDecodeError):
        verdicts[path] = False
        continue
    verdicts[path] = validator.is_valid(document)
print(json.dumps(verdicts))
