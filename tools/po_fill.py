"""Fill msgstr entries of a .po file from a JSON {msgid: translation} map.

usage: python tools/po_fill.py PO JSON   (prints the msgids still untranslated)
"""
import json
import sys

import polib


def main(po_path: str, json_path: str) -> None:
    po = polib.pofile(po_path)
    with open(json_path, encoding="utf-8") as fh:
        translations = json.load(fh)
    for entry in po:
        if entry.msgid in translations:
            entry.msgstr = translations[entry.msgid]
            entry.flags = [flag for flag in entry.flags if flag != "fuzzy"]
    po.save()
    print([entry.msgid for entry in po if not entry.translated()])


if __name__ == "__main__":
    main(*sys.argv[1:3])
