#!/usr/bin/env python3
"""Builds gold.jsonl from gold.src.txt and checks it.

gold.src.txt holds one document per block: a "## id" line, an optional
"date: YYYY-MM-DD" line, then the text, in which names are marked
[text|type] (type: person, place, group or misc). This script removes the
marks and writes one JSON line per document,
{"id", "date"?, "text", "entities": [{"type", "start", "end", "text"}]},
with code-point offsets (end exclusive), then re-reads the file and checks
that text[start:end] == entity text for every entity.

Usage: build_gold.py            write gold.jsonl next to this script
       build_gold.py --check    exit 1 unless gold.jsonl is up to date and valid
"""
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join(HERE, 'gold.src.txt')
OUT = os.path.join(HERE, 'gold.jsonl')
TYPES = {'person', 'place', 'group', 'misc'}
MARK = re.compile(r'\[([^\[\]|]+)\|([a-z]+)\]')


def parse(path):
    docs, cur = [], None
    for n, line in enumerate(open(path, encoding='utf-8'), 1):
        line = line.rstrip('\n')
        if line.startswith('## '):
            cur = {'id': line[3:].strip(), 'date': None, 'lines': [], 'line': n}
            docs.append(cur)
        elif cur is None:
            if line and not line.startswith('#'):
                sys.exit('%s:%d: text before the first "## id"' % (path, n))
        elif not cur['lines'] and line.startswith('date: '):
            cur['date'] = line[6:].strip()
        else:
            cur['lines'].append((n, line))
    out = []
    for d in docs:
        while d['lines'] and not d['lines'][-1][1].strip():
            d['lines'].pop()
        text, ents = '', []
        for i, (n, line) in enumerate(d['lines']):
            if i:
                text += '\n'
            pos = 0
            for m in MARK.finditer(line):
                text += line[pos:m.start()]
                name, ty = m.group(1), m.group(2)
                if ty not in TYPES:
                    sys.exit('%s:%d: unknown type %r' % (path, n, ty))
                ents.append({'type': ty, 'start': len(text), 'end': len(text) + len(name), 'text': name})
                text += name
                pos = m.end()
            rest = line[pos:]
            if '[' in rest or ']' in rest or '|' in rest:
                sys.exit('%s:%d: stray mark in %r' % (path, n, rest))
            text += rest
        rec = {'id': d['id']}
        if d['date']:
            rec['date'] = d['date']
        rec['text'] = text
        rec['entities'] = ents
        out.append(rec)
    ids = [r['id'] for r in out]
    if len(set(ids)) != len(ids):
        sys.exit('%s: duplicate ids' % path)
    return out


def render(records):
    return ''.join(json.dumps(r, ensure_ascii=False) + '\n' for r in records)


def verify(path):
    bad = 0
    for n, line in enumerate(open(path, encoding='utf-8'), 1):
        r = json.loads(line)
        for e in r['entities']:
            if r['text'][e['start']:e['end']] != e['text']:
                print('%s:%d: %s: text[%d:%d] = %r, not %r' % (
                    path, n, r['id'], e['start'], e['end'], r['text'][e['start']:e['end']], e['text']))
                bad += 1
    return bad


def main():
    records = parse(SRC)
    if '--check' in sys.argv[1:]:
        current = open(OUT, encoding='utf-8').read() if os.path.exists(OUT) else ''
        if current != render(records):
            print('%s is out of date: run %s' % (OUT, sys.argv[0]))
            return 1
        return 1 if verify(OUT) else 0
    with open(OUT + '.tmp', 'w', encoding='utf-8') as f:
        f.write(render(records))
    os.replace(OUT + '.tmp', OUT)
    bad = verify(OUT)
    n = sum(len(r['entities']) for r in records)
    by = {}
    for r in records:
        for e in r['entities']:
            by[e['type']] = by.get(e['type'], 0) + 1
    print('%s: %d documents, %d entities %s' % (OUT, len(records), n, by))
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
