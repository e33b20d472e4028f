#!/usr/bin/python3
"""Validates extract's JSON output against docs/extract.schema.json.

Usage: /usr/bin/python3 tests/validate_schema.py SCHEMA FILE...

Each FILE may hold one JSON record (pretty or compact), JSON Lines, or any
sequence of records separated by white space. Every record is checked with
the Debian package python3-jsonschema (Draft202012Validator), then for what
a schema cannot say: each span's text has end - start UTF-8 bytes and
char_end - char_start code points (any object with the five span keys, so
also an event's mentions, numbers and attribution; a report date's null span
is skipped), every entity id an event names (actors, targets, places,
attribution) exists, and every sentence index (of mentions, events, their
mentions and numbers, evidence, dates) is in range. Each failure is printed as `FILE:LINE: PATH: MESSAGE`, where LINE is
the line the record starts on and PATH a JSON Pointer into the record ("/"
for the record itself).

Exit status: 0 when every record is valid, 1 when any is not (or a file
cannot be read or parsed), 2 on a usage error or an invalid schema.
"""

import json
import sys

try:
    import jsonschema
except ImportError:  # pragma: no cover - depends on the machine
    sys.stderr.write("validate_schema.py: python3-jsonschema is not installed "
                     "(apt-get install python3-jsonschema)\n")
    sys.exit(2)

SPAN_KEYS = ("text", "start", "end", "char_start", "char_end")


def pointer(parts):
    """Renders a path as a JSON Pointer (RFC 6901)."""
    if not parts:
        return "/"
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1")
                   for p in parts)


def records(text):
    """Yields (line, value) for each JSON value in text; raises ValueError
    with the line of a parse error."""
    decoder = json.JSONDecoder()
    pos, line = 0, 1
    while True:
        # Skip white space between values, counting lines.
        while pos < len(text) and text[pos] in " \t\r\n":
            if text[pos] == "\n":
                line += 1
            pos += 1
        if pos == len(text):
            return
        try:
            value, end = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as e:
            raise ValueError(e.lineno, e.msg) from None
        yield line, value
        line += text.count("\n", pos, end)
        pos = end


def span_problems(node, path):
    """Yields (path, message) for spans whose fields disagree."""
    if isinstance(node, dict):
        if all(k in node for k in SPAN_KEYS):
            text = node["text"]
            start, end = node["start"], node["end"]
            cstart, cend = node["char_start"], node["char_end"]
            if all(isinstance(v, int) for v in (start, end, cstart, cend)) \
                    and isinstance(text, str):
                if end < start or cend < cstart:
                    yield path, "span ends before it starts"
                elif len(text.encode("utf-8", "surrogatepass")) != end - start:
                    yield path, ("text has %d UTF-8 bytes but end - start is %d"
                                 % (len(text.encode("utf-8", "surrogatepass")),
                                    end - start))
                elif len(text) != cend - cstart:
                    yield path, ("text has %d code points but char_end - "
                                 "char_start is %d" % (len(text), cend - cstart))
        for key, value in node.items():
            yield from span_problems(value, path + [key])
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from span_problems(value, path + [i])


def reference_problems(record):
    """Yields (path, message) for entity ids no entity has, and for indices
    past the sentence list."""
    if not isinstance(record, dict):
        return
    entities = record.get("entities")
    events = record.get("events")
    sentences = record.get("sentences")
    if not isinstance(entities, list) or not isinstance(events, list):
        return
    ids = [e.get("id") for e in entities if isinstance(e, dict)]
    seen = set()
    for i, entity_id in enumerate(ids):
        if entity_id in seen:
            yield ["entities", i, "id"], "duplicate entity id %r" % entity_id
        seen.add(entity_id)
    for v, event in enumerate(events):
        if not isinstance(event, dict):
            continue
        for field in ("actors", "targets", "places"):
            for k, entity_id in enumerate(event.get(field) or []):
                if entity_id not in seen:
                    yield (["events", v, field, k],
                           "no entity has id %r" % (entity_id,))
        attribution = event.get("attribution")
        if isinstance(attribution, dict):
            entity_id = attribution.get("entity")
            if entity_id is not None and entity_id not in seen:
                yield (["events", v, "attribution", "entity"],
                       "no entity has id %r" % (entity_id,))
    if isinstance(sentences, list):
        def check(node, path):
            index = node.get("sentence") if isinstance(node, dict) else None
            if isinstance(index, int) and index >= len(sentences):
                yield (path + ["sentence"],
                       "sentence %d is past the %d sentences"
                       % (index, len(sentences)))
        for e, entity in enumerate(entities):
            if isinstance(entity, dict):
                for m, mention in enumerate(entity.get("mentions") or []):
                    yield from check(mention, ["entities", e, "mentions", m])
        for v, event in enumerate(events):
            yield from check(event, ["events", v])
            if not isinstance(event, dict):
                continue
            for field in ("mentions", "numbers"):
                for k, item in enumerate(event.get(field) or []):
                    yield from check(item, ["events", v, field, k])
            for k, index in enumerate(event.get("evidence") or []):
                if isinstance(index, int) and index >= len(sentences):
                    yield (["events", v, "evidence", k],
                           "sentence %d is past the %d sentences"
                           % (index, len(sentences)))
        for d, date in enumerate(record.get("dates") or []):
            yield from check(date, ["dates", d])


def validate_file(validator, name):
    """Prints each problem of one file; returns how many there were."""
    try:
        with open(name, "rb") as f:
            data = f.read()
        text = data.decode("utf-8")
    except OSError as e:
        print("%s: cannot read: %s" % (name, e.strerror or e))
        return 1
    except UnicodeDecodeError as e:
        print("%s: invalid UTF-8 at byte %d" % (name, e.start))
        return 1
    failures = 0
    count = 0
    try:
        for line, record in records(text):
            count += 1
            problems = [(list(err.absolute_path), err.message)
                        for err in validator.iter_errors(record)]
            problems.sort(key=lambda p: [str(x) for x in p[0]])
            problems += list(span_problems(record, []))
            problems += list(reference_problems(record))
            for path, message in problems:
                print("%s:%d: %s: %s" % (name, line, pointer(path), message))
            failures += len(problems)
    except ValueError as e:
        line, message = e.args
        print("%s:%d: /: not JSON: %s" % (name, line, message))
        return failures + 1
    if count == 0:
        print("%s:1: /: holds no JSON record" % name)
        return failures + 1
    return failures


def main(argv):
    if len(argv) < 3:
        sys.stderr.write("usage: %s SCHEMA FILE...\n" % argv[0])
        return 2
    try:
        with open(argv[1], "rb") as f:
            schema = json.loads(f.read().decode("utf-8"))
        jsonschema.Draft202012Validator.check_schema(schema)
    except (OSError, ValueError) as e:
        sys.stderr.write("%s: cannot load schema: %s\n" % (argv[1], e))
        return 2
    except jsonschema.exceptions.SchemaError as e:
        sys.stderr.write("%s: invalid schema: %s\n" % (argv[1], e.message))
        return 2
    validator = jsonschema.Draft202012Validator(schema)
    failures = 0
    for name in argv[2:]:
        failures += validate_file(validator, name)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
